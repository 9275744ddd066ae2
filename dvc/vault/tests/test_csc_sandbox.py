"""The CSC sandbox's own endpoints (the embedded default of remote signing): the portal's token, the holder's OTP,
SADs pinned to hashes and good once, malformed input answered with 400 (never a 500)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from django.test import Client

from dvc.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/ky-so-thu-nghiem/csc/v1/"
TOKEN = {"Authorization": "Bearer dvc-csc-sandbox"}
HASH = base64.b64encode(hashlib.sha256(b"to-khai").digest()).decode()


def _post(client: Client, endpoint: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        BASE + endpoint, body, content_type="application/json", headers=TOKEN if headers is None else headers
    )


def _sad(client: Client, outbox: Any, user: Any, hashes: list[str]) -> str:
    credential = f"dvc-{user.id_number}"
    assert _post(client, "credentials/sendOTP", {"credentialID": credential}).status_code == 204
    answer = _post(client, "credentials/authorize", {"credentialID": credential, "numSignatures": len(hashes),
                                                     "hash": hashes, "OTP": outbox.last_otp(user.phone)})  # fmt: skip
    assert answer.status_code == 200, answer.content
    return str(answer.json()["SAD"])


def test_without_the_portals_token_nothing_answers(client: Client) -> None:
    assert _post(client, "credentials/list", {"userID": "001085012345"}, headers={}).status_code == 401
    assert _post(client, "info", {}, headers={"Authorization": "Bearer guess"}).status_code == 401


def test_a_sad_signs_only_its_hashes_for_its_credential_once(client: Client, outbox: Any) -> None:
    an = UserFactory.create(id_number="001085012345")
    other = UserFactory.create(id_number="001090000011")
    sad = _sad(client, outbox, an, [HASH])
    sign = {"credentialID": "dvc-001085012345", "SAD": sad, "hash": [HASH], "signAlgo": "1.2.840.10045.4.3.2"}
    elsewhere = base64.b64encode(hashlib.sha256(b"another document").digest()).decode()
    assert _post(client, "signatures/signHash", {**sign, "hash": [elsewhere]}).status_code == 400
    assert _post(client, "signatures/signHash", {**sign, "credentialID": f"dvc-{other.id_number}"}).status_code == 400
    assert len(_post(client, "signatures/signHash", sign).json()["signatures"]) == 1
    assert _post(client, "signatures/signHash", sign).status_code == 400  # good once


def test_a_wrong_otp_gives_no_sad(client: Client, outbox: Any) -> None:
    an = UserFactory.create(id_number="001085012345")
    _post(client, "credentials/sendOTP", {"credentialID": "dvc-001085012345"})
    code = outbox.last_otp(an.phone)
    wrong = "000000" if code != "000000" else "111111"
    refused = _post(client, "credentials/authorize", {"credentialID": "dvc-001085012345", "numSignatures": 1,
                                                      "hash": [HASH], "OTP": wrong})  # fmt: skip
    assert refused.status_code == 400 and "SAD" not in refused.json()


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"credentialID": 5}', b'{"credentialID": "dvc-../../etc"}', b'{"hash": "x"}'],
)
def test_malformed_bodies_are_refused_plainly(client: Client, body: bytes) -> None:
    for endpoint in ("credentials/info", "credentials/sendOTP", "credentials/authorize", "signatures/signHash"):
        assert _post(client, endpoint, body).status_code == 400, endpoint


def test_an_authorized_hash_that_is_not_a_digest_is_refused_not_crashed(client: Client, outbox: Any) -> None:
    an = UserFactory.create(id_number="001085012345")
    for junk in ("%%%not-base64%%%", base64.b64encode(b"short").decode()):
        sad = _sad(client, outbox, an, [junk])
        answer = _post(client, "signatures/signHash", {"credentialID": "dvc-001085012345", "SAD": sad, "hash": [junk],
                                                       "signAlgo": "1.2.840.10045.4.3.2"})  # fmt: skip
        assert answer.status_code == 400


def test_it_does_not_exist_in_production(client: Client, settings: Any) -> None:
    settings.PRODUCTION = True
    assert _post(client, "credentials/list", {"userID": "001085012345"}).status_code == 404
