"""Issue 19, part 5: every notice is also in the "Thông báo" page, counted unread in the header; the result-ready
message carries a signed download link good for 7 days."""

import re

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.lifecycle import messages as dossier_messages
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import RESULT_VALUES, agency_staff, commune_centre
from dvc.notify.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def result_ready(submitted_dossier):
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory(full_name="Nguyễn Văn An")
    dossier = dossier_receive(dossier=submitted_dossier(citizen, agency=agency), actor=staff.officer)
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    return citizen, dossier_approve(dossier=dossier, actor=staff.leader)


def test_notices_are_kept_even_when_no_sms_or_email_was_chosen(client, submitted_dossier):
    citizen = UserFactory()
    dossier = submitted_dossier(citizen)
    Dossier.objects.filter(pk=dossier.pk).update(notify_sms=False, notify_email=False)
    dossier.refresh_from_db()
    dossier_messages.notify_applicant(dossier, "dossier_received")
    client.force_login(citizen)
    header = client.get(reverse("dossiers:mine")).content.decode()
    unread = Notice.objects.filter(user=citizen, read_at__isnull=True).count()
    assert unread >= 2  # sent, then received
    assert re.search(rf'Thông báo <span class="badge badge-count">{unread}<', header)
    page = client.get(reverse("notify:inbox")).content.decode()
    assert dossier.code in page and "mới" in page and f"/ho-so/{dossier.pk}/" in page
    assert "badge-count" not in client.get(reverse("dossiers:mine")).content.decode()  # read by opening the page


def test_someone_elses_notices_are_not_shown(client, submitted_dossier):
    dossier = submitted_dossier(UserFactory())
    client.force_login(UserFactory())
    assert dossier.code not in client.get(reverse("notify:inbox")).content.decode()


def test_the_result_link_downloads_without_login_for_seven_days(client, result_ready, monkeypatch):
    citizen, _dossier = result_ready
    notice = Notice.objects.filter(user=citizen, template="dossier_result_ready").get()
    link = re.search(r"https?://\S+/ket-qua/tai/\S+/", notice.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = "y" if path[-3] == "x" else "x"  # one character of the signature changed (never to itself)
    tampered = client.get(f"/{path[:-3]}{other}{path[-2:]}")
    assert tampered.status_code == 404 and "đã hết hạn" in tampered.content.decode()
    monkeypatch.setattr(dossier_messages, "RESULT_LINK_DAYS", -1)  # eight days later
    assert client.get(f"/{path}").status_code == 404


def test_the_result_ready_email_carries_the_signed_result_within_the_size_limit(result_ready, settings):
    from django.core import mail

    from conftest import run_tasks

    citizen, dossier = result_ready
    run_tasks()
    sent = [m for m in mail.outbox if "đã có kết quả" in m.subject]
    if not citizen.email:  # the factory's citizen may have no e-mail: the notice and SMS carry the link instead
        assert not sent
        return
    assert sent and sent[-1].attachments[0][0] == f"ket-qua-{dossier.code}.pdf"
    assert sent[-1].attachments[0][1].startswith(b"%PDF")


def test_a_result_larger_than_the_limit_goes_by_link_only(submitted_dossier, settings):
    from django.core import mail

    from conftest import run_tasks
    from dvc.dossiers.models import Dossier

    settings.DVC_EMAIL_ATTACH_MAX_BYTES = 10
    agency = commune_centre()
    staff = agency_staff(agency)
    citizen = UserFactory(email="an@example.com")
    dossier = dossier_receive(dossier=submitted_dossier(citizen, agency=agency), actor=staff.officer)
    Dossier.objects.filter(pk=dossier.pk).update(notify_email=True)
    dossier.refresh_from_db()
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    dossier_approve(dossier=dossier, actor=staff.leader)
    run_tasks()
    sent = [m for m in mail.outbox if "đã có kết quả" in m.subject]
    assert sent and not sent[-1].attachments and "/ket-qua/tai/" in sent[-1].body
