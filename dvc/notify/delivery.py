"""Delivery bookkeeping of one message: claim it, mark it sent, record a failed attempt.

Called by the delivery task (``notify.tasks``); nothing here enqueues work, so the task may use it freely.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from dvc.notify.models import Message

logger = logging.getLogger(__name__)

# Longest a worker may hold a message before another may take it over (a crashed worker's claim).
CLAIM_SECONDS = 120
SCRUBBED_BODY = "[đã xoá nội dung bí mật]"


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


def message_mark_failed_attempt(*, message: Message, error: str) -> tuple[str, dt.datetime | None]:
    """Record a failed attempt: the message's status now, and the moment of the next try (exponential back-off),
    or None after the last one. Called inside the transaction in which the caller enqueues that next try."""
    attempts = message.attempts + 1
    give_up = attempts >= settings.DVC_NOTIFY_MAX_ATTEMPTS
    updated = Message.objects.filter(pk=message.pk, status=Message.Status.PENDING).update(
        attempts=attempts,
        last_error=error[:2000],
        claimed_until=None,
        status=Message.Status.FAILED if give_up else Message.Status.PENDING,
        body=SCRUBBED_BODY if give_up and message.sensitive else F("body"),
    )
    if not updated:  # settled meanwhile by another worker: nothing to retry
        return "skipped", None
    if give_up:
        logger.error("message %s to %s failed after %d attempts: %s", message.pk, message.channel, attempts, error)
        return Message.Status.FAILED, None
    logger.warning("message %s attempt %d failed, will retry: %s", message.pk, attempts, error)
    retry_at = timezone.now() + dt.timedelta(seconds=settings.DVC_NOTIFY_RETRY_SECONDS * 2 ** (attempts - 1))
    return Message.Status.PENDING, retry_at
