"""Bookkeeping of messages (claim, mark sent, record a failed attempt) and the handlers of inbound kinds.

Used by the tasks (``exchange.tasks``); nothing here enqueues work. A domain app registers the handler of each kind
of message it understands in ``handlers`` when it loads (the exchange does not import the domain).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from dvc.exchange.models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)
CLAIM_SECONDS = 120


class Ignored(Exception):
    """A message understood but with nothing to do (a status the dossier already has, a late duplicate)."""


# kind → handler(message dict) returning a note of what was done; raise Ignored, or DeliveryError to retry.
handlers: dict[str, Callable[[dict[str, Any]], str]] = {}


def outbound_claim(message_id: str) -> OutboundMessage | None:
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), pk=message_id, status=OutboundMessage.Status.PENDING
    ).update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
    return OutboundMessage.objects.get(pk=message_id) if claimed else None


def outbound_sent(message: OutboundMessage) -> None:
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundMessage.Status.PENDING).update(
        status=OutboundMessage.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, claimed_until=None,
        last_error="",
    )  # fmt: skip


def outbound_failed(message: OutboundMessage, *, error: str, final: bool) -> dt.datetime | None:
    """Record a failed attempt; the moment of the next one (exponential back-off), or None when given up."""
    attempts = message.attempts + 1
    give_up = final or attempts >= settings.DVC_EXCHANGE_MAX_ATTEMPTS
    updated = OutboundMessage.objects.filter(pk=message.pk, status=OutboundMessage.Status.PENDING).update(
        attempts=attempts, last_error=error[:2000], claimed_until=None,
        status=OutboundMessage.Status.FAILED if give_up else OutboundMessage.Status.PENDING,
    )  # fmt: skip
    if not updated or give_up:
        if give_up:
            logger.error("exchange message %s to %s given up after %d attempts: %s", message.pk, message.receiver,
                         attempts, error)  # fmt: skip
        return None
    logger.warning("exchange message %s attempt %d failed, will retry: %s", message.pk, attempts, error)
    delay = min(settings.DVC_EXCHANGE_RETRY_SECONDS * 2 ** (attempts - 1), 6 * 3600)
    return timezone.now() + dt.timedelta(seconds=delay)


def inbound_claim(pk: int) -> InboundMessage | None:
    updated = InboundMessage.objects.filter(pk=pk, outcome=InboundMessage.Outcome.PENDING).update(
        attempts=F("attempts") + 1
    )
    return InboundMessage.objects.get(pk=pk) if updated else None


def inbound_settle(message: InboundMessage, *, outcome: str, note: str) -> None:
    InboundMessage.objects.filter(pk=message.pk).update(outcome=outcome, note=note[:2000], handled_at=timezone.now())
