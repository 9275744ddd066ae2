"""The figures on a hand-built scenario, computed incrementally and rebuilt from the history."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import (
    dossier_assign,
    dossier_generate_result,
    dossier_propose,
    dossier_request_supplement,
)
from dvc.dossiers.backoffice.decision import dossier_approve, dossier_refuse
from dvc.dossiers.backoffice.delivery import dossier_extend
from dvc.dossiers.backoffice.intake import counter_intake, dossier_receive
from dvc.dossiers.citizen.aftercare import dossier_withdraw
from dvc.dossiers.citizen.supplement import dossier_send_supplement
from dvc.dossiers.tests.factories import MARITAL_ANSWERS, RESULT_VALUES, agency_staff, commune_centre
from dvc.stats.models import DailyFigure, MonthlyProvinceFigure, OpenDossiers, OpenMonthly, OpenMonthlyByProvince
from dvc.stats.selectors import Scope, figures
from dvc.stats.services import rebuild

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(monkeypatch, day, hour, month=12):
    moment = dt.datetime(2026, month, day, hour, 0, tzinfo=HANOI)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def approve(dossier, staff):
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    return dossier_approve(dossier=dossier, actor=staff.leader)


def snapshot():
    days = sorted(DailyFigure.objects.values_list("day", "agency_id", "procedure_id", "received_online",
                                                  "received_counter", "processed", "early", "on_time", "late",
                                                  "refused", "withdrawn", "processing_days"))  # fmt: skip
    open_ = sorted(OpenDossiers.objects.exclude(count=0).values_list("agency_id", "procedure_id", "due_day", "count"))
    monthly = sorted(MonthlyProvinceFigure.objects.values_list("month", "province", "processed", "late", "refused"))
    open_months = sorted(OpenMonthlyByProvince.objects.exclude(count=0).values_list("province", "due_month", "count"))
    return days, open_, monthly, open_months


def test_the_scenario_gives_the_expected_figures_and_the_rebuild_agrees(monkeypatch, submitted_dossier):
    agency = commune_centre()
    staff = agency_staff(agency)
    at(monkeypatch, 30, 8, month=11)  # Monday 30/11/2026
    a, b, c, d, e, f, g = (submitted_dossier(UserFactory(), agency=agency, key=f"k{n}") for n in range(7))
    at(monkeypatch, 30, 9, month=11)  # all received at 09:00: due Thursday 3/12 at 17:00 (3 working days)
    a, b, c, d, e, f = (dossier_receive(dossier=x, actor=staff.officer) for x in (a, b, c, d, e, f))
    dossier_withdraw(dossier=g, actor=g.applicant, reason="Nộp nhầm")  # never received
    at(monkeypatch, 1, 9)  # E waits for papers from Tuesday...
    e = dossier_request_supplement(dossier=e, actor=staff.specialist, requirements=[], note="Thiếu giấy")
    at(monkeypatch, 2, 10)
    approve(a, staff)  # early
    dossier_extend(dossier=d, actor=staff.specialist, reason="Chờ xác minh", new_due=dt.date(2026, 12, 7))
    dossier_refuse(dossier=f, actor=staff.leader, reason="Không đủ điều kiện")
    at(monkeypatch, 3, 9)  # ... until Thursday: its due date moves two working days, to Monday 7/12
    e = dossier_send_supplement(dossier=e, actor=e.applicant)
    at(monkeypatch, 3, 16)
    approve(b, staff)  # on time
    approve(d, staff)  # before the original due date, but extended: late
    at(monkeypatch, 4, 9)
    approve(c, staff)  # late
    approve(e, staff)  # early against its moved due date
    procedure = Procedure.objects.get(code="1.004873")
    h = counter_intake(
        actor=staff.officer, agency=agency, procedure=procedure, id_number="001090009999", full_name="Hoàng Văn Chín",
        phone="", birth_date=None, form_data=MARITAL_ANSWERS, result_method="counter",
        scans={procedure.requirements.get(name__startswith="Giấy tờ tùy thân").pk: _photo()},
    ).dossier  # fmt: skip
    assert h.status == "processing"
    at(monkeypatch, 10, 9)  # H is now overdue
    found = figures(Scope())[None]
    assert (found.received_online, found.received_counter, found.received) == (6, 1, 7)
    assert (found.processed, found.early, found.on_time, found.late) == (5, 2, 1, 2)
    assert (found.refused, found.withdrawn, found.in_progress, found.overdue) == (1, 1, 1, 1)
    assert found.processing_days == 2 + 3 + 4 + 3 + 4 and found.average_days == 3.2
    assert found.late_rate == 40.0 and found.online_share == round(600 / 7, 1)
    national = figures(Scope(start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 1)), monthly=True)[None]
    assert (national.processed, national.late, national.in_progress, national.overdue) == (5, 2, 1, 1)
    by_agency = figures(Scope(province="01"), group_by="agency")
    assert by_agency[agency.pk].processed == 5
    assert figures(Scope(province="24"))[None].processed == 0
    before = snapshot()
    assert rebuild() > 0
    assert snapshot() == before
    # Overdue from this month's due days already past (above), from a past due month, and not before the due day.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 5, 9, tzinfo=HANOI))
    assert [(f.in_progress, f.overdue) for f in (figures(Scope())[None], figures(Scope(), monthly=True)[None])] == [
        (1, 1), (1, 1)
    ]  # fmt: skip
    at(monkeypatch, 4, 10)
    assert [(f.in_progress, f.overdue) for f in (figures(Scope())[None], figures(Scope(), monthly=True)[None])] == [
        (1, 0), (1, 0)
    ]  # fmt: skip


def _photo():
    from dvc.dossiers.tests.factories import photo_upload

    return photo_upload()


PATHS = ("open", "early", "on_time", "late", "refused", "paused", "paused_then_result")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PATHS), max_size=12))
def test_parts_add_up_to_the_totals_for_any_mix_of_outcomes(paths):
    from dvc.dossiers.models import DossierEvent
    from dvc.stats.services import figures_apply

    for model in (DailyFigure, OpenDossiers, OpenMonthly):
        model.objects.all().delete()
    agency = commune_centre()
    procedure = Procedure.objects.get(code="1.004873")
    received = dt.datetime(2026, 11, 30, 9, tzinfo=HANOI)
    due = dt.datetime(2026, 12, 3, 17, tzinfo=HANOI)
    finish = {"early": dt.datetime(2026, 12, 2, 9, tzinfo=HANOI), "on_time": dt.datetime(2026, 12, 3, 9, tzinfo=HANOI),
              "late": dt.datetime(2026, 12, 4, 9, tzinfo=HANOI)}  # fmt: skip

    def event(action, when, *, status="processing", paused=False, before=""):
        facts = {
            "agency": agency.pk,
            "procedure": procedure.pk,
            "channel": "online",
            "status": status,
            "received": received.isoformat(),
            "due": due.isoformat(),
            "extended": False,
            "paused": paused,
        }
        figures_apply(DossierEvent(action=action, at=when, data=facts, from_status=before))  # fmt: skip

    for path in paths:
        event("received", received)
        if path in finish:
            event("result_ready", finish[path], status="result_ready")
        elif path == "refused":
            event("refused", finish["early"], status="refused", before="processing")
        elif path.startswith("paused"):
            event("supplement_requested", finish["early"], status="needs_supplement", paused=True)
            if path == "paused_then_result":
                event("supplemented", finish["on_time"])
                event("result_ready", finish["on_time"], status="result_ready")
    found = figures(Scope())[None]
    assert found.received == len(paths)
    assert found.early + found.on_time + found.late == found.processed
    finished = found.processed + found.refused + sum(p == "paused" for p in paths)
    assert found.in_progress == found.received - finished == paths.count("open")
    assert not OpenDossiers.objects.filter(count__lt=0).exists()
    assert not OpenMonthly.objects.filter(count__lt=0).exists()
