"""Rate limits and lockouts on fixed windows, in the shared cache (Redis) when there is one, else the database.

With ``DVC_CACHE_URL`` (Redis, shared by every node) a window is two keys with the window's lifetime: the count,
raised with Redis's atomic INCR, and the window's end. Without it, counters live in ``RateCounter`` rows updated
with conditional ``UPDATE ... SET count = count + 1`` so that several web processes (PostgreSQL or SQLite alike)
share one count without a cache server. Should Redis fail, the database counts (limits hold through an outage).
Issue 20: every public lookup counted two windows in the database, a write and a read each, on rows every lookup
of a busy day shares; in Redis they cost two round trips and no lock. Identifiers (id numbers, phones, addresses)
are hashed before they become keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
    """The current window of ``key`` without counting, or None when there is none."""
    if settings.CACHE_URL:
        try:
            count, end = _redis().mget(list(_in_cache(key)))
        except Exception:
            count = end = None
        if count is not None:
            ends_at = dt.datetime.fromtimestamp(float(end), tz=dt.UTC) if end else timezone.now()
            return Window(int(count), ends_at)
    row = RateCounter.objects.filter(key=key, window_ends_at__gt=timezone.now()).first()
    return Window(row.count, row.window_ends_at) if row else None


logger = logging.getLogger(__name__)
_CLIENTS: dict[str, Any] = {}


def _redis() -> Any:
    """This process's client of the shared Redis (its own connection pool): one round trip per window."""
    url = settings.CACHE_URL
    if url not in _CLIENTS:
        import redis

        _CLIENTS[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    return _CLIENTS[url]


def _in_cache(key: str) -> tuple[str, str]:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:rl:{key}", f"{prefix}:rl:{key}:end"


# One round trip for several windows in order, stopping at the first over its limit (a client already stopped
# does not use up the allowance it shares with others), then the key to read when every window allowed.
# KEYS: count and end of each window, then the key to read ("" for none); ARGV: per window seconds, end, limit.
_HITS_SCRIPT = """
local out = {}
local windows = (#KEYS - 1) / 2
for i = 1, windows do
  local count_key, end_key = KEYS[2 * i - 1], KEYS[2 * i]
  local seconds, ends, limit = ARGV[3 * i - 2], ARGV[3 * i - 1], tonumber(ARGV[3 * i])
  redis.call('SET', end_key, ends, 'NX', 'EX', seconds)
  redis.call('SET', count_key, 0, 'NX', 'EX', seconds)
  local count = redis.call('INCR', count_key)
  out[#out + 1] = count
  out[#out + 1] = redis.call('GET', end_key)
  if count > limit then return out end
end
if KEYS[#KEYS] ~= '' then out[#out + 1] = redis.call('GET', KEYS[#KEYS]) end
return out
"""
_SCRIPTS: dict[str, Any] = {}


@dataclass(frozen=True)
class Limit:
    key: str
    window: dt.timedelta
    allowed: int


def _cache_hits(limits: Sequence[Limit], read: str) -> tuple[list[Window], bytes | None]:
    now = timezone.now()
    keys: list[str] = []
    args: list[Any] = []
    for limit in limits:
        keys.extend(_in_cache(limit.key))
        args.extend([max(int(limit.window.total_seconds()), 1), (now + limit.window).timestamp(), limit.allowed])
    if settings.CACHE_URL not in _SCRIPTS:
        _SCRIPTS[settings.CACHE_URL] = _redis().register_script(_HITS_SCRIPT)
    answers = _SCRIPTS[settings.CACHE_URL](keys=[*keys, read], args=args)
    counted = []
    for n, limit in enumerate(limits[: len(answers) // 2]):
        count, end = answers[2 * n], answers[2 * n + 1]
        counted.append(
            Window(int(count), dt.datetime.fromtimestamp(float(end), tz=dt.UTC) if end else now + limit.window)
        )
    return counted, answers[-1] if read and len(answers) % 2 else None


def hits(limits: Sequence[Limit], *, read: str = "") -> tuple[list[Window], bytes | None]:
    """Count one event in each window in order, stopping after the first over its limit (a client already stopped
    does not use up an allowance it shares with others), and read the shared cache's key ``read`` (see
    ``shared_key``) when all allowed: one round trip to Redis when there is one (issue 20: a public lookup is this
    round trip and nothing else). Without Redis, or when it fails, the database counts and nothing is read."""
    if settings.CACHE_URL:
        try:
            return _cache_hits(limits, read)
        except Exception:
            logger.warning("rate limits %s counted in the database: the shared cache did not answer", limits)
    counted = []
    for limit in limits:
        counted.append(_database_hit(limit.key, limit.window))
        if counted[-1].count > limit.allowed:
            break
    return counted, None


def shared_key(name: str) -> str:
    """``name`` in the shared cache's namespace (the cache's key prefix), for the keys read beside a count."""
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{name}"


def shared_set(key: str, value: bytes, *, seconds: int, only_new: bool = False) -> bool:
    """Write ``key`` (see ``shared_key``) in the shared Redis, if there is one; a failure is logged, not raised.
    False when the shared cache did not answer."""
    if settings.CACHE_URL:
        try:
            _redis().set(key, value, ex=seconds, nx=only_new)
        except Exception:
            logger.warning("shared cache key %s not written: the shared cache did not answer", key)
            return False
    return True


def shared_drop(pattern: str) -> bool:
    """Delete every key matching ``pattern`` (see ``shared_key``) in the shared Redis; False when it did not
    answer."""
    if settings.CACHE_URL:
        try:
            client = _redis()
            batch: list[bytes] = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.unlink(*batch)
                    batch = []
            if batch:
                client.unlink(*batch)
        except Exception:
            logger.warning("shared cache keys %s not dropped: the shared cache did not answer", pattern)
            return False
    return True


def hit(key: str, *, window: dt.timedelta) -> Window:
    """Count one event in ``key``'s window, starting a new window when the last one has ended."""
    return hits([Limit(key, window, 2**62)])[0][0]


def _database_hit(key: str, window: dt.timedelta) -> Window:
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
    if settings.CACHE_URL:
        count_key, end_key = _in_cache(key)
        seconds = max(int((until - timezone.now()).total_seconds()), 1)
        try:
            _redis().pipeline(transaction=True).expire(count_key, seconds).set(
                end_key, until.timestamp(), ex=seconds
            ).execute()
        except Exception:
            logger.warning("rate limit %s extended in the database only", key)
    RateCounter.objects.filter(key=key).update(window_ends_at=until)


def reset(key: str) -> None:
    if settings.CACHE_URL:
        try:
            _redis().delete(*_in_cache(key))
        except Exception:
            logger.warning("rate limit %s reset in the database only", key)
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
