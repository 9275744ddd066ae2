"""Fees and payments, exactly once.

Only the gateway's IPN (or the reconciliation that asks the gateway) changes a payment's state, in one
transaction with conditional updates: the attempt ``pending → paid``, the dossier ``unpaid → paid``, and one
receipt per dossier (a unique constraint as the last guard). Whatever the gateway says that cannot be applied — a
wrong amount, money for an attempt already cancelled, a second payment for a paid dossier — is recorded and
flagged for an officer, never silently applied or dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.catalog.services import fee_amount
from dvc.dossiers.models import Dossier
from dvc.dossiers.services import _event, _notify
from dvc.errors import Conflict, InvalidInput
from dvc.payments import vnpay
from dvc.payments.models import FeeLine, GatewayEvent, PaymentAttempt, Receipt, Refund
from dvc.vault.models import StoredFile
from dvc.web.templatetags.humanize_vi import dong

logger = logging.getLogger(__name__)
A = PaymentAttempt.Status


def fee_lines_for(dossier: Dossier) -> list[FeeLine]:
    """What the applicant owes (unsaved lines): the procedure's fees at the online rate, per copy where the
    e-form asks how many copies (``so_ban_sao``), plus the post office's price for the postal choices."""
    lines: list[FeeLine] = []
    online = dossier.channel == Dossier.Channel.ONLINE
    copies = dossier.form_data.get("so_ban_sao")
    copies = int(copies) if isinstance(copies, int | str) and str(copies).isdigit() and int(copies) > 0 else 1
    for fee in dossier.procedure.fees.all():
        quantity = 1 if fee.unit == fee.Unit.CASE else copies
        amount = fee_amount(fee, quantity=quantity, online=online)
        if amount:
            lines.append(FeeLine(dossier=dossier, kind=fee.kind, name=fee.name, quantity=quantity, amount=amount,
                                 note=fee.note[:500], position=len(lines)))  # fmt: skip
    # QĐ 45/2016/QĐ-TTg: the public postal service's price is paid by the applicant.
    if dossier.submission_method == Dossier.SubmissionMethod.POST_PICKUP and settings.DVC_POSTAL_FEE_PICKUP:
        lines.append(FeeLine(dossier=dossier, kind=FeeLine.Kind.POSTAL, name=_("Bưu điện đến nhận hồ sơ tại nhà"),
                             amount=settings.DVC_POSTAL_FEE_PICKUP, position=len(lines)))  # fmt: skip
    if dossier.result_method == Dossier.ResultMethod.POST and settings.DVC_POSTAL_FEE_DELIVERY:
        lines.append(FeeLine(dossier=dossier, kind=FeeLine.Kind.POSTAL, name=_("Chuyển kết quả qua bưu chính"),
                             amount=settings.DVC_POSTAL_FEE_DELIVERY, position=len(lines)))  # fmt: skip
    return lines


def fee_lines_set(dossier: Dossier) -> int:
    """Fix the dossier's fee lines (at submission); returns the total in đồng."""
    lines = fee_lines_for(dossier)
    FeeLine.objects.filter(dossier=dossier).delete()
    FeeLine.objects.bulk_create(lines)
    return sum(line.amount for line in lines)


def amount_due(dossier: Dossier) -> int:
    return sum(FeeLine.objects.filter(dossier=dossier).values_list("amount", flat=True))


def _txn_ref(now: dt.datetime) -> str:
    return f"{timezone.localtime(now):%y%m%d}{secrets.token_hex(6).upper()}"


