"""Delivery backends for SMS and e-mail, chosen by settings.

SMS: ``file`` (default) writes one JSON file per message into ``var/outbox/``; ``http`` posts JSON to an
SMS gateway. E-mail goes through Django's configured e-mail backend (file into ``var/outbox/`` or SMTP).
Every backend raises ``DeliveryError`` for a failure worth retrying.
"""

from __future__ import annotations

import json
import os
import smtplib
import tempfile
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.utils import timezone

from dvc.notify.models import Message


class DeliveryError(Exception):
    """The message could not be delivered now; the worker will try again."""


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class FileSmsBackend:
    """Writes ``<outbox>/sms-<time>-<id>.json`` with ``to``, ``body`` and ``sent_at``: the demo phone."""

    def send(self, message: Message) -> None:
        outbox = settings.OUTBOX_DIR
        try:
            outbox.mkdir(parents=True, exist_ok=True)
            now = timezone.localtime()
            payload = {"id": str(message.id), "to": message.recipient, "body": message.body, "sent_at": now.isoformat()}
            name = f"sms-{now:%Y%m%d-%H%M%S-%f}-{message.id.hex[:8]}.json"
            # Write then rename, so a reader never sees half a message.
            fd, tmp = tempfile.mkstemp(dir=outbox, prefix=".sms-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, indent=2)
            os.replace(tmp, outbox / name)
        except OSError as exc:
            raise DeliveryError(f"cannot write SMS file: {exc}") from exc


class HttpSmsBackend:
    """Posts ``{"to", "body", "sender", "id"}`` as JSON with a Bearer token to the gateway URL.

    The message id doubles as an idempotency key, so a gateway that received a request whose answer was
    lost can refuse the retry instead of sending the SMS twice.
    """

    def send(self, message: Message) -> None:
        body = json.dumps(
            {"to": message.recipient, "body": message.body, "sender": settings.DVC_SMS_SENDER, "id": str(message.id)}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 -- URL is the operator's configured gateway
            settings.DVC_SMS_HTTP_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.DVC_SMS_HTTP_TOKEN}",
                "Idempotency-Key": str(message.id),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.DVC_SMS_HTTP_TIMEOUT) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"SMS gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"SMS gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"SMS gateway answered HTTP {status}")


class DjangoEmailBackend:
    """Sends through ``settings.EMAIL_BACKEND``: the file outbox by default, SMTP in production."""

    def send(self, message: Message) -> None:
        email = EmailMessage(subject=message.subject, body=message.body, to=[message.recipient])
        email.extra_headers["Message-ID"] = f"<{message.id}@dvc>"
        if message.attachment_path:
            try:
                with default_storage.open(message.attachment_path, "rb") as handle:
                    content = handle.read(settings.DVC_EMAIL_ATTACH_MAX_BYTES + 1)
            except OSError as exc:
                raise DeliveryError(f"attachment not readable: {exc}") from exc
            if len(content) <= settings.DVC_EMAIL_ATTACH_MAX_BYTES:  # larger: the message's link is enough
                email.attach(message.attachment_name, content, "application/pdf")
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"e-mail not sent: {exc}") from exc


def backend_for(channel: str) -> Backend:
    if channel == Message.Channel.EMAIL:
        return DjangoEmailBackend()
    if settings.DVC_SMS_BACKEND == "http":
        return HttpSmsBackend()
    if settings.DVC_SMS_BACKEND == "file":
        return FileSmsBackend()
    raise ValueError(f"Unknown SMS backend {settings.DVC_SMS_BACKEND!r}")
