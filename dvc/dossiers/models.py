from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dvc.agencies.models import Agency
from dvc.catalog.models import DocumentRequirement, Procedure
from dvc.vault.models import StoredFile


class Dossier(models.Model):
    """A citizen's dossier for one procedure at one receiving agency, from draft to returned result.

    States follow DESIGN.md; every change is a service with a conditional update and a ``DossierEvent``.
    The code (TT 01/2018 Điều 19, kept by practice) is issued on submission: ``<agency code>-<YYMMDD>-<NNNN>``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa gửi")
        SUBMITTED = "submitted", _("Đã gửi, chờ tiếp nhận")
        PROCESSING = "processing", _("Đang xử lý")
        NEEDS_SUPPLEMENT = "needs_supplement", _("Yêu cầu bổ sung")
        REFUSED = "refused", _("Bị trả lại")
        SUSPENDED = "suspended", _("Dừng giải quyết")
        RESULT_READY = "result_ready", _("Đã có kết quả")
        RETURNED = "returned", _("Đã trả kết quả")
        WITHDRAWN = "withdrawn", _("Đã rút")

    class FeeStatus(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Không phải nộp")
        UNPAID = "unpaid", _("Chưa thanh toán")
        PAID = "paid", _("Đã thanh toán")

    class SubmissionMethod(models.TextChoices):
        ONLINE = "online", _("Nộp trực tuyến")
        POST_PICKUP = "post_pickup", _("Bưu điện đến nhận hồ sơ giấy tại nhà")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")

    class Proposal(models.TextChoices):
        NONE = "", _("Chưa đề xuất")
        APPROVE = "approve", _("Đề xuất giải quyết")
        REFUSE = "refuse", _("Đề xuất từ chối giải quyết")

    class OwnerBasis(models.TextChoices):
        # Seed 004: "người nộp hồ sơ, chủ hồ sơ". Bộ luật Dân sự 2015: Điều 136 (cha, mẹ đại diện theo pháp luật cho
        # con chưa thành niên; người giám hộ), Điều 138 (đại diện theo ủy quyền), Điều 137 (người đại diện của pháp
        # nhân, who gives the employee a letter of introduction or authorization).
        SELF = "", _("Tự nộp cho mình")
        PARENT = "parent", _("Cha, mẹ hoặc người giám hộ nộp cho con chưa thành niên, người được giám hộ")
        AUTHORIZED = "authorized", _("Người được ủy quyền nộp thay")
        EMPLOYEE = "employee", _("Người của tổ chức nộp cho tổ chức")

    class ResultMethod(models.TextChoices):
        ONLINE = "online", _("Nhận kết quả trực tuyến")
        COUNTER = "counter", _("Nhận tại bộ phận một cửa")
        POST = "post", _("Nhận qua bưu chính công ích")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nộp"), on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    applicant_data = models.JSONField(_("thông tin người nộp"), default=dict)
    # The applicant's name folded (no accents, lower case), for the officers' search; written with applicant_data
    # by the services that set it (lifecycle.applicant.applicant_name_key).
    applicant_name = models.CharField(max_length=255, blank=True, default="", editable=False)
    form_data = models.JSONField(_("tờ khai"), default=dict)
    submission_method = models.CharField(
        _("cách nộp"), max_length=16, choices=SubmissionMethod.choices, default=SubmissionMethod.ONLINE
    )
    result_method = models.CharField(
        _("cách nhận kết quả"), max_length=16, choices=ResultMethod.choices, default=ResultMethod.ONLINE
    )
    delivery_address = models.JSONField(_("địa chỉ nhận qua bưu chính"), default=dict, blank=True)
    # The filing task list (issue 16): which sections the citizen has begun ("started") or finished with
    # "Lưu và tiếp tục" ("done"); the status shown is also checked against the answers and papers themselves.
    filing_progress = models.JSONField(default=dict, blank=True, editable=False)
    notify_sms = models.BooleanField(_("báo qua SMS"), default=True)
    notify_email = models.BooleanField(_("báo qua thư điện tử"), default=False)
    fee_status = models.CharField(
        _("tình trạng phí"), max_length=16, choices=FeeStatus.choices, default=FeeStatus.NOT_REQUIRED
    )
    signed_form = models.ForeignKey(
        StoredFile,
        verbose_name=_("tờ khai đã ký số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_by = models.CharField(_("người ký"), max_length=255, blank=True)
    # SHA-256 of the declaration that was signed (rendered from the answers at signing time): any later edit of the
    # answers no longer matches, and the signature is asked for again.
    signed_content_sha256 = models.CharField(max_length=64, blank=True, default="")
    result_file = models.ForeignKey(
        StoredFile, verbose_name=_("kết quả"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # Issued with the code, printed on form 01 and sent when a fee is due: with the code it lets the applicant pay
    # without signing in; the code alone (sequential per agency and day) is not enough.
    security_code = models.CharField(_("mã bảo mật"), max_length=8, blank=True, default="")
    # Back office (NĐ 118/2025, TT 03/2025).
    channel = models.CharField(_("kênh nộp"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhập hồ sơ tại quầy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên thụ lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("giao thụ lý lúc"), null=True, blank=True)
    proposal = models.CharField(_("đề xuất"), max_length=16, choices=Proposal.choices, default="", blank=True)
    proposal_note = models.TextField(_("ý kiến đề xuất"), blank=True)
    proposed_at = models.DateTimeField(_("đề xuất lúc"), null=True, blank=True)
    draft_result = models.ForeignKey(
        StoredFile,
        verbose_name=_("dự thảo kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the specialist adds to the result that the applicant did not declare (catalog result_form
    # officer_fields: the child's personal id number, the marital status found in the register …).
    result_data = models.JSONField(_("thông tin cán bộ bổ sung vào kết quả"), default=dict, blank=True)
    draft_generated = models.BooleanField(_("dự thảo lập theo mẫu"), default=False)
    # The final result as the leader sees it before signing: number, signer and all. Signed byte for byte.
    final_result = models.ForeignKey(
        StoredFile,
        verbose_name=_("bản cuối chờ ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paused_at = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("số ngày làm việc đã tạm dừng"), default=0)
    extended_until = models.DateTimeField(_("gia hạn đến"), null=True, blank=True)
    decision_note = models.TextField(_("lý do từ chối, dừng giải quyết"), blank=True)
    decided_at = models.DateTimeField(_("kết thúc giải quyết lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    # The postal operator that carries a result by post (settings.DVC_POSTAL_OPERATORS); its tracking number is
    # the return note.
    postal_operator = models.CharField(_("đơn vị bưu chính"), max_length=32, blank=True, default="")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ trả kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_note = models.CharField(_("người nhận, số hiệu bưu gửi"), max_length=255, blank=True)
    # Filing on behalf (nộp hộ): the dossier's owner (chủ hồ sơ), when not the applicant who files it; the owner's
    # account when one holds that number (it then sees the dossier and its notices), and how the owner is told.
    owner_basis = models.CharField(
        _("nộp hộ với tư cách"), max_length=16, choices=OwnerBasis.choices, default="", blank=True
    )
    owner_data = models.JSONField(_("chủ hồ sơ"), default=dict, blank=True)
    # The owner's number (id number or tax code) and folded name, for the officers' search.
    owner_id_number = models.CharField(max_length=20, blank=True, default="", db_index=True, editable=False)
    owner_name = models.CharField(max_length=255, blank=True, default="", editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản chủ hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_dossiers",
    )
    owner_notify_sms = models.BooleanField(_("báo chủ hồ sơ qua SMS"), default=True)
    owner_notify_email = models.BooleanField(_("báo chủ hồ sơ qua thư điện tử"), default=False)
    # Linked procedures (liên thông, NĐ 63/2024/NĐ-CP): the dossier the citizen filed for a group procedure is the
    # parent (``is_group``), followed as one; each component is a dossier of its own at its competent agency, with
    # its own code, clock, officers, history and result (``component_key`` names it in the catalog's group).
    is_group = models.BooleanField(_("hồ sơ liên thông"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hồ sơ liên thông"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="components",
    )
    component_key = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["agency", "due_at", "submitted_at"]),
            models.Index(fields=["agency", "submitted_at"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="dossier_idempotency_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "component_key"], condition=Q(parent__isnull=False), name="dossier_component_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"{self.procedure.name} ({self.get_status_display()})"

    @property
    def effective_due_at(self) -> Any:
        """The date the applicant was last promised: the extension (form 04) when there is one."""
        return self.extended_until or self.due_at

    @property
    def stage(self) -> str:
        """Where a dossier in processing stands: waiting to be assigned, being appraised, or awaiting the leader."""
        if self.status != self.Status.PROCESSING:
            return ""
        if self.assigned_to_id is None:
            return "assign"
        return "approve" if self.proposal else "appraise"


class DossierAttachment(models.Model):
    """A file given for one document requirement; a replaced file stays, marked with when it was replaced."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(
        DocumentRequirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    # "authorization": the letter of authorization (or the organization's letter of introduction) of a dossier filed
    # on behalf; the officer checks it. Blank: a paper of a requirement.
    purpose = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.stored_file.original_name


