"""The public lookup's answer for each sent dossier, kept in the shared cache (issue 20).

A lookup by code reads this row in the same round trip to Redis as its rate windows, so the common lookup touches
neither the database nor the ORM. The row holds only what the public may see once revealed (the masked name, never
the full one) and a keyed hash of the security code. Each change in a dossier's history puts a short *hold* on its
row after the transaction commits; while it holds, lookups read the database and do not write the row back, so an
answer read before the commit cannot be cached after it. The row otherwise lives ``ROW_SECONDS``: an agency or a
procedure renamed in the admin shows within that time. A hold that cannot be written (Redis not answering at that
moment) makes the task worker drop every cached row as soon as Redis answers again (one task, however many changes
were missed). Without Redis (the embedded default) nothing is cached.
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

from dvc.accounts.throttle import shared_drop, shared_key, shared_set
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
        transaction.on_commit(partial(hold, dossier.code), robust=True)  # never fails the committed change


def hold(code: str) -> bool:
    """Hold the row of ``code``; if Redis does not answer, every row is dropped once it answers again
    (``drop_rows``)."""
    if shared_set(row_key(code), HOLD, seconds=HOLD_SECONDS):
        return True
    _drop_rows_later()
    return False


_drop_pending_until = 0.0


def _drop_rows_later() -> None:
    """One task per process and retry interval, however many changes Redis missed (review finding: one task per
    change, retried every 15 s, was thousands a second on a rush day)."""
    global _drop_pending_until
    if time.monotonic() < _drop_pending_until:
        return
    _drop_pending_until = time.monotonic() + RETRY_SECONDS
    drop_rows.using(run_after=timezone.now() + dt.timedelta(seconds=RETRY_SECONDS)).enqueue()


@task()
def drop_rows() -> str:
    """Redis missed a change's hold: once it answers, drop every cached row (the next lookups read the database and
    cache afresh; a cold cache, never a stale answer)."""
    if shared_drop(row_key("*")):
        return "dropped"
    drop_rows.using(run_after=timezone.now() + dt.timedelta(seconds=RETRY_SECONDS)).enqueue()
    return "retry"


def keep(code: str, row: dict[str, Any]) -> None:
    """Cache ``row`` unless the key is taken (a hold, or a row written meanwhile)."""
    shared_set(row_key(code), json.dumps(row, separators=(",", ":")).encode(), seconds=ROW_SECONDS, only_new=True)


def parse(cached: bytes | None) -> dict[str, Any] | None:
    """The cached row, or None when there is none or it is held."""
    if not cached or cached == HOLD:
        return None
    row: dict[str, Any] = json.loads(cached)
    return row
