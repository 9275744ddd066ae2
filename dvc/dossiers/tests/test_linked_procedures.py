"""Issue 19, part 1: linked procedures (liên thông, NĐ 63/2024/NĐ-CP). One filing of the newborn group opens a
birth registration at the commune; its result opens the residence registration at the commune police and the health
insurance card at social insurance, each in its own agency's queue with its own clock; the parent settles when all
are done, within the group's deadline."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import AdminUnit, Agency
from dvc.agencies.tests.factories import AgencyFactory
from dvc.catalog import eform
from dvc.catalog.linked import parse
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import (
    dossier_assign,
    dossier_generate_result,
    dossier_propose,
    dossier_upload_result,
)
from dvc.dossiers.backoffice.decision import dossier_approve, dossier_refuse
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.backoffice.queues import queue
from dvc.dossiers.citizen.drafting import dossier_save_draft, dossier_start
from dvc.dossiers.citizen.papers import dossier_attach
from dvc.dossiers.citizen.sending import dossier_submit
from dvc.dossiers.citizen.signing import declaration_pdf, dossier_attach_signed_form
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.dossiers.tests.factories import PDF_BYTES, agency_staff, commune_centre, pdf_upload, sign_as
from dvc.errors import InvalidInput
from dvc.stats.models import DailyFigure

pytestmark = pytest.mark.django_db
S = Dossier.Status

NEWBORN_ANSWERS: dict[str, Any] = {
    "nguoi_yeu_cau": {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-12", "id_number": "001085012345"},
    "dien_thoai": "0912345678",
    "noi_cu_tru": {"province": "01", "commune": "00004", "line": "Số 1 Liễu Giai"},
    "ho_ten_tre": "Nguyễn Minh Khôi",
    "ngay_sinh_tre": "2026-11-01",
    "gioi_tinh": "male",
    "noi_sinh": "Bệnh viện Phụ sản Hà Nội",
    "dan_toc": "Kinh",
    "quoc_tich": "Việt Nam",
    "que_quan": "Xã Thanh Lâm, Thành phố Hà Nội",
    "me": {"full_name": "Trần Thị Bình", "birth_date": "1992-10-05"},
    "me_dan_toc": "Kinh",
    "me_quoc_tich": "Việt Nam",
    "me_noi_cu_tru": "Số 1 Liễu Giai, phường Ba Đình, Thành phố Hà Nội",
    "quan_he": "cha_me",
    "noi_thuong_tru": {"province": "01", "commune": "00004", "line": "Số 1 Liễu Giai"},
    "chu_ho": "Nguyễn Văn An",
    "quan_he_chu_ho": "Con",
    "noi_kcb": "Trạm y tế phường Ba Đình",
    "cam_doan": True,
}
CHILD_ID = "001226012345"


def ba_dinh_agencies(*, insurance_outside: bool = False) -> dict[str, Agency]:
    ward = AdminUnit.objects.get(level=AdminUnit.Level.COMMUNE, code="00004")
    centre = commune_centre(name="Trung tâm Phục vụ hành chính công phường Ba Đình", admin_unit=ward)
    police = AgencyFactory(
        code="000.01.02.H26", name="Công an phường Ba Đình", kind=Agency.Kind.COMMUNE_POLICE,
        level=Agency.Level.COMMUNE, admin_unit=ward,
    )  # fmt: skip
    insurance = AgencyFactory(
        code="000.01.03.H26", name="Bảo hiểm xã hội khu vực I", kind=Agency.Kind.SOCIAL_INSURANCE,
        level=Agency.Level.PROVINCE, admin_unit=ward.parent,
        exchange_address="bhxh.vn:khu-vuc-1" if insurance_outside else "",
    )  # fmt: skip
    return {"centre": centre, "police": police, "insurance": insurance}


def file_newborn_group(parent_user, agency) -> Dossier:
    group = Procedure.objects.get(code="3.000722")
    dossier = dossier_start(applicant=parent_user, procedure=group, agency=agency)
    dossier_save_draft(
        dossier=dossier, actor=parent_user, form_data=NEWBORN_ANSWERS, submission_method="online",
        result_method="online", delivery_address={}, notify_sms=True, notify_email=False,
    )  # fmt: skip
    birth_paper = group.requirements.get(name="Giấy chứng sinh")
    dossier_attach(dossier=dossier, actor=parent_user, requirement=birth_paper, upload=pdf_upload())
    dossier.refresh_from_db()
    signed = sign_as(parent_user, declaration_pdf(dossier))
    dossier_attach_signed_form(
        dossier=dossier, actor=parent_user,
        upload=SimpleUploadedFile("to-khai.pdf", signed, content_type="application/pdf"),
    )  # fmt: skip
    return dossier_submit(dossier=Dossier.objects.get(pk=dossier.pk), actor=parent_user, idempotency_key="g1")


def resolve(component: Dossier, staff, *, values=None) -> Dossier:
    """The component's own agency receives, appraises and signs its result."""
    if component.status == S.SUBMITTED:
        component = dossier_receive(dossier=component, actor=staff.officer)
    component = dossier_assign(dossier=component, actor=staff.officer, specialist=staff.specialist)
    if values is not None:
        component = dossier_generate_result(dossier=component, actor=staff.specialist, values=values)
    else:
        component = dossier_upload_result(
            dossier=component, actor=staff.specialist,
            upload=SimpleUploadedFile("ket-qua.pdf", declaration_pdf(component), content_type="application/pdf"),
        )  # fmt: skip
    component = dossier_propose(dossier=component, actor=staff.specialist, decision="approve", note="")
    return dossier_approve(dossier=component, actor=staff.leader)


