"""Writes of the notify app: queue a message, record each delivery attempt."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dvc.notify.models import Message

logger = logging.getLogger(__name__)

# Longest a worker may hold a message before another may take it over (a crashed worker's claim).
CLAIM_SECONDS = 120
SCRUBBED_BODY = "[đã xoá nội dung bí mật]"


def _render(template: str, suffix: str, context: dict[str, Any]) -> str:
    # Citizens read messages in Vietnamese whatever language the page that caused them was in.
    with translation.override("vi"):
        return render_to_string(f"notify/messages/{template}.{suffix}", context).strip()


def message_send(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict[str, Any],
    sensitive: bool = False,
    expires_at: dt.datetime | None = None,
) -> Message:
    """Queue one message and enqueue its delivery in the same transaction as the change that caused it."""
    from dvc.notify.tasks import deliver_message

    with transaction.atomic():
        message = Message.objects.create(
            channel=channel,
            recipient=recipient,
            template=template,
            subject=_render(template, "subject.txt", context) if channel == Message.Channel.EMAIL else "",
            body=_render(template, "txt", context),
            sensitive=sensitive,
            expires_at=expires_at,
        )
        deliver_message.enqueue(message_id=str(message.id))
    return message


def message_claim(*, message_id: str) -> Message | None:
    """Take a pending message for delivery; None when it is gone, done, or held by another worker."""
    now = timezone.now()
    claimed = Message.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), pk=message_id, status=Message.Status.PENDING
    ).update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    if message.expires_at is not None and message.expires_at <= now:
        Message.objects.filter(pk=message_id, status=Message.Status.PENDING).update(
            status=Message.Status.EXPIRED, claimed_until=None, body=SCRUBBED_BODY if message.sensitive else F("body")
        )
        return None
    return message


def message_mark_sent(*, message: Message) -> None:
    Message.objects.filter(pk=message.pk, status=Message.Status.PENDING).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        claimed_until=None,
        last_error="",
        body=SCRUBBED_BODY if message.sensitive else F("body"),
    )


def message_mark_failed_attempt(*, message: Message, error: str) -> Message.Status:
    """Record a failed attempt; enqueue a retry with exponential back-off, or give up after the last one."""
    from dvc.notify.tasks import deliver_message

    attempts = message.attempts + 1
    give_up = attempts >= settings.DVC_NOTIFY_MAX_ATTEMPTS
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=Message.Status.PENDING).update(
            attempts=attempts,
            last_error=error[:2000],
            claimed_until=None,
            status=Message.Status.FAILED if give_up else Message.Status.PENDING,
            body=SCRUBBED_BODY if give_up and message.sensitive else F("body"),
        )
        if updated and not give_up:
            delay = settings.DVC_NOTIFY_RETRY_SECONDS * 2 ** (attempts - 1)
            deliver_message.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue(
                message_id=str(message.pk)
            )
    if give_up:
        logger.error("message %s to %s failed after %d attempts: %s", message.pk, message.channel, attempts, error)
        return Message.Status.FAILED
    logger.warning("message %s attempt %d failed, will retry: %s", message.pk, attempts, error)
    return Message.Status.PENDING


def messages_requeue_stranded(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Enqueue delivery again for pending messages whose task was lost (e.g. the worker's database was reset)."""
    from dvc.notify.tasks import deliver_message

    cutoff = timezone.now() - older_than
    count = 0
    stranded = Message.objects.filter(status=Message.Status.PENDING, created_at__lt=cutoff).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now())
    )
    for message_id in stranded.values_list("pk", flat=True):
        with transaction.atomic():
            deliver_message.enqueue(message_id=str(message_id))
        count += 1
    return count
