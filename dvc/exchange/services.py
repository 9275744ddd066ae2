"""Writes of the exchange: queue a signed message for an agency outside the portal; receive one (signature, replay).

docs/exchange.md documents the format for the agencies and the platform on the other side.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from dvc.exchange import envelope
from dvc.exchange.models import InboundMessage, OutboundMessage
from dvc.exchange.tasks import apply_inbound, deliver_outbound
from dvc.vault.models import StoredFile

_FILE_SALT = "dvc.exchange.file"
FILE_LINK_DAYS = 30


def file_reference(stored: StoredFile, *, receiver: str, name: str = "") -> dict[str, Any]:
    """A file sent by reference: its digest and a signed address the receiver downloads it from (30 days)."""
    token = signing.dumps({"f": str(stored.pk), "r": receiver}, salt=_FILE_SALT, compress=True)
    return {
        "name": name or stored.original_name,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "url": f"{settings.SITE_URL}/lien-thong/v1/tep/{token}/",
    }


def file_of_reference(token: str) -> uuid.UUID | None:
    try:
        data = signing.loads(token, salt=_FILE_SALT, max_age=FILE_LINK_DAYS * 86400)
        return uuid.UUID(str(data["f"]))
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return None


def message_queue(
    *, receiver: str, service: str, kind: str, correlation: str, payload: dict[str, Any],
    attachments: list[dict[str, Any]] | None = None,
) -> OutboundMessage:  # fmt: skip
    """Sign a message and queue its delivery, in the transaction of the change it tells of."""
    signed = envelope.build(
        key=envelope.portal_key(), sender=settings.DVC_EXCHANGE_ID, receiver=receiver, service=service, kind=kind,
        correlation=correlation, payload=payload, attachments=attachments,
    )  # fmt: skip
    message = OutboundMessage.objects.create(
        id=uuid.UUID(signed["message"]["id"]), receiver=receiver, service=service, kind=kind, correlation=correlation,
        envelope=signed,
    )  # fmt: skip
    deliver_outbound.enqueue(message_id=str(message.id))
    return message


def sandbox_key_file() -> Path:
    return Path(settings.VAR_DIR) / "exchange" / "sandbox.key"


def trusted_keys(sender: str) -> list[Ed25519PublicKey]:
    """The keys a sender's messages may be signed with: the peer's configured key; outside production, also the
    exchange sandbox's (it plays every agency outside the portal)."""
    keys = []
    path = settings.DVC_EXCHANGE_PEERS.get(sender)
    if path:
        keys.append(envelope.load_public(Path(path).read_bytes()))
    if settings.DVC_EXCHANGE_SANDBOX:
        keys.append(envelope.load_or_create_key(sandbox_key_file()).public_key())
    return keys


def message_receive(*, body: Any, now: dt.datetime | None = None) -> tuple[InboundMessage, bool]:
    """Accept a signed message (raises envelope.BadMessage): (the message, True) the first time, and (the one kept,
    False) when the same id comes again; it is then not applied again."""
    message = envelope.open_envelope(
        body, receiver=settings.DVC_EXCHANGE_ID, keys_for=trusted_keys,
        max_age=dt.timedelta(days=settings.DVC_EXCHANGE_MAX_AGE_DAYS), now=now,
    )  # fmt: skip
    known = InboundMessage.objects.filter(message_id=message["id"]).first()
    if known is not None:
        return known, False
    try:
        with transaction.atomic():
            kept = InboundMessage.objects.create(
                message_id=message["id"], sender=message["sender"], kind=message["kind"][:32],
                correlation=message["correlation"][:64], envelope=body,
            )  # fmt: skip
            apply_inbound.enqueue(pk=kept.pk)
    except IntegrityError:  # the same message, delivered twice at once
        return InboundMessage.objects.get(message_id=message["id"]), False
    return kept, True
