"""Rate limits and lockouts on fixed windows kept in the database.

Counters live in ``RateCounter`` rows updated with conditional ``UPDATE ... SET count = count + 1`` so that
several web processes (and PostgreSQL or SQLite alike) share one count without a cache server. Identifiers
(id numbers, phones, addresses) are hashed before they become keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from dvc.accounts.models import RateCounter


@dataclass(frozen=True)
class Window:
    count: int
    ends_at: dt.datetime

    def retry_after(self, now: dt.datetime | None = None) -> int:
        now = now or timezone.now()
        return max(1, int((self.ends_at - now).total_seconds() + 0.999))


def make_key(scope: str, identifier: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{identifier}".encode()).hexdigest()[:40]
    return f"{scope}:{digest}"


def peek(key: str) -> Window | None:
    """The live window of ``key``, or None when there is none or it has ended."""
    row = RateCounter.objects.filter(key=key, window_ends_at__gt=timezone.now()).first()
    return Window(row.count, row.window_ends_at) if row else None


def hit(key: str, *, window: dt.timedelta) -> Window:
    """Count one event in ``key``'s window, starting a new window when the last one has ended."""
    now = timezone.now()
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key, window_ends_at__gt=now).update(count=F("count") + 1):
            ends_at = now + window
            if not RateCounter.objects.filter(key=key, window_ends_at__lte=now).update(count=1, window_ends_at=ends_at):
                try:
                    with transaction.atomic():
                        RateCounter.objects.create(key=key, count=1, window_ends_at=ends_at)
                except IntegrityError:
                    RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        row = RateCounter.objects.get(key=key)
    return Window(row.count, row.window_ends_at)


def counters_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete the windows that ended more than ``older_than`` ago; run by the worker's sweep, never in a request."""
    deleted, _ = RateCounter.objects.filter(window_ends_at__lt=timezone.now() - older_than).delete()
    return deleted


def extend(key: str, *, until: dt.datetime) -> None:
    RateCounter.objects.filter(key=key).update(window_ends_at=until)


def reset(key: str) -> None:
    RateCounter.objects.filter(key=key).delete()


def client_ip(request: HttpRequest) -> str:
    """The client address; X-Forwarded-For is believed only behind the configured number of proxies.

    An address that is not one (a garbled header, a request with no peer) comes back as "", which the throttles
    count as one shared client and the audit log stores as unknown.
    """
    proxies = settings.DVC_TRUSTED_PROXIES
    candidate = str(request.META.get("REMOTE_ADDR") or "")
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""
