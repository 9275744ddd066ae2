"""The CSC sandbox: a remote-signing service inside the portal, the embedded default outside production.

It answers the Cloud Signature Consortium API (v1 request shapes, as pyHanko's CSC signer speaks them) under
/ky-so-thu-nghiem/csc/v1/: one credential per person, a key certified by the development CA with the person's
id number in the certificate ("CCCD:…"), explicit authorization by an SMS OTP sent through the portal's own
messaging, SAD tokens pinned to the hashes (SCAL 2) and good once. Nothing here runs in production.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from dvc.accounts.models import OtpChallenge, User
from dvc.accounts.services import otp_issue, sign_confirm
from dvc.errors import DomainError
from dvc.vault import pki

_SAD_SECONDS = 300
_SALT = "dvc.csc_sandbox.sad"
_ECDSA_SHA256 = "1.2.840.10045.4.3.2"
_SHA256 = "2.16.840.1.101.3.4.2.1"
_CREDENTIAL = re.compile(r"^dvc-(\d{12})$")


def _error(status: int, error: str, description: str) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


def _holder(credential_id: str) -> User | None:
    match = _CREDENTIAL.match(credential_id or "")
    return User.objects.filter(id_number=match.group(1), is_active=True).first() if match else None


def identity_of(holder: User) -> pki.Identity:
    """The person's sandbox key and certificate, made on first use under var/pki/remote/<id number>/."""
    folder = Path(settings.VAR_DIR) / "pki" / "remote" / holder.id_number
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    if not cert_path.exists():
        identity = pki.issue_signing_identity(
            issuer=pki.dev_ca(), common_name=holder.full_name, serial=f"CCCD:{holder.id_number}"
        )
        pki.write_private(
            key_path,
            identity.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        cert_path.write_bytes(identity.certificate.public_bytes(serialization.Encoding.PEM))
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("unexpected key type for the sandbox signer")
    return pki.Identity(key=key, certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()))


def _caller(holder: User) -> str:
    """The portal calls for everyone from one address: the OTP limits count per holder instead."""
    return f"csc-sandbox:{holder.pk}"


