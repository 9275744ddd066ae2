"""Results that go by post (QĐ 45/2016/QĐ-TTg): the operator, the parcel's tracking number and where to follow it."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings

from dvc.dossiers.models import Dossier

# S10 (UPU) numbers such as EB123456789VN, and the operators' own domestic numbers: letters and digits only.
TRACKING_NUMBER = re.compile(r"^[A-Z0-9]{6,30}$")


def operators() -> dict[str, dict[str, str]]:
    return settings.DVC_POSTAL_OPERATORS


def default_operator() -> str:
    return next(iter(operators()), "")


def operator_name(code: str) -> str:
    return operators().get(code, {}).get("name", "")


def tracking_url(dossier: Dossier) -> str:
    """Where the citizen follows the parcel; "" when the result did not go by post or has no number yet."""
    if dossier.result_method != Dossier.ResultMethod.POST or dossier.status != Dossier.Status.RETURNED:
        return ""
    number = dossier.return_note.strip()
    pattern = operators().get(dossier.postal_operator, {}).get("tracking_url", "")
    if not pattern or not TRACKING_NUMBER.match(number):
        return ""
    return pattern.replace("{number}", quote(number))
