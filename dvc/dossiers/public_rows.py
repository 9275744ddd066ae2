"""The public lookup's answer for each sent dossier, kept in the shared cache (issue 20).

A lookup by code reads this row in the same round trip to Redis as its rate windows, so the common lookup touches
neither the database nor the ORM. The row holds only what the public may see once revealed (the masked name, never
the full one) and a keyed hash of the security code. Each change in a dossier's history puts a short *hold* on its
row after the transaction commits; while it holds, lookups read the database and do not write the row back, so an
answer read before the commit cannot be cached after it. The row otherwise lives ``ROW_SECONDS``: an agency or a
procedure renamed in the admin shows within that time. A hold that cannot be written (Redis not answering at that
moment) is written by the task worker as soon as Redis answers again, within ``ROW_SECONDS`` of the change, after
which a row cached before it has expired anyway. Without Redis (the embedded default) nothing is cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dvc.accounts.throttle import shared_key, shared_set
from dvc.dossiers.models import Dossier

ROW_SECONDS = 600
HOLD = b"hold"
HOLD_SECONDS = 10
RETRY_SECONDS = 15


def row_key(code: str) -> str:
    return shared_key(f"lookup-row:{code}")


def security_digest(security_code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), security_code.encode(), hashlib.sha256).hexdigest()


def hold_on_commit(dossier: Dossier) -> None:
    """Once the change commits, hold the dossier's cached row (the next lookups read the database)."""
    if settings.CACHE_URL and dossier.code:
        transaction.on_commit(partial(hold, dossier.code))


def hold(code: str, *, since: float | None = None) -> bool:
    """Hold the row of ``code``; if Redis does not answer, the worker tries again shortly (``hold_later``)."""
    if shared_set(row_key(code), HOLD, seconds=HOLD_SECONDS):
        return True
    changed = time.time() if since is None else since
    if time.time() - changed < ROW_SECONDS:  # afterwards any row cached before the change has expired
        later = timezone.now() + dt.timedelta(seconds=RETRY_SECONDS)
        hold_later.using(run_after=later).enqueue(code=code, since=changed)
    return False


@task()
def hold_later(code: str, since: float) -> bool:
    """The hold that Redis did not take when the dossier changed (``since``, epoch seconds)."""
    return hold(code, since=since)


def keep(code: str, row: dict[str, Any]) -> None:
    """Cache ``row`` unless the key is taken (a hold, or a row written meanwhile)."""
    shared_set(row_key(code), json.dumps(row, separators=(",", ":")).encode(), seconds=ROW_SECONDS, only_new=True)


def parse(cached: bytes | None) -> dict[str, Any] | None:
    """The cached row, or None when there is none or it is held."""
    if not cached or cached == HOLD:
        return None
    row: dict[str, Any] = json.loads(cached)
    return row
