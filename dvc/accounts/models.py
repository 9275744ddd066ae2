from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from dvc.agencies.models import AdminUnit


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, id_number: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(id_number=id_number, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, id_number: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("full_name", "Quản trị hệ thống")
        fields.setdefault("phone", "")
        fields.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(id_number, password, **fields)


# The fields an electronic identity account vouches for (NĐ 69/2024/NĐ-CP: identity data from the national
# population database); once verified they are not edited on the portal.
VERIFIED_FIELDS = ("id_number", "full_name", "birth_date", "sex")


class User(AbstractBaseUser, PermissionsMixin):
    """A portal account: a citizen, an organization or a business; officers are citizens with staff roles.

    The login name is the identification number (CCCD or CMND for a person, tax code for an organization,
    seed 001); the account becomes active only once its mobile phone has been confirmed by an OTP.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        ORGANIZATION = "organization", _("Tổ chức")
        BUSINESS = "business", _("Doanh nghiệp")

    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    id_number = models.CharField(
        _("số định danh"),
        max_length=16,
        unique=True,
        help_text=_("Số CCCD (12 số), CMND (9 số) hoặc mã số thuế của tổ chức, doanh nghiệp."),
    )
    full_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True, help_text=_("Lưu theo chuẩn E.164."))
    email = models.EmailField(_("thư điện tử"), blank=True)
    province = models.ForeignKey(
        AdminUnit, verbose_name=_("tỉnh, thành phố"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        AdminUnit, verbose_name=_("xã, phường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address_line = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=255, blank=True)
    representative_name = models.CharField(_("người đại diện"), max_length=255, blank=True)
    representative_id_number = models.CharField(_("số định danh người đại diện"), max_length=16, blank=True)
    is_active = models.BooleanField(_("đã kích hoạt"), default=False)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    phone_verified_at = models.DateTimeField(_("xác thực điện thoại lúc"), null=True, blank=True)
    # Set when the person signs in with a verified electronic identity (NĐ 69/2024, level 2): papers the catalog
    # exempts for verified identities are then not asked (issue 16, part 9; the login itself is issue 18).
    identity_verified_at = models.DateTimeField(_("xác thực định danh điện tử lúc"), null=True, blank=True)
    # Luật 91/2025/QH15 (Bảo vệ dữ liệu cá nhân): the consent given on registration, with the notice it was given to.
    privacy_consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("phiên bản thông báo đã đồng ý"), max_length=16, blank=True)
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "id_number"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        indexes = [models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.id_number

    @property
    def is_officer(self) -> bool:
        return self.staff_roles.filter(is_active=True).exists()


class OtpChallenge(models.Model):
    """A one-time password sent by SMS for one purpose; its id is the public ``challenge_id``.

    The 6-digit code is stored only as a keyed hash, expires after 5 minutes, dies after 5 wrong tries,
    and may be resent after a cooldown (issue #2: OTP and login limits).
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Kích hoạt tài khoản")
        LOGIN = "login", _("Đăng nhập")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        PHONE_CHANGE = "phone_change", _("Đổi số điện thoại")
        SIGN = "sign", _("Ký số từ xa")

    class Channel(models.TextChoices):
        SMS = "sms", _("Tin nhắn SMS")
        EMAIL = "email", _("Thư điện tử")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="otp_challenges")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    phone = models.CharField(max_length=16, help_text=_("Số nhận mã, E.164."))
    # Seed 001's "Chọn phương thức xác thực khác": the login code can go to the account's e-mail instead.
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SMS)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    send_count = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A registration for an id number that already has an account answers like any other, with a challenge that
    # no code opens and that is never sent: the answer does not tell a stranger which id numbers have accounts.
    decoy = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mã OTP")
        verbose_name_plural = _("mã OTP")
        indexes = [models.Index(fields=["phone", "last_sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%d/%m/%Y %H:%M}"


class AccountClaim(models.Model):
    """The one-time code that lets a citizen claim the account the counter made for them (seed 001).

    Printed on their form 01 and sent by SMS to the phone the officer recorded; kept only as a keyed hash; one open
    code per account; used up when the account is activated.
    """

    ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper and typed on a phone
    LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="claims")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã nhận tài khoản")
        verbose_name_plural = _("mã nhận tài khoản")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y}"

    @classmethod
    def normalize(cls, code: str) -> str:
        """'abcd efgh', 'ABCD-EFGH' -> 'ABCDEFGH'."""
        return "".join(ch for ch in code.upper() if ch.isalnum())

    @classmethod
    def digest(cls, user_id: int, code: str) -> str:
        return salted_hmac("dvc.accounts.claim", f"{user_id}:{cls.normalize(code)}", algorithm="sha256").hexdigest()

    def matches(self, code: str) -> bool:
        return constant_time_compare(self.digest(self.user_id, code), self.code_hash)


class ApiToken(models.Model):
    """A Bearer token for the REST API, issued after OTP login; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khoá truy cập API")
        verbose_name_plural = _("khoá truy cập API")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y %H:%M}"


class RateCounter(models.Model):
    """A fixed-window counter behind rate limits and login lockouts, shared by every web process."""

    key = models.CharField(max_length=191, unique=True)
    window_ends_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm giới hạn")
        verbose_name_plural = _("bộ đếm giới hạn")
        indexes = [models.Index(fields=["window_ends_at"])]

    def __str__(self) -> str:
        return self.key


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238 TOTP, 30-second steps) as the second factor when the phone is not at hand."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code is good once (RFC 6238 section 5.2), a replay is refused.
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = _("ứng dụng xác thực")

    def __str__(self) -> str:
        return str(self.user)


class ApiLoginCode(models.Model):
    """The one-time code an API client receives after the identity login in a browser, exchanged for a token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code_digest = models.CharField(max_length=64, unique=True)
    redirect_uri = models.CharField(max_length=500)
    code_challenge = models.CharField(max_length=64)  # PKCE (RFC 7636, S256): the verifier must match
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã đổi khoá truy cập")
        verbose_name_plural = _("mã đổi khoá truy cập")

    def __str__(self) -> str:
        return f"{self.user} {self.expires_at:%d/%m/%Y %H:%M}"
