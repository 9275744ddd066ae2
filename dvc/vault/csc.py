"""Remote signing through the Cloud Signature Consortium API: the portal's adapter for licensed providers.

The CMS signature is made by pyHanko's ``CSCSigner`` (nothing hand-written): the portal finds the holder's
credential at the provider (``credentials/list`` for the holder's id number, then ``credentials/info``, keeping
only a certificate that states exactly that number), asks the provider to send its one-time code when the credential
wants one (``credentials/sendOTP``; otherwise the holder approves in the provider's app), then on confirmation
``credentials/authorize`` pins the hash (SCAL 2) and ``signatures/signHash`` signs it.

The built-in sandbox (``dvc.vault.csc_sandbox``) speaks the same API, so development and production share this path.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import csc_signer

from dvc.errors import DomainError, InvalidInput
from dvc.vault.signing import holder_id_number

logger = logging.getLogger(__name__)
SANDBOX_PATH = "/ky-so-thu-nghiem"
_TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    url: str
    token: str
    api_ver: str = "v1"

    def session_info(self, credential_id: str) -> csc_signer.CSCServiceSessionInfo:
        return csc_signer.CSCServiceSessionInfo(
            service_url=self.url, credential_id=credential_id, oauth_token=self.token or None, api_ver=self.api_ver
        )


def providers() -> list[Provider]:
    """The configured providers; the sandbox's address follows the portal's own (DVC_SITE_URL)."""
    found = []
    for item in settings.DVC_CSC_PROVIDERS:
        url = str(item.get("url") or f"{settings.SITE_URL.rstrip('/')}{SANDBOX_PATH}").rstrip("/")
        found.append(
            Provider(
                name=str(item["name"]),
                label=str(item.get("label") or item["name"]),
                url=url,
                token=str(item.get("token") or ""),
                api_ver=str(item.get("api_ver") or "v1"),
            )
        )
    return found


def provider_named(name: str) -> Provider:
    for candidate in providers():
        if candidate.name == name:
            return candidate
    raise InvalidInput(
        {"provider": [_("Nhà cung cấp dịch vụ ký số không có trên cổng.")]},
        message=_("Nhà cung cấp dịch vụ ký số không có trên cổng."),
    )


class SigningUnavailable(DomainError):
    """The provider cannot be reached or refused the request."""


def _unreachable() -> SigningUnavailable:
    return SigningUnavailable(
        _("Không kết nối được với dịch vụ ký số từ xa. Vui lòng thử lại sau ít phút."), code="csc_unreachable"
    )


def _run(coroutine: Any) -> Any:
    try:
        return asyncio.run(coroutine)
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        logger.warning("CSC provider unreachable: %r", exc)
        raise _unreachable() from exc


@dataclass(frozen=True)
class Credential:
    credential_id: str
    chain: list[x509.Certificate]  # the signing certificate first
    needs_otp: bool  # explicit authorization with an OTP the provider sends; else approval in its app


def _states_id_number(certificate: asn1_x509.Certificate, id_number: str) -> bool:
    subject = certificate.subject.native
    stated = {holder_id_number(str(subject.get(key) or "")) for key in ("serial_number", "user_id")}
    return bool(id_number) and id_number in stated


def _to_crypto(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


async def _post(session: aiohttp.ClientSession, provider: Provider, endpoint: str, body: dict[str, Any]) -> Any:
    url = provider.session_info("").endpoint_url(endpoint)
    headers = provider.session_info("").auth_headers
    async with session.post(url, json=body, headers=headers, timeout=_TIMEOUT) as response:
        if response.status == 429:
            raise SigningUnavailable(
                _("Dịch vụ ký số đã gửi quá nhiều mã xác nhận trong một giờ. Vui lòng thử lại sau khoảng một giờ."),
                code="csc_rate_limited",
            )
        if response.status >= 400:
            raise SigningUnavailable(
                _("Dịch vụ ký số từ xa từ chối yêu cầu (mã %(status)d).") % {"status": response.status},
                code="csc_refused",
            )
        return await response.json() if response.content_length != 0 else {}


async def _find_credential(provider: Provider, id_number: str) -> Credential:
    async with aiohttp.ClientSession() as session:
        listed = await _post(session, provider, "credentials/list", {"userID": id_number, "maxResults": 20})
        for credential_id in listed.get("credentialIDs", [])[:20]:
            try:
                details = await csc_signer.fetch_certs_in_csc_credential(
                    session, provider.session_info(str(credential_id))
                )
            except SigningError:
                continue
            info = details.response_data
            if (info.get("key") or {}).get("status", "enabled") != "enabled":
                continue
            if not _states_id_number(details.signing_cert, id_number):
                continue  # a credential of someone else (or of the holder's organization): never used for them
            otp = info.get("OTP") or {}
            needs_otp = info.get("authMode") == "explicit" and otp.get("type") == "online"
            chain = [_to_crypto(details.signing_cert), *(_to_crypto(c) for c in details.chain)]
            return Credential(credential_id=str(credential_id), chain=chain, needs_otp=needs_otp)
    raise SigningUnavailable(
        _(
            "Nhà cung cấp dịch vụ ký số không có chứng thư số nào mang số định danh của bạn. Vui lòng đăng ký "
            "dịch vụ ký số từ xa với nhà cung cấp, hoặc tải lên tờ khai đã ký bằng USB ký số."
        ),
        code="csc_no_credential",
    )


def find_credential(provider: Provider, id_number: str) -> Credential:
    return _run(_find_credential(provider, id_number))


def send_otp(provider: Provider, credential_id: str) -> None:
    async def call() -> None:
        async with aiohttp.ClientSession() as session:
            await _post(session, provider, "credentials/sendOTP", {"credentialID": credential_id})

    _run(call())


class _Authorization(csc_signer.CSCAuthorizationManager):
    """``credentials/authorize`` for exactly the hashes about to be signed, with the holder's code if any."""

    def __init__(
        self, session: aiohttp.ClientSession, provider: Provider, info: Any, credential_id: str, otp: str
    ) -> None:
        super().__init__(provider.session_info(credential_id), info)
        self.session, self.otp = session, otp

    async def authorize_signature(self, hash_b64s: list[str]) -> csc_signer.CSCAuthorizationInfo:
        body = self.format_csc_auth_request(otp=self.otp or None, hash_b64s=hash_b64s)
        url = self.csc_session_info.endpoint_url("credentials/authorize")
        async with self.session.post(url, json=body, headers=self.auth_headers, timeout=_TIMEOUT) as response:
            if response.status in (400, 401, 403):
                message = _("Mã xác nhận không đúng hoặc đã hết hạn, hoặc bạn chưa đồng ý ký trên ứng dụng.")
                raise InvalidInput({"otp": [message]}, message=message)
            response.raise_for_status()
            return self.parse_csc_auth_response(await response.json())


def sign_digest(
    provider: Provider, credential_id: str, document_digest: bytes, otp: str, *, pades: bool = True
) -> bytes:
    """The CMS signature over ``document_digest`` (PAdES for a PDF), made by pyHanko's CSC signer at the provider."""

    async def call() -> bytes:
        async with aiohttp.ClientSession() as session:
            info = await csc_signer.fetch_certs_in_csc_credential(session, provider.session_info(credential_id))
            signer = csc_signer.CSCSigner(session, _Authorization(session, provider, info, credential_id, otp))
            cms = await signer.async_sign(document_digest, "sha256", use_pades=pades)
            return bytes(cms.dump())

    try:
        return _run(call())
    except SigningError as exc:
        logger.warning("CSC signing refused: %r", exc)
        raise SigningUnavailable(
            _("Dịch vụ ký số từ xa không ký được tờ khai. Vui lòng thử lại."), code="csc_sign_failed"
        ) from exc
