"""Background work of the exchange: deliver outbound messages (retried with back-off) and apply inbound ones."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dvc.exchange.delivery import (
    Ignored,
    handlers,
    inbound_claim,
    inbound_settle,
    outbound_claim,
    outbound_failed,
    outbound_sent,
)
from dvc.exchange.models import InboundMessage
from dvc.exchange.transport import DeliveryError, send

logger = logging.getLogger(__name__)


@task()
def deliver_outbound(message_id: str) -> str:
    """Send one message; a message already sent, given up or held by another worker is left alone."""
    message = outbound_claim(message_id)
    if message is None:
        return "skipped"
    try:
        answer = send(message.envelope)
    except DeliveryError as exc:
        with transaction.atomic():
            retry_at = outbound_failed(message, error=str(exc), final=exc.final)
            if retry_at is not None:
                deliver_outbound.using(run_after=retry_at).enqueue(message_id=message_id)
        return "retry" if retry_at else "failed"
    outbound_sent(message)
    return answer


@task()
def apply_inbound(pk: int) -> str:
    """Apply one received message through the handler of its kind, in one transaction with its outcome."""
    message = inbound_claim(pk)
    if message is None:
        return "skipped"
    handler = handlers.get(message.kind)
    try:
        with transaction.atomic():
            if handler is None:
                raise Ignored(f"Loại tin “{message.kind}” không được hỗ trợ.")
            note = handler(message.envelope["message"])
            inbound_settle(message, outcome=InboundMessage.Outcome.APPLIED, note=note)
    except Ignored as exc:
        inbound_settle(message, outcome=InboundMessage.Outcome.IGNORED, note=str(exc))
        return "ignored"
    except DeliveryError as exc:
        if exc.final or message.attempts >= settings.DVC_EXCHANGE_MAX_ATTEMPTS:
            inbound_settle(message, outcome=InboundMessage.Outcome.FAILED, note=str(exc))
            logger.error("inbound exchange message %s failed: %s", message.message_id, exc)
            return "failed"
        with transaction.atomic():
            InboundMessage.objects.filter(pk=pk).update(note=str(exc)[:2000])
            apply_inbound.using(run_after=_later(message.attempts)).enqueue(pk=pk)
        return "retry"
    return "applied"


def _later(attempts: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=min(settings.DVC_EXCHANGE_RETRY_SECONDS * 2 ** (attempts - 1), 3600))
