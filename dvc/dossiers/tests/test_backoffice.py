"""The back-office transitions: who may do them, what they change, what the applicant is told."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.models import StaffRole
from dvc.dossiers.backoffice.appraisal import (
    dossier_assign,
    dossier_generate_result,
    dossier_propose,
    dossier_request_supplement,
    dossier_send_back,
)
from dvc.dossiers.backoffice.decision import dossier_approve, dossier_refuse, dossier_suspend
from dvc.dossiers.backoffice.delivery import dossier_extend, dossier_return_result
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.citizen.aftercare import dossier_rate
from dvc.dossiers.citizen.supplement import dossier_send_supplement
from dvc.dossiers.models import AuditEntry, Dossier, DossierEvent, IssuedResult
from dvc.dossiers.tests.factories import (
    RESULT_VALUES,
    DossierFactory,
    agency_staff,
    commune_centre,
    ensure_catalog,
    staff_member,
)
from dvc.errors import Conflict, Forbidden, InvalidInput
from dvc.payments.counter import payment_record_cash
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def office():
    agency = commune_centre()
    return agency, agency_staff(agency)


@pytest.fixture
def received(office, submitted_dossier):
    agency, staff = office
    citizen = UserFactory(full_name="Nguyễn Văn An", phone="+84912345678")
    dossier = submitted_dossier(citizen, agency=agency)
    return dossier_receive(dossier=dossier, actor=staff.officer), staff


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_receive_sets_the_due_date_across_new_year_and_tells_the_applicant(
    office, submitted_dossier, monkeypatch, outbox, tasks
):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(phone="+84912345678"), agency=agency)
    # Thursday 31/12/2026 10:00; 1/1/2027 is a public holiday; 1.004873 takes 3 working days.
    at(monkeypatch, dt.datetime(2026, 12, 31, 10, 0, tzinfo=HANOI))
    dossier = dossier_receive(dossier=dossier, actor=staff.officer, ip="127.0.0.1")
    assert dossier.status == Dossier.Status.PROCESSING
    assert timezone.localtime(dossier.due_at) == dt.datetime(2027, 1, 6, 17, 0, tzinfo=HANOI)
    assert dossier.received_by == staff.officer
    event = dossier.events.get(action="received")
    assert event.actor == staff.officer and "17:00 06/01/2027" in event.note
    assert AuditEntry.objects.filter(action="receive", dossier_id=dossier.pk, actor=staff.officer).exists()
    tasks()
    assert any("đã được" in m["body"] and "tiếp nhận" in m["body"] and "06/01/2027" in m["body"] for m in outbox.sms())


def test_received_after_three_pm_counts_from_the_next_working_day(office, submitted_dossier, monkeypatch):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    at(monkeypatch, dt.datetime(2026, 11, 20, 15, 30, tzinfo=HANOI))  # Friday after 15:00
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    # Counting starts Monday 23; Tuesday 24/11 (Vietnamese Culture Day) is a day off: Wed, Thu, Fri.
    assert timezone.localtime(dossier.due_at).date() == dt.date(2026, 11, 27)


def test_the_second_of_two_receives_is_told_who_got_there_first(office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    stale = Dossier.objects.get(pk=dossier.pk)
    other = staff_member(agency, StaffRole.Role.ONE_STOP_OFFICER, full_name="Đỗ Thị Hai")
    dossier_receive(dossier=dossier, actor=staff.officer)
    with pytest.raises(Conflict) as raised:
        dossier_receive(dossier=stale, actor=other)
    assert "Lê Văn Một Cửa" in str(raised.value.message) and "tiếp nhận" in str(raised.value.message)
    assert DossierEvent.objects.filter(dossier=dossier, action="received").count() == 1
    assert (stale.status, stale.received_by_id) == (Dossier.Status.SUBMITTED, None)  # as read, not as attempted
    assert not AuditEntry.objects.filter(dossier_id=dossier.pk, actor=other).exists()


def test_a_receipt_the_database_fails_to_write_leaves_the_dossier_as_it_was_read(
    office, submitted_dossier, monkeypatch
):
    """Issue 20: the receipt's update, history row and audit line are written together; when that write fails,
    nothing is kept and the dossier the page holds is not shown as received."""
    from django.db import DatabaseError

    from dvc.dossiers.backoffice import intake

    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)

    def failing(writes, **kwargs):
        raise DatabaseError("the server closed the connection")

    monkeypatch.setattr(intake, "writes_together", failing)
    with pytest.raises(DatabaseError):
        dossier_receive(dossier=dossier, actor=staff.officer)
    assert (dossier.status, dossier.received_by_id, dossier.received_at) == (Dossier.Status.SUBMITTED, None, None)
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.SUBMITTED
    assert not DossierEvent.objects.filter(dossier=dossier, action="received").exists()
    assert not AuditEntry.objects.filter(dossier_id=dossier.pk, action="receive").exists()


def test_officers_of_another_agency_and_citizens_are_forbidden_every_action(office, submitted_dossier):
    agency, _staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    other_agency = commune_centre(code="000.02.02.H26", name="Trung tâm khác")
    strangers = agency_staff(other_agency)
    citizen = dossier.applicant
    attempts = [
        lambda u: dossier_receive(dossier=dossier, actor=u),
        lambda u: dossier_refuse(dossier=dossier, actor=u, reason="x"),
        lambda u: dossier_request_supplement(dossier=dossier, actor=u, requirements=[], note="x"),
        lambda u: dossier_suspend(dossier=dossier, actor=u, reason="x"),
        lambda u: dossier_assign(dossier=dossier, actor=u, specialist=u),
        lambda u: dossier_propose(dossier=dossier, actor=u, decision="approve", note=""),
        lambda u: dossier_approve(dossier=dossier, actor=u),
        lambda u: dossier_send_back(dossier=dossier, actor=u, note="x"),
        lambda u: dossier_return_result(dossier=dossier, actor=u, method="online"),
        lambda u: dossier_extend(dossier=dossier, actor=u, reason="x", new_due=dt.date(2030, 1, 2)),
        lambda u: dossier_generate_result(dossier=dossier, actor=u, values=RESULT_VALUES),
    ]
    for user in (strangers.officer, strangers.specialist, strangers.leader, citizen):
        for attempt in attempts:
            with pytest.raises(Forbidden):
                attempt(user)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED


def test_roles_limit_actions_within_the_agency(received):
    dossier, staff = received
    with pytest.raises(Forbidden):
        dossier_assign(dossier=dossier, actor=staff.specialist, specialist=staff.specialist)
    with pytest.raises(Forbidden):
        dossier_suspend(dossier=dossier, actor=staff.officer, reason="Chờ kết luận thanh tra")
    with pytest.raises(Conflict):  # an officer refuses reception only; refusing in processing is the leader's
        dossier_refuse(dossier=dossier, actor=staff.officer, reason="Không đủ điều kiện")


def test_route_appraise_send_back_approve_sign_and_return(received, outbox, tasks):
    dossier, staff = received
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    assert dossier.stage == "appraise"
    with pytest.raises(InvalidInput, match="dự thảo kết quả"):
        dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    other_specialist = staff_member(dossier.agency, StaffRole.Role.SPECIALIST)
    with pytest.raises(Forbidden):
        dossier_generate_result(dossier=dossier, actor=other_specialist, values=RESULT_VALUES)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    assert dossier.draft_result is not None
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="Đủ điều kiện")
    assert dossier.stage == "approve"
    dossier = dossier_send_back(dossier=dossier, actor=staff.leader, note="Kiểm tra lại nơi cư trú")
    assert dossier.stage == "appraise"
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="Đã rà")
    dossier = dossier_approve(dossier=dossier, actor=staff.leader)
    assert dossier.status == Dossier.Status.RESULT_READY
    issued = IssuedResult.objects.get(dossier=dossier)
    assert issued.stored_file == dossier.result_file and issued.agency_code == dossier.agency.code
    vault = StoredFile.objects.get(pk=dossier.result_file_id)
    assert vault.owner == dossier.applicant and vault.document_type == "xac_nhan_hon_nhan"  # a paper of its type
    dossier = dossier_return_result(dossier=dossier, actor=staff.officer, method="online")
    assert dossier.status == Dossier.Status.RETURNED and dossier.returned_by == staff.officer
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions[-7:] == ["assigned", "draft_result", "proposed", "sent_back", "proposed", "result_ready", "returned"]
    tasks()
    bodies = " ".join(m["body"] for m in outbox.sms())
    assert "đã có kết quả" in bodies and "đã được trả" in bodies
    dossier_rate(
        dossier=dossier, actor=dossier.applicant, overall=5, timeliness=5, attitude=5, publicity=5, trips=0, comment=""
    )


def test_a_refusal_proposal_approved_by_the_leader_refuses_with_the_reason(received, outbox, tasks):
    dossier, staff = received
    dossier_assign(dossier=dossier, actor=staff.leader, specialist=staff.specialist)
    with pytest.raises(InvalidInput):
        dossier_propose(dossier=dossier, actor=staff.specialist, decision="refuse", note="  ")
    dossier = dossier_propose(
        dossier=dossier, actor=staff.specialist, decision="refuse", note="Người yêu cầu đang có vợ."
    )
    dossier = dossier_approve(dossier=dossier, actor=staff.leader)
    assert dossier.status == Dossier.Status.REFUSED and dossier.decision_note == "Người yêu cầu đang có vợ."
    tasks()
    assert any("bị từ chối" in m["body"] and "đang có vợ" in m["body"] for m in outbox.sms())


def test_refuse_and_suspend_need_a_reason_and_tell_the_applicant(office, submitted_dossier, outbox, tasks):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(phone="+84912345678"), agency=agency)
    with pytest.raises(InvalidInput, match="lý do"):
        dossier_refuse(dossier=dossier, actor=staff.officer, reason=" ")
    dossier = dossier_refuse(dossier=dossier, actor=staff.officer, reason="Không thuộc thẩm quyền")
    assert dossier.status == Dossier.Status.REFUSED
    second = submitted_dossier(dossier.applicant, agency=agency, key="k2")
    second = dossier_receive(dossier=second, actor=staff.officer)
    second = dossier_suspend(dossier=second, actor=staff.leader, reason="Có quyết định của Tòa án")
    assert second.status == Dossier.Status.SUSPENDED
    tasks()
    bodies = [m["body"] for m in outbox.sms()]
    assert any("Không thuộc thẩm quyền" in b for b in bodies)
    assert any("dừng giải quyết" in b and "Tòa án" in b for b in bodies)


def test_supplement_during_processing_pauses_the_clock(received, monkeypatch):
    dossier, staff = received
    at(monkeypatch, dt.datetime(2026, 11, 30, 9, 0, tzinfo=HANOI))  # Monday
    dossier.refresh_from_db()
    Dossier.objects.filter(pk=dossier.pk).update(due_at=dt.datetime(2026, 12, 2, 17, 0, tzinfo=HANOI))
    dossier.refresh_from_db()
    dossier = dossier_request_supplement(
        dossier=dossier, actor=staff.specialist, requirements=[], note="Bổ sung bản sao sổ hộ khẩu cũ"
    )
    assert dossier.status == Dossier.Status.NEEDS_SUPPLEMENT and dossier.paused_at is not None
    at(monkeypatch, dt.datetime(2026, 12, 3, 10, 0, tzinfo=HANOI))  # Thursday: 3 working days later
    dossier = dossier_send_supplement(dossier=dossier, actor=dossier.applicant)
    assert dossier.status == Dossier.Status.PROCESSING and dossier.paused_at is None
    assert dossier.paused_days == 3
    assert timezone.localtime(dossier.due_at) == dt.datetime(2026, 12, 7, 17, 0, tzinfo=HANOI)  # Wed 2 + 3


def test_supplement_before_receipt_returns_to_the_new_queue(office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    dossier = dossier_request_supplement(dossier=dossier, actor=staff.officer, requirements=[], note="Ảnh mờ")
    assert dossier.paused_at is None
    dossier = dossier_send_supplement(dossier=dossier, actor=dossier.applicant)
    assert dossier.status == Dossier.Status.SUBMITTED


def test_extension_before_the_due_date_keeps_the_original_due_date(received, monkeypatch, outbox, tasks):
    dossier, staff = received
    due_day = timezone.localtime(dossier.due_at).date()
    with pytest.raises(InvalidInput, match="ngày làm việc sau"):
        dossier_extend(dossier=dossier, actor=staff.specialist, reason="Chờ xác minh", new_due=due_day)
    with pytest.raises(InvalidInput, match="lý do"):
        dossier_extend(dossier=dossier, actor=staff.specialist, reason="", new_due=due_day)
    new_day = due_day + dt.timedelta(days=1)
    while new_day.weekday() >= 5:
        new_day += dt.timedelta(days=1)
    extension = dossier_extend(
        dossier=dossier, actor=staff.specialist, reason="Chờ xác minh của nơi cư trú cũ", new_due=new_day
    )
    dossier.refresh_from_db()
    assert extension.previous_due_at == dossier.due_at
    assert timezone.localtime(dossier.extended_until).date() == new_day
    tasks()
    assert any("xin lỗi" in m["body"] and f"{new_day:%d/%m/%Y}" in m["body"] for m in outbox.sms())
    # Once the due date has passed, the apology can no longer be issued.
    at(monkeypatch, dossier.extended_until + dt.timedelta(hours=1))
    with pytest.raises(Conflict, match="quá hạn"):
        dossier_extend(dossier=dossier, actor=staff.specialist, reason="x", new_due=new_day.replace(year=2030))


def test_return_is_blocked_until_the_fee_is_paid(office):
    agency, staff = office
    dossier = DossierFactory(result_ready=True, unpaid=True, agency=agency, fees=[36000])
    with pytest.raises(Conflict, match="chưa thanh toán"):
        dossier_return_result(dossier=dossier, actor=staff.officer, method="online")
    with pytest.raises(InvalidInput, match="người nhận"):
        dossier_return_result(dossier=dossier, actor=staff.officer, method="counter", note="")
    payment_record_cash(dossier=dossier, officer=staff.officer)
    dossier.refresh_from_db()
    dossier = dossier_return_result(dossier=dossier, actor=staff.officer, method="post", note="EB123456789VN")
    assert dossier.status == Dossier.Status.RETURNED and dossier.return_note == "EB123456789VN"


def test_the_audit_log_cannot_be_changed(received):
    dossier, _staff = received
    entry = AuditEntry.objects.filter(dossier_id=dossier.pk).first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_receives_one_wins_one_is_told(submitted_dossier):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    agency = commune_centre()
    first, second = agency_staff(agency).officer, staff_member(agency, StaffRole.Role.ONE_STOP_OFFICER)
    dossier = submitted_dossier(UserFactory(), agency=agency)
    barrier = threading.Barrier(2)
    outcomes = []

    def receive(officer):
        try:
            barrier.wait(timeout=30)
            outcomes.append(dossier_receive(dossier=Dossier.objects.get(pk=dossier.pk), actor=officer))
        except Exception as exc:  # collected and asserted below
            outcomes.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=receive, args=(o,)) for o in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(outcomes) == 2 and len(conflicts) == 1
    assert "xử lý (tiếp nhận)" in str(conflicts[0].message)
    assert DossierEvent.objects.filter(dossier=dossier, action="received").count() == 1
