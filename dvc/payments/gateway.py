"""Payments through the gateway (VNPay v2.1.0 protocol), exactly once.

Only the gateway's IPN (or the reconciliation that asks the gateway) changes a payment's state, in one
transaction with conditional updates: the attempt ``pending → paid``, the dossier ``unpaid → paid``, and one
receipt per dossier (a unique constraint as the last guard). Whatever the gateway says that cannot be applied — a
wrong amount, money for an attempt already cancelled, a second payment for a paid dossier — is recorded and
flagged for an officer, never silently applied or dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dvc.accounts.models import User
from dvc.dossiers.models import Dossier
from dvc.payments import vnpay
from dvc.payments.fees import amount_due, require_payable
from dvc.payments.models import GatewayEvent, PaymentAttempt
from dvc.payments.settlement import attempt_flag, dossier_mark_paid

logger = logging.getLogger(__name__)
A = PaymentAttempt.Status
RECONCILE_BATCH = 500  # attempts asked about per sweep (every 15 minutes)
REPORT_FLAGGED = 100  # flagged attempts listed in a sweep's report, newest first


def txn_ref_new(now: dt.datetime) -> str:
    return f"{timezone.localtime(now):%y%m%d}{secrets.token_hex(6).upper()}"


def payment_start(*, dossier: Dossier, payer: User | None, ip: str, bank_code: str = "") -> tuple[PaymentAttempt, str]:
    """A new attempt and the signed URL that sends the payer to the gateway.

    Other attempts still pending stay as they are: a new one must not spoil the payment someone is making at
    the gateway right now. The first success pays the dossier; a later one is kept and flagged for a refund.
    """
    require_payable(dossier)
    amount = amount_due(dossier)
    now = timezone.now()
    cfg = vnpay.config_for_agency(dossier.agency.code)  # the fee goes to the collecting agency's own account
    attempt = PaymentAttempt.objects.create(
        dossier=dossier, txn_ref=txn_ref_new(now), amount=amount, payer=payer, client_ip=ip or None,
        gateway_create_date=vnpay.timestamp(now), tmn_code=cfg.tmn_code,
    )  # fmt: skip
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


def ipn_handle(params: Mapping[str, str]) -> Answer:
    """The gateway's server-to-server notice. Idempotent: repeats and late copies change nothing and get 02."""
    txn_ref = str(params.get("vnp_TxnRef", ""))[:64]
    event = GatewayEvent.objects.create(kind=GatewayEvent.Kind.IPN, txn_ref=txn_ref, params=dict(params))
    answer = _ipn_answer(params, txn_ref)
    GatewayEvent.objects.filter(pk=event.pk).update(answer=answer.code)
    return answer


def _ipn_answer(params: Mapping[str, str], txn_ref: str) -> Answer:
    cfg = vnpay.config_for_terminal(str(params.get("vnp_TmnCode", "")))  # each terminal's notices, its own secret
    if cfg is None or not vnpay.verify(params, cfg.secret):
        return _answer(vnpay.BAD_CHECKSUM)
    attempt = PaymentAttempt.objects.filter(txn_ref=txn_ref).select_related("dossier").first()
    if attempt is None or _terminal_of(attempt) != cfg.tmn_code:  # an order of another terminal is not this one's
        return _answer(vnpay.NOT_FOUND)
    try:
        told = vnpay.outcome(params)
    except ValueError:
        attempt_flag(attempt, "IPN with a malformed amount")
        return _answer(vnpay.INVALID_AMOUNT)
    if told.amount != attempt.amount:
        attempt_flag(attempt, f"IPN amount {told.amount} differs from {attempt.amount}")
        return _answer(vnpay.INVALID_AMOUNT)
    return _answer(settle(attempt, told))


