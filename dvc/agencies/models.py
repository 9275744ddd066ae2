from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Administrative units and agencies are effective-dated: the two-tier local government took effect on this day.
# NQ 202/2025/QH15 and the resolutions on commune rearrangement: 34 provinces, 3,321 communes from 2025-07-01.
TWO_TIER_REFORM_DATE = dt.date(2025, 7, 1)

# QCVN 102:2016/BTTTT: agency identifier V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.00.H49 or 000.00.31.H49.
agency_code_validator = RegexValidator(
    regex=r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$",
    message=_("Mã định danh cơ quan phải có dạng 000.00.00.H49 (QCVN 102:2016)."),
)


class AdminUnit(models.Model):
    """An administrative unit (province or commune) with the statistics office's code, effective-dated.

    Since 1 July 2025 local government has two tiers (no districts); a unit that is merged gets an end date
    and a successor, and old records keep pointing at the unit they were made under.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=8, help_text=_("Mã đơn vị hành chính của Tổng cục Thống kê."))
    name = models.CharField(_("tên"), max_length=128)
    division_type = models.CharField(_("loại"), max_length=64)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    effective_from = models.DateField(_("hiệu lực từ"), default=TWO_TIER_REFORM_DATE)
    effective_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="admin_unit_level_code_unique")]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(models.QuerySet["Agency"]):
    def effective(self, on: dt.date) -> AgencyQuerySet:
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class Agency(models.Model):
    """A public agency in the tree: ministries, provincial bodies and commune public-administration centres.

    Identified by its QCVN 102:2016 code, which also starts every dossier code it issues (TT 01/2018 Điều 19).
    Agencies are effective-dated with a successor so dossiers keep the agency that received them.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
        PROVINCE_COMMITTEE = "province_committee", _("Ủy ban nhân dân tỉnh, thành phố")
        PROVINCE_CENTRE = "province_centre", _("Trung tâm Phục vụ hành chính công tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE_COMMITTEE = "commune_committee", _("Ủy ban nhân dân xã, phường")
        COMMUNE_CENTRE = "commune_centre", _("Trung tâm Phục vụ hành chính công xã, phường")
        # Competent agencies of linked procedures' components (NĐ 63/2024/NĐ-CP).
        COMMUNE_POLICE = "commune_police", _("Công an xã, phường")
        SOCIAL_INSURANCE = "social_insurance", _("Cơ quan Bảo hiểm xã hội")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Trung ương")
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.CharField(_("mã định danh"), max_length=16, unique=True, validators=[agency_code_validator])
    name = models.CharField(_("tên cơ quan"), max_length=255)
    kind = models.CharField(_("loại cơ quan"), max_length=32, choices=Kind.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Tỉnh hoặc xã nơi cơ quan phục vụ; để trống với cơ quan trung ương."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # The collecting body's identity on the receipts for phí and lệ phí it issues (NĐ 123/2020/NĐ-CP Điều 32).
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    receipt_template = models.CharField(
        _("ký hiệu mẫu biên lai"), max_length=16, blank=True, help_text=_("Ký hiệu mẫu số biên lai điện tử đã đăng ký.")
    )
    receipt_series = models.CharField(
        _("ký hiệu biên lai"), max_length=16, blank=True, help_text=_("Ký hiệu biên lai điện tử đã đăng ký.")
    )
    # Questions and feedback (phản ánh, kiến nghị) are answered within this many working days (NĐ 20/2008/NĐ-CP
    # Điều 11: at most 10 working days to handle a reflection), set by each agency.
    question_days = models.PositiveSmallIntegerField(
        _("hạn trả lời phản ánh, kiến nghị (ngày làm việc)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    # An agency that works outside this portal: its address on the government data-exchange platform, where the
    # components of linked procedures it handles are sent (dvc.exchange). Blank: the agency works on this portal.
    exchange_address = models.CharField(
        _("địa chỉ trên nền tảng liên thông"),
        max_length=64,
        blank=True,
        default="",
        help_text=_(
            "Chỉ nhập khi cơ quan không làm việc trên cổng này: hồ sơ liên thông được gửi qua trục liên thông."
        ),
    )
    effective_from = models.DateField(_("hiệu lực từ"), default=TWO_TIER_REFORM_DATE)
    effective_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OfficeHours(models.Model):
    """One opening period of an agency's one-stop counter on one weekday (e.g. Monday 07:30–11:30)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ Nhật")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    opens_at = models.TimeField(_("mở cửa"))
    closes_at = models.TimeField(_("đóng cửa"))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["agency", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="office_hours_opens_before_closes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class CalendarDay(models.Model):
    """A day an admin adds to or removes from the working calendar.

    The national calendar (public holidays, Tết, official swapped days) comes from the ``holidays`` package;
    these rows correct it: extra days off, make-up working Saturdays, and later years' official decisions.
    A row without an agency applies to every agency; an agency row applies to that agency only.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        help_text=_("Để trống để áp dụng cho mọi cơ quan."),
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("lịch làm việc điều chỉnh")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="calendar_day_agency_date_unique"),
            models.UniqueConstraint(
                fields=["date"], condition=Q(agency__isnull=True), name="calendar_day_national_date_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class StaffRole(models.Model):
    """An officer's role in one agency. An officer may hold several roles in several agencies."""

    class Role(models.TextChoices):
        ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ một cửa")
        SPECIALIST = "specialist", _("Chuyên viên")
        LEADER = "leader", _("Lãnh đạo")
        AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="staff_roles"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(
        _("chức vụ"),
        max_length=100,
        blank=True,
        help_text=_("Ghi dưới chữ ký trên văn bản, ví dụ “Chủ tịch”, “Phó Chủ tịch”."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.agency}"
