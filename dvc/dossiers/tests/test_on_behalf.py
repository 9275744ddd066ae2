"""Issue 19, part 6: filing on behalf (nộp hộ; seed 004 "người nộp hồ sơ, chủ hồ sơ"). The person filing may file for
someone else: a parent for a minor, a representative with a letter of authorization, an employee for the
organization. Both follow the dossier and get its notices as each chose; the result is issued in the owner's name
and lands in the owner's vault; the letter is a paper the officer sees and checks."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import run_tasks
from dvc.accounts.models import User
from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.citizen.drafting import dossier_save_draft, dossier_start
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import (
    RESULT_VALUES,
    agency_staff,
    commune_centre,
    pdf_upload,
    ready_draft,
)
from dvc.notify.models import Notice
from dvc.vault.models import StoredFile

pytestmark = pytest.mark.django_db
S = Dossier.Status


@pytest.fixture
def filer():
    return UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="+84912345678")


@pytest.fixture
def owner():
    return UserFactory(
        full_name="Trần Thị Bình", id_number="001192004321", phone="+84987000002", birth_date=dt.date(1992, 10, 5)
    )


@pytest.fixture
def draft(filer):
    return Dossier.objects.get(pk=ready_draft(filer, notify_sms=True).pk)


def set_owner(client, dossier, **fields):
    data = {
        "basis": "authorized", "owner_name": "Trần Thị Bình", "owner_id_number": "001192004321",
        "owner_birth_date": "05/10/1992", "owner_phone": "0987000002", "owner_notify_sms": "on", **fields,
    }  # fmt: skip
    return client.post(
        reverse("dossiers:on_behalf", args=[dossier.pk]), {k: v for k, v in data.items() if v is not None}
    )


def answer_for_owner(dossier):
    """The owner's own details the filer types after naming them (their sex and residence)."""
    dossier.refresh_from_db()
    sex = "male" if dossier.owner_data.get("id_number", "")[3] in "02468" else "female"  # as the number says
    answers = {**dossier.form_data, "gioi_tinh": sex, "noi_cu_tru": {"province": "01", "commune": "00004",
                                                                          "line": "Số 2 Liễu Giai"}}  # fmt: skip
    dossier_save_draft(
        dossier=dossier, actor=dossier.applicant, form_data=answers, submission_method="online",
        result_method="online", delivery_address={}, notify_sms=True, notify_email=False,
    )  # fmt: skip


def send(client, dossier):
    dossier.refresh_from_db()
    if dossier.owner_basis and dossier.owner_basis != "employee":
        answer_for_owner(dossier)
    client.post(reverse("dossiers:submit", args=[dossier.pk]), {"idempotency_key": "k1", "declaration": "on"})
    dossier.refresh_from_db()
    return dossier


def test_a_representative_needs_the_letter_of_authorization_before_sending(client, filer, draft):
    client.force_login(filer)
    page = set_owner(client, draft)
    assert page.status_code == 200  # saved, but the page says what is still missing
    assert "Chưa đính kèm văn bản ủy quyền của chủ hồ sơ." in page.content.decode()
    draft.refresh_from_db()
    assert draft.owner_basis == "authorized" and draft.owner_data["full_name"] == "Trần Thị Bình"
    check = client.get(reverse("dossiers:submit", args=[draft.pk])).content.decode()
    assert "Chưa đính kèm văn bản ủy quyền của chủ hồ sơ." in check
    assert reverse("dossiers:on_behalf", args=[draft.pk]) in check  # the message links to where it is put right
    assert send(client, draft).status == S.DRAFT

    page = set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    assert page.status_code == 302
    tasks = client.get(reverse("dossiers:edit", args=[draft.pk])).content.decode()
    assert "Nộp hộ cho <strong>Trần Thị Bình</strong>" in tasks


