"""The public lookup's allowance: dossier codes are sequential per agency and day, so a client that walks through
them is stopped, and so is a crowd walking through one agency's day (issue 15: lookup enumeration)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from dvc.accounts import throttle
from dvc.errors import RateLimited

CLIENT_WINDOW = dt.timedelta(minutes=10)
PREFIX_WINDOW = dt.timedelta(hours=1)


def lookup_allow(*, ip: str, code: str) -> None:
    """Count one lookup by ``code`` from ``ip``; ``RateLimited`` past either allowance."""
    client = throttle.hit(throttle.make_key("lookup-ip", ip), window=CLIENT_WINDOW)
    if client.count > settings.DVC_LOOKUP_PER_CLIENT:
        raise _limited(client)
    prefix = code.strip().upper().rsplit("-", 1)[0]
    if prefix:
        day = throttle.hit(throttle.make_key("lookup-prefix", prefix), window=PREFIX_WINDOW)
        if day.count > settings.DVC_LOOKUP_PER_PREFIX:
            raise _limited(day)


def _limited(window: throttle.Window) -> RateLimited:
    retry = window.retry_after()
    return RateLimited(
        _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": (retry + 59) // 60},
        code="rate_limited",
        retry_after=retry,
    )
