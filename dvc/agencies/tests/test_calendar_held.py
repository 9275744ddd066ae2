"""The calendar held per process (issue 20, part 2): no query once read, and never older than the last change that
any process committed, unless the shared cache itself did not answer."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dvc.agencies import calendar_held
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import CalendarDay, OfficeHours
from dvc.agencies.services import calendar_day_set, office_hours_set
from dvc.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 3, 8)


def test_a_calendar_once_read_costs_no_query(django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    with django_capture_on_commit_callbacks(execute=True):
        office_hours_set(agency=agency, periods={0: [(dt.time(8), dt.time(12))]})
    WorkingCalendar(agency).closing_time(MONDAY)
    with CaptureQueriesContext(connection) as done:
        calendar = WorkingCalendar(agency)
        assert calendar.is_working_day(MONDAY) and calendar.closing_time(MONDAY) == dt.time(12)
    assert len(done) == 0


def test_a_day_off_declared_here_counts_at_once(django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    assert WorkingCalendar(agency).is_working_day(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=MONDAY, kind=CalendarDay.Kind.DAY_OFF, agency=agency)
    assert not WorkingCalendar(agency).is_working_day(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        office_hours_set(
            agency=agency,
            periods={0: [(dt.time(7), dt.time(16))]},
        )
    assert WorkingCalendar(agency).office_hours_for_weekday(0) == [(dt.time(7), dt.time(16))]


def test_a_change_committed_by_another_process_counts_at_the_next_use():
    agency = AgencyFactory()
    assert WorkingCalendar(agency).is_working_day(MONDAY)
    # Another process writes the row and, once committed, a new version (no signal reaches this process).
    CalendarDay.objects.bulk_create([CalendarDay(agency=agency, date=MONDAY, kind=CalendarDay.Kind.DAY_OFF)])
    OfficeHours.objects.bulk_create([OfficeHours(agency=agency, weekday=1, opens_at=dt.time(8), closes_at=dt.time(9))])
    assert WorkingCalendar(agency).is_working_day(MONDAY), "held until the version moves"
    cache.set(calendar_held.VERSION_KEY, "another-process", timeout=None)
    calendar = WorkingCalendar(agency)
    assert not calendar.is_working_day(MONDAY)
    assert calendar.office_hours_for_weekday(1) == [(dt.time(8), dt.time(9))]


def test_without_the_shared_cache_the_rows_are_read_each_time(monkeypatch):
    agency = AgencyFactory()
    assert WorkingCalendar(agency).is_working_day(MONDAY)

    def down(*_args, **_kwargs):
        raise ConnectionError("the shared cache did not answer")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    CalendarDay.objects.bulk_create([CalendarDay(agency=agency, date=MONDAY, kind=CalendarDay.Kind.DAY_OFF)])
    assert not WorkingCalendar(agency).is_working_day(MONDAY)
    calendar_day_set(date=MONDAY, kind=CalendarDay.Kind.WORKING_DAY, agency=agency)  # its announcement fails quietly
    assert WorkingCalendar(agency).is_working_day(MONDAY)


def test_what_is_held_is_dropped_after_its_age(monkeypatch):
    agency = AgencyFactory()
    assert WorkingCalendar(agency).is_working_day(MONDAY)
    CalendarDay.objects.bulk_create([CalendarDay(agency=agency, date=MONDAY, kind=CalendarDay.Kind.DAY_OFF)])
    monkeypatch.setattr(calendar_held, "MAX_AGE", -1.0)
    assert not WorkingCalendar(agency).is_working_day(MONDAY)