def _b64(certificate: x509.Certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def _sandbox_token() -> str:
    return next((str(p.get("token") or "") for p in settings.DVC_CSC_PROVIDERS if p.get("name") == "sandbox"), "")


def _endpoint(view: Any) -> Any:
    """Outside production only; the portal authenticates with its bearer token; bodies are JSON."""

    @csrf_exempt
    def wrapped(request: HttpRequest) -> HttpResponse:
        if settings.PRODUCTION:
            raise Http404
        if request.method != "POST":
            return _error(405, "invalid_request", "POST only")
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not _sandbox_token() or not constant_time_compare(token, _sandbox_token()):
            return _error(401, "invalid_token", "unknown client")
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return _error(400, "invalid_request", "body is not JSON")
        if not isinstance(body, dict):
            return _error(400, "invalid_request", "body is not an object")
        return view(request, body)

    return wrapped


@_endpoint
def info(request: HttpRequest, body: dict[str, Any]) -> JsonResponse:
    return JsonResponse(
        {
            "specs": "1.0.4.0",
            "name": "DVC CSC sandbox",
            "region": "VN",
            "lang": "vi",
            "authType": ["external"],
            "methods": [
                "credentials/list",
                "credentials/info",
                "credentials/sendOTP",
                "credentials/authorize",
                "signatures/signHash",
            ],
        }
    )


@_endpoint
def credentials_list(request: HttpRequest, body: dict[str, Any]) -> JsonResponse:
    holder = User.objects.filter(id_number=str(body.get("userID") or ""), is_active=True).first()
    return JsonResponse(
        {"credentialIDs": [f"dvc-{holder.id_number}"] if holder and len(holder.id_number) == 12 else []}
    )


@_endpoint
def credentials_info(request: HttpRequest, body: dict[str, Any]) -> JsonResponse:
    holder = _holder(str(body.get("credentialID") or ""))
    if holder is None:
        return _error(400, "invalid_request", "unknown credentialID")
    identity = identity_of(holder)
    certificates = [_b64(identity.certificate), _b64(pki.dev_ca().certificate)]
    return JsonResponse(
        {
            "key": {"status": "enabled", "algo": [_ECDSA_SHA256], "len": 256},
            "cert": {"status": "valid", "certificates": certificates},
            "authMode": "explicit",
            "OTP": {"presence": "true", "type": "online", "ID": "sms", "format": "N", "label": "OTP"},
            "SCAL": "2",
            "multisign": 1,
        }
    )


@_endpoint
def send_otp(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    holder = _holder(str(body.get("credentialID") or ""))
    if holder is None:
        return _error(400, "invalid_request", "unknown credentialID")
    try:
        otp_issue(user=holder, purpose=OtpChallenge.Purpose.SIGN, phone=holder.phone, ip=_caller(holder))
    except DomainError as exc:
        return _error(429, "too_many_requests", str(exc.message))
    return HttpResponse(status=204)


@_endpoint
def authorize(request: HttpRequest, body: dict[str, Any]) -> JsonResponse:
    credential_id = str(body.get("credentialID") or "")
    holder = _holder(credential_id)
    hashes_b64 = body.get("hash")
    if holder is None or not isinstance(hashes_b64, list) or not hashes_b64:
        return _error(400, "invalid_request", "credentialID and hash are required (SCAL 2)")
    challenge = (
        OtpChallenge.objects.filter(user=holder, purpose=OtpChallenge.Purpose.SIGN, verified_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if challenge is None:
        return _error(400, "invalid_otp", "no OTP was sent")
    try:
        sign_confirm(challenge_id=challenge.pk, user=holder, code=str(body.get("OTP") or ""), ip=_caller(holder))
    except DomainError as exc:
        return _error(400, "invalid_otp", str(exc.message))
    sad = signing.dumps({"credential": credential_id, "hashes": [str(h) for h in hashes_b64]}, salt=_SALT)
    return JsonResponse({"SAD": sad, "expiresIn": _SAD_SECONDS})


@_endpoint
def sign_hash(request: HttpRequest, body: dict[str, Any]) -> JsonResponse:
    credential_id = str(body.get("credentialID") or "")
    holder = _holder(credential_id)
    try:
        sad = signing.loads(str(body.get("SAD") or ""), salt=_SALT, max_age=_SAD_SECONDS)
    except signing.BadSignature:
        return _error(400, "invalid_request", "SAD unknown or expired")
    wanted = body.get("hash")
    if holder is None or sad["credential"] != credential_id or not isinstance(wanted, list):
        return _error(400, "invalid_request", "SAD was not issued for this credential")
    if any(str(h) not in sad["hashes"] for h in wanted) or body.get("hashAlgo") not in (None, _SHA256):
        return _error(400, "invalid_request", "hash not authorized by this SAD")
    if body.get("signAlgo") != _ECDSA_SHA256:
        return _error(400, "invalid_request", "signAlgo not supported")
    try:
        digests = [base64.b64decode(str(h), validate=True) for h in wanted]
    except ValueError:
        return _error(400, "invalid_request", "hash is not base64")
    if not digests or any(len(d) != 32 for d in digests):
        return _error(400, "invalid_request", "a SHA-256 hash has 32 bytes")
    if not cache.add(f"csc-sandbox-sad:{body['SAD'][-40:]}", 1, timeout=_SAD_SECONDS * 2):
        return _error(400, "invalid_request", "SAD already used")
    key = identity_of(holder).key
    signatures = [base64.b64encode(key.sign(d, ec.ECDSA(Prehashed(hashes.SHA256())))).decode() for d in digests]
    return JsonResponse({"signatures": signatures})
