"""Working calendar and legal deadline arithmetic.

Deadlines for administrative procedures count *working days*: Monday to Friday, minus public holidays
(BLLĐ 2019 Điều 112, including Tết and the Government's swapped days), plus make-up working Saturdays.
The national calendar comes from the ``holidays`` package; admins correct it with ``CalendarDay`` rows
(later years are projections until the Government decides).
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from dvc.agencies import calendar_held
from dvc.agencies.models import Agency, CalendarDay

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)

# NĐ 45/2020/NĐ-CP and NĐ 118/2025/NĐ-CP practice: a dossier received after 15:00 of a working day, or on a
# day off, is taken as received on the next working day.
RECEIPT_CUTOFF = dt.time(15, 0)

# Used when an agency has not entered its own office hours: the common schedule of one-stop counters.
DEFAULT_OFFICE_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 30), dt.time(17, 0)),
)
_LOOKAHEAD_DAYS = 3660  # a deadline never lies ten years ahead; guards against an all-days-off calendar


_NATIONAL_LOCK = threading.Lock()


@cache
def _national_holidays() -> holidays.HolidayBase:
    """Vietnam's public holidays, Tết, swapped days and make-up Saturdays: built once per process (~30 ms)."""
    return holidays.country_holidays("VN")


class WorkingCalendar:
    """The working days and office hours of one agency (or the national calendar when agency is None)."""

    def __init__(self, agency: Agency | None = None) -> None:
        self.agency = agency
        self._years: set[int] = set()
        self._national = _national_holidays()
        self._overrides: dict[dt.date, str] = {}
        self._known: dict[dt.date, bool] = {}  # answers already worked out, for the life of this object

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        with _NATIONAL_LOCK:  # the shared holidays object fills in a year on first use; do it once, safely
            _ = dt.date(year, 1, 1) in self._national
        # Agency rows win over national rows for the same day (held per process: ``calendar_held``).
        self._overrides.update(calendar_held.days(self.agency.pk if self.agency is not None else None, year))

    def is_working_day(self, day: dt.date) -> bool:
        known = self._known.get(day)
        if known is not None:
            return known
        self._load_year(day.year)
        override = self._overrides.get(day)
        if override is not None:
            known = override == CalendarDay.Kind.WORKING_DAY
        else:
            known = bool(self._national.is_working_day(day))
        self._known[day] = known
        return known

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        candidate = day
        for _ in range(_LOOKAHEAD_DAYS):
            candidate += dt.timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("No working day within ten years: the calendar is misconfigured.")

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself when count is 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        result = day
        for _ in range(count):
            result = self.next_working_day(result)
        return result

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for offset in range(1, (end - start).days + 1) if self.is_working_day(start + dt.timedelta(offset))
        )

    @cached_property
    def _hours_by_weekday(self) -> dict[int, list[tuple[dt.time, dt.time]]]:
        held = calendar_held.hours(self.agency.pk) if self.agency is not None else {}
        by_day = {weekday: list(periods) for weekday, periods in held.items()}  # the process's copy stays as read
        if not by_day:
            by_day = {weekday: list(DEFAULT_OFFICE_HOURS) for weekday in range(5)}
        return by_day

    def office_hours_for_weekday(self, weekday: int) -> list[tuple[dt.time, dt.time]]:
        """The regular weekly schedule, whatever the calendar says of a particular day."""
        return list(self._hours_by_weekday.get(weekday, []))

    def office_hours(self, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """Opening periods on a working day; a make-up Saturday uses the schedule of a normal weekday."""
        if not self.is_working_day(day):
            return []
        hours = self._hours_by_weekday.get(day.weekday())
        if hours:
            return hours
        return self._hours_by_weekday[min(self._hours_by_weekday)]

    def closing_time(self, day: dt.date) -> dt.time:
        hours = self.office_hours(day)
        return max(closes for _opens, closes in hours) if hours else DEFAULT_OFFICE_HOURS[-1][1]

    def working_seconds_between(
        self, start: dt.datetime, end: dt.datetime, *, stop_after: float | None = None
    ) -> float:
        """Office-hours time between two moments (the 8-working-hour acknowledgement rule, NĐ 45/2020).

        With ``stop_after``, counting stops as soon as that many seconds are reached.
        """
        if end <= start:
            return 0.0
        local_start, local_end = start.astimezone(LOCAL_TZ), end.astimezone(LOCAL_TZ)
        total = 0.0
        day = local_start.date()
        for _ in range(_LOOKAHEAD_DAYS):
            if day > local_end.date():
                break
            for opens, closes in self.office_hours(day):
                period_start = dt.datetime.combine(day, opens, tzinfo=LOCAL_TZ)
                period_end = dt.datetime.combine(day, closes, tzinfo=LOCAL_TZ)
                overlap = min(period_end, local_end) - max(period_start, local_start)
                total += max(overlap.total_seconds(), 0.0)
            if stop_after is not None and total > stop_after:
                return total
            day += dt.timedelta(days=1)
        return total

    def counting_start_day(self, received_at: dt.datetime) -> dt.date:
        """The day from which a deadline counts, for a dossier received at ``received_at``.

        NĐ 45/2020/NĐ-CP, NĐ 118/2025/NĐ-CP: received after 15:00, after the counter closed, or on a day off
        counts from the next working day.
        """
        local = received_at.astimezone(LOCAL_TZ)
        day, moment = local.date(), local.time()
        if self.is_working_day(day) and moment < RECEIPT_CUTOFF and moment < self.closing_time(day):
            return day
        return self.next_working_day(day)

    def due_moment(self, received_at: dt.datetime, working_days: int) -> dt.datetime:
        """When a result is due: the close of office on the ``working_days``-th working day of counting.

        A same-day procedure (0 working days) is due at closing time of the counting start day.
        """
        start = self.counting_start_day(received_at)
        due_day = self.add_working_days(start, working_days)
        return dt.datetime.combine(due_day, self.closing_time(due_day), tzinfo=LOCAL_TZ)


def due_moment(*, agency: Agency | None, received_at: dt.datetime, working_days: int) -> dt.datetime:
    """Due moment for ``working_days`` working days from ``received_at`` under ``agency``'s calendar."""
    return WorkingCalendar(agency).due_moment(received_at, working_days)
