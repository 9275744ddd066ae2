"""Seed 001's "Chọn phương thức xác thực khác": the login's second factor when the phone is not at hand.

After the password, the code can go to the account's e-mail instead of its phone, or come from an authenticator
app (RFC 6238 TOTP through pyotp: 30-second steps, one step of clock drift either way, each code good once).
Both finish the same login challenge, with the same attempt limit as the SMS code.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts import throttle
from dvc.accounts.models import OtpChallenge, TotpDevice, User
from dvc.accounts.services import otp_issue, user_has_app
from dvc.errors import DomainError, InvalidInput, NotFound, RateLimited

ISSUER = "Cổng Dịch vụ công"
_STEP = 30
_PER_HOUR = 10


def _open_login(challenge_id: uuid.UUID) -> OtpChallenge:
    challenge = (
        OtpChallenge.objects.select_related("user")
        .filter(pk=challenge_id, purpose=OtpChallenge.Purpose.LOGIN, verified_at__isnull=True, decoy=False)
        .first()
    )
    if challenge is None or challenge.expires_at <= timezone.now():
        raise NotFound(_("Yêu cầu đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại."), code="otp_not_found")
    return challenge


def alternatives(challenge_id: uuid.UUID) -> dict[str, str | bool]:
    """What else this account can use: its e-mail (masked) and whether an authenticator app is set up."""
    user = _open_login(challenge_id).user
    return {"email": masked_email(user.email), "totp": user_has_app(user)}


def masked_email(email: str) -> str:
    """n***@example.com: enough to recognize one's own address, not to learn someone else's."""
    if not email:
        return ""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


def login_by_email(*, challenge_id: uuid.UUID, ip: str) -> OtpChallenge:
    """A new login code sent to the account's e-mail (the SMS code stops working)."""
    user = _open_login(challenge_id).user
    if not user.email:
        raise DomainError(_("Tài khoản chưa có địa chỉ thư điện tử."), code="no_email")
    return otp_issue(
        user=user, purpose=OtpChallenge.Purpose.LOGIN, phone=user.phone, ip=ip, channel=OtpChallenge.Channel.EMAIL
    )


def _matching_step(secret: str, code: str) -> int | None:
    totp, now = pyotp.TOTP(secret, interval=_STEP), int(time.time())
    for offset in (0, -1, 1):
        moment = now + offset * _STEP
        if pyotp.utils.strings_equal(totp.at(moment), code):
            return moment // _STEP
    return None


def login_by_totp(*, challenge_id: uuid.UUID, code: str) -> User:
    """Finish the login with the app's 6-digit code; wrong codes count against the challenge like SMS codes."""
    challenge = _open_login(challenge_id)
    device = TotpDevice.objects.filter(user=challenge.user, confirmed_at__isnull=False).first()
    if device is None:
        raise DomainError(_("Tài khoản chưa cài ứng dụng xác thực."), code="no_totp")
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        raise InvalidInput({"otp": [_("Mã gồm 6 chữ số.")]}, message=_("Mã gồm 6 chữ số."))
    # Beyond the challenge's own count (a resend starts it again): at most 10 app codes an hour per account.
    window = throttle.hit(throttle.make_key("totp-user", str(challenge.user_id)), window=dt.timedelta(hours=1))
    if window.count > _PER_HOUR:
        raise RateLimited(_("Đã nhập sai quá nhiều lần. Vui lòng thử lại sau."), retry_after=window.retry_after())
    counted = OtpChallenge.objects.filter(
        pk=challenge.pk, verified_at__isnull=True, attempts__lt=settings.DVC_OTP_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not counted:
        raise DomainError(_("Đã nhập sai quá nhiều lần. Vui lòng đăng nhập lại."), code="otp_locked", field="otp")
    step = _matching_step(device.secret, code)
    # A code is good once: a step already used (replayed, or seen over a shoulder) is refused.
    if step is None or not TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step):
        message = _("Mã từ ứng dụng xác thực không đúng hoặc đã dùng. Vui lòng đợi mã mới.")
        raise InvalidInput({"otp": [message]}, message=message)
    if not OtpChallenge.objects.filter(pk=challenge.pk, verified_at__isnull=True).update(verified_at=timezone.now()):
        raise DomainError(_("Mã OTP này đã được sử dụng."), code="otp_used", field="otp")
    if not challenge.user.is_active:
        raise DomainError(_("Tài khoản đã bị khoá."), code="account_disabled")
    User.objects.filter(pk=challenge.user_id).update(last_login=timezone.now())
    return challenge.user


def totp_setup(user: User) -> TotpDevice:
    """The secret to scan: made once, kept until confirmed (or removed, to start again with a new one)."""
    device, _new = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def provisioning_uri(user: User, device: TotpDevice) -> str:
    return str(pyotp.TOTP(device.secret, interval=_STEP).provisioning_uri(name=user.id_number, issuer_name=ISSUER))


def qr_svg(user: User, device: TotpDevice) -> str:
    """The otpauth:// address as an inline SVG QR code to scan with the app (no JavaScript, no request)."""
    buffer = io.BytesIO()
    segno.make(provisioning_uri(user, device), error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TotpDevice:
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise NotFound(_("Chưa tạo mã cài đặt. Vui lòng làm lại."), code="no_totp")
    step = _matching_step(device.secret, "".join(code.split()))
    if step is None:
        message = _("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng.")
        raise InvalidInput({"otp": [message]}, message=message)
    device.confirmed_at, device.last_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])
    return device


def totp_remove(*, user: User, password: str) -> None:
    """Only with the account's password (where it has one): a session left open is not enough."""
    if user.has_usable_password() and not user.check_password(password):
        raise InvalidInput({"password": [_("Mật khẩu không đúng.")]}, message=_("Mật khẩu không đúng."))
    TotpDevice.objects.filter(user=user).delete()
