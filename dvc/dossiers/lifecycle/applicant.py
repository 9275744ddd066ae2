"""The applicant as the dossier records them: a snapshot of the account at filing, and its search key."""

from __future__ import annotations

from typing import Any

from dvc.accounts.models import User
from dvc.accounts.validators import display_phone
from dvc.agencies.selectors import address_text
from dvc.agencies.units import unit_code
from dvc.catalog.text import fold
from dvc.dossiers.models import Dossier


def applicant_snapshot(user: User) -> dict[str, Any]:
    """The applicant's details as they stood when the dossier was filed (later profile edits do not change it)."""
    return {
        "full_name": user.full_name,
        "id_number": user.id_number,
        "birth_date": user.birth_date.isoformat() if user.birth_date else "",
        "phone": display_phone(user.phone),
        "email": user.email,
        # NĐ 69/2024: signed in with a level-2 electronic identity; the officer sees which data came from it.
        "identity_verified": user.identity_verified_at is not None,
        "address": {
            "province": unit_code(user.province_id),
            "commune": unit_code(user.commune_id),
            "line": user.address_line,
        },
    }


def applicant_name_key(applicant_data: dict[str, Any]) -> str:
    """The applicant's name folded (no accents, lower case): the officers' search column ``applicant_name``."""
    return fold(str(applicant_data.get("full_name", "")))[:255]


def goes_by_post(dossier: Dossier) -> bool:
    """The post office picks the papers up, or brings the result (QĐ 45/2016/QĐ-TTg, bưu chính công ích)."""
    return (
        dossier.result_method == Dossier.ResultMethod.POST
        or dossier.submission_method == Dossier.SubmissionMethod.POST_PICKUP
    )


def postal_address(dossier: Dossier, names: dict[str, str] | None = None) -> str:
    """Where the post office goes, written out; "" when nothing goes by post."""
    return address_text(dossier.delivery_address, names) if goes_by_post(dossier) and dossier.delivery_address else ""