class DossierEvent(models.Model):
    """One line of a dossier's history: who did what, when, from which state to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # The dossier's facts right after the change (agency, procedure, channel, due date...): what the statistics
    # count, so that they can be rebuilt from the history alone.
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y %H:%M}"


class DailySequence(models.Model):
    """The last dossier number an agency issued on a day; incremented under a row lock."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"


class RegisterBook(models.Model):
    """A civil-status register (sổ hộ tịch) of an agency: one book per kind and year (Luật Hộ tịch 2014 Điều 12;
    TT 04/2020/TT-BTP). ``last`` is the last number given, incremented under a row lock."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại sổ"), max_length=32)
    year = models.PositiveSmallIntegerField(_("năm"))
    volume = models.PositiveSmallIntegerField(_("quyển"), default=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ hộ tịch")
        verbose_name_plural = _("sổ hộ tịch")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "volume"], name="register_book_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.volume:02d}/{self.year}"

    @property
    def label(self) -> str:
        """'01/2026', as "Quyển số" is written on the paper."""
        return f"{self.volume:02d}/{self.year}"


class RegisterEntry(models.Model):
    """One entry of a register: the number a dossier's result took. Numbers are never reused; an entry whose
    dossier was refused after its number was taken is voided with the reason, as a paper register is."""

    book = models.ForeignKey(RegisterBook, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("số"))
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="register_entry")
    person = models.CharField(_("người được đăng ký"), max_length=255)
    entered_at = models.DateTimeField(_("vào sổ lúc"))
    # Set when the leader signs the paper: until then the number is held for this dossier (shown "chờ ký").
    issued_at = models.DateTimeField(_("ký cấp lúc"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    details = models.TextField(_("nội dung đăng ký"), blank=True)
    voided_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    void_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mục sổ hộ tịch")
        verbose_name_plural = _("mục sổ hộ tịch")
        ordering = ["book", "number"]
        constraints = [models.UniqueConstraint(fields=["book", "number"], name="register_entry_unique")]

    def __str__(self) -> str:
        return f"{self.number}/{self.book}"


class SupplementRequest(models.Model):
    """Form 02 of TT 03/2025: one complete written list of what is missing or wrong, and why (NĐ 118/2025)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    requirements = models.ManyToManyField(DocumentRequirement, blank=True, related_name="+")
    note = models.TextField(_("nội dung cần bổ sung, hoàn thiện"))
    answered_at = models.DateTimeField(null=True, blank=True)
    # NĐ 118/2025: asked during processing, the time waiting for the papers is not counted.
    pauses_clock = models.BooleanField(default=False)
    # The e-form answers the officer opens for correction (names of top-level fields); nothing else may change.
    fields = models.JSONField(default=list, blank=True)
    # The answers when asked, and what the applicant changed when they sent the supplement (for the officer).
    answers_before = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.requested_at:%d/%m/%Y}"


