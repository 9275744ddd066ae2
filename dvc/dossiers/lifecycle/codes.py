"""Dossier codes: ``<agency code>-<YYMMDD>-<NNNN>`` (TT 01/2018/TT-VPCP Điều 19, kept by practice)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F

from dvc.agencies.models import Agency
from dvc.dossiers.models import DailySequence


def next_code(agency: Agency, day: dt.date) -> str:
    """The next code of ``agency`` on ``day``: a 4-digit sequence per agency per day.

    Called inside the submission's transaction: the UPDATE locks today's row until the commit, so the number read
    back is this submission's own. Two statements, except for the day's first submission at an agency.
    """
    today = DailySequence.objects.filter(agency=agency, day=day)
    if not today.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DailySequence.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:  # another submission created today's row first
            today.update(last=F("last") + 1)
        else:
            return f"{agency.code}-{day:%y%m%d}-0001"
    last = today.values_list("last", flat=True).get()
    return f"{agency.code}-{day:%y%m%d}-{last:04d}"


SECURITY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper, typed on a phone


def new_security_code() -> str:
    """Six characters issued with the dossier code (about 10⁹ possibilities; tries are rate-limited)."""
    return "".join(secrets.choice(SECURITY_ALPHABET) for _ in range(6))
