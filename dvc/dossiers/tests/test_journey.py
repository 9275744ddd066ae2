import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import BIRTH_FORM, commune_centre, pdf_upload, photo_upload, sign_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(client):
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="+84912345678")
    client.force_login(user)
    return user


def test_birth_registration_from_the_catalog_to_the_receipt(client, citizen, outbox, tasks):
    agency = commune_centre(name="Trung tâm PVHCC phường Ba Đình")
    procedure = Procedure.objects.get(code="1.001193")
    # Find it, start it: the procedure page's button leads to the start page.
    page = client.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    start_url = reverse("dossiers:start", args=["1.001193"])
    assert start_url in page
    response = client.post(start_url, {"agency": agency.code})
    dossier = Dossier.objects.get(applicant=citizen)
    # Issue 16: a task list, one page per section; starting opens the first section directly.
    assert response.url == reverse("dossiers:section", args=[dossier.pk, "to-khai"])
    # The form is prefilled from the profile.
    html = client.get(response.url).content.decode()
    assert 'value="Nguyễn Văn An"' in html and 'value="0912345678"' in html
    answers = {key: value for key, value in BIRTH_FORM.items() if key.startswith("f-")}
    delivery = {key: value for key, value in BIRTH_FORM.items() if key.startswith("d-")}
    response = client.post(response.url, {**answers, "draft": "1", "section": "to-khai", "continue": "1"})
    assert response.url == reverse("dossiers:section", args=[dossier.pk, "giay-to"])
    # Both papers chosen on the papers page, sent with "Lưu và tiếp tục".
    birth_certificate = procedure.requirements.get(name="Giấy chứng sinh")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    files = {f"file-{birth_certificate.pk}": pdf_upload(), f"file-{identity.pk}": photo_upload()}
    response = client.post(response.url, {**files, "section": "giay-to", "continue": "1"})
    assert response.url == reverse("dossiers:section", args=[dossier.pk, "nhan-ket-qua"])
    saved = client.post(response.url, {**delivery, "draft": "1", "section": "nhan-ket-qua", "save": "1"}, follow=True)
    assert "Đã lưu hồ sơ" in saved.content.decode()  # "Lưu lại, làm tiếp sau": back on the task list
    tasks_page = saved.content.decode()
    assert tasks_page.count(">Đã xong<") == 2 and ">Đang làm<" in tasks_page and ">Chưa bắt đầu<" in tasks_page
    drafts = client.get(reverse("dossiers:mine") + "?muc=chua-gui").content.decode()
    assert "Đăng ký khai sinh" in drafts
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi" and dossier.attachments.count() == 2
    response = client.post(
        reverse("dossiers:section", args=[dossier.pk, "nhan-ket-qua"]),
        {**delivery, "draft": "1", "section": "nhan-ket-qua", "continue": "1"},
    )
    assert response.url == reverse("dossiers:section", args=[dossier.pk, "ky-so"])
    # Birth registration needs the declaration signed: download it, sign it, upload it.
    form_pdf = client.get(reverse("dossiers:printable", args=[dossier.pk])).content
    signed = sign_as(citizen, form_pdf)
    response = client.post(
        reverse("dossiers:signed_form", args=[dossier.pk]), {"file": SimpleUploadedFile("ky.pdf", signed)}, follow=True
    )
    assert "Chữ ký số hợp lệ" in response.content.decode()
    tasks_page = client.get(reverse("dossiers:edit", args=[dossier.pk])).content.decode()
    assert tasks_page.count(">Đã xong<") == 4 and reverse("dossiers:submit", args=[dossier.pk]) in tasks_page
    response = client.post(
        reverse("dossiers:section", args=[dossier.pk, "ky-so"]), {"section": "ky-so", "continue": "1"}
    )
    assert response.url == reverse("dossiers:submit", args=[dossier.pk])
    page = client.get(response.url).content.decode()
    # Issue 16: the check page shows every answer and file, with "Sửa" links; one declaration (the e-form's) and no
    # image captcha for a citizen signed in with password and OTP.
    assert "Nguyễn Minh Khôi" in page and "Phường Ba Đình, Thành phố Hà Nội" in page and "giay-chung-sinh.pdf" in page
    assert page.count(">Sửa<") >= 3
    assert 'name="captcha_1"' not in page and 'name="declaration"' not in page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = client.post(
        response.url,
        {"idempotency_key": key},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    assert re.fullmatch(r"000\.01\.01\.H26-\d{6}-0001", dossier.code)
    assert dossier.code in response.content.decode()
    assert dossier.due_at is not None and dossier.fee_status == Dossier.FeeStatus.UNPAID
    # Issue 16: a confirmation panel with the code large, what happens next and the expected date; a timeline.
    confirmation = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?vua-gui=1")
    assert f'<p class="big-code"><strong>{dossier.code}</strong></p>' in confirmation and "Tiếp theo" in confirmation
    assert "Ngày hẹn trả dự kiến" in confirmation and "Thanh toán phí, lệ phí ở mục bên dưới" in confirmation
    assert re.search(r'<li class="step-done">Đã nộp', confirmation)
    assert re.search(r'<li class="step-current" aria-current="step">Tiếp nhận', confirmation)
    assert "Đã gửi hồ sơ" not in client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    # Receipt PDF with the code, the papers and the lookup address (the QR code encodes it).
    receipt = client.get(reverse("dossiers:receipt", args=[dossier.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(receipt.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert dossier.code in text and "GIẤY TIẾP NHẬN HỒ SƠ" in text and "Giấy chứng sinh" in text
    assert f"/tra-cuu/?ma={dossier.code}" in text
    assert any(page.images for page in reader.pages)
    # The applicant is told by SMS.
    tasks()
    assert any(dossier.code in sms["body"] for sms in outbox.sms())
    # The lookup page shows the dossier with a masked name.
    lookup = client.get(reverse("dossiers:lookup"), {"ma": dossier.code}).content.decode()
    assert "Nguyễn V*** A" in lookup and "Nguyễn Văn An" not in lookup
    # History shows who did what.
    detail = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Gửi hồ sơ" in detail and "Tạo hồ sơ" in detail


def test_continue_with_missing_parts_lists_them(client, citizen):
    agency = commune_centre()
    client.post(reverse("dossiers:start", args=["1.001193"]), {"agency": agency.code})
    dossier = Dossier.objects.get(applicant=citizen)
    answers = {key: value for key, value in BIRTH_FORM.items() if key.startswith("f-")}
    response = client.post(
        reverse("dossiers:section", args=[dossier.pk, "to-khai"]),
        {**answers, "f-ho_ten_tre": "", "draft": "1", "section": "to-khai", "continue": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Lỗi: Tờ khai" in html
    assert 'href="#id_f-ho_ten_tre">Họ, chữ đệm, tên của trẻ: Vui lòng nhập' in html  # the summary links to the field
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DRAFT and dossier.form_data["noi_sinh"] == "Bệnh viện Phụ sản Hà Nội"
    # The check page lists what still stops sending, each linked to the section where it is put right.
    check = client.get(reverse("dossiers:submit", args=[dossier.pk])).content.decode()
    papers = reverse("dossiers:section", args=[dossier.pk, "giay-to"])
    assert re.search(rf'<a href="{papers}#req-\d+">Chưa đính kèm: Giấy chứng sinh.</a>', check)
    assert 'name="idempotency_key"' not in check


def test_printable_form_contains_the_answers(client, citizen):
    agency = commune_centre()
    client.post(reverse("dossiers:start", args=["1.001193"]), {"agency": agency.code})
    dossier = Dossier.objects.get(applicant=citizen)
    client.post(reverse("dossiers:edit", args=[dossier.pk]), {**BIRTH_FORM, "save": "1"})
    pdf = client.get(reverse("dossiers:printable", args=[dossier.pk]))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages]
    text = "".join(pages)
    assert "Nguyễn Minh Khôi" in text and "Phường Ba Đình" in text
    # Issue 17: addressed to the body that decides on it, not "Ủy ban nhân dân cấp xã"; no note meant for the web;
    # the signer's block on the page of the last answer, never alone.
    assert "Kính gửi: Ủy ban nhân dân phường Ba Đình" in text and "cấp xã" not in text
    assert "Mục có (*) là bắt buộc" not in text
    assert "NGƯỜI KHAI" in pages[-1] and "Tôi cam đoan nội dung khai" in pages[-1]


def test_withdraw_a_submitted_dossier(client, citizen, submitted_dossier):
    dossier = submitted_dossier(citizen)
    response = client.post(reverse("dossiers:withdraw", args=[dossier.pk]), {"reason": "Nộp nhầm"}, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.WITHDRAWN
    assert "Đã rút hồ sơ" in response.content.decode()
    assert dossier.events.last().note == "Nộp nhầm"


def test_procedures_without_online_filing_cannot_start(client, citizen):
    commune_centre()
    page = client.get(reverse("catalog:detail", args=["2.000884"])).content.decode()
    assert reverse("dossiers:start", args=["2.000884"]) not in page


def test_postal_choices_show_the_post_office_price(client, citizen, settings):
    settings.DVC_POSTAL_FEE_PICKUP = 18000
    settings.DVC_POSTAL_FEE_DELIVERY = 25000
    agency = commune_centre()
    client.post(reverse("dossiers:start", args=["1.001193"]), {"agency": agency.code})
    dossier = Dossier.objects.get(applicant=citizen)
    html = client.get(reverse("dossiers:section", args=[dossier.pk, "nhan-ket-qua"])).content.decode()
    assert "Bưu điện đến nhận hồ sơ giấy tại nhà — cước bưu chính 18.000 đồng" in html
    assert "Nhận qua bưu chính công ích — cước bưu chính 25.000 đồng" in html
    assert "Nhận kết quả trực tuyến —" not in html
