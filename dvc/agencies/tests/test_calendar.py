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


# The 8-working-hour acknowledgement rule counts office time only (NĐ 45/2020): Monday 2 March 2026 is a normal
# Monday; the default counter is open 07:30–11:30 and 13:30–17:00 (7.5 hours a day).
HOUR = 3600.0


def test_office_time_between_two_moments_counts_only_opening_periods():
    calendar = WorkingCalendar()
    assert calendar.working_seconds_between(at(2026, 3, 2, 9), at(2026, 3, 2, 10)) == HOUR
    assert calendar.working_seconds_between(at(2026, 3, 2, 11), at(2026, 3, 2, 14)) == HOUR  # lunch is not counted
    assert calendar.working_seconds_between(at(2026, 3, 2, 6), at(2026, 3, 2, 8)) == HOUR / 2  # before opening
    assert calendar.working_seconds_between(at(2026, 3, 2, 16), at(2026, 3, 2, 20)) == HOUR  # after closing
    # Friday 16:00 to Monday 08:30: one hour on Friday, none at the weekend, one on Monday.
    assert calendar.working_seconds_between(at(2026, 3, 6, 16), at(2026, 3, 9, 8, 30)) == 2 * HOUR
    # A whole week of Tết (16–20 February 2026) adds nothing.
    assert calendar.working_seconds_between(at(2026, 2, 13, 17), at(2026, 2, 23, 7, 30)) == 0.0
    # The same moments written in UTC: 02:00 UTC is 09:00 in Việt Nam.
    utc = dt.UTC
    assert (
        calendar.working_seconds_between(dt.datetime(2026, 3, 2, 2, tzinfo=utc), dt.datetime(2026, 3, 2, 3, tzinfo=utc))
        == HOUR
    )


def test_office_time_is_zero_when_the_end_is_not_after_the_start():
    calendar = WorkingCalendar()
    assert calendar.working_seconds_between(at(2026, 3, 2, 10), at(2026, 3, 2, 10)) == 0.0
    assert calendar.working_seconds_between(at(2026, 3, 2, 10), at(2026, 3, 2, 9)) == 0.0


def test_counting_office_time_stops_once_past_the_limit_at_the_end_of_a_day():
    calendar = WorkingCalendar()
    monday, wednesday = at(2026, 3, 2, 7, 30), at(2026, 3, 4, 17)
    assert calendar.working_seconds_between(monday, wednesday) == 3 * 7.5 * HOUR
    assert calendar.working_seconds_between(monday, wednesday, stop_after=HOUR) == 7.5 * HOUR
    # Exactly the limit is not past it: counting goes on to the next day.
    assert calendar.working_seconds_between(monday, wednesday, stop_after=7.5 * HOUR) == 15 * HOUR


def test_weekly_office_hours_and_the_hours_of_a_given_day():
    calendar = WorkingCalendar()
    assert calendar.office_hours_for_weekday(0) == [(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))]
    assert calendar.office_hours_for_weekday(4) == calendar.office_hours_for_weekday(0)
    assert calendar.office_hours_for_weekday(5) == [] and calendar.office_hours_for_weekday(6) == []
    calendar.office_hours_for_weekday(0).clear()  # a copy: the caller cannot change the schedule
    assert len(calendar.office_hours_for_weekday(0)) == 2
    assert calendar.office_hours(dt.date(2026, 2, 17)) == []  # Tết
    assert calendar.office_hours(dt.date(2026, 3, 7)) == []  # an ordinary Saturday
    assert calendar.closing_time(dt.date(2026, 3, 7)) == dt.time(17)  # a day off closes at the usual hour


