"""The filing task list (issue 16, part 2): one page per section, each with its status, "Lưu và tiếp tục" from one
section to the next, and "Kiểm tra và gửi" open once nothing stops the dossier."""

import re

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.tests.factories import BIRTH_FORM, commune_centre, photo_upload

pytestmark = pytest.mark.django_db
ANSWERS = {key: value for key, value in BIRTH_FORM.items() if key.startswith("f-")}


@pytest.fixture
def draft(client):
    user = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="+84912345678")
    client.force_login(user)
    return dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())


def _statuses(client, dossier) -> dict[str, str]:
    page = client.get(reverse("dossiers:edit", args=[dossier.pk])).content.decode()
    found = re.findall(r'<a href="[^"]+/sua/([a-z-]+)/"[^>]*>[^<]+</a>\s*<strong class="tag[^"]*"[^>]*>([^<]+)<', page)
    return dict(found)


def test_a_new_draft_lists_its_sections_not_started_and_cannot_be_sent_yet(client, draft):
    page = client.get(reverse("dossiers:edit", args=[draft.pk])).content.decode()
    assert _statuses(client, draft) == {
        "to-khai": "Chưa bắt đầu",
        "giay-to": "Chưa bắt đầu",
        "nhan-ket-qua": "Chưa bắt đầu",
        "ky-so": "Chưa bắt đầu",  # birth registration asks for the declaration signed
    }
    assert "Chưa thể gửi" in page and reverse("dossiers:submit", args=[draft.pk]) not in page


def test_saving_begins_a_section_and_continuing_finishes_it_and_opens_the_next(client, draft):
    form_page = reverse("dossiers:section", args=[draft.pk, "to-khai"])
    client.post(form_page, {**ANSWERS, "f-ho_ten_tre": "", "draft": "1", "section": "to-khai", "save": "1"})
    assert _statuses(client, draft)["to-khai"] == "Đang làm"
    stuck = client.post(form_page, {**ANSWERS, "f-ho_ten_tre": "", "draft": "1", "section": "to-khai", "continue": "1"})
    assert stuck.status_code == 200 and "Mục này chưa xong" in stuck.content.decode()
    assert _statuses(client, draft)["to-khai"] == "Đang làm"
    done = client.post(form_page, {**ANSWERS, "draft": "1", "section": "to-khai", "continue": "1"})
    assert done.url == reverse("dossiers:section", args=[draft.pk, "giay-to"])
    assert _statuses(client, draft)["to-khai"] == "Đã xong"


def test_a_finished_section_whose_answers_no_longer_hold_is_shown_in_progress(client, draft):
    form_page = reverse("dossiers:section", args=[draft.pk, "to-khai"])
    client.post(form_page, {**ANSWERS, "draft": "1", "section": "to-khai", "continue": "1"})
    client.post(
        form_page, {**ANSWERS, "f-ngay_sinh_tre": "31/02/2026", "draft": "1", "section": "to-khai", "save": "1"}
    )
    assert _statuses(client, draft)["to-khai"] == "Đang làm"


def test_a_paper_attached_puts_the_papers_in_progress_until_all_required_are_there(client, draft):
    identity = draft.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    client.post(reverse("dossiers:upload", args=[draft.pk]), {f"file-{identity.pk}": photo_upload()})
    assert _statuses(client, draft)["giay-to"] == "Đang làm"
    papers_page = reverse("dossiers:section", args=[draft.pk, "giay-to"])
    stuck = client.post(papers_page, {"section": "giay-to", "continue": "1"})
    assert stuck.status_code == 200 and "Chưa đính kèm: Giấy chứng sinh." in stuck.content.decode()


