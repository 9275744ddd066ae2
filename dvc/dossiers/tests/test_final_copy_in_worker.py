"""Issue 20, part 3: the leader's "read the final copy" answers at once; the worker draws the copy (the register's
number, the leader's name and title) and counts its pages, and the page shows it when it refreshes itself (no
script). What would stop it is said at once; a failure is shown with its reason and can be asked again."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import run_tasks
from dvc.agencies.models import StaffRole
from dvc.dossiers.backoffice.appraisal import dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.signing_queue import signings_requeue_stranded
from dvc.dossiers.models import AuditEntry, Dossier, RegisterEntry, ResultSigning
from dvc.dossiers.tests.factories import RESULT_VALUES, proposed_for_approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(submitted_dossier):
    return proposed_for_approval(submitted_dossier)


def _ask(client, dossier):
    return client.post(reverse("staff:act", args=[dossier.pk, "xem-ban-cuoi"]), follow=True)


def _page(client, dossier) -> str:
    return client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()


def test_the_final_copy_is_drawn_by_the_worker_and_shown_when_the_page_refreshes(client, proposed, monkeypatch):
    dossier, staff = proposed
    client.force_login(staff.leader)
    page = _ask(client, dossier).content.decode()
    refresh = f'<meta http-equiv="refresh" content="2; url=/can-bo/ho-so/{dossier.pk}/?dang-ky-so=1#ban-cuoi">'
    assert "Đang lập bản cuối của kết quả" in page and refresh in page
    assert "Phê duyệt: xem bản cuối trước khi ký</button>" not in page  # no second click while it is drawn
    dossier.refresh_from_db()
    assert dossier.final_result is None and not RegisterEntry.objects.filter(dossier=dossier).exists()
    assert AuditEntry.objects.filter(dossier_id=dossier.pk, action="prepare_final_requested").count() == 1
    _ask(client, dossier)  # a second click (another tab) asks nothing more
    assert ResultSigning.objects.filter(dossier=dossier).count() == 1
    run_tasks()
    step = ResultSigning.objects.get(dossier=dossier)
    assert step.step == ResultSigning.Step.PREPARE and step.state == ResultSigning.State.DONE
    dossier.refresh_from_db()
    assert dossier.final_result is not None and RegisterEntry.objects.filter(dossier=dossier).count() == 1

    def no_child(data):  # the worker counted the pages: the page starts no child process to count them
        raise AssertionError("page count asked again")

    monkeypatch.setattr("dvc.vault.services.page_count", no_child)
    page = _page(client, dossier)
    assert "Bản cuối sẽ được ký số" in page and "Đang lập" not in page and "http-equiv" not in page
    assert reverse("staff:document_page", args=[dossier.pk, "ban-cuoi", 1]) in page
    sha = re.search(r'name="final_sha256" value="([0-9a-f]{64})"', page)
    assert sha and sha.group(1) == dossier.final_result.sha256
    assert AuditEntry.objects.filter(dossier_id=dossier.pk, action="prepare_final", actor=staff.leader).count() == 1


def test_what_stops_the_final_copy_is_said_at_once_and_nothing_is_queued(client, proposed):
    dossier, staff = proposed
    StaffRole.objects.filter(user=staff.leader).update(title="")
    client.force_login(staff.leader)
    answer = _ask(client, dossier)
    assert answer.status_code == 422 and "chưa có chức vụ" in answer.content.decode()
    assert not ResultSigning.objects.exists() and not RegisterEntry.objects.exists()
    client.force_login(staff.specialist)  # not the leader: not allowed at all
    assert _ask(client, dossier).status_code == 403
    assert not ResultSigning.objects.exists()


def test_approving_while_the_copy_is_drawn_is_refused_with_a_reason(client, proposed):
    dossier, staff = proposed
    client.force_login(staff.leader)
    _ask(client, dossier)
    sign = reverse("staff:act", args=[dossier.pk, "phe-duyet"])
    page = client.post(sign, {"final_sha256": "0" * 64}, follow=True).content.decode()
    assert "Bản cuối của kết quả đang được lập" in page
    assert ResultSigning.objects.filter(dossier=dossier).count() == 1


def test_a_failed_copy_is_shown_with_its_reason_and_can_be_asked_again(client, proposed, monkeypatch):
    dossier, staff = proposed
    client.force_login(staff.leader)

    def broken(*args, **kwargs):
        raise RuntimeError("font file missing")

    monkeypatch.setattr("dvc.dossiers.backoffice.decision.result_pdf", broken)
    _ask(client, dossier)
    run_tasks()
    page = _page(client, dossier)
    assert "Lập bản cuối không thành công: Lỗi hệ thống khi lập bản cuối. Vui lòng thử lại." in page
    assert "font file missing" not in page and "Phê duyệt: xem bản cuối trước khi ký</button>" in page
    dossier.refresh_from_db()
    assert dossier.final_result is None
    assert not RegisterEntry.objects.filter(dossier=dossier).exists()  # the number's take was rolled back
    monkeypatch.undo()
    _ask(client, dossier)
    run_tasks()
    page = _page(client, dossier)
    assert "Bản cuối sẽ được ký số" in page and "không thành công" not in page


def test_a_copy_asked_for_an_older_proposal_is_not_drawn(client, proposed):
    from dvc.dossiers.backoffice.appraisal import dossier_send_back

    dossier, staff = proposed
    client.force_login(staff.leader)
    _ask(client, dossier)
    dossier = dossier_send_back(dossier=Dossier.objects.get(pk=dossier.pk), actor=staff.leader, note="Sửa lại.")
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="Đã sửa")
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.final_result is None
    assert "Lập bản cuối không thành công: Đề xuất đã thay đổi." in _page(client, dossier)


def test_a_lost_task_is_put_back_by_the_sweep(client, proposed):
    dossier, staff = proposed
    client.force_login(staff.leader)
    _ask(client, dossier)
    DBTaskResult.objects.filter(task_path__endswith="sign_approved_result").delete()
    ResultSigning.objects.filter(dossier=dossier).update(requested_at=timezone.now() - dt.timedelta(minutes=10))
    assert signings_requeue_stranded() == 1
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.final_result is not None
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.DONE


def test_the_api_asks_for_the_copy_and_tells_its_state(client, proposed):
    from dvc.accounts.services import api_token_create

    dossier, staff = proposed
    leader = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=staff.leader)}"}
    url = f"/api/v1/backoffice/dossiers/{dossier.pk}"
    answer = client.post(f"{url}/prepare-final", {}, content_type="application/json", **leader)
    assert answer.status_code == 200
    assert answer.json()["signing"]["step"] == "prepare" and answer.json()["signing"]["state"] == "queued"
    assert answer.json()["final_sha256"] is None
    run_tasks()
    ready = client.get(url, **leader).json()
    assert ready["signing"] is None and ready["final_sha256"]
    dossier.refresh_from_db()
    assert ready["final_sha256"] == dossier.final_result.sha256
    approve = {"final_sha256": ready["final_sha256"]}
    answer = client.post(f"{url}/approve", approve, content_type="application/json", **leader)
    assert answer.json()["signing"]["step"] == "sign" and answer.json()["signing"]["state"] == "queued"
    run_tasks()
    assert client.get(url, **leader).json()["status"] == "result_ready"


def test_another_leader_is_told_the_copy_is_being_drawn(client, proposed):
    """Review finding: a second leader's click was dropped in silence; the copy drawn was the first leader's."""
    from dvc.agencies.models import StaffRole
    from dvc.dossiers.tests.factories import staff_member

    dossier, staff = proposed
    other = staff_member(dossier.agency, StaffRole.Role.LEADER, full_name="Võ Thị Phó")
    StaffRole.objects.filter(user=other).update(title="Phó Chủ tịch")
    client.force_login(staff.leader)
    _ask(client, dossier)
    client.force_login(other)
    page = _ask(client, dossier).content.decode()
    assert "Bản cuối của kết quả đang được lập" in page
    assert ResultSigning.objects.filter(dossier=dossier).count() == 1


def test_a_copy_asked_while_the_result_is_signed_is_refused_with_a_reason(client, proposed):
    dossier, staff = proposed
    ResultSigning.objects.create(dossier=dossier, requested_by=staff.leader, proposed_at=dossier.proposed_at)
    client.force_login(staff.leader)
    page = _ask(client, dossier).content.decode()
    assert "đang được ký số" in page and ResultSigning.objects.filter(dossier=dossier).count() == 1


def test_the_leader_can_send_back_while_the_copy_is_drawn(client, proposed):
    """Review finding: while the copy waited for the worker the page hid every decision, sending back included."""
    dossier, staff = proposed
    client.force_login(staff.leader)
    page = _ask(client, dossier).content.decode()
    assert "Trả lại chuyên viên</button>" in page and "Ký số và ban hành kết quả</button>" not in page
    client.post(reverse("staff:act", args=[dossier.pk, "tra-lai"]), {"note": "Sửa lại ngày sinh."})
    run_tasks()
    dossier.refresh_from_db()
    assert dossier.final_result is None and dossier.proposal == ""
    assert not RegisterEntry.objects.filter(dossier=dossier).exists()  # no number taken for it
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.FAILED


def test_a_copy_drawn_for_an_older_proposal_is_not_kept(proposed):
    """Review finding: sent back and proposed again while the copy was drawn, the old draft's copy was kept."""
    from dvc.dossiers.backoffice.decision import dossier_prepare_final
    from dvc.errors import Conflict

    dossier, staff = proposed
    Dossier.objects.filter(pk=dossier.pk).update(proposed_at=timezone.now() + dt.timedelta(seconds=1))
    with pytest.raises(Conflict):
        dossier_prepare_final(dossier=dossier, actor=staff.leader)  # the worker's copy of the dossier, now old
    assert Dossier.objects.get(pk=dossier.pk).final_result is None
    assert not RegisterEntry.objects.filter(dossier=dossier).exists()


def test_a_page_count_that_fails_leaves_the_copy_made(client, proposed, monkeypatch):
    """Review finding: the copy was made, but a failed page count marked the request failed."""

    def broken(stored):
        raise OSError("storage hiccup")

    dossier, staff = proposed
    monkeypatch.setattr("dvc.dossiers.backoffice.signing_queue.stored_pages", broken)
    client.force_login(staff.leader)
    _ask(client, dossier)
    run_tasks()
    assert ResultSigning.objects.get(dossier=dossier).state == ResultSigning.State.DONE
    monkeypatch.undo()
    page = _page(client, dossier)
    assert "Bản cuối sẽ được ký số" in page and "không thành công" not in page