def test_the_owner_follows_the_dossier_gets_its_notices_and_the_result_in_their_vault(client, filer, owner, draft):
    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    client.force_login(owner)
    assert client.get(reverse("dossiers:detail", args=[draft.pk])).status_code == 404  # not before it is sent
    client.force_login(filer)
    sent = send(client, draft)
    assert sent.status == S.SUBMITTED and sent.owner == owner

    client.force_login(owner)
    assert sent.code in client.get(reverse("dossiers:mine")).content.decode()
    page = client.get(reverse("dossiers:detail", args=[sent.pk])).content.decode()
    assert "Hồ sơ được nộp hộ cho bạn" in page and "Nguyễn Văn An" in page
    assert reverse("dossiers:withdraw", args=[sent.pk]) not in page  # acting stays with the one who filed
    refused = client.post(reverse("dossiers:withdraw", args=[sent.pk]), {"reason": "Không cần nữa"})
    assert refused.status_code == 404
    receipt = client.get(reverse("dossiers:receipt", args=[sent.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.getvalue())).pages)
    assert "Chủ hồ sơ: Trần Thị Bình" in text and "Người nộp: Nguyễn Văn An" in text

    staff = agency_staff(sent.agency)
    dossier = dossier_receive(dossier=sent, actor=staff.officer)
    officer_page = _officer_page(client, staff.officer, dossier)
    assert "Chủ hồ sơ (nộp hộ)" in officer_page and "Văn bản ủy quyền, giấy giới thiệu (nộp hộ)" in officer_page
    dossier = dossier_assign(dossier=dossier, actor=staff.officer, specialist=staff.specialist)
    dossier = dossier_generate_result(dossier=dossier, actor=staff.specialist, values=RESULT_VALUES)
    dossier = dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="")
    dossier = dossier_approve(dossier=dossier, actor=staff.leader)
    run_tasks()

    result = StoredFile.objects.get(pk=dossier.result_file_id)
    assert result.owner == owner  # issued into the owner's vault
    with result.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "TRẦN THỊ BÌNH" in text and "001192004321" in text  # the certificate is about the owner
    assert "NGUYỄN VĂN AN" not in text and "001085012345" not in text
    assert Notice.objects.filter(user=owner, template="dossier_result_ready").exists()
    assert Notice.objects.filter(user=filer, template="dossier_result_ready").exists()
    from dvc.notify.models import Message

    texts = list(
        Message.objects.filter(template="dossier_result_ready", channel="sms").values_list("recipient", flat=True)
    )
    assert sorted(texts) == ["+84912345678", "+84987000002"]
    client.force_login(owner)
    assert client.get(reverse("dossiers:result", args=[dossier.pk])).status_code == 200


def _officer_page(client, officer, dossier) -> str:
    client.force_login(officer)
    return client.get(reverse("staff:detail", args=[dossier.pk])).content.decode()


def test_the_owner_chooses_how_they_are_told(client, filer, owner, draft):
    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    sent = send(client, draft)
    client.force_login(owner)
    client.post(reverse("dossiers:owner_notifications", args=[sent.pk]), {})  # neither SMS nor e-mail
    sent.refresh_from_db()
    assert not sent.owner_notify_sms
    client.force_login(filer)
    assert client.post(reverse("dossiers:owner_notifications", args=[sent.pk]), {"sms": "on"}).status_code == 302
    sent.refresh_from_db()
    assert not sent.owner_notify_sms  # only the owner changes the owner's choice


def test_a_parent_files_only_for_a_minor(client, filer, draft):
    client.force_login(filer)
    page = set_owner(client, draft, basis="parent", owner_birth_date="05/10/1992")
    assert "Chủ hồ sơ đã đủ 18 tuổi" in page.content.decode()
    draft.refresh_from_db()
    assert draft.owner_basis == ""  # nothing half saved
    answer = set_owner(
        client, draft, basis="parent", owner_name="Nguyễn Minh Khôi", owner_id_number="001226012345",
        owner_birth_date="01/11/2026", owner_phone="",
    )  # fmt: skip
    assert answer.status_code == 302  # a child: no letter needed
    assert send(client, draft).status == S.SUBMITTED


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"owner_id_number": "12345"}, "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ({"owner_id_number": "001085012345"}, "Đây là số của chính bạn"),
        ({"owner_phone": "12"}, "Số điện thoại di động không hợp lệ."),
        ({"owner_name": ""}, "Vui lòng nhập họ và tên chủ hồ sơ."),
        ({"owner_birth_date": "31/02/2020"}, "Ngày sinh chưa đúng dạng"),
        ({"basis": "employee", "owner_id_number": "0100109106"}, "Thủ tục này dành cho cá nhân"),
    ],
)
def test_bad_owner_details_get_a_clear_message_and_nothing_is_kept(client, filer, draft, fields, message):
    client.force_login(filer)
    page = set_owner(client, draft, **fields)
    assert page.status_code == 200 and message in page.content.decode()
    draft.refresh_from_db()
    assert draft.owner_basis == "" and draft.owner_data == {}


