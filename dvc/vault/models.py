from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _stored_path(instance: StoredFile, filename: str) -> str:
    # Never the uploader's name on disk: a random name under the owner's id, the checked extension kept.
    return f"files/{instance.owner_id}/{uuid.uuid4().hex}.{instance.kind}"


class StoredFile(models.Model):
    """A file a person uploaded (or the portal issued to them), checked by content, kept privately.

    Files live in Django storage (``var/media`` locally, S3-compatible when configured) and are served only
    through views that check who asks; there is no public URL.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"
        DOC = "doc", "Word 97–2003"
        DOCX = "docx", "Word"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chủ sở hữu"), on_delete=models.PROTECT, related_name="stored_files"
    )
    file = models.FileField(_("tệp"), upload_to=_stored_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    document_type = models.CharField(
        _("loại giấy tờ"),
        max_length=64,
        blank=True,
        help_text=_("Giấy tờ trong kho dữ liệu cá nhân dùng lại được cho hồ sơ sau."),
    )
    title = models.CharField(_("tên giấy tờ"), max_length=255, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đã lưu")
        verbose_name_plural = _("tệp đã lưu")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "document_type"])]

    def __str__(self) -> str:
        return self.original_name


class RemoteSigning(models.Model):
    """A document waiting for its signer's confirmation at a remote-signing provider.

    The portal keeps the prepared PDF (signature placeholder reserved) and the digest it sent; when the provider
    returns the signature the PDF is completed. Unconfirmed requests expire.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remote_signings")
    provider = models.CharField(max_length=32)
    transaction_id = models.CharField(max_length=128)  # the holder's credential at the CSC provider
    # The provider sent a one-time code to type (CSC explicit authorization); otherwise the holder approves in its app.
    needs_code = models.BooleanField(default=True)
    prepared_pdf = models.BinaryField()
    document_digest = models.BinaryField()
    region_start = models.PositiveBigIntegerField()
    region_end = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký số từ xa")
        verbose_name_plural = _("yêu cầu ký số từ xa")

    def __str__(self) -> str:
        return f"{self.provider} {self.transaction_id}"
