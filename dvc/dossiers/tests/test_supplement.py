import re

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.models import StaffRole
from dvc.dossiers.backoffice.appraisal import dossier_request_supplement
from dvc.dossiers.citizen.supplement import dossier_send_supplement
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.dossiers.tests.factories import commune_centre, photo_upload, staff_member
from dvc.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(submitted_dossier):
    citizen, officer = (
        UserFactory(),
        staff_member(commune_centre(), StaffRole.Role.ONE_STOP_OFFICER, full_name="Cán Bộ Một Cửa"),
    )
    dossier = submitted_dossier(citizen)
    identity = dossier.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    dossier_request_supplement(
        dossier=dossier,
        actor=officer,
        requirements=[identity],
        note="Ảnh căn cước bị mờ, không đọc được số. Vui lòng chụp lại.",
    )
    dossier.refresh_from_db()
    return citizen, officer, dossier, identity


def test_the_citizen_sees_exactly_what_is_missing_and_why(client, asked, outbox, tasks):
    citizen, _officer, dossier, identity = asked
    assert dossier.status == Dossier.Status.NEEDS_SUPPLEMENT
    client.force_login(citizen)
    html = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Ảnh căn cước bị mờ" in html and identity.name in html and "Bổ sung hồ sơ" in html
    assert dossier.code in client.get(reverse("dossiers:mine") + "?muc=bo-sung").content.decode()
    tasks()
    assert any("cần bổ sung" in sms["body"] and dossier.code in sms["body"] for sms in outbox.sms())


def test_sending_the_supplement_keeps_the_replaced_file_in_the_history(client, asked):
    citizen, _officer, dossier, identity = asked
    client.force_login(citizen)
    client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {"requirement": identity.pk, "file": photo_upload("ro-net.jpg")}
    )
    page = client.get(reverse("dossiers:submit", args=[dossier.pk])).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    assert "Gửi bổ sung" in page
    response = client.post(
        reverse("dossiers:submit", args=[dossier.pk]),
        {"idempotency_key": key},
        follow=True,
    )
    assert "Đã gửi bổ sung" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    files = DossierAttachment.objects.filter(dossier=dossier, requirement=identity).order_by("created_at")
    assert [(f.stored_file.original_name, f.replaced_at is None) for f in files] == [
        ("anh.jpg", False),
        ("ro-net.jpg", True),
    ]
    assert [e.action for e in dossier.events.all()][-2:] == ["supplement_requested", "supplemented"]
    assert dossier.supplement_requests.get().answered_at is not None


def test_a_supplement_request_needs_a_reason_and_the_right_state(asked, submitted_dossier):
    _citizen, officer, dossier, _identity = asked
    with pytest.raises(Conflict):
        dossier_request_supplement(dossier=dossier, actor=officer, requirements=[], note="Lần nữa")
    other = submitted_dossier(UserFactory(), key="other")
    with pytest.raises(InvalidInput, match="ghi rõ"):
        dossier_request_supplement(dossier=other, actor=officer, requirements=[], note="  ")
    other.refresh_from_db()
    assert other.status == Dossier.Status.SUBMITTED


def test_a_draft_cannot_be_asked_for_a_supplement_and_a_sent_one_cannot_be_resent(asked):
    citizen, _officer, dossier, _identity = asked
    dossier_send_supplement(dossier=dossier, actor=citizen)
    with pytest.raises(Conflict):
        dossier_send_supplement(dossier=dossier, actor=citizen)
