"""Issue 19, part 4 — questions and feedback: asked (signed in, or with an SMS-confirmed phone) → answered by the
agency → published without personal data → found by an accent-free search; a late answer shows in the agency's
figures; abuse limits and moderation."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import run_tasks
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.tests.factories import agency_staff, commune_centre
from dvc.feedback.models import Question
from dvc.feedback.services import question_reminders_send
from dvc.notify.models import Notice

pytestmark = pytest.mark.django_db
ASK = "/phan-anh-kien-nghi/gui/"


def _ask(client, agency, **changes):
    post = {
        "kind": "hoi", "agency": agency.pk, "subject": "Đăng ký kết hôn cần giấy gì?",
        "body": "Tôi là Nguyễn Văn Hỏi, số 0912345678, CCCD 001085012345: đăng ký kết hôn cần những giấy tờ gì?",
        "name": "Nguyễn Văn Hỏi", "phone": "0912345678", **changes,
    }  # fmt: skip
    return client.post(f"{ASK}?thu_tuc=1.000894", post)


def test_asked_answered_published_and_found_without_accents(client, outbox):
    agency = commune_centre()
    staff = agency_staff(agency)
    sent = _ask(client, agency)
    assert sent.status_code == 302 and sent.url == reverse("feedback:confirm")
    question = Question.objects.get()
    assert question.status == "unconfirmed"  # not routed before the phone is confirmed
    wrong = client.post(
        reverse("feedback:confirm"), {"otp": "000000" if outbox.last_otp("+84912345678") != "000000" else "111111"}
    )
    assert "không đúng" in wrong.content.decode()
    done = client.post(reverse("feedback:confirm"), {"otp": outbox.last_otp("+84912345678")})
    question.refresh_from_db()
    assert question.status == "open" and question.code in done.content.decode() and question.due_at is not None
    run_tasks()
    assert any(question.code in m["body"] for m in outbox.sms())

    client.force_login(staff.officer)
    assert question.code in client.get(reverse("feedback:staff_list")).content.decode()
    page = client.get(reverse("feedback:staff_detail", args=[question.pk])).content.decode()
    assert "0912345678" not in page.split('name="public_question"')[1].split("</textarea>")[0]  # suggested, redacted
    client.post(
        reverse("feedback:staff_detail", args=[question.pk]),
        {
            "answer": "Cần tờ khai, căn cước và giấy xác nhận tình trạng hôn nhân.",
            "publish": "1",
            "public_question": "",
        },
    )
    question.refresh_from_db()
    assert question.status == "answered" and question.published
    assert "0912345678" not in question.public_question and "001085012345" not in question.public_question
    assert "Nguyễn Văn Hỏi" not in question.public_question
    run_tasks()
    assert any("đã trả lời" in m["body"] for m in outbox.sms())

    client.logout()
    found = client.get(reverse("feedback:list"), {"q": "dang ky ket hon can giay"}).content.decode()
    assert "giấy xác nhận tình trạng hôn nhân" in found
    by_procedure = client.get(reverse("feedback:list"), {"thu_tuc": "1.000894"}).content.decode()
    assert "Đăng ký kết hôn cần giấy gì?" in by_procedure
    assert (
        "Đăng ký kết hôn cần giấy gì?" not in client.get(reverse("feedback:list"), {"q": "ho chieu"}).content.decode()
    )


def test_a_late_answer_shows_in_the_agencys_figures(client):
    agency = commune_centre()
    staff = agency_staff(agency)
    client.force_login(UserFactory())
    _ask(client, agency)  # signed in: received at once
    question = Question.objects.get()
    assert question.status == "open"
    Question.objects.filter(pk=question.pk).update(due_at=question.due_at - dt.timedelta(days=30))
    client.force_login(staff.officer)
    client.post(reverse("feedback:staff_detail", args=[question.pk]), {"answer": "Trả lời muộn.", "publish": "1"})
    figures = client.get(reverse("feedback:list"), {"co_quan": agency.code}).content.decode()
    assert "trả lời trễ hạn: 1" in figures and "Đã trả lời đúng hạn: 0" in figures and "0% đúng hạn" in figures


def test_another_agencys_officer_cannot_see_or_answer(client):
    agency = commune_centre()
    other = agency_staff(commune_centre(code="000.09.09.H26"))
    client.force_login(UserFactory())
    _ask(client, agency)
    question = Question.objects.get()
    client.force_login(other.officer)
    assert client.get(reverse("feedback:staff_detail", args=[question.pk])).status_code == 404
    assert client.post(reverse("feedback:staff_detail", args=[question.pk]), {"answer": "x"}).status_code == 404
    question.refresh_from_db()
    assert question.status == "open"


def test_moderation_and_abuse_limits(client, outbox):
    agency = commune_centre()
    staff = agency_staff(agency)
    for _ in range(3):
        assert _ask(client, agency).status_code == 302
    refused = _ask(client, agency)
    assert refused.status_code == 429 and "nhiều câu hỏi" in refused.content.decode()
    client.force_login(UserFactory())
    _ask(client, agency, phone="0987654321", subject="Quảng cáo")
    spam = Question.objects.get(subject="Quảng cáo")
    client.force_login(staff.officer)
    client.post(reverse("feedback:staff_detail", args=[spam.pk]), {"reject": "1", "reason": "Nội dung quảng cáo"})
    spam.refresh_from_db()
    assert spam.status == "rejected" and not spam.published
    assert "Quảng cáo" not in client.get(reverse("feedback:list")).content.decode()


def test_bad_input_is_said_field_by_field(client):
    response = _ask(client, commune_centre(), phone="123", subject="", body="")
    page = response.content.decode()
    assert response.status_code == 200 and "Số điện thoại di động không hợp lệ" in page
    assert not Question.objects.exists()


def test_officers_are_reminded_of_questions_near_their_deadline(client):
    agency = commune_centre()
    staff = agency_staff(agency)
    client.force_login(UserFactory())
    _ask(client, agency)
    Question.objects.update(due_at=Question.objects.get().due_at - dt.timedelta(days=30))
    assert question_reminders_send() == 2  # the one-stop officer and the leader
    assert question_reminders_send() == 0  # once a day
    assert Notice.objects.filter(user=staff.leader, template="question_reminder").exists()
