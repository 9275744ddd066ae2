"""Login with the national electronic identity, against an independent OpenID Connect provider on loopback.

The provider is PyPI's ``oidc-provider-mock`` (a Flask app built on Authlib's server), started in a thread; a thin
WSGI layer in front of it plays the network attacker (a tampered token) and swaps in a fresh provider instance
(a new signing key: rotation; a negative lifetime: an expired token) at the same address.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import oidc_provider_mock
import pytest
import requests
import werkzeug.serving
from django.test import Client

from dvc.accounts import identity
from dvc.accounts.models import User
from dvc.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSON = "001190012345"
CLAIMS = {
    "name": "Trần Thị Bình",
    "birthdate": "1990-05-20",
    "gender": "female",
    "phone_number": "+84912000111",
    "identity_level": 2,
}


class Provider:
    """The independent provider behind a switch: ``replace`` starts a new instance (new key) at the same URL."""

    def __init__(self) -> None:
        self.app: Any = oidc_provider_mock.app(require_nonce=True)
        self.tamper = False
        self.server = werkzeug.serving.make_server("localhost", 0, self, threaded=True)
        self.url = f"http://localhost:{self.server.server_port}"

    def replace(self, **options: Any) -> None:
        self.app = oidc_provider_mock.app(require_nonce=True, **options)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not (self.tamper and environ.get("PATH_INFO") == "/oauth2/token"):
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = json.loads(b"".join(self.app(environ, keep)))
        header, payload, signature = body["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "001190099999"  # someone else's number, signature left as it was
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        body["id_token"] = f"{header}.{forged}.{signature}"
        data = json.dumps(body).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(data)))])
        return [data]

    def user(self, sub: str, claims: dict[str, Any]) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()


@pytest.fixture(scope="module")
def running_provider() -> Iterator[Provider]:
    provider = Provider()
    thread = threading.Thread(target=provider.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()


@pytest.fixture
def provider(running_provider: Provider, settings: Any) -> Provider:
    settings.DVC_OIDC_ISSUER = running_provider.url
    settings.DVC_OIDC_CLIENT_ID = "dvc-portal"
    settings.DVC_OIDC_CLIENT_SECRET = "test-secret"
    running_provider.tamper = False
    return running_provider


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def identity_login(
    client: Client, provider: Provider, sub: str, *, start: str = "/dang-nhap/dinh-danh/", **change: str
) -> Any:
    """The browser's trip: portal → provider (the person picks ``sub``) → back to the portal's callback."""
    started = client.get(start)
    assert started.status_code == 302, started.content[:500]
    authorize = started["Location"]
    assert authorize.startswith(f"{provider.url}/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]  # PKCE
    assert query["state"][0] and query["nonce"][0]
    answer = requests.post(_with_query(authorize, **change), data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/dang-nhap/dinh-danh/ve/"
    return client.get(f"{back.path}?{back.query}")


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_a_new_person_gets_an_account_from_the_verified_claims(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    client = Client()
    response = identity_login(client, provider, PERSON)
    assert response.status_code == 302
    user = User.objects.get(id_number=PERSON)
    assert (user.full_name, user.birth_date, user.sex) == ("Trần Thị Bình", dt.date(1990, 5, 20), "female")
    assert user.phone == "+84912000111" and user.phone_verified_at is not None
    assert user.identity_verified_at is not None and user.is_active
    assert not user.has_usable_password()
    assert client.get("/tai-khoan/").status_code == 200
    assert "Đăng nhập bằng tài khoản định danh điện tử thành công" in _messages(response)


def test_links_to_the_local_account_with_the_same_number(provider: Provider) -> None:
    local = UserFactory.create(
        id_number=PERSON, full_name="Trần Thị Bình", birth_date=dt.date(1990, 5, 20), sex="female"
    )
    provider.user(PERSON, CLAIMS)
    client = Client()
    identity_login(client, provider, PERSON)
    local.refresh_from_db()
    assert local.identity_verified_at is not None
    assert local.check_password("Matkhau@123")  # the password login keeps working
    assert User.objects.filter(id_number=PERSON).count() == 1
    assert client.get("/tai-khoan/").wsgi_request.user == local


def test_a_difference_is_shown_and_the_verified_data_wins_once_confirmed(provider: Provider) -> None:
    local = UserFactory.create(
        id_number=PERSON, full_name="Tran Thi Binh", birth_date=dt.date(1990, 5, 2), sex="female"
    )
    provider.user(PERSON, CLAIMS)
    client = Client()
    response = identity_login(client, provider, PERSON)
    assert response["Location"] == "/dang-nhap/dinh-danh/xac-nhan/"
    page = client.get("/dang-nhap/dinh-danh/xac-nhan/").content.decode()
    assert "Tran Thi Binh" in page and "Trần Thị Bình" in page and "02/05/1990" in page and "20/05/1990" in page
    local.refresh_from_db()
    assert local.identity_verified_at is None and local.full_name == "Tran Thi Binh"  # nothing until confirmed
    assert client.get("/tai-khoan/").status_code == 302  # not signed in yet
    client.post("/dang-nhap/dinh-danh/xac-nhan/", {"accept": "1"})
    local.refresh_from_db()
    assert (local.full_name, local.birth_date, local.identity_verified_at is not None) == (
        "Trần Thị Bình",
        dt.date(1990, 5, 20),
        True,
    )
    assert client.get("/tai-khoan/").status_code == 200


def test_declining_the_difference_changes_nothing(provider: Provider) -> None:
    local = UserFactory.create(
        id_number=PERSON, full_name="Tran Thi Binh", birth_date=dt.date(1990, 5, 20), sex="female"
    )
    provider.user(PERSON, CLAIMS)
    client = Client()
    identity_login(client, provider, PERSON)
    client.post("/dang-nhap/dinh-danh/xac-nhan/", {"decline": "1"})
    local.refresh_from_db()
    assert local.full_name == "Tran Thi Binh" and local.identity_verified_at is None
    assert client.get("/tai-khoan/").status_code == 302


def test_never_joins_an_account_of_another_number(provider: Provider) -> None:
    signed_in = UserFactory.create(id_number="001085000777")
    provider.user(PERSON, CLAIMS)
    client = Client()
    client.force_login(signed_in)
    response = identity_login(client, provider, PERSON)
    assert response["Location"] == "/dang-nhap/"
    assert "mang số định danh khác" in _messages(response)
    signed_in.refresh_from_db()
    assert signed_in.identity_verified_at is None and signed_in.full_name == "Nguyễn Văn An"
    assert not User.objects.filter(id_number=PERSON).exists()


def test_a_strangers_unconfirmed_registration_is_not_a_way_in(provider: Provider) -> None:
    stranger = UserFactory.create(id_number=PERSON, pending=True, phone="+84988000222", full_name="Kẻ Lạ")
    provider.user(PERSON, CLAIMS)
    identity_login(Client(), provider, PERSON)
    stranger.refresh_from_db()
    assert stranger.is_active and stranger.full_name == "Trần Thị Bình"
    assert stranger.phone == "+84912000111"  # the verified phone, not the one the stranger typed
    assert not stranger.has_usable_password()  # the stranger's password no longer opens it


def test_a_tampered_id_token_is_refused(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    provider.tamper = True
    client = Client()
    response = identity_login(client, provider, PERSON)
    assert response["Location"] == "/dang-nhap/"
    assert "Không xác minh được" in _messages(response)
    assert not User.objects.filter(id_number__in=[PERSON, "001190099999"]).exists()


def test_an_id_token_for_another_nonce_is_refused(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    client = Client()
    response = identity_login(client, provider, PERSON, nonce="nonce-of-another-login")
    assert response["Location"] == "/dang-nhap/"
    assert not User.objects.filter(id_number=PERSON).exists()


def test_a_rotated_signing_key_is_fetched_again(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    identity_login(Client(), provider, PERSON)  # the portal now holds the provider's keys
    old_keys = requests.get(f"{provider.url}/jwks", timeout=5).json()["keys"]
    provider.replace()  # the provider starts signing with a new key
    assert requests.get(f"{provider.url}/jwks", timeout=5).json()["keys"] != old_keys
    provider.user(PERSON, CLAIMS)
    client = Client()
    response = identity_login(client, provider, PERSON)
    assert response.status_code == 302 and response["Location"] != "/dang-nhap/"
    assert client.get("/tai-khoan/").status_code == 200


def test_an_expired_id_token_is_refused(provider: Provider) -> None:
    provider.replace(access_token_max_age=dt.timedelta(minutes=-10))
    try:
        provider.user(PERSON, CLAIMS)
        client = Client()
        response = identity_login(client, provider, PERSON)
    finally:
        provider.replace()
    assert response["Location"] == "/dang-nhap/"
    assert not User.objects.filter(id_number=PERSON).exists()


def test_a_code_replayed_in_another_browser_is_refused(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    client = Client()
    started = client.get("/dang-nhap/dinh-danh/")
    answer = requests.post(started["Location"], data={"sub": PERSON}, allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    response = Client().get(f"{back.path}?{back.query}")  # no state in that session
    assert response["Location"] == "/dang-nhap/"
    assert not User.objects.filter(id_number=PERSON).exists()


def test_logout_ends_the_session_here_and_at_the_provider(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    client = Client()
    identity_login(client, provider, PERSON)
    response = client.post("/dang-xuat/")
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.url}/oauth2/end_session"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"] and query["id_token_hint"][0]
    assert client.get("/tai-khoan/").status_code == 302


def test_level_one_signs_in_without_verifying(provider: Provider) -> None:
    provider.user(PERSON, {**CLAIMS, "identity_level": 1})
    response = identity_login(Client(), provider, PERSON)
    assert response.status_code == 302
    assert User.objects.get(id_number=PERSON).identity_verified_at is None
    assert "mức 1" in _messages(response)


def test_an_organization_signs_in_by_tax_code(provider: Provider) -> None:
    provider.user("org-7", {"name": "Công ty TNHH Ánh Dương", "tax_code": "0100109106", "identity_level": 2})
    identity_login(Client(), provider, "org-7")
    organization = User.objects.get(id_number="0100109106")
    assert organization.kind == User.Kind.ORGANIZATION and organization.full_name == "Công ty TNHH Ánh Dương"


VERIFIER = "an-app-secret-verifier-" + "x" * 30
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
APP = "http://127.0.0.1:8765/callback"


def _app_code(provider: Provider, client: Client) -> dict[str, list[str]]:
    start = f"/dang-nhap/dinh-danh/?redirect_uri={APP}&state=s1&code_challenge={CHALLENGE}&code_challenge_method=S256"
    response = identity_login(client, provider, PERSON, start=start)
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == APP
    return parse_qs(target.query)


def test_an_api_client_gets_a_bearer_token_through_the_browser(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    browser = Client()
    query = _app_code(provider, browser)
    assert query["state"] == ["s1"]
    assert browser.get("/tai-khoan/").status_code == 302  # the browser only carried the code: not signed in
    api = Client()
    body = {"code": query["code"][0], "redirect_uri": APP, "code_verifier": VERIFIER}
    token = api.post("/api/v1/auth/identity/token", body, content_type="application/json").json()["token"]
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["identity_verified"] is True and "full_name" in me["verified_fields"]
    again = api.post("/api/v1/auth/identity/token", body, content_type="application/json")
    assert again.status_code in (400, 422) and "đã dùng" in again.json()["message"]


def test_an_intercepted_app_code_is_useless_without_the_verifier(provider: Provider) -> None:
    provider.user(PERSON, CLAIMS)
    query = _app_code(provider, Client())
    body = {"code": query["code"][0], "redirect_uri": APP, "code_verifier": "someone-elses-guess-" + "y" * 30}
    stolen = Client().post("/api/v1/auth/identity/token", body, content_type="application/json")
    assert stolen.status_code in (400, 422)
    body["code_verifier"] = VERIFIER  # spent by the wrong try: a stolen code is worth one attempt
    assert Client().post("/api/v1/auth/identity/token", body, content_type="application/json").status_code in (400, 422)


def test_an_app_must_send_pkce(provider: Provider) -> None:
    response = Client().get(f"/dang-nhap/dinh-danh/?redirect_uri={APP}&state=s1")
    assert response["Location"] == "/dang-nhap/" and "PKCE" in _messages(response)


def test_a_malformed_app_address_is_refused_plainly() -> None:
    response = Client().get("/dang-nhap/dinh-danh/?redirect_uri=http://[")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"


def test_a_disabled_account_stays_off_even_for_its_holder(provider: Provider) -> None:
    """An officer or administrator switched off in the admin (no confirmed phone) is not switched on again."""
    from dvc.agencies.models import StaffRole
    from dvc.agencies.tests.factories import AgencyFactory, StaffRoleFactory

    officer: User = UserFactory.create(id_number=PERSON, is_active=False, phone_verified_at=None, is_staff=True)
    StaffRoleFactory(user=officer, agency=AgencyFactory(), role=StaffRole.Role.LEADER)
    provider.user(PERSON, CLAIMS)
    response = identity_login(Client(), provider, PERSON)
    assert response["Location"] == "/dang-nhap/" and "đã bị khoá" in _messages(response)
    officer.refresh_from_db()
    assert officer.is_active is False
    citizen: User = UserFactory.create(id_number="001190054321", disabled=True)
    provider.user("001190054321", CLAIMS)
    assert "đã bị khoá" in _messages(identity_login(Client(), provider, "001190054321"))
    citizen.refresh_from_db()
    assert citizen.is_active is False


def test_a_pending_registration_taken_at_level_one_keeps_nothing_of_the_strangers(provider: Provider) -> None:
    stranger: User = UserFactory.create(
        id_number=PERSON, pending=True, full_name="Kẻ Lạ Đặt Tên", birth_date=dt.date(1970, 1, 1), sex="male",
        address_line="Nhà kẻ lạ",
    )  # fmt: skip
    provider.user(PERSON, {**CLAIMS, "identity_level": 1})
    identity_login(Client(), provider, PERSON)
    stranger.refresh_from_db()
    assert (stranger.full_name, stranger.birth_date, stranger.sex) == ("Trần Thị Bình", dt.date(1990, 5, 20), "female")
    assert stranger.address_line == "" and stranger.province_id is None


def test_a_difference_left_unanswered_expires(provider: Provider) -> None:
    UserFactory.create(id_number=PERSON, full_name="Tran Thi Binh", birth_date=dt.date(1990, 5, 20), sex="female")
    provider.user(PERSON, CLAIMS)
    client = Client()
    identity_login(client, provider, PERSON)
    session = client.session
    session["dvc_identity_pending"]["at"] -= 3600  # the person walked away from a shared computer an hour ago
    session.save()
    assert client.post("/dang-nhap/dinh-danh/xac-nhan/", {"accept": "1"})["Location"] == "/dang-nhap/"
    assert client.get("/tai-khoan/").status_code == 302


def test_an_unregistered_app_address_is_refused(provider: Provider, settings: Any) -> None:
    settings.PRODUCTION = True
    response = Client().get("/dang-nhap/dinh-danh/?redirect_uri=https://evil.example/cb")
    assert response["Location"] == "/dang-nhap/"


def test_the_provider_down_is_said_plainly(settings: Any, free_port: Any) -> None:
    settings.DVC_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.DVC_OIDC_CLIENT_ID = "dvc-portal"
    response = Client().get("/dang-nhap/dinh-danh/")
    assert response["Location"] == "/dang-nhap/"
    assert "Không kết nối được với hệ thống định danh" in _messages(response)


def test_claims_without_a_valid_number_are_refused() -> None:
    with pytest.raises(identity.IdentityError):
        identity.claims_of({"sub": "someone@example.com", "name": "A"})


def test_the_client_can_authenticate_with_a_signed_jwt_instead_of_a_secret(
    provider: Provider, settings: Any, tmp_path: Any
) -> None:
    """private_key_jwt (RFC 7523): the token request carries a client assertion signed with the portal's key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "oidc-client.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.DVC_OIDC_PRIVATE_KEY = str(path)
    seen: list[dict[str, str]] = []
    original = provider.app

    def spy(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/oauth2/token":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            seen.append({k: v[0] for k, v in parse_qs(body.decode()).items()})
            import io

            environ["wsgi.input"] = io.BytesIO(body)
        return original(environ, start_response)

    provider.app = spy
    try:
        provider.user(PERSON, CLAIMS)
        client = Client()
        identity_login(client, provider, PERSON)
    finally:
        provider.app = original
    # The test provider does not take client assertions (it refuses the login, which the portal says plainly); what
    # is checked is what a provider that does would receive: a JWT signed with the portal's key, about itself.
    assert seen and seen[0]["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert "client_secret" not in seen[0]
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    public = RSAKey.import_key(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assertion = jwt.decode(seen[0]["client_assertion"], public).claims
    assert assertion["iss"] == assertion["sub"] == "dvc-portal"
    assert assertion["aud"] == f"{provider.url}/oauth2/token" and assertion["exp"] > assertion["iat"]