def test_an_employee_files_for_the_organization_with_its_letter(client, filer):
    """Chứng thực bản sao is for persons and organizations alike (1.004873 is for persons: refused above)."""
    organization = UserFactory(kind=User.Kind.ORGANIZATION, id_number="0100109106", full_name="Công ty TNHH An Bình")
    draft = dossier_start(applicant=filer, procedure=Procedure.objects.get(code="2.000815"), agency=commune_centre())
    client.force_login(filer)
    letter = {"owner_birth_date": "", "owner_phone": "", "authorization": pdf_upload("giay-gioi-thieu.pdf")}
    bad = set_owner(client, draft, basis="employee", owner_name="Công ty TNHH An Bình", owner_id_number="0312345679",
                    **letter)  # fmt: skip
    assert "Mã số thuế không hợp lệ" in bad.content.decode()
    letter["authorization"] = pdf_upload("giay-gioi-thieu.pdf")
    answer = set_owner(client, draft, basis="employee", owner_name="Công ty TNHH An Bình", owner_id_number="0100109106",
                       **letter)  # fmt: skip
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.owner == organization and draft.owner_data["kind"] == "organization"
    assert draft.form_data["nguoi_yeu_cau"]["id_number"] == "001085012345"  # the employee files as its representative


def test_filing_for_oneself_again_takes_the_owner_and_the_letter_out(client, filer, draft):
    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    client.post(reverse("dossiers:on_behalf", args=[draft.pk]), {"basis": ""})
    draft.refresh_from_db()
    assert draft.owner_basis == "" and draft.owner is None
    assert not draft.attachments.filter(purpose="authorization", replaced_at__isnull=True).exists()
    assert send(client, draft).status == S.SUBMITTED


