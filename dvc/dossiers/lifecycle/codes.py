"""Dossier codes: ``<agency code>-<YYMMDD>-<NNNN>`` (TT 01/2018/TT-VPCP Điều 19, kept by practice)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL

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


# The day's number taken by the statement that sends the dossier (PostgreSQL): the first of the day creates the row,
# a later one adds to it under its row lock, held until the commit as ``next_code``'s UPDATE holds it. The number is
# padded to four digits, and a ten-thousandth keeps all of its own, as ``next_code`` writes them.
_NUMBER_SQL = (
    'INSERT INTO "dossiers_dailysequence" ("agency_id", "day", "last") VALUES (%s, %s, 1) '
    'ON CONFLICT ("agency_id", "day") DO UPDATE SET "last" = "dossiers_dailysequence"."last" + 1 RETURNING "last"'
)
_CODE_SQL = "(SELECT %s || CASE WHEN last < 10000 THEN lpad(last::text, 4, '0') ELSE last::text END FROM {name})"


def code_clause(agency: Agency, day: dt.date, *, name: str) -> tuple[tuple[str, str, list[object]], RawSQL] | None:
    """On PostgreSQL, ``next_code`` as a clause of the statement that writes the dossier (``together.writes_together``
    with ``before``), and the code it gives as a value of that write (issue 20, part 2: one round trip fewer per
    submission). ``None`` elsewhere: call ``next_code``."""
    if connection.vendor != "postgresql":
        return None
    clause = (name, _NUMBER_SQL, [agency.pk, day])
    return clause, RawSQL(_CODE_SQL.format(name=name), [f"{agency.code}-{day:%y%m%d}-"])  # noqa: S611 - a constant name


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