def new_in(officer, agency) -> list[Dossier]:
    """The "Hồ sơ mới" queue of an agency's one-stop officer."""
    return list(queue(officer, "moi", agency_ids=[agency.pk]))


@pytest.fixture
def newborn():
    agencies = ba_dinh_agencies()
    staff = {name: agency_staff(agency) for name, agency in agencies.items()}
    citizen = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="0912345678")
    return agencies, staff, citizen


def test_the_catalog_groups_cover_their_components_deadlines():
    for code in ("3.000722", "3.000723"):
        group = Procedure.objects.get(code=code)
        assert len(parse(group.components).components) == 3
        assert parse(group.components).critical_days() <= group.processing_days
    assert Procedure.objects.get(code="3.000722").processing_days == 5  # NĐ 63/2024/NĐ-CP, seed 002


def test_filing_once_opens_the_birth_registration_in_the_communes_queue(newborn):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    assert parent.is_group and parent.status == S.PROCESSING and parent.code.startswith("000.01.01.H26-")
    calendar = WorkingCalendar(agencies["centre"])
    assert parent.due_at == calendar.due_moment(parent.submitted_at, 5)
    (birth,) = parent.components.all()
    assert birth.procedure.code == "1.001193" and birth.agency == agencies["centre"] and birth.status == S.SUBMITTED
    assert eform.validate_answers(birth.procedure.form_schema, birth.form_data).errors == {}
    # The signed declaration and the hospital's paper went with it.
    assert DossierAttachment.objects.filter(dossier=birth).count() == 2
    commune_queue = new_in(staff["centre"].officer, agencies["centre"])
    assert [d.pk for d in commune_queue] == [birth.pk]  # the parent itself is in no queue
    assert new_in(staff["police"].officer, agencies["police"]) == []


def test_each_agency_resolves_its_part_and_the_citizen_gets_three_results(newborn, client):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    birth = resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    assert birth.status == S.RESULT_READY
    residence = parent.components.get(component_key="thuong_tru")
    card = parent.components.get(component_key="the_bhyt")
    assert residence.agency == agencies["police"] and card.agency == agencies["insurance"]
    # The child's personal id number from the birth certificate flows to both.
    assert residence.form_data["nguoi_cung_thay_doi"][0]["so_dinh_danh"] == CHILD_ID
    assert card.form_data["so_dinh_danh_tre"] == CHILD_ID
    assert eform.validate_answers(residence.procedure.form_schema, residence.form_data).errors == {}
    assert eform.validate_answers(card.procedure.form_schema, card.form_data).errors == {}
    # The signed birth certificate is one of their papers.
    assert DossierAttachment.objects.filter(dossier=card, stored_file=birth.result_file).exists()
    assert [d.pk for d in new_in(staff["police"].officer, agencies["police"])] == [residence.pk]
    assert [d.pk for d in new_in(staff["insurance"].officer, agencies["insurance"])] == [card.pk]
    residence = dossier_receive(dossier=residence, actor=staff["police"].officer)
    assert residence.due_at == WorkingCalendar(agencies["police"]).due_moment(residence.received_at, 3)

    resolve(Dossier.objects.get(pk=residence.pk), staff["police"])
    parent.refresh_from_db()
    assert parent.status == S.PROCESSING  # the card is still being made
    card = resolve(card, staff["insurance"], values={"ma_so_bhxh": "0126012345", "han_the": "đến 31/10/2032"})
    with card.result_file.file.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(handle).pages)
    assert "NGUYỄN MINH KHÔI" in text and "0126012345" in text and CHILD_ID in text
    assert card.result_file.document_type == "the_bhyt"
    parent.refresh_from_db()
    assert parent.status == S.RESULT_READY and parent.decided_at <= parent.due_at

    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[parent.pk])).content.decode()
    for component in parent.components.all():
        assert component.code in page and reverse("dossiers:result", args=[component.pk]) in page
    assert "Đăng ký thường trú — Công an phường Ba Đình" in page  # the parts' steps in the group's history
    mine = client.get(reverse("dossiers:mine")).content.decode()
    assert parent.code in mine and birth.code not in mine  # followed as one dossier