class Rating(models.Model):
    """The applicant's rating of how the dossier was handled (seed 003 step 9): one per dossier.

    Criteria used by provincial portals: overall, timeliness, officers' attitude, publicity of information, and
    how many trips to the agency the applicant had to make.
    """

    class Trips(models.IntegerChoices):
        NONE = 0, _("Không phải đến cơ quan")
        ONE = 1, _("1 lần")
        TWO = 2, _("2 lần")
        MORE = 3, _("3 lần trở lên")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    overall = models.PositiveSmallIntegerField(_("mức độ hài lòng chung"))
    timeliness = models.PositiveSmallIntegerField(_("đúng hẹn"))
    attitude = models.PositiveSmallIntegerField(_("thái độ của cán bộ"))
    publicity = models.PositiveSmallIntegerField(_("công khai, minh bạch"))
    trips = models.PositiveSmallIntegerField(_("số lần phải đến cơ quan"), choices=Trips.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, timeliness__gte=1, timeliness__lte=5, attitude__gte=1,
                            attitude__lte=5, publicity__gte=1, publicity__lte=5),
                name="rating_scores_1_to_5",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.dossier} {self.overall}/5"


class Extension(models.Model):
    """Form 04 of TT 03/2025: the apology and new date, issued before the due date passes.

    The dossier still counts as late in the statistics (NĐ 118/2025): the original due date is kept.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="extensions")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("lý do chậm"))
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField(_("hẹn trả mới"))

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.new_due_at:%d/%m/%Y}"


class IssuedResult(models.Model):
    """A signed result document, verifiable by anyone holding its QR code (no personal data is shown)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="issued_results")
    stored_file = models.OneToOneField(StoredFile, on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(max_length=255)
    agency_code = models.CharField(max_length=32)
    document_title = models.CharField(max_length=255)
    signer_name = models.CharField(max_length=255)
    signed_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64, db_index=True)
    register_number = models.CharField(_("số, quyển số"), max_length=64, blank=True, default="")
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    copy_number = models.PositiveSmallIntegerField(_("bản sao số"), default=0, help_text=_("0: bản chính."))

    class Meta:
        verbose_name = _("kết quả đã ký số")
        verbose_name_plural = _("kết quả đã ký số")

    def __str__(self) -> str:
        return f"{self.dossier} {self.signed_at:%d/%m/%Y}"


# The audit log lives in its own module (this one would pass 500 lines); imported here so Django registers it.
from dvc.dossiers.audit_models import AuditEntry, AuditQuerySet  # noqa: E402, F401
from dvc.dossiers.signing_models import ResultSigning  # noqa: E402, F401
