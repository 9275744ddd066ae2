import pytest

from dvc.accounts.models import User
from dvc.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


REGISTER = {
    "id_number": "024192004321",
    "full_name": "Trần Thị Bình",
    "birth_date": "1992-10-05",
    "sex": "female",
    "phone": "0987000002",
    "province": "24",
    "commune": "07210",
    "password": "Matkhau@123",
    "password_confirm": "Matkhau@123",
    "privacy_consent": True,
}


def test_register_verify_login_me_logout(client, outbox):
    response = post(client, "/auth/register", REGISTER)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone_masked"] == "098****002" and body["purpose"] == "register"

    response = post(client, "/auth/verify", {"challenge_id": body["challenge_id"], "otp": outbox.last_otp()})
    assert response.json() == {"status": "activated", "token": None, "token_type": None}
    assert User.objects.get(id_number="024192004321").is_active

    challenge = post(client, "/auth/login", {"id_number": "024192004321", "password": "Matkhau@123"}).json()
    response = post(client, "/auth/verify", {"challenge_id": challenge["challenge_id"], "otp": outbox.last_otp()})
    token = response.json()["token"]
    assert response.json()["status"] == "logged_in" and len(token) > 30

    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["full_name"] == "Trần Thị Bình" and me.json()["commune_code"] == "07210"

    assert post(client, "/auth/logout", {}, Authorization=f"Bearer {token}").status_code == 204
    after = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401
    assert after.json()["code"] == "unauthenticated"
    assert "đăng nhập" in after.json()["message"]


def test_registration_errors_are_json_by_field_in_vietnamese(client):
    body = dict(REGISTER, phone="0123", id_number="003192004321", password="weak", password_confirm="weak")
    response = post(client, "/auth/register", body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid_input"
    assert "Số điện thoại di động không hợp lệ" in data["errors"]["phone"][0]
    assert "mã tỉnh" in data["errors"]["id_number"][0]
    assert "Mật khẩu chưa đủ mạnh" in data["errors"]["new_password1"][0]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'{"id_number": 5}', b'{"id_number": null, "password": []}', b"\xff\xfe", b""],
)
def test_malformed_bodies_get_a_422_not_a_500(client, raw):
    response = client.post(f"{API}/auth/login", raw, content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()) >= {"code", "message"}


def test_wrong_otp_and_unknown_challenge(client, outbox):
    user = UserFactory()
    challenge = post(client, "/auth/login", {"id_number": user.id_number, "password": PASSWORD}).json()
    code = outbox.last_otp()
    wrong = "000000" if code != "000000" else "111111"
    response = post(client, "/auth/verify", {"challenge_id": challenge["challenge_id"], "otp": wrong})
    assert response.status_code == 422 and "còn 4 lần" in response.json()["message"]
    response = post(client, "/auth/verify", {"challenge_id": "6f1c1d2e-0000-4000-8000-000000000000", "otp": code})
    assert response.status_code == 404 and response.json()["code"] == "otp_not_found"
    response = post(client, "/auth/verify", {"challenge_id": "not-a-uuid", "otp": code})
    assert response.status_code == 422


def test_lockout_answers_429_with_retry_after(client):
    user = UserFactory()
    for _ in range(5):
        response = post(client, "/auth/login", {"id_number": user.id_number, "password": "Sai@12345"})
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert int(response["Retry-After"]) > 0


def test_resend_cooldown(client, outbox):
    user = UserFactory()
    challenge = post(client, "/auth/login", {"id_number": user.id_number, "password": PASSWORD}).json()
    response = post(client, "/auth/resend", {"challenge_id": challenge["challenge_id"]})
    assert response.status_code == 429 and response.json()["code"] == "otp_resend_cooldown"


def test_password_reset_through_the_api(client, outbox):
    user = UserFactory()
    challenge = post(client, "/auth/password-reset", {"id_number": user.id_number, "phone": user.phone}).json()
    body = {
        "challenge_id": challenge["challenge_id"],
        "otp": outbox.last_otp(),
        "new_password": "MoiMoi@2026",
        "new_password_confirm": "MoiMoi@2026",
    }
    assert post(client, "/auth/password-reset/confirm", body).status_code == 204
    assert User.objects.get(pk=user.pk).check_password("MoiMoi@2026")


def test_me_without_or_with_a_bad_token(client):
    assert client.get(f"{API}/me").status_code == 401
    assert client.get(f"{API}/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_token_is_refused_once_expired_idle_revoked_or_its_account_closed(client, settings):
    """The token and its account are read in one statement written out (issue 20): each rule still holds."""
    import datetime as dt

    from django.utils import timezone

    from dvc.accounts.models import ApiToken
    from dvc.accounts.services import api_token_create

    user = UserFactory(full_name="Lê Văn Cường")
    now = timezone.now()

    def me(raw):
        return client.get(f"{API}/me", headers={"Authorization": f"Bearer {raw}"})

    raw = api_token_create(user=user)
    token = ApiToken.objects.get(user=user)
    assert me(raw).status_code == 200 and me(raw).json()["full_name"] == "Lê Văn Cường"
    # Used after a pause: its idle clock starts again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now - dt.timedelta(minutes=5))
    assert me(raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > now - dt.timedelta(seconds=5)
    idle = dt.timedelta(minutes=settings.DVC_API_TOKEN_IDLE_MINUTES, seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now - idle)
    assert me(raw).status_code == 401  # idle too long
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=now - dt.timedelta(seconds=1))
    assert me(raw).status_code == 401  # past its absolute expiry
    ApiToken.objects.filter(pk=token.pk).update(expires_at=now + dt.timedelta(hours=1), revoked_at=now)
    assert me(raw).status_code == 401  # logged out
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    assert me(raw).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert me(raw).status_code == 401  # the account was closed
    assert me(raw + "x").status_code == 401


def test_unknown_api_path_is_a_json_404(client):
    response = client.get(f"{API}/no/such/thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_openapi_schema_is_published(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/auth/verify" in schema["paths"]


def test_a_password_built_on_the_id_number_is_refused(client):
    """Issue 15 (low): a password could contain the id number printed on every receipt."""
    body = {
        "id_number": "001085012345", "full_name": "Nguyễn Văn An", "birth_date": "12/03/1985", "sex": "male",
        "phone": "0912345678", "province": "01", "commune": "00004",
        "password": "An@001085012345x", "password_confirm": "An@001085012345x", "privacy_consent": True,
    }  # fmt: skip
    answer = client.post("/api/v1/auth/register", body, content_type="application/json")
    assert answer.status_code == 422 and "số định danh" in str(answer.json()["errors"])
