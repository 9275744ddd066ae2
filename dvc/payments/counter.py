"""Money handled at the one-stop counter: cash recorded by an officer, fee exemptions and refunds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.permissions import require
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.models import Dossier
from dvc.errors import Conflict, InvalidInput
from dvc.formatting import dong
from dvc.payments.fees import amount_due, require_payable
from dvc.payments.gateway import txn_ref_new
from dvc.payments.models import PaymentAttempt, Refund
from dvc.payments.settlement import dossier_mark_paid

A = PaymentAttempt.Status


def payment_record_cash(*, dossier: Dossier, officer: User, ip: str = "") -> PaymentAttempt:
    """The applicant paid in cash at the counter: recorded by the officer, with the same receipt."""
    require(officer, dossier, "payments")
    require_payable(dossier)
    amount = amount_due(dossier)
    now = timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.fee_status != Dossier.FeeStatus.UNPAID:
            raise Conflict(_("Hồ sơ đã được thanh toán."), code="already_paid")
        attempt = PaymentAttempt.objects.create(
            dossier=locked, txn_ref=f"TM{txn_ref_new(now)}", method=PaymentAttempt.Method.CASH, gateway="",
            amount=amount, status=A.PAID, settled_at=now, paid_at=now, recorded_by=officer,
        )  # fmt: skip
        dossier_mark_paid(attempt, actor=officer)
        audit(officer, "record_cash", dossier, ip=ip, detail=str(amount))
    return attempt


def fee_exempt(*, dossier: Dossier, officer: User, reason: str, ip: str = "") -> Dossier:
    """The agency waives the fees for an applicant the law exempts (e.g. người có công, hộ nghèo), with the legal
    ground; the dossier no longer waits for payment and the decision stays in its history."""
    require(officer, dossier, "payments")
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Vui lòng ghi căn cứ miễn phí, lệ phí.")]})
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, fee_status=Dossier.FeeStatus.UNPAID).update(
            fee_status=Dossier.FeeStatus.NOT_REQUIRED, updated_at=timezone.now()
        ):
            raise Conflict(_("Hồ sơ này không có khoản phí nào chờ thanh toán."), code="nothing_to_pay")
        PaymentAttempt.objects.filter(dossier=dossier, status=A.PENDING).update(
            status=A.CANCELLED, settled_at=timezone.now()
        )
        record_event(dossier, actor=officer, action="fee_exempted", note=reason[:1000])
        audit(officer, "fee_exempt", dossier, ip=ip)
    dossier.refresh_from_db()
    return dossier


def refund_record(*, attempt: PaymentAttempt, officer: User, amount: int, reason: str, ip: str = "") -> Refund:
    """A refund the agency made outside the portal, with the reason (the gateway's refund API is not used)."""
    require(officer, attempt.dossier, "payments")
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Vui lòng ghi rõ lý do.")]})
    with transaction.atomic():
        # The attempt's row lock makes two refunds recorded at once add up one after the other.
        attempt = PaymentAttempt.objects.select_for_update().select_related("dossier").get(pk=attempt.pk)
        refunded = sum(attempt.refunds.values_list("amount", flat=True))
        if attempt.status != A.PAID and not attempt.flagged:
            raise Conflict(_("Lần thanh toán này chưa thu tiền, không có gì để hoàn."), code="not_paid")
        if not 0 < amount <= attempt.amount - refunded:
            raise InvalidInput({"amount": [_("Số tiền hoàn phải lớn hơn 0 và không quá số đã thu.")]})
        refund = Refund.objects.create(
            dossier=attempt.dossier, attempt=attempt, amount=amount, reason=reason[:2000], recorded_by=officer
        )
        record_event(attempt.dossier, actor=officer, action="refunded", note=f"{dong(amount)}. {reason[:500]}")
        audit(officer, "refund", attempt.dossier, ip=ip, detail=f"{attempt.txn_ref} {amount}")
    return refund
