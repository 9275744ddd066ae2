"""The calendar held per process (issue 20, part 2): no query once read, and never older than the last change that
any process committed, unless the shared cache itself did not answer."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dvc import db_router
from dvc.agencies import calendar_held
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import CalendarDay, OfficeHours
from dvc.agencies.services import calendar_day_set, office_hours_set
from dvc.agencies.tests.factories import AgencyFactory
from dvc.web.middleware import ReplicaReadsMiddleware

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")]

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


def test_a_change_committed_here_moves_the_version_every_process_reads(django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    WorkingCalendar(agency).is_working_day(MONDAY)
    before = cache.get(calendar_held.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=MONDAY, kind=CalendarDay.Kind.DAY_OFF, agency=agency)
    after_day = cache.get(calendar_held.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        office_hours_set(agency=agency, periods={0: [(dt.time(7), dt.time(16))]})
    assert len({before, after_day, cache.get(calendar_held.VERSION_KEY)}) == 3


def test_a_version_lost_with_the_shared_cache_is_not_taken_for_no_change():
    agency = AgencyFactory()
    assert WorkingCalendar(agency).is_working_day(MONDAY)
    CalendarDay.objects.bulk_create([CalendarDay(agency=agency, date=MONDAY, kind=CalendarDay.Kind.DAY_OFF)])
    cache.delete(calendar_held.VERSION_KEY)  # Redis restarted or evicted the key, after another process's change
    assert not WorkingCalendar(agency).is_working_day(MONDAY)


def test_a_shared_cache_that_does_not_answer_is_asked_again_only_after_a_pause(monkeypatch):
    agency = AgencyFactory()
    asked = []

    def down(*_args, **_kwargs):
        asked.append(1)
        raise ConnectionError("the shared cache did not answer")

    monkeypatch.setattr(cache, "get", down)
    for _ in range(3):
        WorkingCalendar(agency).closing_time(MONDAY)
    assert len(asked) == 1
    monkeypatch.setattr(calendar_held, "_down_until", 0.0)
    WorkingCalendar(agency).closing_time(MONDAY)
    assert len(asked) == 2


def test_the_calendar_is_read_from_the_primary_on_a_page_served_by_the_replica(settings, monkeypatch):
    """A lagging replica's rows would be kept for every deadline the process computes."""
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    monkeypatch.setattr(db_router, "_down_until", 0.0)
    monkeypatch.setattr(db_router, "_probed", (-db_router.PROBE_SECONDS, True))
    agency = AgencyFactory()
    counted = {}

    def view(_request):
        assert db_router.ReplicaRouter().db_for_read(CalendarDay) == "replica"
        with CaptureQueriesContext(connections["default"]) as primary:
            WorkingCalendar(agency).closing_time(MONDAY)
        counted["primary"] = len(primary)
        return HttpResponse("ok")

    ReplicaReadsMiddleware(view)(RequestFactory().get(f"/co-quan/{agency.code}/"))
    assert counted["primary"] == 2
