"""Login with a digital signature through an independent CSC server (certomancer-csc-dummy), its certificates'
revocation answered by Certomancer's own OCSP responder."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.errors import DomainError
from dvc.vault import csc
from dvc.vault.signature_login import account_of_signature
from dvc.vault.tests import csc_dummy

pytestmark = pytest.mark.django_db
START, CONFIRM = "/dang-nhap/chu-ky-so/", "/dang-nhap/chu-ky-so/xac-nhan/"


def _sign_in(client: Client, id_number: str) -> Any:
    started = client.post(START, {"id_number": id_number, "provider": "doc-lap"})
    assert started.status_code == 302 and started["Location"] == CONFIRM, started.content.decode()[-2000:]
    assert "Mở ứng dụng ký số" in client.get(CONFIRM).content.decode()
    return client.post(CONFIRM, {"approved": "on"}, follow=True)


def test_a_signature_at_the_provider_signs_in(client: Client, provider: Any) -> None:
    user = UserFactory.create(id_number=csc_dummy.AN, full_name="Nguyễn Văn An")
    response = _sign_in(client, csc_dummy.AN)
    assert "Đăng nhập bằng chữ ký số thành công" in response.content.decode()
    assert client.get(reverse("accounts:profile")).wsgi_request.user == user


def test_a_revoked_certificate_is_refused(client: Client, provider: Any) -> None:
    UserFactory.create(id_number="001080000444")
    response = _sign_in(client, "001080000444")
    assert "đã bị thu hồi" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_certificate_from_an_untrusted_root_is_refused(client: Client, provider: Any, settings: Any) -> None:
    UserFactory.create(id_number=csc_dummy.AN)
    settings.DVC_TRUST_ROOTS = []
    response = _sign_in(client, csc_dummy.AN)
    assert "không do tổ chức cung cấp dịch vụ chứng thực được công nhận" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_signature_by_a_certificate_of_another_number_is_refused(provider: Any) -> None:
    """Should a provider hand back another credential's signature, the certificate's own number decides."""
    UserFactory.create(id_number=csc_dummy.AN)
    challenge = b"DVC - dang nhap bang chu ky so - test"
    chosen = csc.provider_named("doc-lap")
    namesake = csc.sign_digest(chosen, "dvc/namesake", hashlib.sha256(challenge).digest(), "", pades=False)
    with pytest.raises(DomainError, match="không mang số định danh"):
        account_of_signature(challenge=challenge, cms_der=namesake, id_number=csc_dummy.AN)
    own = csc.sign_digest(chosen, "dvc/an", hashlib.sha256(challenge).digest(), "", pades=False)
    with pytest.raises(DomainError, match="không hợp lệ"):
        account_of_signature(challenge=challenge + b"!", cms_der=own, id_number=csc_dummy.AN)  # another challenge
    assert account_of_signature(challenge=challenge, cms_der=own, id_number=csc_dummy.AN).id_number == csc_dummy.AN


def test_no_credential_with_the_number_is_said_plainly(client: Client, provider: Any) -> None:
    response = client.post(START, {"id_number": "001085000001", "provider": "doc-lap"})
    assert "không có chứng thư số nào mang số định danh của bạn" in response.content.decode()


def test_no_one_can_flood_a_strangers_phone_with_signing_requests(client: Client, provider: Any) -> None:
    """Attack pass: each start makes the provider ask the holder; three an hour per id number, then 429."""
    UserFactory.create(id_number=csc_dummy.AN)
    for _ in range(3):
        assert client.post(START, {"id_number": csc_dummy.AN, "provider": "doc-lap"}).status_code == 302
    refused = Client().post(START, {"id_number": csc_dummy.AN, "provider": "doc-lap"})
    assert refused.status_code == 429 and "quá nhiều lần" in refused.content.decode()
