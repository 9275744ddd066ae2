"""Verified data used (issue 18, part 3): what the electronic identity vouches for is read-only on the e-form and
kept whatever is posted, the identity paper is not asked, and the officer sees which answers came from it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.tests.factories import BIRTH_FORM, agency_staff, commune_centre

pytestmark = pytest.mark.django_db
ID_PAPER = "Giấy tờ tùy thân của người yêu cầu"


def _verified_user(**kwargs):
    return UserFactory(
        full_name="Nguyễn Văn An", id_number="001085012345", identity_verified_at=timezone.now(), **kwargs
    )


def _form_page(client, dossier) -> str:
    return client.get(reverse("dossiers:section", args=[dossier.pk, "to-khai"])).content.decode()


def test_verified_fields_are_read_only_and_kept(client):
    user = _verified_user()
    client.force_login(user)
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    page = _form_page(client, dossier)
    assert page.count("đã xác thực") == 1  # once, on the requester block: its name, birth date, id number locked
    assert 'id="id_f-nguoi_yeu_cau_full_name" readonly' in page and 'value="Nguyễn Văn An"' in page
    assert 'name="f-nguoi_yeu_cau.full_name"' not in page  # nothing to type there
    assert 'name="f-ho_ten_tre"' in page  # the child's name stays the applicant's to type
    posted = {**BIRTH_FORM, "f-nguoi_yeu_cau.full_name": "Người Khác", "f-nguoi_yeu_cau.id_number": "001090000011"}
    client.post(
        reverse("dossiers:section", args=[dossier.pk, "to-khai"]),
        {**posted, "draft": "1", "section": "to-khai", "save": "1"},
    )
    dossier.refresh_from_db()
    assert dossier.form_data["nguoi_yeu_cau"]["full_name"] == "Nguyễn Văn An"
    assert dossier.form_data["nguoi_yeu_cau"]["id_number"] == "001085012345"
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"
    assert dossier.applicant_data["verified_fields"] == ["nguoi_yeu_cau"]


def test_the_identity_paper_is_not_asked_of_a_verified_person(client):
    user = _verified_user()
    client.force_login(user)
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    papers = client.get(reverse("dossiers:section", args=[dossier.pk, "giay-to"])).content.decode()
    identity = dossier.procedure.requirements.get(name__startswith=ID_PAPER)
    assert f'name="file-{identity.pk}"' not in papers and "Giấy chứng sinh" in papers
    assert "đã được xác thực qua tài khoản định danh điện tử" in papers


def test_without_a_verified_identity_everything_is_typed(client):
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345")
    client.force_login(user)
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    page = _form_page(client, dossier)
    assert "đã xác thực" not in page and 'name="f-nguoi_yeu_cau.full_name"' in page
    papers = client.get(reverse("dossiers:section", args=[dossier.pk, "giay-to"])).content.decode()
    identity = dossier.procedure.requirements.get(name__startswith=ID_PAPER)
    assert f'name="file-{identity.pk}"' in papers


def test_the_api_cannot_change_verified_answers(client, outbox):
    from dvc.dossiers.tests.test_signing_api import API, signed_in

    user = _verified_user()
    headers = signed_in(client, outbox, user)
    created = client.post(
        f"{API}/dossiers", {"procedure": "1.004873", "agency": commune_centre().code},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    dossier_id = created.json()["id"]
    form = {**created.json()["form_data"], "nguoi_yeu_cau": {"full_name": "Tên Khác", "id_number": "001090000011"},
            "gioi_tinh": "female"}  # fmt: skip
    patched = client.patch(
        f"{API}/dossiers/{dossier_id}", {"form_data": form}, content_type="application/json", headers=headers
    )
    assert patched.status_code == 200
    kept = patched.json()["form_data"]
    assert kept["nguoi_yeu_cau"]["full_name"] == "Nguyễn Văn An" and kept["gioi_tinh"] == "male"


def test_the_officer_sees_what_came_from_the_identity(client, submitted_dossier):
    agency = commune_centre()
    staff = agency_staff(agency)
    dossier = submitted_dossier(_verified_user(), agency=agency)
    dossier = dossier_receive(dossier=dossier, actor=staff.officer)
    client.force_login(staff.officer)
    page = client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()
    assert "qua tài khoản định danh điện tử mức 2" in page
    assert page.count("badge-verified") >= 2  # the applicant, and the requester's answer


def test_a_supplement_that_opens_the_requester_cannot_change_verified_answers(client, outbox, submitted_dossier):
    """Attack pass: in "Yêu cầu bổ sung" the API stored another person's name beside the "đã xác thực" mark."""
    from dvc.dossiers.tests.test_signing_api import API, signed_in

    agency = commune_centre()
    staff = agency_staff(agency)
    user = _verified_user()
    dossier = dossier_receive(dossier=submitted_dossier(user, agency=agency), actor=staff.officer)
    client.force_login(staff.officer)
    asked = client.post(
        reverse("staff:act", args=[dossier.pk, "yeu-cau-bo-sung"]),
        {"fields": ["nguoi_yeu_cau", "muc_dich"], "note": "Ghi rõ mục đích sử dụng."},
    )
    assert asked.status_code == 302
    client.logout()
    headers = signed_in(client, outbox, user)
    form = {**dossier.form_data, "nguoi_yeu_cau": {"full_name": "Người Khác", "id_number": "001088000022"},
            "muc_dich": "Kết hôn"}  # fmt: skip
    client.patch(f"{API}/dossiers/{dossier.pk}", {"form_data": form}, content_type="application/json", headers=headers)
    dossier.refresh_from_db()
    assert dossier.form_data["nguoi_yeu_cau"]["full_name"] == "Nguyễn Văn An"
    assert dossier.form_data["nguoi_yeu_cau"]["id_number"] == "001085012345"
