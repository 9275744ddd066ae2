"""The public lookup's allowance: dossier codes are sequential per agency and day, so a client that walks through
them is stopped, and so is a crowd walking through one agency's day (issue 15: lookup enumeration).

A lookup by code counts its two windows and reads the dossier's cached public row in one round trip to the shared
Redis (issue 20, ``dvc.dossiers.public_rows``); the database answers only when the row is not cached."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from dvc.accounts import throttle
from dvc.accounts.models import User
from dvc.dossiers import public_rows
from dvc.dossiers.citizen.selectors import PublicLine, public_lines
from dvc.dossiers.citizen.selectors import public_rows as rows_from_database
from dvc.errors import RateLimited

CLIENT_WINDOW = dt.timedelta(minutes=10)
PREFIX_WINDOW = dt.timedelta(hours=1)


def _limits(ip: str, code: str) -> list[throttle.Limit]:
    limits = [throttle.Limit(throttle.make_key("lookup-ip", ip), CLIENT_WINDOW, settings.DVC_LOOKUP_PER_CLIENT)]
    prefix = code.strip().upper().rsplit("-", 1)[0]
    if prefix:
        limits.append(
            throttle.Limit(throttle.make_key("lookup-prefix", prefix), PREFIX_WINDOW, settings.DVC_LOOKUP_PER_PREFIX)
        )
    return limits


def _check(limits: list[throttle.Limit], counted: list[throttle.Window]) -> None:
    for limit, window in zip(limits, counted, strict=False):
        if window.count > limit.allowed:
            raise _limited(window)


def lookup_allow(*, ip: str, code: str) -> None:
    """Count one lookup by ``code`` from ``ip`` (the per-day allowance only once the client's allows);
    ``RateLimited`` past either."""
    limits = _limits(ip, code)
    _check(limits, throttle.hits(limits)[0])


def lookup_by_code(*, ip: str, code: str, security_code: str = "", viewer: User | object = None) -> list[PublicLine]:
    """Count one lookup of ``code`` from ``ip`` and answer it; ``RateLimited`` past either allowance."""
    code = code.strip().upper()
    limits = _limits(ip, code)
    key = public_rows.row_key(code) if code else ""
    counted, cached = throttle.hits(limits, read=key)
    _check(limits, counted)
    row = public_rows.parse(cached)
    if row is not None:
        rows = [row]
    else:
        rows = rows_from_database(code=code)
        if rows and cached is None:  # never over a hold: this answer may predate a change committing now
            public_rows.keep(code, rows[0])
    return public_lines(rows, security_code=security_code, viewer=viewer)


def _limited(window: throttle.Window) -> RateLimited:
    retry = window.retry_after()
    return RateLimited(
        _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": (retry + 59) // 60},
        code="rate_limited",
        retry_after=retry,
    )
