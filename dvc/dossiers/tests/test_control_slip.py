"""Form 06 (phiếu kiểm soát quá trình giải quyết hồ sơ, TT 03/2025/TT-VPCP): each step judged against its own
deadline, laid out from receipt on the working calendar: across a weekend and a holiday, on both sides of the
15:00 rule, with the catalog's step durations or a share of the total, and the return step filled when done."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dvc.agencies.calendar import WorkingCalendar
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.control_slip import control_steps, step_limits
from dvc.dossiers.lifecycle.clock import due_at_receipt
from dvc.dossiers.models import Dossier, DossierEvent
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date | str, hour: int, minute: int = 0) -> dt.datetime:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HANOI)


def handled(code: str, received: dt.datetime, moments: dict[str, dt.datetime], channel: str = "counter") -> Dossier:
    """A dossier of ``code`` received at ``received`` (due as the law counts it), with its events at ``moments``."""
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier: Dossier = DossierFactory(  # type: ignore[assignment]
        processing=True, agency=agency, procedure=Procedure.objects.get(code=code), channel=channel,
        submitted_at=received, received_at=received, assigned_to=staff.specialist,
    )  # fmt: skip
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due_at_receipt(dossier, received))
    dossier.refresh_from_db()
    DossierEvent.objects.filter(dossier=dossier).delete()
    actors = {"received": staff.officer, "assigned": staff.officer, "proposed": staff.specialist}
    for action, moment in {"submitted": received, "received": received, **moments}.items():
        event = DossierEvent.objects.create(dossier=dossier, action=action, actor=actors.get(action, staff.leader))
        DossierEvent.objects.filter(pk=event.pk).update(at=moment)
    return dossier


def verdicts(dossier: Dossier) -> dict[str, str]:
    return {step.name: step.verdict for step in control_steps(dossier)}


def test_a_minute_long_step_of_a_dossier_due_tomorrow_is_not_late():
    # Received Monday 07/12/2026 at 16:00, after 15:00: a same-day procedure counts from Tuesday, due Tuesday 17:00.
    dossier = handled("1.001193", at("2026-12-07", 16), {
        "assigned": at("2026-12-07", 16, 5), "proposed": at("2026-12-07", 16, 6),
        "result_ready": at("2026-12-07", 16, 7), "returned": at("2026-12-07", 16, 20),
    })  # fmt: skip
    assert timezone_day(dossier.due_at) == dt.date(2026, 12, 8)
    assert verdicts(dossier) == {
        "Tiếp nhận hồ sơ": "",  # received at the counter: no acknowledgement clock
        "Thẩm định, đề xuất": "Trước hạn",
        "Phê duyệt, ký kết quả": "Trước hạn",
        "Trả kết quả": "Trước hạn",  # the return step is judged once the result is returned
    }


def timezone_day(moment: dt.datetime | None) -> dt.date:
    assert moment is not None
    return moment.astimezone(HANOI).date()


def test_the_15_00_rule_moves_every_step_deadline():
    # One minute before 15:00 the day counts: appraisal by 60 % of the 2h01 left until 17:00, i.e. 16:11; a
    # proposal at 16:30 is late. One minute after 15:00, counting starts on Tuesday and the same proposal is early.
    before = handled(
        "1.001193", at("2026-12-07", 14, 59), {"assigned": at("2026-12-07", 15), "proposed": at("2026-12-07", 16, 30)}
    )
    after = handled(
        "1.001193", at("2026-12-07", 15, 1), {"assigned": at("2026-12-07", 15, 2), "proposed": at("2026-12-07", 16, 30)}
    )
    limits = step_limits(before, WorkingCalendar(before.agency))
    assert limits["appraise"] == at(
        "2026-12-07",
        16,
        11,
    ) + dt.timedelta(seconds=limits["appraise"].second)
    assert verdicts(before)["Thẩm định, đề xuất"] == "Trễ hạn"
    assert verdicts(after)["Thẩm định, đề xuất"] == "Trước hạn"
    assert timezone_day(step_limits(after, WorkingCalendar(after.agency))["appraise"]) == dt.date(2026, 12, 8)


def test_deadlines_skip_the_weekend_and_new_year_holiday():
    # 1.004873 takes 3 working days. Received Thursday 31/12/2026 09:00: Friday 01/01 is a holiday, then the weekend;
    # due Wednesday 06/01/2027 17:00. Appraisal by 60 % of the working time (Thu 6h, Mon-Wed 7h30 each = 28h30, so
    # 17h06 after Thu 09:00 = Tuesday 05/01 at 11:06); the decision by 90 % (25h39 = Wednesday 06/01 at 14:09).
    dossier = handled(
        "1.004873", at("2026-12-31", 9), {"assigned": at("2026-12-31", 10), "proposed": at("2027-01-05", 8, 30)}
    )
    limits = step_limits(dossier, WorkingCalendar(dossier.agency))
    assert dossier.due_at == at("2027-01-06", 17)
    assert limits["appraise"].astimezone(HANOI).replace(second=0, microsecond=0) == at("2027-01-05", 11, 6)
    assert limits["approve"].astimezone(HANOI).replace(second=0, microsecond=0) == at("2027-01-06", 14, 9)
    assert verdicts(dossier)["Thẩm định, đề xuất"] == "Đúng hạn"  # on the limit's day, before it


def test_the_catalogs_step_durations_are_used_when_given():
    Procedure.objects.filter(code="1.004873").update(step_hours={"appraise": 4, "approve": 2})
    # Received Monday 07/12 08:00: appraisal 4 working hours -> 13:30 + 0h30 = 14:00; the decision 2 more -> 16:00.
    dossier = handled("1.004873", at("2026-12-07", 8), {
        "assigned": at("2026-12-07", 8, 30), "proposed": at("2026-12-07", 14, 30), "result_ready": at("2026-12-07", 15),
    })  # fmt: skip
    limits = step_limits(dossier, WorkingCalendar(dossier.agency))
    assert (limits["appraise"], limits["approve"]) == (at("2026-12-07", 14), at("2026-12-07", 16))
    assert verdicts(dossier) == {
        "Tiếp nhận hồ sơ": "",
        "Thẩm định, đề xuất": "Trễ hạn",
        "Phê duyệt, ký kết quả": "Đúng hạn",
        "Trả kết quả": "Đang thực hiện",
    }


def test_the_staff_page_and_the_pdf_show_the_same_verdicts(client):
    dossier = handled(
        "1.001193", at("2026-12-07", 16), {"assigned": at("2026-12-07", 16, 5), "proposed": at("2026-12-07", 16, 6)}
    )
    officer = agency_staff(dossier.agency).officer
    client.force_login(officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Trước hạn" in page and "Trễ hạn" not in page


def test_an_online_dossier_is_received_within_eight_working_hours():
    # NĐ 45/2020: sent online Friday 04/12 at 16:00, received Monday 07/12 at 09:00 (1h + 1h30 of office time).
    dossier = handled("1.004873", at("2026-12-07", 9), {}, channel="online")
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=at("2026-12-04", 16))
    DossierEvent.objects.filter(dossier=dossier, action="submitted").update(at=at("2026-12-04", 16))
    dossier.refresh_from_db()
    assert verdicts(dossier)["Tiếp nhận hồ sơ"] == "Đúng hạn"  # by Monday 14:00, on that day
