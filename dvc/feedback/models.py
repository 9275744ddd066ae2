"""Questions and feedback (phản ánh, kiến nghị) of citizens about a procedure, an agency or a dossier.

NĐ 20/2008/NĐ-CP (tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính) and NĐ 61/2018/NĐ-CP: the agency
answers within its deadline; answers may be published, with personal data removed, for everyone asking the same.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvc.agencies.models import Agency
from dvc.catalog.models import Procedure


class Question(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "hoi", _("Hỏi đáp, hướng dẫn")
        REFLECTION = "phan_anh", _("Phản ánh")
        PROPOSAL = "kien_nghi", _("Kiến nghị")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Chờ xác nhận số điện thoại")
        OPEN = "open", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        REJECTED = "rejected", _("Không tiếp nhận")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("mã"), max_length=24, unique=True, null=True, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    asker_name = models.CharField(_("người gửi"), max_length=255)
    asker_phone = models.CharField(_("điện thoại"), max_length=16)
    subject = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), max_length=4000)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.UNCONFIRMED)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    confirm_hash = models.CharField(max_length=128, blank=True)
    confirm_attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reject_reason = models.CharField(_("lý do không tiếp nhận"), max_length=500, blank=True)
    published = models.BooleanField(_("công khai"), default=False)
    public_subject = models.CharField(_("tiêu đề công khai"), max_length=200, blank=True)
    public_question = models.TextField(_("câu hỏi công khai (đã bỏ thông tin cá nhân)"), blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    search_text = models.TextField(blank=True)  # folded (no accents) public texts, for the accent-free search

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["published", "agency"]),
            models.Index(fields=["published", "procedure"]),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.pk} {self.subject}"

    @property
    def late(self) -> bool:
        """Answered after its deadline, or still open past it."""
        if self.due_at is None:
            return False
        return (self.answered_at or timezone.now()) > self.due_at
