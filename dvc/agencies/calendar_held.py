"""An agency's calendar corrections and office hours, held per process (issue 20, part 2).

Each submission, receipt and queue built a ``WorkingCalendar`` that read the year's ``CalendarDay`` rows and the
agency's ``OfficeHours``: two queries for rows that change a few times a year. They are now held per process under a
version kept in the shared cache (Redis in production). A change of either, in any process, writes a new version
once committed, so every process reads the calendar afresh at its next use: a day off declared by one node governs
the next deadline computed on any other. When the shared cache does not answer, nothing held is used (the rows are
read as before, and the cache is asked again after a few seconds). A version lost with Redis (evicted, restarted) is
replaced by a new one, so what a process held before is not taken as current. The rows are read from the primary.
What is held is also dropped after ``MAX_AGE``: the only case it covers is a change made while the shared cache was
down, or processes that share none (the embedded default runs one).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from dvc.agencies.models import CalendarDay, OfficeHours

logger = logging.getLogger(__name__)

VERSION_KEY = "calendar-version"
MAX_AGE = 60.0  # seconds
DOWN_SECONDS = 5.0  # after the shared cache failed to answer, how long before it is asked again


class _Unknown:
    """The shared cache did not answer: what is held cannot be trusted."""


_UNKNOWN = _Unknown()
_lock = threading.Lock()
_days: dict[tuple[int | None, int], dict[dt.date, str]] = {}
_hours: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = {}
_version: object = _UNKNOWN
_emptied = 0.0
_down_until = 0.0


def _shared_version() -> object:
    global _down_until
    if time.monotonic() < _down_until:
        return _UNKNOWN
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # never written, or lost with Redis (evicted, restarted): a new one, never "unchanged"
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:
        logger.warning("calendar read from the database: the shared cache did not answer")
        _down_until = time.monotonic() + DOWN_SECONDS  # each use would otherwise wait for the cache's timeout
        return _UNKNOWN
    return version if version is not None else _UNKNOWN


def _usable() -> object:
    """The version what is held may be used under, after emptying it if the calendar changed; ``_UNKNOWN`` when the
    shared cache did not answer."""
    global _version, _emptied
    version = _shared_version()
    if version is _UNKNOWN:
        return _UNKNOWN
    if version != _version or time.monotonic() - _emptied > MAX_AGE:
        with _lock:
            _days.clear()
            _hours.clear()
            _version, _emptied = version, time.monotonic()
    return version


def days(agency_id: int | None, year: int) -> dict[dt.date, str]:
    """The corrections of ``year`` for the agency (its own rows win over the national ones for the same day), or
    the national ones alone when ``agency_id`` is None: date → ``CalendarDay.Kind``."""
    version = _usable()
    key = (agency_id, year)
    found = _days.get(key) if version is not _UNKNOWN else None
    if found is not None:
        return found
    # The primary's, always: a lagging replica's rows would be kept for every deadline this process computes.
    rows = CalendarDay.objects.using("default").filter(date__year=year)
    if agency_id is None:
        rows = rows.filter(agency__isnull=True)
    else:
        rows = rows.filter(agency__isnull=True) | rows.filter(agency_id=agency_id)
    found = {}
    for row in sorted(rows, key=lambda r: r.agency_id is not None):
        found[row.date] = row.kind
    _keep(_days, key, found, version)
    return found


def hours(agency_id: int) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """The agency's own weekly opening periods by weekday (0 = Monday); empty when it has entered none."""
    version = _usable()
    found = _hours.get(agency_id) if version is not _UNKNOWN else None
    if found is not None:
        return found
    found = {}
    for row in OfficeHours.objects.using("default").filter(agency_id=agency_id).order_by("weekday", "opens_at"):
        found.setdefault(row.weekday, []).append((row.opens_at, row.closes_at))
    _keep(_hours, agency_id, found, version)
    return found


def _keep(store: dict[Any, Any], key: Any, value: Any, version: object) -> None:
    # Kept only under the version it was read for: a change committed meanwhile has moved the version.
    if version is _UNKNOWN:
        return
    with _lock:
        if _version == version:
            store[key] = value


def forget() -> None:
    """Read the calendars afresh at the next use in this process."""
    global _version, _down_until
    _down_until = 0.0
    with _lock:
        _days.clear()
        _hours.clear()
        _version = _UNKNOWN


def _announce() -> None:
    forget()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the other processes drop what they hold within MAX_AGE
        logger.warning("calendar change not announced: the shared cache did not answer")


def changed(**_kwargs: Any) -> None:
    """A calendar day or office hours were written: forget them here at once, and everywhere once committed."""
    forget()
    transaction.on_commit(_announce, robust=True)


post_save.connect(changed, sender=CalendarDay, dispatch_uid="calendar-held-day-save")
post_delete.connect(changed, sender=CalendarDay, dispatch_uid="calendar-held-day-delete")
post_save.connect(changed, sender=OfficeHours, dispatch_uid="calendar-held-hours-save")
post_delete.connect(changed, sender=OfficeHours, dispatch_uid="calendar-held-hours-delete")
