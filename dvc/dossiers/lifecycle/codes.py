"""Dossier codes: ``<agency code>-<YYMMDD>-<NNNN>`` (TT 01/2018/TT-VPCP Điều 19, kept by practice)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, connection, transaction

from dvc.agencies.models import Agency
from dvc.dossiers.models import DailySequence


def next_code(agency: Agency, day: dt.date) -> str:
    """The next code of ``agency`` on ``day``: a 4-digit sequence per agency per day.

    Called inside the submission's transaction: the UPDATE locks today's row until the commit, so the number read
    back is this submission's own. One statement, except for the day's first submission at an agency.
    """
    last = _increment(agency, day)
    if last is None:
        try:
            with transaction.atomic():
                DailySequence.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:  # another submission created today's row first
            last = _increment(agency, day)
        else:
            last = 1
    return f"{agency.code}-{day:%y%m%d}-{last:04d}"


def _increment(agency: Agency, day: dt.date) -> int | None:
    """Today's number taken and read in one statement (UPDATE … RETURNING: PostgreSQL, SQLite ≥ 3.35); ``None``
    when the day has no row yet."""
    table = connection.ops.quote_name(DailySequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "agency_id" = %s AND "day" = %s RETURNING "last"',  # noqa: S608
            [agency.pk, day],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


SECURITY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper, typed on a phone


def new_security_code() -> str:
    """Six characters issued with the dossier code (about 10⁹ possibilities; tries are rate-limited)."""
    return "".join(secrets.choice(SECURITY_ALPHABET) for _ in range(6))