def payment_start(*, dossier: Dossier, payer: Any, ip: str, bank_code: str = "") -> tuple[PaymentAttempt, str]:
    """A new attempt and the signed URL that sends the payer to the gateway. Earlier attempts still pending are
    cancelled: a late success for one of them is flagged for an officer rather than charged twice."""
    if dossier.fee_status != Dossier.FeeStatus.UNPAID:
        raise Conflict(_("Hồ sơ này không có khoản phí nào chờ thanh toán."), code="nothing_to_pay")
    amount = amount_due(dossier)
    if amount <= 0:
        raise Conflict(_("Hồ sơ này không có khoản phí nào chờ thanh toán."), code="nothing_to_pay")
    now = timezone.now()
    with transaction.atomic():
        PaymentAttempt.objects.filter(dossier=dossier, status=A.PENDING, method=PaymentAttempt.Method.GATEWAY).update(
            status=A.CANCELLED, settled_at=now
        )
        attempt = PaymentAttempt.objects.create(
            dossier=dossier,
            txn_ref=_txn_ref(now),
            amount=amount,
            payer=payer if getattr(payer, "is_authenticated", False) else None,
            client_ip=ip or None,
        )
    cfg = vnpay.config()
    params = vnpay.payment_params(
        cfg=cfg, txn_ref=attempt.txn_ref, amount=amount, order_info=f"Thanh toan phi ho so {dossier.code}", ip=ip,
        created=now, bank_code=bank_code,
    )  # fmt: skip
    return attempt, vnpay.payment_url(params, cfg)


@dataclass(frozen=True)
class Answer:
    code: str
    message: str

    def json(self) -> dict[str, str]:
        return {"RspCode": self.code, "Message": self.message}


def _answer(code: str) -> Answer:
    return Answer(code, vnpay.ANSWER_TEXT[code])


def _flag(attempt: PaymentAttempt, reason: str) -> None:
    PaymentAttempt.objects.filter(pk=attempt.pk).update(flagged=True, flag_reason=reason[:500])
    logger.warning("payment %s flagged: %s", attempt.txn_ref, reason)


def ipn_handle(params: Mapping[str, str]) -> Answer:
    """The gateway's server-to-server notice. Idempotent: repeats and late copies change nothing and get 02."""
    txn_ref = str(params.get("vnp_TxnRef", ""))[:64]
    event = GatewayEvent.objects.create(kind=GatewayEvent.Kind.IPN, txn_ref=txn_ref, params=dict(params))
    answer = _ipn_answer(params, txn_ref)
    GatewayEvent.objects.filter(pk=event.pk).update(answer=answer.code)
    return answer


def _ipn_answer(params: Mapping[str, str], txn_ref: str) -> Answer:
    cfg = vnpay.config()
    if not vnpay.verify(params, cfg.secret) or params.get("vnp_TmnCode") != cfg.tmn_code:
        return _answer(vnpay.BAD_CHECKSUM)
    attempt = PaymentAttempt.objects.filter(txn_ref=txn_ref).select_related("dossier").first()
    if attempt is None:
        return _answer(vnpay.NOT_FOUND)
    try:
        told = vnpay.outcome(params)
    except ValueError:
        _flag(attempt, "IPN with a malformed amount")
        return _answer(vnpay.INVALID_AMOUNT)
    if told.amount != attempt.amount:
        _flag(attempt, f"IPN amount {told.amount} differs from {attempt.amount}")
        return _answer(vnpay.INVALID_AMOUNT)
    return _answer(settle(attempt, told))


def settle(attempt: PaymentAttempt, told: vnpay.Outcome) -> str:
    """Apply what the gateway says of ``attempt``; returns the IPN answer code (00 applied, 02 already done)."""
    now = timezone.now()
    if not told.success:
        updated = PaymentAttempt.objects.filter(pk=attempt.pk, status=A.PENDING).update(
            status=A.FAILED, settled_at=now, response_code=told.response_code, gateway_txn_no=told.transaction_no
        )
        return vnpay.CONFIRMED if updated else vnpay.ALREADY_CONFIRMED
    with transaction.atomic():
        updated = PaymentAttempt.objects.filter(pk=attempt.pk, status=A.PENDING).update(
            status=A.PAID,
            settled_at=now,
            response_code=told.response_code,
            gateway_txn_no=told.transaction_no,
            bank_code=told.bank_code,
            card_type=told.card_type,
            paid_at=told.paid_at or now,
        )
        if not updated:
            current = PaymentAttempt.objects.get(pk=attempt.pk)
            if current.status == A.CANCELLED and not current.flagged:
                _flag(current, "paid at the gateway after the attempt was replaced by a newer one: refund or apply")
            return vnpay.ALREADY_CONFIRMED
        attempt.refresh_from_db()
        _paid(attempt)
    return vnpay.CONFIRMED


