import datetime as dt

import pytest

from dvc.agencies.calendar import LOCAL_TZ, WorkingCalendar, due_moment
from dvc.agencies.models import CalendarDay
from dvc.agencies.services import calendar_day_set, office_hours_set
from dvc.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def at(y, m, d, h=9, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=LOCAL_TZ)


def test_tet_2026_is_skipped():
    # Tết Bính Ngọ: Monday 16 to Friday 20 February 2026 are days off.
    calendar = WorkingCalendar()
    assert not any(calendar.is_working_day(dt.date(2026, 2, day)) for day in range(16, 21))
    # Received Friday 13 Feb at 09:00, 1 working day: the next working day is Monday 23 Feb.
    assert due_moment(agency=None, received_at=at(2026, 2, 13), working_days=1).date() == dt.date(2026, 2, 23)
    assert due_moment(agency=None, received_at=at(2026, 2, 12), working_days=2).date() == dt.date(2026, 2, 23)


def test_make_up_saturday_2025_04_26_counts_and_2025_05_02_does_not():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(dt.date(2025, 4, 26))
    assert not calendar.is_working_day(dt.date(2025, 5, 2))
    # Friday 25 April 2025, 1 working day: Saturday 26 April (make-up day).
    assert due_moment(agency=None, received_at=at(2025, 4, 25), working_days=1).date() == dt.date(2025, 4, 26)
    # From Saturday 26 April, 1 day: 28 April; 30/4, 1/5 and 2/5 are off, so 3 days end on Monday 5 May.
    assert due_moment(agency=None, received_at=at(2025, 4, 26), working_days=3).date() == dt.date(2025, 5, 5)


def test_year_boundary():
    # Wednesday 31 Dec 2025, 2 working days: 1 Jan 2026 is a holiday, so Friday 2 Jan then Monday 5 Jan.
    assert due_moment(agency=None, received_at=at(2025, 12, 31), working_days=2).date() == dt.date(2026, 1, 5)
    assert WorkingCalendar().working_days_between(dt.date(2025, 12, 31), dt.date(2026, 1, 5)) == 2


def test_receipt_after_15h_counts_from_next_working_day():
    before = due_moment(agency=None, received_at=at(2026, 3, 2, 14, 59), working_days=1)
    after = due_moment(agency=None, received_at=at(2026, 3, 2, 15, 0), working_days=1)
    assert before == at(2026, 3, 3, 17, 0)
    assert after == at(2026, 3, 4, 17, 0)


def test_same_day_procedure_received_in_the_morning_is_due_at_closing():
    assert due_moment(agency=None, received_at=at(2026, 3, 2, 8), working_days=0) == at(2026, 3, 2, 17, 0)


def test_receipt_on_a_weekend_counts_from_monday():
    assert due_moment(agency=None, received_at=at(2026, 3, 7, 10), working_days=0).date() == dt.date(2026, 3, 9)


def test_agency_days_and_office_hours_are_applied():
    agency = AgencyFactory()
    office_hours_set(
        agency=agency, periods={d: [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(16, 30))] for d in range(5)}
    )
    calendar_day_set(agency=agency, date=dt.date(2026, 3, 3), kind=CalendarDay.Kind.DAY_OFF, note="Bầu cử")
    calendar_day_set(date=dt.date(2026, 3, 7), kind=CalendarDay.Kind.WORKING_DAY, note="Làm bù")
    # Monday 2 March, 1 working day: 3 March is off for this agency only, so 4 March at its 16:30 closing.
    assert due_moment(agency=agency, received_at=at(2026, 3, 2), working_days=1) == at(2026, 3, 4, 16, 30)
    assert due_moment(agency=None, received_at=at(2026, 3, 2), working_days=1) == at(2026, 3, 3, 17, 0)
    # The national make-up Saturday applies to every agency and uses a weekday's hours.
    calendar = WorkingCalendar(agency)
    assert calendar.is_working_day(dt.date(2026, 3, 7))
    assert calendar.closing_time(dt.date(2026, 3, 7)) == dt.time(16, 30)


def test_agency_row_overrides_national_row():
    agency = AgencyFactory()
    calendar_day_set(date=dt.date(2026, 3, 10), kind=CalendarDay.Kind.DAY_OFF)
    calendar_day_set(agency=agency, date=dt.date(2026, 3, 10), kind=CalendarDay.Kind.WORKING_DAY)
    assert WorkingCalendar(agency).is_working_day(dt.date(2026, 3, 10))
    assert not WorkingCalendar(AgencyFactory()).is_working_day(dt.date(2026, 3, 10))