def _terminal_of(attempt: PaymentAttempt) -> str:
    return attempt.tmn_code or settings.DVC_VNPAY_TMN_CODE


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
            # Money the gateway says it took and that this portal did not apply: an officer refunds or applies it.
            unapplied = {
                A.CANCELLED: "paid at the gateway after the attempt was cancelled: refund or apply",
                A.FAILED: "success notice after a failure notice: check with the gateway, refund or apply",
            }
            if current.status in unapplied and not current.flagged:
                attempt_flag(current, unapplied[A(current.status)])
            return vnpay.ALREADY_CONFIRMED
        attempt.refresh_from_db()
        dossier_mark_paid(attempt)
    return vnpay.CONFIRMED


def record_return(params: Mapping[str, str]) -> PaymentAttempt | None:
    """The payer's browser coming back: checked and logged, but it changes nothing (VNPay: only the IPN does)."""
    txn_ref = str(params.get("vnp_TxnRef", ""))[:64]
    cfg = vnpay.config_for_terminal(str(params.get("vnp_TmnCode", "")))
    valid = cfg is not None and vnpay.verify(params, cfg.secret)
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
    now = timezone.now()
    report = Reconciliation()
    pending = (
        PaymentAttempt.objects.filter(
            status=A.PENDING, method=PaymentAttempt.Method.GATEWAY, created_at__lt=now - older_than
        )
        .select_related("dossier")
        .order_by("created_at", "pk")  # oldest first: a sweep cut short by the batch size resumes where it stopped
    )
    for attempt in pending[:RECONCILE_BATCH]:
        report.checked += 1
        created = attempt.gateway_create_date or vnpay.timestamp(attempt.created_at)  # older attempts: best guess
        found = vnpay.config_for_terminal(attempt.tmn_code or settings.DVC_VNPAY_TMN_CODE)  # where it was made
        if found is None:  # that terminal is no longer configured: asking another would answer "not found"
            report.mismatches.append(f"{attempt.txn_ref}: cổng {attempt.tmn_code} không còn được cấu hình")
            continue
        cfg = found
        body = vnpay.query_request(cfg=cfg, txn_ref=attempt.txn_ref, created=created, ip="127.0.0.1", now=now)
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
        expired = now - attempt.created_at > expire_after
        code = str(answer.get("vnp_ResponseCode", ""))[:8]
        if code != "00":
            # Only "no such transaction" fails an expired attempt; "try later" (94, 99), a refused query (97,
            # 02, 03) say nothing about the payment: it stays pending and a late IPN can still settle it.
            if code == vnpay.QUERY_NOT_FOUND and expired:
                PaymentAttempt.objects.filter(pk=attempt.pk, status=A.PENDING).update(
                    status=A.FAILED, settled_at=now, response_code=code
                )
                report.failed += 1
            elif code != vnpay.QUERY_NOT_FOUND:
                report.unanswered += 1
            continue
        try:
            told = vnpay.outcome(answer)
        except ValueError:
            report.mismatches.append(f"{attempt.txn_ref}: số tiền không đọc được")
            continue
        if told.amount != attempt.amount:
            attempt_flag(attempt, f"gateway reports {told.amount}, attempt is {attempt.amount}")
            report.mismatches.append(f"{attempt.txn_ref}: cổng báo {told.amount} đồng, hồ sơ {attempt.amount} đồng")
            continue
        status = told.transaction_status
        # Paid, failed, or never completed before the payment page expired: settled. Anything else (reversed,
        # refund in progress, suspected fraud) is for an officer, not for this loop.
        if status in (vnpay.TXN_SUCCESS, vnpay.TXN_FAILED) or (status == vnpay.TXN_NOT_COMPLETED and expired):
            settled = settle(attempt, told)
            if settled == vnpay.CONFIRMED and told.success:
                report.paid += 1
            elif settled == vnpay.CONFIRMED:
                report.failed += 1
        elif status != vnpay.TXN_NOT_COMPLETED:
            report.mismatches.append(f"{attempt.txn_ref}: cổng báo trạng thái giao dịch {status}")
    flagged = PaymentAttempt.objects.filter(flagged=True).order_by("-created_at")[:REPORT_FLAGGED]
    report.mismatches += [f"{a.txn_ref}: {a.flag_reason}" for a in flagged]
    return report