def _paid(attempt: PaymentAttempt, actor: Any = None) -> None:
    """Inside the settling transaction: the dossier becomes paid, with its receipt, history and notice."""
    dossier = attempt.dossier
    if not Dossier.objects.filter(pk=dossier.pk, fee_status=Dossier.FeeStatus.UNPAID).update(
        fee_status=Dossier.FeeStatus.PAID, updated_at=timezone.now()
    ):
        _flag(attempt, "second payment for a dossier already paid: refund")
        return
    dossier.refresh_from_db()
    number = f"BL-{timezone.localtime():%y%m%d}-{secrets.token_hex(4).upper()}"
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(number=number, dossier=dossier, attempt=attempt, amount=attempt.amount)
    except IntegrityError:  # unreachable while the fee_status update guards it; kept as the last line of defence
        _flag(attempt, "a receipt already exists for this dossier")
        return
    from dvc.payments.receipt import receipt_pdf

    content = receipt_pdf(receipt)
    stored = StoredFile(
        owner=dossier.applicant,
        original_name=f"bien-lai-{receipt.number}.pdf",
        kind=StoredFile.Kind.PDF,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        document_type="bien_lai",
        title=_("Biên lai %(number)s") % {"number": receipt.number},
    )
    stored.file.save("receipt.pdf", ContentFile(content), save=False)
    stored.save()
    Receipt.objects.filter(pk=receipt.pk).update(stored_file=stored)
    method = attempt.get_method_display()
    _event(
        dossier,
        actor=actor,
        action="paid",
        note=_("%(amount)s — %(method)s — biên lai %(receipt)s")
        % {"amount": dong(attempt.amount), "method": method, "receipt": receipt.number},
    )
    _notify(
        dossier, "dossier_paid", extra={"amount": f"{attempt.amount:,}".replace(",", "."), "receipt": receipt.number}
    )


def record_return(params: Mapping[str, str]) -> PaymentAttempt | None:
    """The payer's browser coming back: checked and logged, but it changes nothing (VNPay: only the IPN does)."""
    txn_ref = str(params.get("vnp_TxnRef", ""))[:64]
    valid = vnpay.verify(params, vnpay.config().secret)
    GatewayEvent.objects.create(
        kind=GatewayEvent.Kind.RETURN, txn_ref=txn_ref, params=dict(params), answer="ok" if valid else "97"
    )
    if not valid:
        return None
    return PaymentAttempt.objects.filter(txn_ref=txn_ref).select_related("dossier", "dossier__procedure").first()


@dataclass
class Reconciliation:
    checked: int = 0
    paid: int = 0
    failed: int = 0
    unanswered: int = 0
    mismatches: list[str] = field(default_factory=list)


def reconcile(
    *, older_than: dt.timedelta = dt.timedelta(minutes=15), expire_after: dt.timedelta = dt.timedelta(hours=1)
) -> Reconciliation:
    """Ask the gateway about attempts left pending (their IPN never came) and settle them the same way."""
    cfg = vnpay.config()
    now = timezone.now()
    report = Reconciliation()
    pending = PaymentAttempt.objects.filter(
        status=A.PENDING, method=PaymentAttempt.Method.GATEWAY, created_at__lt=now - older_than
    ).select_related("dossier")
    for attempt in pending[:500]:
        report.checked += 1
        body = vnpay.query_request(
            cfg=cfg, txn_ref=attempt.txn_ref, created=attempt.created_at, ip="127.0.0.1", now=now
        )
        try:
            answer = vnpay.post_json(cfg.api_url, body)
        except (OSError, ValueError) as exc:
            logger.warning("querydr for %s failed: %s", attempt.txn_ref, exc)
            report.unanswered += 1
            continue
        GatewayEvent.objects.create(
            kind=GatewayEvent.Kind.QUERY, txn_ref=attempt.txn_ref, params=answer,
            answer=str(answer.get("vnp_ResponseCode", ""))[:8],
        )  # fmt: skip
        if not vnpay.query_response_valid(answer, cfg.secret):
            report.mismatches.append(f"{attempt.txn_ref}: chữ ký của câu trả lời không hợp lệ")
            continue
        if answer.get("vnp_ResponseCode") != "00":  # 91: the gateway has no such transaction
            if now - attempt.created_at > expire_after:
                PaymentAttempt.objects.filter(pk=attempt.pk, status=A.PENDING).update(
                    status=A.FAILED, settled_at=now, response_code=str(answer.get("vnp_ResponseCode", ""))[:8]
                )
                report.failed += 1
            continue
        try:
            told = vnpay.outcome(answer)
        except ValueError:
            report.mismatches.append(f"{attempt.txn_ref}: số tiền không đọc được")
            continue
        if told.amount != attempt.amount:
            _flag(attempt, f"gateway reports {told.amount}, attempt is {attempt.amount}")
            report.mismatches.append(f"{attempt.txn_ref}: cổng báo {told.amount} đồng, hồ sơ {attempt.amount} đồng")
            continue
        if told.transaction_status in ("00", "02") or now - attempt.created_at > expire_after:
            code = settle(attempt, told)
            if code == vnpay.CONFIRMED and told.success:
                report.paid += 1
            elif code == vnpay.CONFIRMED:
                report.failed += 1
    flagged = PaymentAttempt.objects.filter(flagged=True).order_by("-created_at")[:100]
    report.mismatches += [f"{a.txn_ref}: {a.flag_reason}" for a in flagged]
    return report


