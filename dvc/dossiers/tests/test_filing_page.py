"""The filing page never loses what was typed (issue 16, part 1): every button saves the answers first, each paper
is attached on its own with its error beside it, and a session that ends mid-form keeps the answers until login."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import BIRTH_FORM, commune_centre, pdf_upload, photo_upload

pytestmark = pytest.mark.django_db
PAGE = {**BIRTH_FORM, "draft": "1"}


@pytest.fixture
def filing(client):
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="+84912345678")
    client.force_login(user)
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    papers = {r.name.split(" (")[0]: r for r in dossier.procedure.requirements.all()}
    return user, dossier, papers


def _requirement(papers, start):
    return next(r for name, r in papers.items() if name.startswith(start))


def test_typed_answers_survive_an_upload(client, filing):
    """Reproduced: type the child's name, upload the birth certificate: the name was empty again."""
    _user, dossier, papers = filing
    birth = _requirement(papers, "Giấy chứng sinh")
    response = client.post(
        reverse("dossiers:upload", args=[dossier.pk]),
        {**PAGE, f"file-{birth.pk}": pdf_upload(), "requirement": birth.pk},
    )
    assert response.status_code == 302 and response.url.endswith(f"#req-{birth.pk}")
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"
    assert dossier.attachments.filter(requirement=birth, replaced_at__isnull=True).count() == 1
    assert response.url.startswith(reverse("dossiers:section", args=[dossier.pk, "giay-to"]))
    assert "giay-chung-sinh.pdf" in client.get(response.url).content.decode()
    form_page = client.get(reverse("dossiers:section", args=[dossier.pk, "to-khai"])).content.decode()
    assert 'value="Nguyễn Minh Khôi"' in form_page


def test_answers_typed_on_the_form_page_are_kept_while_papers_come_and_go(client, filing):
    """The task list: the papers page posts no answers, so nothing it does can empty what the form page saved."""
    _user, dossier, papers = filing
    birth = _requirement(papers, "Giấy chứng sinh")
    answers = {key: value for key, value in PAGE.items() if key.startswith("f-")}
    client.post(
        reverse("dossiers:section", args=[dossier.pk, "to-khai"]),
        {**answers, "draft": "1", "section": "to-khai", "save": "1"},
    )
    papers_page = reverse("dossiers:section", args=[dossier.pk, "giay-to"])
    client.post(papers_page, {"section": "giay-to", f"file-{birth.pk}": pdf_upload(), "save": "1"})
    attachment = dossier.attachments.get(requirement=birth)
    client.post(reverse("dossiers:remove_attachment", args=[dossier.pk, attachment.pk]), {"section": "giay-to"})
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi" and dossier.delivery_address == {}
    assert (
        'value="Nguyễn Minh Khôi"'
        in client.get(reverse("dossiers:section", args=[dossier.pk, "to-khai"])).content.decode()
    )


def test_one_refused_paper_does_not_block_the_others_and_its_error_sits_beside_it(client, filing):
    _user, dossier, papers = filing
    birth, identity = _requirement(papers, "Giấy chứng sinh"), _requirement(papers, "Giấy tờ tùy thân")
    fake = SimpleUploadedFile("giay-chung-sinh.pdf", b"this is text, not a PDF", content_type="application/pdf")
    response = client.post(
        reverse("dossiers:section", args=[dossier.pk, "giay-to"]),
        {
            "section": "giay-to",
            f"file-{birth.pk}": fake,
            f"file-{identity.pk}": photo_upload("cccd.jpg"),
            "continue": "1",
        },
    )
    assert response.status_code == 302 and response.url.endswith(f"/giay-to/#req-{birth.pk}")  # at the paper refused
    assert dossier.attachments.filter(requirement=identity).count() == 1
    assert not dossier.attachments.filter(requirement=birth).exists()
    page = client.get(response.url).content.decode()
    item = re.search(rf'<li id="req-{birth.pk}"[^>]*>(.*?)</li>', page, re.S).group(1)
    assert 'class="error" id="req-' in item and 'aria-invalid="true"' in item  # the reason, under that paper
    assert f'<a href="#file-{birth.pk}">Giấy chứng sinh' in page  # and in the summary at the top, linked to it
    assert 'class="error" id="req-' not in client.get(response.url).content.decode()  # shown once


def test_removing_a_paper_or_printing_the_form_saves_what_was_typed(client, filing):
    _user, dossier, papers = filing
    identity = _requirement(papers, "Giấy tờ tùy thân")
    client.post(reverse("dossiers:upload", args=[dossier.pk]), {f"file-{identity.pk}": photo_upload(), **PAGE})
    attachment = dossier.attachments.get(requirement=identity)
    client.post(
        reverse("dossiers:remove_attachment", args=[dossier.pk, attachment.pk]), {**PAGE, "f-noi_sinh": "Nhà riêng"}
    )
    dossier.refresh_from_db()
    assert dossier.form_data["noi_sinh"] == "Nhà riêng" and not dossier.attachments.filter(replaced_at=None).exists()
    pdf = client.post(reverse("dossiers:printable", args=[dossier.pk]), {**PAGE, "f-ho_ten_tre": "Nguyễn Minh An"})
    assert pdf.content.startswith(b"%PDF")
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh An"