def test_statistics_count_each_component_for_its_agency_and_the_group_for_the_receiving_one(newborn):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    for key, name in (("thuong_tru", "police"), ("the_bhyt", "insurance")):
        resolve(parent.components.get(component_key=key), staff[name])

    def resolved(agency, code):
        return sum(DailyFigure.objects.filter(agency=agency, procedure__code=code).values_list("processed", flat=True))

    assert resolved(agencies["centre"], "3.000722") == 1
    assert resolved(agencies["centre"], "1.001193") == 1
    assert resolved(agencies["police"], "1.004222") == 1
    assert resolved(agencies["insurance"], "1.011426") == 1


def test_a_refused_birth_registration_closes_the_group_without_opening_the_rest(newborn):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    dossier_refuse(dossier=parent.components.get(), actor=staff["centre"].officer, reason="Giấy chứng sinh không rõ.")
    parent.refresh_from_db()
    assert parent.status == S.REFUSED and parent.components.count() == 1


def test_the_refused_citizen_reads_the_reason_and_downloads_form_03(newborn, client):
    """The refusal message says "Xem văn bản từ chối tại mục Hồ sơ của tôi": the page has it."""
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    birth = parent.components.get()
    dossier_refuse(dossier=birth, actor=staff["centre"].officer, reason="Giấy chứng sinh không rõ.")
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[birth.pk])).content.decode()
    assert "Giấy chứng sinh không rõ." in page and reverse("dossiers:refusal", args=[birth.pk]) in page
    form = client.get(reverse("dossiers:refusal", args=[birth.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(form.getvalue())).pages)
    assert "PHIẾU TỪ CHỐI" in text and "Giấy chứng sinh không rõ." in text
    client.force_login(UserFactory())
    assert client.get(reverse("dossiers:refusal", args=[birth.pk])).status_code == 404  # another person's


def test_no_police_at_the_chosen_commune_is_said_before_sending(newborn):
    agencies, _staff, citizen = newborn
    Agency.objects.filter(pk=agencies["police"].pk).update(kind=Agency.Kind.COMMUNE_CENTRE)
    with pytest.raises(InvalidInput) as raised:
        file_newborn_group(citizen, agencies["centre"])
    assert "Chưa có công an xã, phường nhận hồ sơ liên thông" in " ".join(raised.value.errors["agency"])
    assert Dossier.objects.get(procedure__code="3.000722").status == S.DRAFT


def test_pdf_bytes_fixture_is_a_pdf():
    assert PDF_BYTES.startswith(b"%PDF")


def test_the_api_shows_a_linked_dossier_with_its_parts(newborn, client):
    from dvc.accounts.services import api_token_create

    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    headers = {"Authorization": f"Bearer {api_token_create(user=citizen)}"}
    seen = client.get(f"/api/v1/dossiers/{parent.pk}", headers=headers).json()
    parts = {p["procedure"]: p for p in seen["components"]}
    assert set(parts) == {"1.001193", "1.004222", "1.011426"}
    assert parts["1.001193"]["has_result"] and parts["1.004222"]["agency"] == "000.01.02.H26"
    listed = client.get("/api/v1/dossiers", headers=headers).json()
    assert [d["code"] for d in listed] == [parent.code]


def test_a_part_taken_back_before_receipt_lets_the_group_settle_with_the_rest(newborn, client):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    card = parent.components.get(component_key="the_bhyt")
    client.force_login(citizen)
    client.post(reverse("dossiers:withdraw", args=[card.pk]), {"reason": "Đã có thẻ từ nơi khác"})
    card.refresh_from_db()
    assert card.status == S.WITHDRAWN
    resolve(parent.components.get(component_key="thuong_tru"), staff["police"])
    parent.refresh_from_db()
    assert parent.status == S.RESULT_READY


def test_a_group_whose_every_part_was_taken_back_is_withdrawn(newborn, client):
    agencies, _staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    client.force_login(citizen)
    client.post(reverse("dossiers:withdraw", args=[parent.components.get().pk]), {"reason": "Nộp nhầm"})
    parent.refresh_from_db()
    assert parent.status == S.WITHDRAWN


def test_the_group_is_returned_once_every_part_is_handed_over(newborn):
    from dvc.dossiers.backoffice.delivery import dossier_return_result

    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    resolve(parent.components.get(component_key="thuong_tru"), staff["police"])
    resolve(parent.components.get(component_key="the_bhyt"), staff["insurance"])
    for key, name in (("khai_sinh", "centre"), ("thuong_tru", "police"), ("the_bhyt", "insurance")):
        part = parent.components.get(component_key=key)
        dossier_return_result(dossier=part, actor=staff[name].officer, method="online", note="")
        parent.refresh_from_db()
        assert parent.status == (S.RETURNED if key == "the_bhyt" else S.RESULT_READY)


def test_officers_cannot_act_on_the_group_itself_only_on_its_parts(newborn, client):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    client.force_login(staff["centre"].leader)
    answer = client.post(reverse("staff:act", args=[parent.pk, "tu-choi"]), {"reason": "Thử từ chối cả nhóm"})
    assert answer.status_code == 403
    parent.refresh_from_db()
    assert parent.status == S.PROCESSING


def test_a_part_whose_agency_closed_after_filing_is_not_sent_elsewhere(newborn):
    import datetime as dt

    from django.utils import timezone

    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    Agency.objects.filter(pk=agencies["police"].pk).update(effective_to=timezone.localdate() - dt.timedelta(days=1))
    resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    assert not parent.components.filter(component_key="thuong_tru").exists()
    resolve(parent.components.get(component_key="the_bhyt"), staff["insurance"])
    parent.refresh_from_db()
    assert parent.status == S.RESULT_READY
    assert "1.004222: không có cơ quan giải quyết" in parent.events.last().note


def test_what_flows_to_the_next_parts_reads_as_written_and_sits_where_it_belongs(newborn, client):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    client.force_login(citizen)
    page = client.get(reverse("dossiers:detail", args=[parent.pk])).content.decode()
    assert "Công an phường Ba Đình" in page and "Bảo hiểm xã hội khu vực I" in page  # who will handle what waits
    birth = resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    residence = parent.components.get(component_key="thuong_tru")
    assert "sinh ngày 01/11/2026" in residence.form_data["noi_dung"]  # not 2026-11-01
    certificate = DossierAttachment.objects.get(dossier=residence, stored_file=birth.result_file)
    assert certificate.requirement is None  # the birth certificate is not "proof of lawful accommodation"
    assert birth.result_file.title == "Giấy khai sinh — Nguyễn Minh Khôi"  # the child's, in the parent's vault
    receipt = client.get(reverse("dossiers:receipt", args=[parent.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.getvalue())).pages)
    assert "Đăng ký thường trú — Công an phường Ba Đình" in text and "Cán bộ tiếp nhận" not in text


def test_the_single_procedures_page_points_to_the_linked_one_and_the_group_lists_its_agencies(client):
    birth = client.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    assert reverse("catalog:detail", args=["3.000722"]) in birth and "Nộp một lần, làm nhiều việc" in birth
    group = client.get(reverse("catalog:detail", args=["3.000722"])).content.decode()
    assert "Đăng ký thường trú — Công an xã, phường" in group
    assert "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi — Cơ quan Bảo hiểm xã hội" in group


def test_the_queue_marks_parts_and_the_police_have_no_civil_register(newborn, client):
    agencies, staff, citizen = newborn
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), staff["centre"], values={"so_dinh_danh_tre": CHILD_ID})
    client.force_login(staff["police"].officer)
    page = client.get(reverse("staff:queue") + "?hang=moi").content.decode()
    assert "liên thông" in page and reverse("staff:civil_register") not in page
    client.force_login(staff["centre"].officer)
    assert reverse("staff:civil_register") in client.get(reverse("staff:queue")).content.decode()
