"""Starting a dossier: the draft already begun is offered first; only the applicant's own stable data is prefilled,
the last dossier's answers only on request and never a ticked declaration (issue 16, parts 1 and 4)."""

import re

import pytest
from django.urls import reverse

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import DossierFactory, commune_centre

pytestmark = pytest.mark.django_db
START = reverse("dossiers:start", args=["1.001193"])
FIRST_CHILD = {
    "ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh_tre": "2026-10-01", "gioi_tinh": "male",
    "noi_sinh": "Bệnh viện Phụ sản Hà Nội", "dan_toc": "Kinh", "quoc_tich": "Việt Nam",
    "me": {"full_name": "Trần Thị Mai", "birth_date": "1995-01-01", "id_number": "001195000001"},
    "quan_he": "cha", "so_ban_sao": 2, "cam_doan": True,
}  # fmt: skip


def _ticked(page, name):
    return re.search(rf'<input type="checkbox" name="{name}"[^>]*\bchecked', page) is not None


@pytest.fixture
def parent(client):
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="+84912345678")
    client.force_login(user)
    return user


def _first_child_sent(parent):
    agency = commune_centre()
    procedure = Procedure.objects.get(code="1.001193")
    sent = DossierFactory(submitted=True, applicant=parent, agency=agency, procedure=procedure, form_data=FIRST_CHILD)
    return agency, sent


def test_a_second_childs_dossier_starts_without_the_first_childs_answers(client, parent):
    """Issue 16: name, birth date, mother and the ticked declaration came back from the last dossier unasked."""
    agency, _sent = _first_child_sent(parent)
    client.post(START, {"agency": agency.code})
    draft = Dossier.objects.get(applicant=parent, status=Dossier.Status.DRAFT)
    for about_the_child in ("ho_ten_tre", "ngay_sinh_tre", "me", "noi_sinh", "cam_doan"):
        assert about_the_child not in draft.form_data, about_the_child
    assert (
        draft.form_data["nguoi_yeu_cau"]["full_name"] == "Nguyễn Văn An"
    )  # the applicant's own data, from the profile
    page = client.get(reverse("dossiers:edit", args=[draft.pk])).content.decode()
    assert "Nguyễn Minh Khôi" not in page and not _ticked(page, "f-cam_doan")


def test_reusing_the_last_dossier_is_a_choice_and_never_ticks_the_declaration(client, parent):
    agency, sent = _first_child_sent(parent)
    page = client.get(START).content.decode()
    assert "Dùng lại thông tin từ hồ sơ trước" in page and sent.code in page
    assert 'name="reuse_previous"' in page and not _ticked(page, "reuse_previous")  # not chosen for the citizen
    client.post(START, {"agency": agency.code, "reuse_previous": "on"})
    draft = Dossier.objects.get(applicant=parent, status=Dossier.Status.DRAFT)
    assert draft.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi" and draft.form_data["me"]["full_name"] == "Trần Thị Mai"
    assert "cam_doan" not in draft.form_data  # a declaration is made afresh each time


def test_the_choice_is_not_offered_without_a_previous_dossier(client, parent):
    commune_centre()
    assert "Dùng lại thông tin từ hồ sơ trước" not in client.get(START).content.decode()


def test_a_draft_already_begun_is_offered_before_a_new_one(client, parent):
    agency = commune_centre()
    client.post(START, {"agency": agency.code})
    draft = Dossier.objects.get(applicant=parent)
    page = client.get(START).content.decode()
    assert "Tiếp tục hồ sơ đang soạn" in page and reverse("dossiers:edit", args=[draft.pk]) in page
    assert "Bắt đầu hồ sơ mới" in page
    other = UserFactory()
    client.force_login(other)
    assert "Tiếp tục hồ sơ đang soạn" not in client.get(START).content.decode()  # only one's own drafts


def test_the_api_prefills_the_same_way(client, parent):
    agency, _sent = _first_child_sent(parent)
    api = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=parent)}"}
    body = {"procedure": "1.001193", "agency": agency.code}
    fresh = client.post("/api/v1/dossiers", body, content_type="application/json", **api).json()
    assert "ho_ten_tre" not in fresh["form_data"]
    reused = client.post(
        "/api/v1/dossiers", {**body, "reuse_previous": True}, content_type="application/json", **api
    ).json()
    assert reused["form_data"]["ho_ten_tre"] == "Nguyễn Minh Khôi" and "cam_doan" not in reused["form_data"]


def _bac_ninh_centre():
    from dvc.agencies.models import AdminUnit
    from dvc.agencies.tests.factories import AgencyFactory

    bac_ninh_commune = AdminUnit.objects.filter(parent__code="24", level="commune").order_by("code").first()
    return AgencyFactory(code="000.24.01.H27", name="Trung tâm PVHCC phường Kinh Bắc", admin_unit=bac_ninh_commune)


def test_the_agency_choice_starts_at_the_citizens_commune_and_keeps_to_the_province_the_law_allows(client, parent):
    """Issue 16, part 6: a flat list of every centre, nothing preselected, and a Hà Nội resident could file a
    birth registration in Bắc Ninh."""
    ba_dinh = commune_centre(name="Trung tâm PVHCC phường Ba Đình")  # phường Ba Đình (00004), Hà Nội
    elsewhere = _bac_ninh_centre()
    page = client.get(START).content.decode()
    assert re.search(rf'value="{ba_dinh.code}"[^>]*\bchecked', page)  # the citizen's own commune, chosen already
    assert elsewhere.code not in page and "Thành phố Hà Nội" in page
    assert "trong tỉnh, thành phố nơi người nộp cư trú" in page  # the rule, said in one line
    refused = client.post(START, {"agency": elsewhere.code})
    assert "nơi bạn cư trú (Thành phố Hà Nội)" in refused.content.decode()
    assert not Dossier.objects.filter(applicant=parent).exists()


def test_a_search_without_accents_narrows_the_list(client, parent):
    ba_dinh = commune_centre(name="Trung tâm PVHCC phường Ba Đình")
    from dvc.agencies.tests.factories import AgencyFactory, commune

    other = AgencyFactory(code="000.01.02.H26", name="Trung tâm PVHCC phường Hoàn Kiếm", admin_unit=commune("00004"))
    found = client.get(START, {"q": "ba dinh"}).content.decode()
    assert ba_dinh.code in found and other.code not in found
    assert "Không có cơ quan nào có tên chứa" in client.get(START, {"q": "xyz"}).content.decode()


def test_a_procedure_open_anywhere_lets_the_citizen_pick_another_province(client, parent):
    from dvc.agencies.tests.factories import AgencyFactory, province

    centre = AgencyFactory(
        code="000.00.24.H27", name="Trung tâm PVHCC Thành phố Bắc Ninh", kind="province_centre", level="province",
        admin_unit=province("24"),
    )  # fmt: skip
    url = reverse("dossiers:start", args=["1.001456"])
    assert centre.code not in client.get(url).content.decode()  # the citizen's own province first
    page = client.get(url, {"tinh": "24"}).content.decode()
    assert centre.code in page and 'name="tinh"' in page
    client.post(url + "?tinh=24", {"agency": centre.code})
    assert Dossier.objects.filter(applicant=parent, agency=centre).exists()