def test_an_incomplete_delivery_choice_is_shown_again_as_typed_and_touches_nothing_else(client, filing):
    _user, dossier, _papers = filing
    answers = {key: value for key, value in PAGE.items() if key.startswith("f-")}
    client.post(
        reverse("dossiers:section", args=[dossier.pk, "to-khai"]), {**answers, "draft": "1", "section": "to-khai"}
    )
    post = {"draft": "1", "section": "nhan-ket-qua", "d-submission_method": "online", "d-result_method": "post",
            "d-address_line": "Số 9 Liễu Giai", "continue": "1"}  # fmt: skip
    response = client.post(reverse("dossiers:section", args=[dossier.pk, "nhan-ket-qua"]), post)
    page = response.content.decode()
    assert response.status_code == 200 and 'value="Số 9 Liễu Giai"' in page
    assert '<a href="#id_d-province">Vui lòng nhập địa chỉ để bưu điện' in page  # "Lưu và tiếp tục" checks the section
    dossier.refresh_from_db()  # the choice is kept as a draft; the answers of the other page are untouched
    assert dossier.result_method == "post" and dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"


def test_enter_in_a_text_box_saves_and_never_removes_a_paper(client, filing):
    _user, dossier, _papers = filing
    for section in ("to-khai", "giay-to", "nhan-ket-qua", "ky-so"):
        page = client.get(reverse("dossiers:section", args=[dossier.pk, section])).content.decode()
        form = page[page.index('id="ho-so"') :]
        first_button = re.search(r"<button[^>]*>", form).group(0)
        assert 'name="save"' in first_button and "formaction" not in first_button
        assert form.count("<form") == 0  # one form: every button sends what was typed


def test_a_session_that_ended_mid_form_keeps_the_answers_until_login(client, filing):
    """Reproduced: the session expired, "Lưu lại" led to the login page, and the typed data was gone."""
    user, dossier, _papers = filing
    client.logout()
    response = client.post(reverse("dossiers:edit", args=[dossier.pk]), {**PAGE, "save": "1"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Phiên đăng nhập đã hết hạn" in response.content.decode()
    dossier.refresh_from_db()
    assert "ho_ten_tre" not in dossier.form_data  # nothing saved without a signed-in owner
    client.force_login(user)
    page = client.get(reverse("dossiers:edit", args=[dossier.pk]), follow=True).content.decode()
    assert "Đã lưu những gì bạn nhập trước khi phiên đăng nhập hết hạn" in page
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"


def test_answers_kept_from_an_ended_session_go_to_no_one_else(client, filing):
    _user, dossier, _papers = filing
    client.logout()
    client.post(reverse("dossiers:edit", args=[dossier.pk]), {**PAGE, "save": "1"})
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("dossiers:edit", args=[dossier.pk])).status_code == 404
    dossier.refresh_from_db()
    assert "ho_ten_tre" not in dossier.form_data and Dossier.objects.count() == 1


def test_the_pages_script_saves_answers_after_typing_stops_without_a_page_load(client, filing):
    _user, dossier, papers = filing
    identity = _requirement(papers, "Giấy tờ tùy thân")
    answered = client.post(reverse("dossiers:edit", args=[dossier.pk]), {**PAGE, "save": "1"}, HTTP_X_AUTOSAVE="1")
    assert answered.status_code == 204
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"
    refused = client.post(
        reverse("dossiers:edit", args=[dossier.pk]),
        {**PAGE, "d-result_method": "bo-cau", f"file-{identity.pk}": photo_upload()},
        HTTP_X_AUTOSAVE="1",
    )
    assert refused.status_code == 422 and not dossier.attachments.exists()  # autosave sends answers, never files
    page = client.get(reverse("dossiers:section", args=[dossier.pk, "giay-to"])).content.decode()
    assert 'data-max-mb="10"' in page
    page = client.get(reverse("dossiers:section", args=[dossier.pk, "to-khai"])).content.decode()
    assert 'id="autosave-status"' in page


def test_two_photos_of_one_paper_become_one_two_page_pdf(client, filing):
    """Issue 16, part 3: uploading the back of the ID card replaced the front."""
    _user, dossier, papers = filing
    identity = _requirement(papers, "Giấy tờ tùy thân")
    front, back = photo_upload("mat-truoc.jpg"), photo_upload("mat-sau.jpg")
    client.post(reverse("dossiers:upload", args=[dossier.pk]), {**PAGE, f"file-{identity.pk}": [front, back]})
    attachment = dossier.attachments.get(requirement=identity, replaced_at__isnull=True)
    stored = attachment.stored_file
    assert stored.kind == "pdf" and stored.original_name.endswith(".pdf")
    with stored.file.open("rb") as handle:
        assert len(PdfReader(io.BytesIO(handle.read())).pages) == 2
    # A PDF and a photo together: the PDF's pages, then the photo.
    client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {**PAGE, f"file-{identity.pk}": [pdf_upload(), photo_upload()]}
    )
    latest = dossier.attachments.get(requirement=identity, replaced_at__isnull=True).stored_file
    with latest.file.open("rb") as handle:
        assert len(PdfReader(io.BytesIO(handle.read())).pages) == 2


def test_a_bad_part_of_a_paper_refuses_the_paper_and_says_which_file(client, filing):
    _user, dossier, papers = filing
    identity = _requirement(papers, "Giấy tờ tùy thân")
    text = SimpleUploadedFile("mat-sau.jpg", b"not a photo at all", content_type="image/jpeg")
    response = client.post(
        reverse("dossiers:upload", args=[dossier.pk]), {**PAGE, f"file-{identity.pk}": [photo_upload(), text]}
    )
    assert not dossier.attachments.filter(requirement=identity).exists()
    page = client.get(response.url).content.decode()
    assert "mat-sau.jpg" in page and "không phải là tệp" in page
    assert f'data-paper-max-mb="{min(identity.max_size_mb * 3, 25)}"' in page and " multiple" in page