def test_an_agency_open_on_saturdays_uses_its_saturday_hours_and_a_make_up_saturday_its_earliest_weekday():
    agency = AgencyFactory()
    office_hours_set(
        agency=agency,
        periods={
            1: [(dt.time(8), dt.time(16))],
            2: [(dt.time(7), dt.time(15))],
            5: [(dt.time(8), dt.time(11))],
        },
    )
    calendar = WorkingCalendar(agency)
    assert calendar.office_hours_for_weekday(5) == [(dt.time(8), dt.time(11))]
    assert calendar.office_hours_for_weekday(0) == []  # closed on Mondays: the default is not mixed in
    calendar_day_set(date=dt.date(2026, 3, 14), kind=CalendarDay.Kind.WORKING_DAY, note="Làm bù")
    calendar_day_set(date=dt.date(2026, 3, 15), kind=CalendarDay.Kind.WORKING_DAY, note="Làm bù")
    calendar = WorkingCalendar(agency)
    assert calendar.office_hours(dt.date(2026, 3, 14)) == [(dt.time(8), dt.time(11))]  # its own Saturday hours
    assert calendar.office_hours(dt.date(2026, 3, 15)) == [(dt.time(8), dt.time(16))]  # Sunday: Tuesday's hours
    assert calendar.closing_time(dt.date(2026, 3, 15)) == dt.time(16)


def test_the_day_a_deadline_counts_from():
    calendar = WorkingCalendar()
    monday = dt.date(2026, 3, 2)
    assert calendar.counting_start_day(at(2026, 3, 2, 14, 59)) == monday
    assert calendar.counting_start_day(at(2026, 3, 2, 15, 0)) == dt.date(2026, 3, 3)
    assert calendar.counting_start_day(at(2026, 2, 17, 9)) == dt.date(2026, 2, 23)  # Tết: after the holiday
    # 14:00 Việt Nam time written in UTC is still before the cut-off.
    assert calendar.counting_start_day(dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC)) == monday
    # A counter that closes at 14:30 takes a 14:30 receipt as the next working day's.
    agency = AgencyFactory()
    office_hours_set(agency=agency, periods={d: [(dt.time(7), dt.time(14, 30))] for d in range(5)})
    early = WorkingCalendar(agency)
    assert early.counting_start_day(at(2026, 3, 2, 14, 29)) == monday
    assert early.counting_start_day(at(2026, 3, 2, 14, 30)) == dt.date(2026, 3, 3)
    assert early.due_moment(at(2026, 3, 2, 9), 0) == at(2026, 3, 2, 14, 30)


def test_counting_working_days_forwards_and_backwards():
    calendar = WorkingCalendar()
    monday = dt.date(2026, 3, 2)
    assert calendar.add_working_days(monday, 0) == monday
    assert calendar.add_working_days(monday, 5) == dt.date(2026, 3, 9)
    with pytest.raises(ValueError):
        calendar.add_working_days(monday, -1)
    assert calendar.next_working_day(dt.date(2026, 3, 6)) == dt.date(2026, 3, 9)  # strictly after: Friday → Monday
    assert calendar.working_days_between(monday, monday) == 0
    assert calendar.working_days_between(monday, dt.date(2026, 3, 9)) == 5
    assert calendar.working_days_between(dt.date(2026, 3, 9), monday) == -5
    assert calendar.working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 23)) == 1  # across Tết


def test_a_calendar_without_any_working_day_says_so_instead_of_looping():
    calendar = WorkingCalendar()
    calendar.is_working_day = lambda day: False
    with pytest.raises(ValueError, match="misconfigured"):
        calendar.next_working_day(dt.date(2026, 3, 2))


def test_the_national_calendar_ignores_agency_rows_and_an_agency_calendar_sees_both():
    agency = AgencyFactory()
    calendar_day_set(agency=agency, date=dt.date(2026, 3, 11), kind=CalendarDay.Kind.DAY_OFF)
    calendar_day_set(date=dt.date(2026, 3, 12), kind=CalendarDay.Kind.DAY_OFF)
    national, own, other = WorkingCalendar(), WorkingCalendar(agency), WorkingCalendar(AgencyFactory())
    assert national.is_working_day(dt.date(2026, 3, 11)) and not own.is_working_day(dt.date(2026, 3, 11))
    assert other.is_working_day(dt.date(2026, 3, 11))
    assert not national.is_working_day(dt.date(2026, 3, 12)) and not own.is_working_day(dt.date(2026, 3, 12))
    # Rows of another year do not leak in: 12 March 2027 is an ordinary Friday.
    assert own.is_working_day(dt.date(2027, 3, 12))
