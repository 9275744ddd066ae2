"""Issue 20, part 3: the leader's approval answers at once and the worker signs and issues the result; the page
shows the progress and refreshes itself (no script), a failure is shown with the reason and can be signed again,
a lost task is put back by the sweep, and however often the task runs the result is issued once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import run_tasks
from dvc.dossiers.backoffice.appraisal import dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_prepare_final
from dvc.dossiers.backoffice.signing_queue import signing_run, signings_requeue_stranded
from dvc.dossiers.models import AuditEntry, Dossier, IssuedResult, ResultSigning
from dvc.dossiers.tests.factories import RESULT_VALUES, proposed_for_approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def to_sign(submitted_dossier):
    """A marital-status certificate proposed for approval, its final copy read by the leader."""
    dossier, staff = proposed_for_approval(submitted_dossier)
    return dossier_prepare_final(dossier=dossier, actor=staff.leader), staff


def _approve(client, dossier):
    url = reverse("staff:act", args=[dossier.pk, "phe-duyet"])
    return client.post(url, {"final_sha256": dossier.final_result.sha256}, follow=True).content.decode()


def test_approval_answers_at_once_and_the_worker_issues_the_result(client, to_sign):
    dossier, staff = to_sign
    client.force_login(staff.leader)
    page = _approve(client, dossier)
    refresh = f'<meta http-equiv="refresh" content="3; url=/can-bo/ho-so/{dossier.pk}/?dang-ky-so=1">'
    assert "Đang ký số và ban hành kết quả" in page and refresh in page
    assert "Ký số và ban hành kết quả</button>" not in page  # no second click while it is being signed
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.PROCESSING and not IssuedResult.objects.filter(dossier=dossier).exists()
    assert AuditEntry.objects.filter(dossier_id=dossier.pk, action="approve_requested").count() == 1
    views = AuditEntry.objects.filter(dossier_id=dossier.pk, action="view").count()
    client.get(reverse("staff:detail", args=[dossier.pk]) + "?dang-ky-so=1")  # the page's own refresh
    assert AuditEntry.objects.filter(dossier_id=dossier.pk, action="view").count() == views  # not a new view
    again = client.post(reverse("staff:act", args=[dossier.pk, "phe-duyet"]), {"final_sha256": "0" * 64}, follow=True)
    assert "đang được ký số" in again.content.decode() and ResultSigning.objects.filter(dossier=dossier).count() == 1
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RESULT_READY and IssuedResult.objects.filter(dossier=dossier).count() == 1
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.DONE
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Đang ký số" not in page and "http-equiv" not in page
    assert AuditEntry.objects.filter(dossier_id=dossier.pk, action="approve", actor=staff.leader).count() == 1


def _signer_fails_once(monkeypatch, error: Exception) -> list[int]:
    """The signer raises ``error`` on its first call and signs afterwards; the calls, counted."""
    calls: list[int] = []
    real = __import__("dvc.dossiers.backoffice.decision", fromlist=["sign_result"]).sign_result

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr("dvc.dossiers.backoffice.decision.sign_result", flaky)
    return calls


def _signer_fails(monkeypatch, error: Exception) -> None:
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("dvc.dossiers.backoffice.decision.sign_result", failing)


def test_a_failed_signing_is_shown_with_its_reason_and_can_be_signed_again(client, to_sign, monkeypatch):
    dossier, staff = to_sign
    client.force_login(staff.leader)
    _signer_fails(monkeypatch, RuntimeError("HSM offline"))
    _approve(client, dossier)
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.PROCESSING and dossier.result_file is None
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Ký số kết quả không thành công: Lỗi hệ thống khi ký số. Vui lòng ký lại." in page
    assert "HSM offline" not in page and "Ký số và ban hành kết quả</button>" in page
    monkeypatch.undo()
    _approve(client, dossier)
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RESULT_READY
    assert "không thành công" not in client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()


def test_the_api_answers_at_once_and_tells_the_state(client, to_sign):
    from dvc.accounts.services import api_token_create

    dossier, staff = to_sign
    leader = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=staff.leader)}"}
    url = f"/api/v1/backoffice/dossiers/{dossier.pk}"
    answer = client.post(f"{url}/approve", {}, content_type="application/json", **leader)
    assert answer.status_code == 200 and answer.json()["signing"]["state"] == "queued"
    assert answer.json()["status"] == "processing"
    run_tasks()
    done = client.get(url, **leader).json()
    assert done["status"] == "result_ready" and done["signing"] is None


def test_a_lost_task_is_put_back_and_a_repeated_run_issues_once(client, to_sign):
    dossier, staff = to_sign
    client.force_login(staff.leader)
    _approve(client, dossier)
    signing = ResultSigning.objects.get(dossier=dossier)
    DBTaskResult.objects.filter(task_path__endswith="sign_approved_result").delete()  # the task row is lost
    assert signings_requeue_stranded() == 0  # not yet: it may still be on its way
    ResultSigning.objects.filter(pk=signing.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=10))
    assert signings_requeue_stranded() == 1
    assert signings_requeue_stranded() == 0  # put back once, not at every sweep
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RESULT_READY
    assert signing_run(str(signing.pk)) == "skipped"  # a second delivery of the task
    # A run that issued the result but died before it said so: still "running" half an hour later, put back.
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    ResultSigning.objects.filter(pk=signing.pk).update(state=ResultSigning.State.RUNNING, started_at=long_ago)
    assert signings_requeue_stranded() == 1
    run_tasks()
    assert ResultSigning.objects.get(pk=signing.pk).state == ResultSigning.State.DONE
    assert IssuedResult.objects.filter(dossier=dossier).count() == 1


def test_an_approval_waiting_in_the_queue_never_signs_a_newer_proposal(client, to_sign):
    """Review finding: approved through the API, then sent back, drafted and proposed again before the worker ran."""
    from dvc.accounts.services import api_token_create
    from dvc.dossiers.backoffice.appraisal import dossier_send_back

    dossier, staff = to_sign
    leader = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=staff.leader)}"}
    client.post(f"/api/v1/backoffice/dossiers/{dossier.pk}/approve", {}, content_type="application/json", **leader)
    dossier = dossier_send_back(dossier=Dossier.objects.get(pk=dossier.pk), actor=staff.leader, note="Sửa lại.")
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="Đã sửa")
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.PROCESSING and not IssuedResult.objects.filter(dossier=dossier).exists()
    client.force_login(staff.leader)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Đề xuất đã thay đổi sau khi phê duyệt" in page


def test_an_approval_given_before_midnight_is_signed_by_the_worker_after_it(client, to_sign):
    """Review finding: the leader approved at 23:59 and the worker signed at 00:00; the final copy, dated the day
    the leader read and approved it, was judged "changed" and the leader had to read it again."""
    dossier, staff = to_sign
    client.force_login(staff.leader)
    _approve(client, dossier)
    yesterday = dt.timedelta(days=1)
    final = dossier.final_result
    type(final).objects.filter(pk=final.pk).update(created_at=final.created_at - yesterday)
    ResultSigning.objects.filter(dossier=dossier).update(requested_at=timezone.now() - yesterday)
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RESULT_READY
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.DONE
    # Dated the day the leader approved (and read) it.
    issued = IssuedResult.objects.get(dossier=dossier, copy_number=0)
    assert issued.signed_at is not None and dossier.final_result.created_at.date() < timezone.now().date()


def test_a_passing_database_error_is_tried_again_not_failed(client, to_sign, monkeypatch):
    """Review finding: a dropped connection in the worker failed the signing; the leader had to sign again."""
    from django.db import OperationalError

    dossier, staff = to_sign
    client.force_login(staff.leader)
    calls = _signer_fails_once(monkeypatch, OperationalError("server closed the connection unexpectedly"))
    _approve(client, dossier)
    run_tasks()  # the retry waits a little: not yet due
    signing = ResultSigning.objects.get(dossier=dossier)
    assert signing.state == ResultSigning.State.QUEUED and signing.attempts == 1
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Đang ký số và ban hành kết quả" in page and "không thành công" not in page
    DBTaskResult.objects.filter(task_path__endswith="sign_approved_result").update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RESULT_READY and len(calls) == 2
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.DONE
    assert IssuedResult.objects.filter(dossier=dossier, copy_number=0).count() == 1


def test_a_signing_that_keeps_failing_on_passing_errors_stops_after_three_attempts(client, to_sign, monkeypatch):
    from django.db import OperationalError

    dossier, staff = to_sign
    client.force_login(staff.leader)
    _signer_fails(monkeypatch, OperationalError("could not connect to server"))
    _approve(client, dossier)
    for _ in range(3):
        DBTaskResult.objects.filter(task_path__endswith="sign_approved_result").update(
            run_after=timezone.now() - dt.timedelta(seconds=1)
        )
        run_tasks()
    signing = ResultSigning.objects.get(dossier=dossier)
    assert signing.state == ResultSigning.State.FAILED and signing.attempts == 3
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "Ký số kết quả không thành công: Lỗi hệ thống khi ký số. Vui lòng ký lại." in page


def test_a_store_that_does_not_answer_is_tried_again_not_failed(client, to_sign, monkeypatch):
    """Review finding: a full disk or an object store that did not answer (``StorageUnavailable``, a domain error)
    failed the signing at once; it is now tried again like a dropped connection."""
    from dvc.errors import StorageUnavailable

    dossier, staff = to_sign
    client.force_login(staff.leader)
    calls = _signer_fails_once(monkeypatch, StorageUnavailable({"file": ["Hệ thống tạm thời chưa lưu được tệp."]}))
    _approve(client, dossier)
    run_tasks()
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.QUEUED
    DBTaskResult.objects.filter(task_path__endswith="sign_approved_result").update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RESULT_READY and len(calls) == 2
