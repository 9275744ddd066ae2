"""Login with a digital signature (seed 001: "SIM ký số"): the person signs a one-time challenge at their CSC
remote-signing provider; the portal checks the signature (pyHanko), the certificate chain up to a trusted root
(DVC_TRUST_ROOTS), its revocation wherever the certificate names an OCSP responder, and that the certificate states
exactly the account's personal id number (Luật Giao dịch điện tử 2023: the signature identifies its holder).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from asn1crypto import cms
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from dvc.accounts import throttle
from dvc.accounts.models import User
from dvc.errors import DomainError, InvalidInput, RateLimited
from dvc.vault import csc
from dvc.vault.pki import trust_roots
from dvc.vault.signing import asn1_certificate, holder_id_number

logger = logging.getLogger(__name__)
_MINUTES = 5
_HOUR = dt.timedelta(hours=1)
_PER_IP_HOUR = 30
_PER_ID_HOUR = 3


def _refused(message: str) -> DomainError:
    return DomainError(message, code="signature_login_refused")


def challenge_text(state: dict[str, Any]) -> bytes:
    """What is signed: names the portal, the purpose, a random nonce and the time (never a document)."""
    return f"DVC - dang nhap bang chu ky so - {state['nonce']} - {state['issued_at']}".encode()


def signature_login_start(*, id_number: str, provider_name: str, ip: str) -> dict[str, Any]:
    """Find the person's credential at the provider and have it ask them; the state goes into the session."""
    # Each start makes the provider ask the holder (an SMS, a push): capped per client and per id number, so that
    # no one can flood a stranger's phone.
    for key, cap in (("signature-login-ip", _PER_IP_HOUR), ("signature-login-id", _PER_ID_HOUR)):
        window = throttle.hit(throttle.make_key(key, ip if key.endswith("ip") else id_number), window=_HOUR)
        if window.count > cap:
            message = _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau.")
            raise RateLimited(message, retry_after=window.retry_after())
    choices = csc.providers()
    if not choices:
        raise _refused(_("Cổng chưa kết nối dịch vụ ký số từ xa nào."))
    provider = csc.provider_named(provider_name) if provider_name else choices[0]
    credential = csc.find_credential(provider, id_number)
    if credential.needs_otp:
        csc.send_otp(provider, credential.credential_id)
    return {
        "id_number": id_number,
        "provider": provider.name,
        "credential": credential.credential_id,
        "needs_code": credential.needs_otp,
        "nonce": secrets.token_hex(16),
        "issued_at": timezone.now().isoformat(),
    }


def signature_login_finish(*, state: dict[str, Any], code: str) -> User:
    """Have the challenge signed, check the signature, and return the account whose number the certificate states."""
    issued = dt.datetime.fromisoformat(state["issued_at"])
    if timezone.now() - issued > dt.timedelta(minutes=_MINUTES):
        raise _refused(_("Yêu cầu đăng nhập đã hết hạn. Vui lòng làm lại."))
    if state["needs_code"] and not code.strip():
        message = _("Vui lòng nhập mã xác nhận nhà cung cấp dịch vụ ký số gửi cho bạn.")
        raise InvalidInput({"otp": [message]}, message=message)
    challenge = challenge_text(state)
    provider = csc.provider_named(state["provider"])
    signed = csc.sign_digest(
        provider, state["credential"], hashlib.sha256(challenge).digest(), code.strip(), pades=False
    )
    return account_of_signature(challenge=challenge, cms_der=signed, id_number=state["id_number"])


def account_of_signature(*, challenge: bytes, cms_der: bytes, id_number: str) -> User:
    """The active account of ``id_number`` if ``cms_der`` is a valid, trusted, unrevoked signature of ``challenge``
    by a certificate stating that number; raises a domain error saying what is wrong otherwise."""
    try:
        signed_data = cms.ContentInfo.load(cms_der)["content"]
        context = ValidationContext(
            trust_roots=[asn1_certificate(root) for root in trust_roots()],
            allow_fetching=True,  # the OCSP responder the certificate names
            revocation_mode="hard-fail",  # named responder unreachable or "revoked": refused; none named: no check
        )
        status = asyncio.run(async_validate_detached_cms(challenge, signed_data, signer_validation_context=context))
    except (ValueError, KeyError, TypeError, SigningError) as exc:
        logger.warning("signature login: unreadable signature: %r", exc)
        raise _refused(_("Không đọc được chữ ký số. Vui lòng thử lại.")) from exc
    if not (status.intact and status.valid):
        raise _refused(_("Chữ ký số không hợp lệ."))
    if getattr(status, "revoked", False):
        raise _refused(_("Chứng thư số đã bị thu hồi. Vui lòng liên hệ nhà cung cấp dịch vụ ký số."))
    if not status.trusted:
        raise _refused(
            _(
                "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được công nhận cấp, đã hết hạn, "
                "hoặc không kiểm tra được tình trạng thu hồi."
            )
        )
    subject = status.signing_cert.subject.native
    stated = {holder_id_number(str(subject.get(key) or "")) for key in ("serial_number", "user_id")} - {""}
    if id_number not in stated:
        raise _refused(_("Chứng thư số không mang số định danh của tài khoản này."))
    user = User.objects.filter(id_number=id_number, is_active=True).first()
    if user is None:
        raise _refused(
            _("Chưa có tài khoản đang hoạt động với số định danh này. Vui lòng đăng ký hoặc đăng nhập bằng định danh.")
        )
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user
