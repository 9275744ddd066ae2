"""The "Mã kiểm tra" of the anonymous pages (issue 16, part 5): an image with no refresh and no alternative; now a
"Đổi mã khác" button and a question in words instead of the image, both without JavaScript."""

import re

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOOKUP = reverse("dossiers:lookup")


@pytest.fixture
def real_check(monkeypatch):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)


def _key(page: str) -> str:
    found = re.search(r'name="captcha_0" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_a_new_code_keeps_what_was_typed_and_shows_no_error(client, real_check):
    first = client.get(LOOKUP).content.decode()
    again = client.post(LOOKUP, {"cccd": "001085099999", "captcha_0": _key(first), "captcha_new": "image"})
    page = again.content.decode()
    assert again.status_code == 200 and 'value="001085099999"' in page and _key(page) != _key(first)
    assert 'class="error"' not in page and "<img" in page and ">Đổi mã khác</button>" in page


def test_the_question_in_words_replaces_the_image_and_its_answer_is_checked(client, submitted_dossier, real_check):
    dossier = submitted_dossier(UserFactory(id_number="001085099999"))
    asked = client.post(LOOKUP, {"cccd": "001085099999", "captcha_new": "question"}).content.decode()
    question = re.search(r'<p class="captcha-question"[^>]*>([^<]+)</p>', asked).group(1)
    assert "cộng" in question and "bằng mấy? Trả lời bằng chữ số." in question and 'class="captcha"' not in asked
    assert 'name="captcha_mode" value="question"' in asked
    key = _key(asked)
    answer = CaptchaStore.objects.get(hashkey=key).response
    wrong = client.post(
        LOOKUP, {"cccd": "001085099999", "captcha_0": key, "captcha_1": "99", "captcha_mode": "question"}
    )
    page = wrong.content.decode()
    assert "Mã kiểm tra không đúng" in page and dossier.code not in page
    assert '<p class="captcha-question"' in page  # still the question, a new one
    retry = _key(page)
    answer = CaptchaStore.objects.get(hashkey=retry).response
    right = client.post(
        LOOKUP, {"cccd": "001085099999", "captcha_0": retry, "captcha_1": answer, "captcha_mode": "question"}
    )
    assert dossier.code in right.content.decode()


def test_paying_by_code_offers_the_same_choices(client, real_check):
    page = client.post(reverse("payments:by_code"), {"code": "000.01.01.H26-261206-0001", "captcha_new": "question"})
    html = page.content.decode()
    assert page.status_code == 200 and 'value="000.01.01.H26-261206-0001"' in html and "captcha-question" in html
    assert ">Dùng mã trong ảnh</button>" in html and 'class="error"' not in html


def test_questions_in_words_are_counted_and_the_image_comes_back_past_the_cap(client, settings, real_check):
    """Review of issue 16: a question in words is easy for a script, so the portal bounds how many it gives out."""
    settings.DVC_CAPTCHA_QUESTIONS_PER_CLIENT = 2
    for _ in range(2):
        assert "captcha-question" in client.post(LOOKUP, {"captcha_new": "question"}).content.decode()
    page = client.post(LOOKUP, {"captcha_new": "question"}).content.decode()
    assert "captcha-question" not in page and 'class="captcha"' in page
    assert "Câu hỏi bằng chữ đã được dùng nhiều trong giờ này" in page
    other = client.post(LOOKUP, {"captcha_new": "question"}, REMOTE_ADDR="198.51.100.7").content.decode()
    assert "captcha-question" in other  # another client still may
    settings.DVC_CAPTCHA_QUESTIONS = 3  # and the whole portal has its own cap
    last = client.post(LOOKUP, {"captcha_new": "question"}, REMOTE_ADDR="198.51.100.8").content.decode()
    assert "captcha-question" not in last
