from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One SMS or e-mail to one recipient, kept with every delivery attempt so that none is lost.

    Created by ``message_send`` in the transaction that causes it; delivered by the worker, retried with
    back-off on failure, and marked failed (still kept, with the last error) after the last attempt.
    A sensitive body (an OTP) is wiped once sent, failed or expired, so codes are never kept in clear.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("Tin nhắn SMS")
        EMAIL = "email", _("Thư điện tử")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")
        EXPIRED = "expired", _("Hết hạn, không gửi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    template = models.CharField(_("mẫu tin"), max_length=64)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sensitive = models.BooleanField(
        _("chứa mã bí mật"), default=False, help_text=_("Nội dung (mã OTP) được xoá ngay khi gửi xong hoặc hết hạn.")
    )
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    # An e-mail's attached file (the signed result): its name and where it lies in the portal's storage.
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_path = models.CharField(max_length=255, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin nhắn, thư")
        verbose_name_plural = _("nhật ký gửi tin")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


class Notice(models.Model):
    """A notice in the person's "Thông báo" page: every message the portal sends them (by SMS, e-mail or neither, as
    they chose) is also kept here, readable after signing in (issue 19, part 5). Never an OTP."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    template = models.CharField(_("mẫu tin"), max_length=64)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    link = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.title
