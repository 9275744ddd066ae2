"""Fees owed on a dossier, payment attempts through the gateway, receipts, and what the gateway told us."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dvc.dossiers.models import Dossier
from dvc.vault.models import StoredFile


class FeeLine(models.Model):
    """One amount the applicant owes, in integer đồng: a procedure's phí or lệ phí, or the post office's price."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Lệ phí")
        FEE = "fee", _("Phí")
        POSTAL = "postal", _("Cước bưu chính")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fee_lines")
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("khoản thu"), max_length=255)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("khoản phí")
        verbose_name_plural = _("khoản phí")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class PaymentAttempt(models.Model):
    """One trip to the gateway. ``txn_ref`` is unique per attempt (``vnp_TxnRef``); only the IPN or the
    reconciliation changes its state, each with a conditional update from ``pending``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ kết quả")
        PAID = "paid", _("Thành công")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Đã huỷ")

    class Method(models.TextChoices):
        GATEWAY = "gateway", _("Thanh toán trực tuyến")
        CASH = "cash", _("Nộp tiền mặt tại bộ phận một cửa")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payment_attempts")
    txn_ref = models.CharField(max_length=64, unique=True)
    # The pay request's vnp_CreateDate (yyyyMMddHHmmss, Vietnam time), sent back as vnp_TransactionDate in querydr.
    gateway_create_date = models.CharField(max_length=14, blank=True, default="")
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.GATEWAY)
    gateway = models.CharField(max_length=16, default="vnpay")
    # The VNPay terminal (merchant) the attempt was made at: the collecting agency's own, "" for the portal's default.
    tmn_code = models.CharField(max_length=16, blank=True, default="")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    gateway_txn_no = models.CharField(_("mã giao dịch tại cổng thanh toán"), max_length=64, blank=True)
    bank_code = models.CharField(max_length=32, blank=True)
    card_type = models.CharField(max_length=32, blank=True)
    paid_at = models.DateTimeField(_("thời gian thanh toán"), null=True, blank=True)
    response_code = models.CharField(max_length=8, blank=True)
    flagged = models.BooleanField(_("cần cán bộ kiểm tra"), default=False)
    flag_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("lần thanh toán")
        verbose_name_plural = _("lần thanh toán")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["dossier", "status"])]

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.status}"


class Receipt(models.Model):
    """Biên lai điện tử: exactly one per dossier paid (the constraint is the last guard against paying twice)."""

    number = models.CharField(_("số biên lai"), max_length=40, unique=True)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="payment_receipt")
    attempt = models.OneToOneField(PaymentAttempt, on_delete=models.PROTECT, related_name="receipt")
    amount = models.PositiveBigIntegerField()
    stored_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biên lai")
        verbose_name_plural = _("biên lai")

    def __str__(self) -> str:
        return self.number


class GatewayEvent(models.Model):
    """Every message from the gateway (IPN, return, status query), kept as received, with what we answered."""

    class Kind(models.TextChoices):
        IPN = "ipn", "IPN"
        RETURN = "return", _("Trở về từ cổng")
        QUERY = "query", _("Truy vấn trạng thái")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    txn_ref = models.CharField(max_length=64, blank=True, db_index=True)
    params = models.JSONField(default=dict)
    answer = models.CharField(max_length=8, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.txn_ref} {self.answer}"


class Refund(models.Model):
    """A refund decided by the agency and made outside the portal (the gateway's refund API is not used)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="refunds")
    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền hoàn (đồng)"))
    reason = models.TextField(_("lý do"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hoàn tiền")
        verbose_name_plural = _("hoàn tiền")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive")]

    def __str__(self) -> str:
        return f"{self.dossier} −{self.amount}"


class SandboxTransaction(models.Model):
    """The built-in sandbox gateway's own record of what the payer chose; answers its status queries."""

    txn_ref = models.CharField(max_length=64, unique=True)
    amount = models.PositiveBigIntegerField()
    response_code = models.CharField(max_length=8)
    transaction_status = models.CharField(max_length=8)
    transaction_no = models.CharField(max_length=16)
    bank_code = models.CharField(max_length=32)
    card_type = models.CharField(max_length=32)
    order_info = models.CharField(max_length=255, blank=True)
    pay_date = models.CharField(max_length=14)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.transaction_status}"
