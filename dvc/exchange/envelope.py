"""The message format (docs/exchange.md): an envelope signed with Ed25519 over its canonical JSON.

``{"message": {id, sender, receiver, service, kind, correlation, sent_at, payload, attachments},
"signature": {"alg": "EdDSA", "kid": <key thumbprint>, "value": <base64url>}}``. The canonical form is the JSON of the
message with keys sorted, no spaces, UTF-8 (the values are strings, integers, booleans, lists and objects only).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

FIELDS = ("id", "sender", "receiver", "service", "kind", "correlation", "sent_at", "payload", "attachments")


class BadMessage(Exception):
    """A message that is not well formed, not for us, too old, or whose signature does not hold."""


def canonical(message: dict[str, Any]) -> bytes:
    return json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(hashlib.sha256(raw).digest()[:12])


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """A private key from a PEM file, created there first when it does not exist (only outside production)."""
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"The exchange signing key {path} does not exist.")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
    return loaded


def portal_key() -> Ed25519PrivateKey:
    if not settings.DVC_EXCHANGE_KEY_FILE:
        raise ImproperlyConfigured("DVC_EXCHANGE_KEY_FILE is required to send messages to other agencies.")
    return load_or_create_key(Path(settings.DVC_EXCHANGE_KEY_FILE))


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public(pem: bytes) -> Ed25519PublicKey:
    loaded = serialization.load_pem_public_key(pem)
    if not isinstance(loaded, Ed25519PublicKey):
        raise ImproperlyConfigured("An exchange peer's key is not an Ed25519 public key.")
    return loaded


def build(
    *, key: Ed25519PrivateKey, sender: str, receiver: str, service: str, kind: str, correlation: str,
    payload: dict[str, Any], attachments: list[dict[str, Any]] | None = None, message_id: uuid.UUID | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A signed envelope, ready to be sent (and kept, to be sent again unchanged)."""
    message = {
        "id": str(message_id or uuid.uuid4()),
        "sender": sender,
        "receiver": receiver,
        "service": service,
        "kind": kind,
        "correlation": correlation,
        "sent_at": timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "payload": payload,
        "attachments": attachments or [],
    }
    value = key.sign(canonical(message))
    return {"message": message, "signature": {"alg": "EdDSA", "kid": key_id(key.public_key()), "value": _b64(value)}}


def open_envelope(
    body: Any, *, receiver: str, keys_for: Any, max_age: dt.timedelta, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The message of a received envelope once everything holds: well formed, addressed to ``receiver``, signed by
    one of the keys ``keys_for(sender)`` gives, not older than ``max_age`` (nor from the future). Else BadMessage."""
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("message"), dict)
        or not isinstance(body.get("signature"), dict)
    ):
        raise BadMessage(_("Tin không đúng định dạng: cần “message” và “signature”."))
    message, signature = body["message"], body["signature"]
    if set(message) != set(FIELDS):
        raise BadMessage(_("Tin không đúng định dạng: thiếu hoặc thừa trường."))
    if not all(isinstance(message[f], str) for f in FIELDS[:7]) or not isinstance(message["payload"], dict):
        raise BadMessage(_("Tin không đúng định dạng."))
    if not isinstance(message["attachments"], list):
        raise BadMessage(_("Tin không đúng định dạng: “attachments” phải là danh sách."))
    try:
        uuid.UUID(message["id"])
        sent_at = dt.datetime.strptime(message["sent_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError as exc:
        raise BadMessage(_("Mã tin hoặc thời điểm gửi không hợp lệ.")) from exc
    if message["receiver"] != receiver:
        raise BadMessage(_("Tin không gửi cho cổng này."))
    now = now or timezone.now()
    if sent_at < now - max_age or sent_at > now + dt.timedelta(minutes=5):
        raise BadMessage(_("Tin đã quá cũ hoặc thời điểm gửi không hợp lệ: không nhận lại."))
    if signature.get("alg") != "EdDSA" or not isinstance(signature.get("value"), str):
        raise BadMessage(_("Chữ ký của tin không hợp lệ."))
    try:
        value = _unb64(signature["value"])
        signed = canonical(message)
    except (ValueError, UnicodeEncodeError) as exc:  # a lone surrogate has no UTF-8 form: nothing was signed
        raise BadMessage(_("Chữ ký của tin không hợp lệ.")) from exc
    for public in keys_for(message["sender"]):
        try:
            public.verify(value, signed)
        except InvalidSignature:
            continue
        return message
    raise BadMessage(_("Chữ ký của tin không hợp lệ hoặc nơi gửi chưa được tin cậy."))