def test_each_section_page_posts_only_its_own_fields(client, draft):
    """The papers, delivery and signature pages carry no answers: saving them never empties the e-form."""
    client.post(
        reverse("dossiers:section", args=[draft.pk, "to-khai"]), {**ANSWERS, "draft": "1", "section": "to-khai"}
    )
    for section in ("giay-to", "ky-so"):
        page = client.get(reverse("dossiers:section", args=[draft.pk, section])).content.decode()
        assert 'name="f-' not in page and 'name="draft"' not in page
        client.post(reverse("dossiers:section", args=[draft.pk, section]), {"section": section, "save": "1"})
    delivery = {"d-submission_method": "online", "d-result_method": "online", "draft": "1", "section": "nhan-ket-qua"}
    client.post(reverse("dossiers:section", args=[draft.pk, "nhan-ket-qua"]), delivery)
    draft.refresh_from_db()
    assert draft.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi" and not draft.notify_sms


def test_sections_a_procedure_does_not_have_are_not_listed_or_opened(client):
    user = UserFactory()
    client.force_login(user)
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.004873"), agency=commune_centre())
    assert "ky-so" not in _statuses(client, dossier)  # no signature asked
    opened = client.get(reverse("dossiers:section", args=[dossier.pk, "ky-so"]))
    assert opened.status_code == 302 and opened.url == reverse("dossiers:edit", args=[dossier.pk])
    assert client.get(reverse("dossiers:section", args=[dossier.pk, "khong-co"])).status_code == 404


def test_a_session_that_ends_on_a_section_comes_back_to_that_section(client, draft):
    client.logout()
    form_page = reverse("dossiers:section", args=[draft.pk, "to-khai"])
    response = client.post(form_page, {**ANSWERS, "draft": "1", "section": "to-khai", "save": "1"})
    assert response.status_code == 302 and response.url.endswith("next=" + form_page)


def test_the_check_page_links_each_problem_to_its_section(client, draft):
    page = client.get(reverse("dossiers:submit", args=[draft.pk])).content.decode()
    form_page = reverse("dossiers:section", args=[draft.pk, "to-khai"])
    assert f'<a href="{form_page}#id_f-ho_ten_tre">' in page
    assert f'<a href="{reverse("dossiers:section", args=[draft.pk, "ky-so"])}#ky-so">' in page


def test_a_file_chosen_for_one_paper_is_kept_when_another_papers_button_is_pressed(client, draft):
    """Review of issue 16: without a script, "Xoá" on one paper dropped the file chosen for another."""
    birth = draft.procedure.requirements.get(name="Giấy chứng sinh")
    identity = draft.procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    client.post(reverse("dossiers:upload", args=[draft.pk]), {f"file-{identity.pk}": photo_upload("cccd.jpg")})
    old = draft.attachments.get(requirement=identity)
    client.post(
        reverse("dossiers:remove_attachment", args=[draft.pk, old.pk]),
        {"section": "giay-to", f"file-{birth.pk}": photo_upload("chung-sinh.jpg")},
    )
    kept = draft.attachments.filter(replaced_at__isnull=True)
    assert [a.requirement_id for a in kept] == [birth.pk]


def test_a_signed_declaration_chosen_goes_with_save_and_continue(client, draft):
    """Review of issue 16: "Lưu và tiếp tục" on the signature page ignored the signed file chosen."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dvc.dossiers.citizen.signing import declaration_pdf
    from dvc.dossiers.tests.factories import sign_as

    signed = sign_as(draft.applicant, declaration_pdf(draft))
    response = client.post(
        reverse("dossiers:section", args=[draft.pk, "ky-so"]),
        {"section": "ky-so", "continue": "1", "signed_file": SimpleUploadedFile("ky.pdf", signed)},
    )
    draft.refresh_from_db()
    assert draft.signed_form_id is not None and response.url == reverse("dossiers:submit", args=[draft.pk])
    refused = client.post(
        reverse("dossiers:section", args=[draft.pk, "ky-so"]),
        {"section": "ky-so", "continue": "1", "signed_file": SimpleUploadedFile("ky.pdf", b"not a pdf")},
        follow=True,
    )
    assert (
        refused.redirect_chain[-1][0].endswith("/sua/ky-so/")
        and 'class="message message-error"' in refused.content.decode()
    )
