"""Background delivery of messages; run by ``manage.py run_worker``."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from dvc.notify.backends import DeliveryError, backend_for
from dvc.notify.delivery import message_claim, message_mark_failed_attempt, message_mark_sent


@task()
def deliver_message(message_id: str) -> str:
    """Deliver one message; idempotent: a message already sent, failed or held elsewhere is left alone.

    A failed attempt books the next one (exponential back-off) in the transaction that records the failure.
    """
    message = message_claim(message_id=message_id)
    if message is None:
        return "skipped"
    try:
        backend_for(message.channel).send(message)
    except DeliveryError as exc:
        with transaction.atomic():
            status, retry_at = message_mark_failed_attempt(message=message, error=str(exc))
            if retry_at is not None:
                deliver_message.using(run_after=retry_at).enqueue(message_id=message_id)
        return str(status)
    message_mark_sent(message=message)
    return "sent"
