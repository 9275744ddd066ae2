"""Applying a payment: the dossier becomes paid, with its receipt in the applicant's vault, its history and the
applicant's notice; what cannot be applied is flagged for an officer, never dropped."""

from __future__ import annotations

import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.models import Dossier
from dvc.formatting import dong, thousands
from dvc.payments.fees import NOT_PAYABLE
from dvc.payments.models import PaymentAttempt, Receipt
from dvc.payments.receipt import receipt_pdf
from dvc.vault.services import stored_file_from_bytes

logger = logging.getLogger(__name__)


def attempt_flag(attempt: PaymentAttempt, reason: str) -> None:
    """Mark an attempt for an officer's attention (refund or apply by hand), with the reason."""
    PaymentAttempt.objects.filter(pk=attempt.pk).update(flagged=True, flag_reason=reason[:500])
    logger.warning("payment %s flagged: %s", attempt.txn_ref, reason)


def dossier_mark_paid(attempt: PaymentAttempt, actor: User | None = None) -> None:
    """Inside the settling transaction: the dossier becomes paid, with its receipt, history and notice."""
    dossier = attempt.dossier
    became_paid = (
        Dossier.objects.filter(pk=dossier.pk, fee_status=Dossier.FeeStatus.UNPAID)
        .exclude(status__in=NOT_PAYABLE)
        .update(fee_status=Dossier.FeeStatus.PAID, updated_at=timezone.now())
    )
    if not became_paid:
        closed = Dossier.objects.filter(pk=dossier.pk, status__in=NOT_PAYABLE).exists()
        attempt_flag(
            attempt,
            "paid for a dossier refused or withdrawn meanwhile: refund"
            if closed
            else "second payment for a dossier already paid: refund",
        )
        return
    dossier.refresh_from_db()
    number = f"BL-{timezone.localtime():%y%m%d}-{secrets.token_hex(4).upper()}"
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(number=number, dossier=dossier, attempt=attempt, amount=attempt.amount)
    except IntegrityError:  # unreachable while the fee_status update guards it; kept as the last line of defence
        attempt_flag(attempt, "a receipt already exists for this dossier")
        return
    with stored_file_from_bytes(
        owner=dossier.applicant,
        content=receipt_pdf(receipt),
        name=f"bien-lai-{receipt.number}.pdf",
        document_type="bien_lai",
        title=_("Biên lai %(number)s") % {"number": receipt.number},
    ) as stored:  # everything the receipt comes with, inside the block: a failure takes the file back too
        Receipt.objects.filter(pk=receipt.pk).update(stored_file=stored)
        record_event(
            dossier,
            actor=actor,
            action="paid",
            note=_("%(amount)s — %(method)s — biên lai %(receipt)s")
            % {"amount": dong(attempt.amount), "method": attempt.get_method_display(), "receipt": receipt.number},
        )
        notify_applicant(
            dossier, "dossier_paid", extra={"amount": thousands(attempt.amount), "receipt": receipt.number}
        )
