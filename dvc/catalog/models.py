from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dvc.agencies.models import Agency

# National procedure code as published in the national procedure database (e.g. 1.001193, 2.000635),
# optionally with a local suffix for a province's own version (e.g. 1.001193.H38).
procedure_code_validator = RegexValidator(
    regex=r"^\d\.\d{6}(\.[A-Z0-9]{2,6})?$",
    message=_("Mã thủ tục phải có dạng 1.001193 hoặc 1.001193.H38."),
)


class Sector(models.Model):
    """Lĩnh vực: the field a procedure belongs to (hộ tịch, chứng thực, cư trú...)."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    name_en = models.CharField(_("tên lĩnh vực (tiếng Anh)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """Nhóm sự kiện: a moment of life (a child is born, getting married) that groups procedures."""

    class Audience(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        BUSINESS = "business", _("Doanh nghiệp")

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên nhóm sự kiện"), max_length=255)
    name_en = models.CharField(_("tên nhóm sự kiện (tiếng Anh)"), max_length=255, blank=True)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    description_en = models.CharField(_("mô tả (tiếng Anh)"), max_length=255, blank=True)
    audience = models.CharField(_("đối tượng"), max_length=16, choices=Audience.choices, default=Audience.CITIZEN)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm sự kiện")
        verbose_name_plural = _("nhóm sự kiện")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure with every part NĐ 63/2010/NĐ-CP Điều 8 requires to be published.

    Service level follows NĐ 42/2022/NĐ-CP (toàn trình / một phần); the old levels 1–4 of NĐ 43/2011 are kept
    as ``legacy_level`` and mapped: 1–2 information only, 3 partial, 4 full online.
    """

    class Level(models.TextChoices):
        CENTRAL = "central", _("Cấp bộ, ngành")
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class ServiceLevel(models.TextChoices):
        FULL_ONLINE = "full_online", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        INFORMATION = "information", _("Cung cấp thông tin")

    class FilingArea(models.TextChoices):
        # NĐ 118/2025/NĐ-CP: within the province, a dossier is received regardless of the applicant's commune.
        PROVINCE = "province", _("Cơ quan tiếp nhận trong tỉnh, thành phố nơi người nộp cư trú")
        NATIONWIDE = "nationwide", _("Bất kỳ cơ quan tiếp nhận nào")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp")
        POST = "post", _("Dịch vụ bưu chính công ích")

    code = models.CharField(_("mã thủ tục"), max_length=24, unique=True, validators=[procedure_code_validator])
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_en = models.CharField(_("tên thủ tục (tiếng Anh)"), max_length=500, blank=True)
    sector = models.ForeignKey(Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("nhóm sự kiện"), blank=True, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan thực hiện"), blank=True, related_name="procedures"
    )
    implementing_body = models.CharField(
        _("cơ quan thực hiện (theo quyết định công bố)"), max_length=500, help_text=_("Ví dụ: Ủy ban nhân dân cấp xã.")
    )
    coordinating_body = models.CharField(_("cơ quan phối hợp"), max_length=500, blank=True)
    service_level = models.CharField(_("mức độ dịch vụ công"), max_length=16, choices=ServiceLevel.choices)
    legacy_level = models.PositiveSmallIntegerField(
        _("mức độ cũ (1–4)"), null=True, blank=True, help_text=_("Theo NĐ 43/2011, chỉ để đối chiếu.")
    )
    submission_channels = models.JSONField(_("cách thức nộp"), default=list)
    result_channels = models.JSONField(_("cách thức nhận kết quả"), default=list)
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        help_text=_("0 là giải quyết trong ngày (nhận sau 15 giờ thì trả ngày làm việc tiếp theo)."),
    )
    processing_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)
    fee_note = models.CharField(
        _("ghi chú phí, lệ phí"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: mức thu do HĐND cấp tỉnh quy định; các trường hợp được miễn."),
    )
    applicants = models.CharField(_("đối tượng thực hiện"), max_length=255, default="Cá nhân")
    steps = models.TextField(_("trình tự thực hiện"))
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    result_document = models.CharField(_("kết quả thực hiện"), max_length=500)
    result_template = models.TextField(
        _("mẫu văn bản kết quả"),
        blank=True,
        help_text=_(
            "Nội dung văn bản kết quả; $ten_truong được thay bằng câu trả lời của tờ khai, "
            "$ho_ten, $so_dinh_danh, $ma_ho_so bằng thông tin hồ sơ. Để trống để dùng mẫu chung."
        ),
    )
    step_hours = models.JSONField(
        _("thời gian từng bước (giờ làm việc)"),
        default=dict,
        blank=True,
        help_text=_("Quy trình nội bộ: số giờ làm việc cho thẩm định (appraise) và phê duyệt (approve)."),
    )
    result_form = models.JSONField(
        _("mẫu giấy tờ kết quả"),
        default=dict,
        blank=True,
        help_text=_("Mẫu văn bản kết quả theo thể thức hành chính (tên giấy, sổ đăng ký, các dòng nội dung)."),
    )
    result_in_person = models.BooleanField(
        _("phải nhận kết quả trực tiếp"), default=False, help_text=_("Người dân phải đến nhận và ký sổ.")
    )
    requires_signature = models.BooleanField(_("tờ khai phải ký số"), default=False)
    filing_area = models.CharField(
        _("nơi được nộp hồ sơ"),
        max_length=16,
        choices=FilingArea.choices,
        default=FilingArea.NATIONWIDE,
        help_text=_("Cơ quan tiếp nhận nào người dân được chọn, theo quy định của thủ tục."),
    )
    form_schema = models.JSONField(_("tờ khai điện tử"), default=dict, blank=True)
    # A linked procedure (liên thông, NĐ 63/2024/NĐ-CP): the component procedures one filing starts, each at its
    # competent agency with its own internal deadline, in order or in parallel (catalog.linked parses it).
    components = models.JSONField(_("thủ tục thành phần (liên thông)"), default=list, blank=True)
    effective_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    effective_to = models.DateField(_("hết áp dụng"), null=True, blank=True)
    is_published = models.BooleanField(_("công khai"), default=True)
    name_folded = models.CharField(max_length=500, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["name"]
        indexes = [models.Index(fields=["level", "service_level"]), models.Index(fields=["name_folded"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(legacy_level__isnull=True) | Q(legacy_level__gte=1, legacy_level__lte=4),
                name="procedure_legacy_level_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def channel_labels(self, channels: list[str]) -> list[str]:
        labels = dict(self.Channel.choices)
        return [str(labels.get(channel, channel)) for channel in channels]

    @property
    def submission_channel_labels(self) -> list[str]:
        return self.channel_labels(self.submission_channels)

    @property
    def result_channel_labels(self) -> list[str]:
        return self.channel_labels(self.result_channels)


class Fee(models.Model):
    """A fee (phí) or charge (lệ phí) in integer đồng, per case, per copy or per page, with optional tiers.

    Example, chứng thực bản sao (TT 226/2016/TT-BTC): 2.000 đồng a page, 1.000 đồng from page 3,
    at most 200.000 đồng a copy: amount=2000, unit=page, tier_from=3, tier_amount=1000, max_amount=200000.
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Lệ phí")
        FEE = "fee", _("Phí")

    class Unit(models.TextChoices):
        CASE = "case", _("lần/hồ sơ")
        COPY = "copy", _("bản")
        PAGE = "page", _("trang")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    amount = models.PositiveIntegerField(_("mức thu (đồng)"))
    unit = models.CharField(_("đơn vị tính"), max_length=8, choices=Unit.choices, default=Unit.CASE)
    online_amount = models.PositiveIntegerField(
        _("mức thu khi nộp trực tuyến (đồng)"), null=True, blank=True, help_text=_("Để trống nếu như nộp trực tiếp.")
    )
    tier_from = models.PositiveSmallIntegerField(_("từ trang/bản thứ"), null=True, blank=True)
    tier_amount = models.PositiveIntegerField(_("mức thu từ trang/bản đó"), null=True, blank=True)
    max_amount = models.PositiveIntegerField(_("mức thu tối đa mỗi bản"), null=True, blank=True)
    note = models.CharField(_("ghi chú, miễn giảm"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class DocumentRequirement(models.Model):
    """Thành phần hồ sơ: one paper the dossier needs, how it must be presented, and what files are accepted."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
        COPY = "copy", _("Bản sao")
        ORIGINAL_OR_CERTIFIED = "original_or_certified", _("Bản chính hoặc bản sao có chứng thực")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    name_en = models.CharField(_("tên giấy tờ (tiếng Anh)"), max_length=500, blank=True)
    form = models.CharField(_("hình thức"), max_length=24, choices=Form.choices, default=Form.ORIGINAL)
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.CharField(_("áp dụng khi"), max_length=500, blank=True)
    accepted_types = models.JSONField(_("định dạng tệp chấp nhận"), default=list)
    max_size_mb = models.PositiveSmallIntegerField(_("dung lượng tối đa (MB)"), default=10)
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/templates/", blank=True)
    template_is_eform = models.BooleanField(
        _("mẫu là tờ khai điện tử in ra"),
        default=False,
        help_text=_("Tải về bản PDF của tờ khai điện tử để in và điền tay."),
    )
    # Luật Căn cước 2023 / NĐ 69/2024: data the state already verified is not asked again as a paper copy.
    exempt_verified_identity = models.BooleanField(
        _("không yêu cầu người đã xác thực định danh điện tử"),
        default=False,
        help_text=_("Người nộp đăng nhập bằng tài khoản định danh điện tử đã xác thực thì không phải nộp giấy tờ này."),
    )
    vault_document_type = models.CharField(
        _("loại giấy tờ trong kho dữ liệu cá nhân"),
        max_length=64,
        blank=True,
        help_text=_("Nếu có, người dân chọn giấy tờ đã có trong kho thay vì tải lên lại."),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class SearchWord(models.Model):
    """One folded word of a procedure's searchable text: the index behind catalog search.

    Each query word must equal one of a procedure's words; the (word, procedure) index answers that with a
    range scan on SQLite and PostgreSQL alike, instead of scanning every procedure's text.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="search_words")
    word = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("từ khoá tìm kiếm")
        verbose_name_plural = _("từ khoá tìm kiếm")
        constraints = [models.UniqueConstraint(fields=["word", "procedure"], name="search_word_unique")]

    def __str__(self) -> str:
        return self.word


class CatalogState(models.Model):
    """A single row whose version changes with every catalog write, so each process knows when to re-read it."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = _("phiên bản danh mục")

    def __str__(self) -> str:
        return str(self.version)