def payment_record_cash(*, dossier: Dossier, officer: Any, ip: str = "") -> PaymentAttempt:
    """The applicant paid in cash at the counter: recorded by the officer, with the same receipt."""
    from dvc.dossiers.backoffice import audit, require

    require(officer, dossier, "return_result")
    amount = amount_due(dossier)
    if dossier.fee_status != Dossier.FeeStatus.UNPAID or amount <= 0:
        raise Conflict(_("Hồ sơ này không có khoản phí nào chờ thanh toán."), code="nothing_to_pay")
    now = timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.fee_status != Dossier.FeeStatus.UNPAID:
            raise Conflict(_("Hồ sơ đã được thanh toán."), code="already_paid")
        attempt = PaymentAttempt.objects.create(
            dossier=locked, txn_ref=f"TM{_txn_ref(now)}", method=PaymentAttempt.Method.CASH, gateway="",
            amount=amount, status=A.PAID, settled_at=now, paid_at=now, recorded_by=officer,
        )  # fmt: skip
        _paid(attempt, actor=officer)
        audit(officer, "record_cash", dossier, ip=ip, detail=str(amount))
    return attempt


def fee_exempt(*, dossier: Dossier, officer: Any, reason: str, ip: str = "") -> Dossier:
    """The agency waives the fees for an applicant the law exempts (e.g. người có công, hộ nghèo), with the legal
    ground; the dossier no longer waits for payment and the decision stays in its history."""
    from dvc.dossiers.backoffice import audit, require

    require(officer, dossier, "return_result")
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
        _event(dossier, actor=officer, action="fee_exempted", note=reason[:1000])
        audit(officer, "fee_exempt", dossier, ip=ip)
    dossier.refresh_from_db()
    return dossier


def refund_record(*, attempt: PaymentAttempt, officer: Any, amount: int, reason: str, ip: str = "") -> Refund:
    """A refund the agency made outside the portal, with the reason (the gateway's refund API is not used)."""
    from dvc.dossiers.backoffice import audit, require

    require(officer, attempt.dossier, "return_result")
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Vui lòng ghi rõ lý do.")]})
    refunded = sum(attempt.refunds.values_list("amount", flat=True))
    if attempt.status != A.PAID and not attempt.flagged:
        raise Conflict(_("Lần thanh toán này chưa thu tiền, không có gì để hoàn."), code="not_paid")
    if not 0 < amount <= attempt.amount - refunded:
        raise InvalidInput({"amount": [_("Số tiền hoàn phải lớn hơn 0 và không quá số đã thu.")]})
    with transaction.atomic():
        refund = Refund.objects.create(
            dossier=attempt.dossier, attempt=attempt, amount=amount, reason=reason[:2000], recorded_by=officer
        )
        _event(attempt.dossier, actor=officer, action="refunded", note=f"{dong(amount)}. {reason[:500]}")
        audit(officer, "refund", attempt.dossier, ip=ip, detail=f"{attempt.txn_ref} {amount}")
    return refund
