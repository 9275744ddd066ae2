"""Messages exchanged with agencies outside the portal through a government data-exchange platform.

Each message is signed once, when it is written, and kept as sent: a retry sends the same bytes with the same id,
so the receiver can recognize it (idempotence on both sides).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receiver = models.CharField(_("nơi nhận"), max_length=64)
    service = models.CharField(_("mã dịch vụ"), max_length=32)
    kind = models.CharField(_("loại tin"), max_length=32)
    # What the message is about on this portal (a dossier code), to find its messages.
    correlation = models.CharField(_("mã hồ sơ"), max_length=64, db_index=True)
    envelope = models.JSONField(_("tin đã ký"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin liên thông gửi đi")
        verbose_name_plural = _("tin liên thông gửi đi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.receiver} ({self.correlation})"


class InboundMessage(models.Model):
    """A message received; its id is remembered so that a message delivered twice is applied once."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Chờ xử lý")
        APPLIED = "applied", _("Đã cập nhật")
        IGNORED = "ignored", _("Bỏ qua")
        FAILED = "failed", _("Lỗi")

    message_id = models.UUIDField(_("mã tin"), unique=True)
    sender = models.CharField(_("nơi gửi"), max_length=64)
    kind = models.CharField(_("loại tin"), max_length=32)
    correlation = models.CharField(_("mã hồ sơ"), max_length=64, db_index=True)
    envelope = models.JSONField(_("tin nhận được"))
    outcome = models.CharField(_("kết quả xử lý"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("ghi chú"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin liên thông nhận được")
        verbose_name_plural = _("tin liên thông nhận được")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} ← {self.sender} ({self.correlation})"


class SandboxCase(models.Model):
    """Outside production only: a dossier as the agency outside the portal received it in the exchange sandbox."""

    message_id = models.UUIDField(unique=True)
    receiver = models.CharField(max_length=64)
    sender = models.CharField(max_length=64)
    correlation = models.CharField(max_length=64)
    envelope = models.JSONField()
    state = models.CharField(max_length=16, default="new")
    result = models.BinaryField(null=True, blank=True)
    last_status = models.JSONField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.correlation
