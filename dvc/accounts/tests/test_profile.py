import pytest
from django.urls import reverse

from dvc.accounts.models import User
from dvc.accounts.tests.factories import PASSWORD, UserFactory
from dvc.agencies.models import StaffRole
from dvc.agencies.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile")


def test_profile_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_shows_identity_and_edits_contact_details(client):
    user = UserFactory(full_name="Nguyễn Văn An")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Nguyễn Văn An" in html and user.id_number in html
    response = client.post(
        URL, {"email": "moi@example.vn", "province": "24", "commune": "07210", "address_line": "Số 5 Hùng Vương"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "moi@example.vn"
    assert user.commune.name == "Phường Bắc Giang"
    assert "Phường Bắc Giang" in client.get(URL).content.decode()


def test_profile_refuses_a_commune_of_another_province(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"email": "", "province": "24", "commune": "00004", "address_line": ""})
    assert "không thuộc tỉnh" in response.content.decode()
    assert User.objects.get(pk=user.pk).commune.code == "00004"


def test_phone_changes_only_with_the_password_and_after_the_new_number_returns_the_code(client, outbox, tasks):
    """Issue 15 (low): changing the phone asked no password and told the old number nothing."""
    user = UserFactory()
    old_phone = user.phone
    client.force_login(user)
    refused = client.post(reverse("accounts:phone_change"), {"phone": "0977111222", "password": "sai mật khẩu"})
    assert refused.status_code == 200 and "Mật khẩu hiện tại không đúng" in refused.content.decode()
    response = client.post(reverse("accounts:phone_change"), {"phone": "0977111222", "password": PASSWORD})
    assert User.objects.get(pk=user.pk).phone == user.phone
    code = outbox.last_otp("+84977111222")
    client.post(response.url, {"otp": code})
    assert User.objects.get(pk=user.pk).phone == "+84977111222"
    tasks()
    told = [m["body"] for m in outbox.sms() if m["to"] == old_phone]
    assert any("đã được đổi" in body for body in told)


def test_officer_sees_their_roles(client):
    role = StaffRoleFactory(role=StaffRole.Role.LEADER)
    client.force_login(role.user)
    html = client.get(URL).content.decode()
    assert "Lãnh đạo" in html and role.agency.name in html