def test_the_api_files_on_behalf_as_the_pages_do(client, filer, owner, draft):
    from dvc.accounts.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(user=filer)}"}
    url = f"/api/v1/dossiers/{draft.pk}"
    bad = client.put(f"{url}/owner", {"basis": "authorized", "full_name": "Trần Thị Bình", "id_number": "1"},
                     content_type="application/json", headers=headers)  # fmt: skip
    assert bad.status_code == 422 and "12 chữ số" in bad.json()["message"] + str(bad.json())
    answer = client.put(
        f"{url}/owner", {"basis": "authorized", "full_name": "Trần Thị Bình", "id_number": "001192004321",
                         "birth_date": "1992-10-05", "phone": "0987000002"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json()["owner_basis"] == "authorized"
    assert answer.json()["problems"]["owner"] == ["Chưa đính kèm văn bản ủy quyền của chủ hồ sơ."]
    letter = client.post(f"{url}/owner/authorization", {"file": pdf_upload("uy-quyen.pdf")}, headers=headers)
    assert letter.status_code == 201
    assert "noi_cu_tru.province" in client.get(url, headers=headers).json()["problems"]  # hers to give
    answers = {**answer.json()["form_data"], "gioi_tinh": "female",
               "noi_cu_tru": {"province": "01", "commune": "00004", "line": "Số 2 Liễu Giai"}}  # fmt: skip
    assert (
        client.patch(url, {"form_data": answers}, content_type="application/json", headers=headers).status_code == 200
    )
    sent = client.post(f"{url}/submit", {"idempotency_key": "api-on-behalf"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert sent.status_code == 200 and sent.json()["code"]
    owner_headers = {"Authorization": f"Bearer {api_token_create(user=owner)}"}
    seen = client.get(url, headers=owner_headers)
    assert seen.status_code == 200 and seen.json()["owner"]["full_name"] == "Trần Thị Bình"
    assert client.post(f"{url}/withdraw", {"reason": "x"}, content_type="application/json",
                       headers=owner_headers).status_code == 404  # fmt: skip


def test_the_form_takes_the_owner_in_the_requesters_place_and_back(client, filer, draft):
    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    draft.refresh_from_db()
    assert draft.form_data["nguoi_yeu_cau"] == {
        "full_name": "Trần Thị Bình", "id_number": "001192004321", "birth_date": "1992-10-05",
    }  # fmt: skip
    assert draft.form_data["dien_thoai"] == "0987000002" and "noi_cu_tru" not in draft.form_data  # hers to give
    client.post(reverse("dossiers:on_behalf", args=[draft.pk]), {"basis": ""})
    draft.refresh_from_db()
    assert draft.form_data["nguoi_yeu_cau"]["id_number"] == "001085012345"


def test_a_number_alone_does_not_put_a_dossier_in_a_strangers_list(client, filer, owner, draft):
    client.force_login(filer)
    set_owner(client, draft, owner_name="Lê Văn C", authorization=pdf_upload("uy-quyen.pdf"))  # Bình's number
    sent = send(client, draft)
    assert sent.status == S.SUBMITTED and sent.owner is None
    client.force_login(owner)
    assert sent.code not in client.get(reverse("dossiers:mine")).content.decode()
    assert client.get(reverse("dossiers:detail", args=[sent.pk])).status_code == 404


def test_the_owner_is_told_the_steps_not_what_only_the_filer_does(client, filer, owner, draft):
    from dvc.dossiers.backoffice.appraisal import dossier_request_supplement
    from dvc.notify.models import Message

    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    sent = send(client, draft)
    staff = agency_staff(sent.agency)
    dossier_request_supplement(dossier=sent, actor=staff.officer, note="Ảnh mờ", requirements=[])
    run_tasks()
    to_owner = list(Message.objects.filter(recipient="+84987000002").values_list("template", "body"))
    assert [t for t, _body in to_owner] == ["dossier_submitted"]  # not the request for papers: the filer acts on it
    assert "do Nguyễn Văn An nộp hộ" in to_owner[0][1]
    client.force_login(owner)
    page = client.get(reverse("dossiers:detail", args=[sent.pk])).content.decode()
    assert "owner_set" not in page and "khai nộp hộ" not in page  # the draft's earlier owners are not shown
    answer = client.post(reverse("dossiers:owner_notifications", args=[sent.pk]), {"email": "on"}, follow=True)
    assert "chưa có thư điện tử" in answer.content.decode()


def test_the_letter_can_be_replaced_when_the_officer_asks_for_it(client, filer, draft):
    from dvc.dossiers.backoffice.appraisal import dossier_request_supplement

    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    sent = send(client, draft)
    dossier_request_supplement(dossier=sent, actor=agency_staff(sent.agency).officer, note="Văn bản ủy quyền hết hạn",
                               requirements=[])  # fmt: skip
    page = client.get(reverse("dossiers:on_behalf", args=[sent.pk]))
    assert page.status_code == 200 and "chỉ thay được văn bản ủy quyền" in page.content.decode()
    answer = client.post(reverse("dossiers:on_behalf", args=[sent.pk]), {"authorization": pdf_upload("moi.pdf")})
    assert answer.status_code == 302
    letters = sent.attachments.filter(purpose="authorization", replaced_at__isnull=True)
    assert [a.stored_file.original_name for a in letters] == ["moi.pdf"]


def test_officers_find_a_dossier_by_its_owner_and_lists_say_whom_it_is_for(client, filer, owner, draft):
    from dvc.dossiers.backoffice.queues import queue

    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    sent = send(client, draft)
    assert "Nộp hộ cho Trần Thị Bình" in client.get(reverse("dossiers:mine")).content.decode()
    client.force_login(owner)
    assert "Do Nguyễn Văn An nộp hộ bạn" in client.get(reverse("dossiers:mine")).content.decode()
    officer = agency_staff(sent.agency).officer
    for term in ("001192004321", "tran thi binh", "Trần Thị"):
        assert [d.pk for d in queue(officer, "tat-ca", agency_ids=[sent.agency_id], q=term)] == [sent.pk]
    client.force_login(officer)
    assert "nộp hộ cho Trần Thị Bình" in client.get(reverse("staff:queue") + "?hang=moi").content.decode()


def test_the_filers_verified_identity_does_not_excuse_the_owners_identity_paper(client, filer, draft):
    from django.utils import timezone

    from dvc.dossiers.citizen.sending import submission_problems

    User.objects.filter(pk=filer.pk).update(identity_verified_at=timezone.now())
    identity = draft.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    draft.attachments.all().delete()
    draft = Dossier.objects.get(pk=draft.pk)
    assert f"requirement-{identity.pk}" not in submission_problems(draft)  # the filer's own: verified, not asked
    client.force_login(filer)
    set_owner(client, draft, authorization=pdf_upload("uy-quyen.pdf"))
    draft = Dossier.objects.get(pk=draft.pk)
    assert f"requirement-{identity.pk}" in submission_problems(draft)  # the owner's is asked
