"""The development identity provider: the portal's own OIDC client signs in through it end to end (live server),
and its token endpoint refuses what a real provider refuses."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from dvc.accounts.models import User

VERIFIER = "v" * 50
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
CALLBACK = "http://testserver/dang-nhap/dinh-danh/ve/"


def _authorize_query(**changes: str) -> str:
    query = {
        "client_id": "dvc-portal",
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid profile",
        "state": "st",
        "nonce": "n-1",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    return urlencode({**query, **changes})


def _code(client: Client, sub: str = "001196007777") -> str:
    response = client.post(f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query()}", {"pick": sub})
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["code"][0]


def _exchange(client: Client, code: str, **changes: str) -> Any:
    body = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "code_verifier": VERIFIER,
        "client_id": "dvc-portal",
        "client_secret": "dvc-sandbox-secret",
        **changes,
    }
    return client.post("/dinh-danh-thu-nghiem/token/", body)


def test_a_code_gives_a_signed_id_token_with_the_nonce_and_claims(client: Client) -> None:
    answer = _exchange(client, _code(client)).json()
    keys = KeySet.import_key_set(client.get("/dinh-danh-thu-nghiem/jwks/").json())
    token = jwt.decode(answer["id_token"], keys)
    assert token.header["kid"] and token.claims["nonce"] == "n-1" and token.claims["aud"] == "dvc-portal"
    assert token.claims["sub"] == "001196007777" and token.claims["identity_level"] == 2
    info = client.get("/dinh-danh-thu-nghiem/userinfo/", headers={"Authorization": f"Bearer {answer['access_token']}"})
    assert info.json()["name"] == "Lê Thị Mới"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_verifier": "w" * 50}, "invalid_grant"),
        ({"redirect_uri": "http://testserver/khac/"}, "invalid_grant"),
        ({"client_secret": "wrong"}, "invalid_client"),
    ],
)
def test_the_token_endpoint_refuses(client: Client, changes: dict[str, str], error: str) -> None:
    assert _exchange(client, _code(client), **changes).json()["error"] == error


def test_a_code_is_good_once(client: Client) -> None:
    code = _code(client)
    assert _exchange(client, code).status_code == 200
    assert _exchange(client, code).json()["error"] == "invalid_grant"


def test_requests_without_pkce_or_from_elsewhere_are_refused(client: Client) -> None:
    page = client.get(f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query(code_challenge_method='plain')}")
    assert page.status_code == 400 and "PKCE" in page.content.decode()
    page = client.get(f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query(redirect_uri='https://evil.example/cb')}")
    assert page.status_code == 400


def test_a_new_test_identity_can_be_made_on_the_page(client: Client) -> None:
    response = client.post(
        f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query()}",
        {"create": "1", "kind": "citizen", "number": "001097005555", "name": "Đặng Văn Thử", "birthdate": "05/06/1997",
         "gender": "male", "phone": "0912345678", "level": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    code = parse_qs(urlsplit(response["Location"]).query)["code"][0]
    claims = jwt.decode(
        _exchange(client, code).json()["id_token"],
        KeySet.import_key_set(client.get("/dinh-danh-thu-nghiem/jwks/").json()),
    ).claims
    assert (claims["name"], claims["birthdate"], claims["phone_number"]) == (
        "Đặng Văn Thử",
        "1997-06-05",
        "+84912345678",
    )
    assert "Đặng Văn Thử" in client.get(f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query()}").content.decode()
    bad = client.post(
        f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query()}",
        {"create": "1", "kind": "citizen", "number": "12345", "name": "X", "level": "2"},
    )
    assert bad.status_code == 200 and "Số định danh" in bad.content.decode()


def test_it_does_not_answer_in_production(client: Client, settings: Any) -> None:
    settings.PRODUCTION = True
    for path in (".well-known/openid-configuration", "jwks/", f"uy-quyen/?{_authorize_query()}", "userinfo/",
                 "dang-xuat/"):  # fmt: skip
        assert client.get(f"/dinh-danh-thu-nghiem/{path}").status_code == 404, path
    assert client.post("/dinh-danh-thu-nghiem/token/", {"grant_type": "authorization_code"}).status_code == 404


def test_malformed_addresses_are_refused_not_crashed(client: Client) -> None:
    page = client.get(f"/dinh-danh-thu-nghiem/uy-quyen/?{_authorize_query(redirect_uri='http://[')}")
    assert page.status_code == 400
    assert client.get("/dinh-danh-thu-nghiem/dang-xuat/?post_logout_redirect_uri=http://[").status_code == 200


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_the_portal_signs_in_through_it(live_server: Any, settings: Any) -> None:
    """What `make run` does: the portal's OIDC client talks to the portal's own provider over HTTP."""
    settings.DVC_OIDC_ISSUER = f"{live_server.url}/dinh-danh-thu-nghiem"
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/dang-nhap/dinh-danh/", timeout=10)
    assert urlsplit(page.url).path == "/dinh-danh-thu-nghiem/uy-quyen/" and "Lê Thị Mới" in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert csrf is not None
    done = browser.post(page.url, data={"csrfmiddlewaretoken": csrf.group(1), "pick": "001196007777"},
                        headers={"Referer": page.url}, timeout=10)  # fmt: skip
    assert done.status_code == 200 and "Lê Thị Mới" in done.text
    user = User.objects.get(id_number="001196007777")
    assert user.identity_verified_at is not None and user.full_name == "Lê Thị Mới"
