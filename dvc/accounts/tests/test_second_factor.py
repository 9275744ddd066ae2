"""Seed 001's "Chọn phương thức xác thực khác": the login code by e-mail, or from an authenticator app (TOTP)."""

import re
import time

import pyotp
import pytest
from django.core import mail
from django.urls import reverse

from conftest import run_tasks
from dvc.accounts.models import TotpDevice
from dvc.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/dang-nhap/"


def _password_step(client, user) -> str:
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    assert response.status_code == 302
    return response.url


def _challenge_id(otp_url: str) -> str:
    return otp_url.rstrip("/").split("/")[-1]


def _last_email_code(outbox) -> str:
    run_tasks()
    assert mail.outbox, "no e-mail sent"
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_the_code_can_come_by_email_instead(client, outbox):
    user = UserFactory(email="an.nguyen@example.com")
    otp_url = _password_step(client, user)
    assert "Chọn phương thức xác thực khác" in client.get(otp_url).content.decode()
    other = client.get(reverse("accounts:otp_other", args=[_challenge_id(otp_url)])).content.decode()
    assert "a***@example.com" in other and "ứng dụng xác thực" not in other.split("<form")[1]
    emailed = client.post(reverse("accounts:otp_other", args=[_challenge_id(otp_url)]), {"method": "email"})
    assert emailed.status_code == 302 and emailed.url != otp_url
    page = client.get(emailed.url).content.decode()
    assert "qua thư điện tử tới a***@example.com" in page
    sms_code, email_code = outbox.last_otp(user.phone), _last_email_code(outbox)
    if sms_code != email_code:  # the code sent by SMS does not open the e-mail's challenge
        assert "không đúng" in client.post(emailed.url, {"otp": sms_code}).content.decode()
    response = client.post(emailed.url, {"otp": email_code}, follow=True)
    assert "Đăng nhập thành công" in response.content.decode()
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_authenticator_app_is_set_up_and_then_signs_in(client, outbox):
    user = UserFactory()
    client.force_login(user)
    setup = client.get(reverse("accounts:authenticator")).content.decode()
    assert "<svg" in setup
    secret = TotpDevice.objects.get(user=user).secret
    assert secret in setup
    wrong = client.post(reverse("accounts:authenticator"), {"confirm": "1", "otp": "000000"})
    assert "Mã không đúng" in wrong.content.decode() or pyotp.TOTP(secret).now() == "000000"
    # confirmed with the code of the previous 30 s (one step of drift is accepted): the current one stays unused
    client.post(reverse("accounts:authenticator"), {"confirm": "1", "otp": pyotp.TOTP(secret).at(time.time() - 30)})
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    client.logout()

    otp_url = _password_step(client, user)
    cid = _challenge_id(otp_url)
    app_url = client.post(reverse("accounts:otp_other", args=[cid]), {"method": "totp"}).url
    assert app_url == reverse("accounts:otp_app", args=[cid])
    previous = pyotp.TOTP(secret).at(time.time() - 300)  # long expired
    refused = client.post(app_url, {"otp": previous})
    assert "không đúng hoặc đã dùng" in refused.content.decode()
    response = client.post(app_url, {"otp": pyotp.TOTP(secret).now()}, follow=True)
    assert "Đăng nhập thành công" in response.content.decode()


def test_an_app_code_is_good_once(client):
    user = UserFactory()
    secret = pyotp.random_base32()
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at="2026-01-01T00:00:00Z")
    code = pyotp.TOTP(secret).now()
    first = _challenge_id(_password_step(client, user))
    client.post(reverse("accounts:otp_app", args=[first]), {"otp": code})
    assert "_auth_user_id" in client.session
    client.logout()
    second = _challenge_id(_password_step(client, user))
    replay = client.post(reverse("accounts:otp_app", args=[second]), {"otp": code})
    assert "đã dùng" in replay.content.decode() and "_auth_user_id" not in client.session


def test_wrong_app_codes_are_limited(client):
    user = UserFactory()
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at="2026-01-01T00:00:00Z")
    cid = _challenge_id(_password_step(client, user))
    for _ in range(5):
        client.post(reverse("accounts:otp_app", args=[cid]), {"otp": "000001"})
    last = client.post(reverse("accounts:otp_app", args=[cid]), {"otp": "000001"})
    assert "quá nhiều lần" in last.content.decode()


def test_the_app_step_needs_the_password_first(client):
    user = UserFactory()
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at="2026-01-01T00:00:00Z")
    other_browser_cid = _challenge_id(_password_step(client.__class__(), user))
    response = client.get(reverse("accounts:otp_app", args=[other_browser_cid]))
    assert response.status_code == 302 and response.url == "/dang-nhap/"


def test_a_resend_does_not_buy_more_app_guesses(client):
    """Attack pass: "Gửi lại mã" set the challenge's count back to 0; the account's hourly cap still holds."""
    user = UserFactory()
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at="2026-01-01T00:00:00Z")
    guesses = 0
    for _round in range(3):
        cid = _challenge_id(_password_step(client, user))
        for _ in range(5):
            page = client.post(reverse("accounts:otp_app", args=[cid]), {"otp": "000001"}).content.decode()
            guesses += 1
            if "thử lại sau" in page:
                assert guesses == 11
                return
    raise AssertionError("no hourly cap on app codes")


def test_removing_the_app_asks_for_the_password(client):
    user = UserFactory()
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at="2026-01-01T00:00:00Z")
    client.force_login(user)
    client.post(reverse("accounts:authenticator"), {"remove": "1", "password": "sai-mat-khau"})
    assert TotpDevice.objects.filter(user=user).exists()
    client.post(reverse("accounts:authenticator"), {"remove": "1", "password": PASSWORD})
    assert not TotpDevice.objects.filter(user=user).exists()


def test_with_no_sms_left_this_hour_the_other_methods_still_sign_in(client, settings):
    """Walk-through: past the hourly SMS cap the login page only said to wait an hour, though the app needs no SMS."""
    settings.DVC_OTP_MAX_SENDS_PER_HOUR = 1
    user = UserFactory()
    secret = pyotp.random_base32()
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at="2026-01-01T00:00:00Z")
    _password_step(client.__class__(), user)  # the hour's one SMS
    otp_url = _password_step(client, user)
    page = client.get(otp_url).content.decode()
    assert "Đã gửi quá nhiều mã qua tin nhắn" in page and "Chọn phương thức xác thực khác" in page
    cid = _challenge_id(otp_url)
    app_url = client.post(reverse("accounts:otp_other", args=[cid]), {"method": "totp"}).url
    response = client.post(app_url, {"otp": pyotp.TOTP(secret).now()}, follow=True)
    assert "Đăng nhập thành công" in response.content.decode()


def test_with_no_sms_left_and_no_other_method_the_wait_is_said(client, settings):
    settings.DVC_OTP_MAX_SENDS_PER_HOUR = 1
    user = UserFactory()
    _password_step(client.__class__(), user)
    response = client.post(LOGIN, {"id_number": user.id_number, "password": PASSWORD})
    assert response.status_code == 429 and "quá nhiều mã OTP" in response.content.decode()
