import pytest
from django.urls import reverse

from dvc.accounts.models import ApiToken, User
from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_forgot_password_by_otp_sets_a_new_password(client, outbox, mailoutbox):
    user = UserFactory(email="an@example.vn")
    api_token_create(user=user)
    response = client.post(
        reverse("accounts:password_reset"), {"id_number": user.id_number, "phone": "0" + user.phone[3:]}
    )
    otp_url = response.url
    code = outbox.last_otp(user.phone)
    weak = client.post(otp_url, {"otp": code, "new_password1": "yeu", "new_password2": "yeu"})
    assert "Mật khẩu chưa đủ mạnh" in weak.content.decode()
    response = client.post(otp_url, {"otp": code, "new_password1": "MoiMoi@2026", "new_password2": "MoiMoi@2026"})
    assert response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password("MoiMoi@2026")
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    outbox.last_otp()
    assert "Mật khẩu tài khoản" in outbox.sms()[-1]["body"]
    assert [mail.to for mail in mailoutbox] == [["an@example.vn"]]
    assert "Mật khẩu tài khoản" in mailoutbox[0].body


def test_forgot_password_needs_the_registered_phone(client, outbox):
    user = UserFactory()
    response = client.post(reverse("accounts:password_reset"), {"id_number": user.id_number, "phone": "0987654321"})
    assert "không khớp" in response.content.decode()
    assert outbox.sms() == []


def test_change_password_keeps_the_session_and_checks_the_old_one(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url, {"old_password": "Sai@12345", "new_password1": "MoiMoi@2026", "new_password2": "MoiMoi@2026"}
    )
    assert "Mật khẩu hiện tại không đúng" in wrong.content.decode()
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "MoiMoi@2026", "new_password2": "MoiMoi@2026"}
    )
    assert response.url == reverse("accounts:profile")
    assert User.objects.get(pk=user.pk).check_password("MoiMoi@2026")
    assert client.get(reverse("accounts:profile")).status_code == 200
