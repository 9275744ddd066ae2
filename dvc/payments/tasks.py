"""The sandbox gateway's IPN calls, and the periodic reconciliation, run by the task worker."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from dvc.jobs.services import book_once
from dvc.payments.gateway import reconcile

logger = logging.getLogger(__name__)
IPN_TRIES = 5


def http_get(url: str, timeout: float = 15.0) -> str:
    """One HTTP GET, as a gateway calls a merchant's IPN address."""
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- this portal's own IPN address
        body: str = response.read().decode()
    return body


@task()
def sandbox_send_ipn(query: str, attempt: int = 1) -> str:
    """The sandbox calls the portal's IPN address like VNPay does, and retries a few times if it gets no answer."""
    url = f"{settings.SITE_URL}/payments/vnpay/ipn?{query}"
    try:
        answer = json.loads(http_get(url))
        return str(answer.get("RspCode", ""))
    except (OSError, ValueError) as exc:
        logger.warning("sandbox IPN attempt %s failed: %s", attempt, exc)
        if attempt < IPN_TRIES:
            later = timezone.now() + dt.timedelta(seconds=30 * attempt)
            sandbox_send_ipn.using(run_after=later).enqueue(query=query, attempt=attempt + 1)
        return "retry"


RECONCILE_EVERY = dt.timedelta(minutes=15)


@task()
def reconcile_payments(reschedule: bool = True) -> str:
    """Every 15 minutes: settle attempts whose IPN never came, by asking the gateway."""
    report = reconcile()
    if reschedule:
        schedule_reconciliation()
    return f"checked {report.checked}, paid {report.paid}, failed {report.failed}, unanswered {report.unanswered}"


def schedule_reconciliation() -> bool:
    return book_once(reconcile_payments, timezone.now() + RECONCILE_EVERY)
