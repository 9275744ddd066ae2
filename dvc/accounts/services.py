"""Every write of the accounts app: registration, OTP, login, password, profile, API tokens.

Input has been validated by ``dvc.accounts.forms`` (shared by pages and API); these functions enforce the
rules that need the database: uniqueness, OTP limits, lockouts. They raise ``dvc.errors`` exceptions.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dvc.accounts import throttle
from dvc.accounts.models import ApiLoginCode, ApiToken, OtpChallenge, TotpDevice, User
from dvc.agencies.models import AdminUnit
from dvc.errors import Conflict, DomainError, InvalidInput, NotFound, RateLimited
from dvc.notify.models import Message
from dvc.notify.services import message_send, notice_post
from dvc.rows import raw_models

OTP_PURPOSE_TEXT = {
    OtpChallenge.Purpose.REGISTER: "kích hoạt tài khoản",
    OtpChallenge.Purpose.LOGIN: "đăng nhập",
    OtpChallenge.Purpose.PASSWORD_RESET: "đặt lại mật khẩu",
    OtpChallenge.Purpose.PHONE_CHANGE: "đổi số điện thoại",
    OtpChallenge.Purpose.SIGN: "xác nhận ký số",  # a declaration, or the signature login
}
_HOUR = dt.timedelta(hours=1)
# Not a hex digest: no code's keyed hash ever equals it.
DECOY_HASH = "decoy"


def otp_hash(challenge_id: uuid.UUID, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table cannot be brute-forced over the million possible codes.
    return salted_hmac("dvc.accounts.otp", f"{challenge_id}:{code}", algorithm="sha256").hexdigest()


def _otp_new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _local_time(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y")


def _wait_message(retry_after: int) -> str:
    minutes = (retry_after + 59) // 60
    if retry_after < 120:
        return _("Vui lòng thử lại sau %(seconds)d giây.") % {"seconds": retry_after}
    return _("Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes}


def otp_check_send_limits(*, phone: str, ip: str) -> None:
    """Hourly caps on OTP messages per phone and per client address (SMS costs money and can harass)."""
    for scope, ident, cap in (
        ("otp-phone", phone, settings.DVC_OTP_MAX_SENDS_PER_HOUR),
        ("otp-ip", ip, settings.DVC_OTP_MAX_REQUESTS_PER_IP_HOUR),
    ):
        window = throttle.hit(throttle.make_key(scope, ident), window=_HOUR)
        if window.count > cap:
            retry = window.retry_after()
            raise RateLimited(
                _("Đã gửi quá nhiều mã OTP trong một giờ. %(wait)s") % {"wait": _wait_message(retry)},
                code="otp_send_limit",
                retry_after=retry,
            )


def _otp_dispatch(*, challenge: OtpChallenge, code: str) -> None:
    by_email = challenge.channel == OtpChallenge.Channel.EMAIL
    message_send(
        channel=Message.Channel.EMAIL if by_email else Message.Channel.SMS,
        recipient=challenge.user.email if by_email else challenge.phone,
        template="otp",
        context={
            "code": code,
            "purpose": OTP_PURPOSE_TEXT[OtpChallenge.Purpose(challenge.purpose)],
            "minutes": settings.DVC_OTP_TTL_SECONDS // 60,
        },
        sensitive=True,
        expires_at=challenge.expires_at,
    )


def otp_issue(
    *, user: User, purpose: str, phone: str, ip: str, channel: str = OtpChallenge.Channel.SMS
) -> OtpChallenge:
    """Send a new 6-digit code by SMS (or e-mail); earlier open codes of the same user and purpose stop working."""
    otp_check_send_limits(phone=user.email if channel == OtpChallenge.Channel.EMAIL else phone, ip=ip)
    now = timezone.now()
    code = _otp_new_code()
    with transaction.atomic():
        OtpChallenge.objects.filter(user=user, purpose=purpose, verified_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        challenge = OtpChallenge(
            id=uuid.uuid4(),
            user=user,
            purpose=purpose,
            phone=phone,
            channel=channel,
            expires_at=now + dt.timedelta(seconds=settings.DVC_OTP_TTL_SECONDS),
            last_sent_at=now,
        )
        challenge.code_hash = otp_hash(challenge.id, code)
        challenge.save(force_insert=True)
        _otp_dispatch(challenge=challenge, code=code)
    return challenge


def otp_resend(*, challenge_id: uuid.UUID, ip: str) -> OtpChallenge:
    """A fresh code for the same challenge, at most once a minute and within the hourly caps."""
    challenge = OtpChallenge.objects.filter(pk=challenge_id, verified_at__isnull=True).first()
    superseded = (
        challenge is not None
        and OtpChallenge.objects.filter(
            user_id=challenge.user_id, purpose=challenge.purpose, created_at__gt=challenge.created_at
        ).exists()
    )
    if challenge is None or superseded:  # a newer request replaced it: a fresh code goes only to the newest
        raise NotFound(_("Không tìm thấy yêu cầu xác thực. Vui lòng thực hiện lại từ đầu."), code="otp_not_found")
    now = timezone.now()
    ready_at = challenge.last_sent_at + dt.timedelta(seconds=settings.DVC_OTP_RESEND_COOLDOWN_SECONDS)
    if now < ready_at:
        retry = max(1, int((ready_at - now).total_seconds() + 0.999))
        raise RateLimited(
            _("Mã vừa được gửi. Bạn có thể yêu cầu gửi lại sau %(seconds)d giây.") % {"seconds": retry},
            code="otp_resend_cooldown",
            retry_after=retry,
        )
    by_email = challenge.channel == OtpChallenge.Channel.EMAIL
    otp_check_send_limits(phone=challenge.user.email if by_email else challenge.phone, ip=ip)
    code = _otp_new_code()
    with transaction.atomic():
        updated = OtpChallenge.objects.filter(
            pk=challenge.pk, verified_at__isnull=True, last_sent_at=challenge.last_sent_at
        ).update(
            # A decoy stays unopenable and unsent: it answers like a real challenge and nothing more.
            code_hash=DECOY_HASH if challenge.decoy else otp_hash(challenge.pk, code),
            expires_at=now + dt.timedelta(seconds=settings.DVC_OTP_TTL_SECONDS),
            attempts=0,
            send_count=F("send_count") + 1,
            last_sent_at=now,
        )
        if not updated:
            raise Conflict(
                _("Mã vừa được gửi lại từ một yêu cầu khác. Vui lòng kiểm tra tin nhắn."), code="otp_conflict"
            )
        challenge.refresh_from_db()
        if not challenge.decoy:
            _otp_dispatch(challenge=challenge, code=code)
    return challenge


def otp_consume(*, challenge_id: uuid.UUID, code: str, purpose: str, ip: str) -> OtpChallenge:
    """Check a code and mark the challenge used. A wrong try is counted (and kept) before comparing.

    Must not run inside an outer transaction: the attempt counter has to survive the exception.
    """
    window = throttle.hit(throttle.make_key("otp-verify-ip", ip), window=_HOUR)
    if window.count > settings.DVC_OTP_MAX_REQUESTS_PER_IP_HOUR * settings.DVC_OTP_MAX_ATTEMPTS:
        raise RateLimited(
            _wait_message(window.retry_after()), code="otp_verify_limit", retry_after=window.retry_after()
        )
    challenge = OtpChallenge.objects.select_related("user").filter(pk=challenge_id, purpose=purpose).first()
    if challenge is None:
        raise NotFound(_("Không tìm thấy yêu cầu xác thực. Vui lòng thực hiện lại từ đầu."), code="otp_not_found")
    dead = DomainError(
        _("Mã OTP đã bị khoá do nhập sai quá %(n)d lần. Vui lòng bấm “Gửi lại mã” để nhận mã mới.")
        % {"n": settings.DVC_OTP_MAX_ATTEMPTS},
        code="otp_locked",
        field="otp",
    )
    if challenge.verified_at is not None:
        raise DomainError(_("Mã OTP này đã được sử dụng."), code="otp_used", field="otp")
    if challenge.attempts >= settings.DVC_OTP_MAX_ATTEMPTS:
        raise dead
    if challenge.expires_at <= timezone.now():
        raise DomainError(
            _("Mã OTP đã hết hạn. Vui lòng bấm “Gửi lại mã” để nhận mã mới."), code="otp_expired", field="otp"
        )
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        raise InvalidInput({"otp": [_("Mã OTP gồm 6 chữ số.")]}, message=_("Mã OTP gồm 6 chữ số."))
    counted = OtpChallenge.objects.filter(
        pk=challenge.pk, verified_at__isnull=True, attempts__lt=settings.DVC_OTP_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not counted:
        raise dead
    if not constant_time_compare(otp_hash(challenge.pk, code), challenge.code_hash):
        remaining = settings.DVC_OTP_MAX_ATTEMPTS - challenge.attempts - 1
        if remaining <= 0:
            raise dead
        message = _("Mã OTP không đúng. Bạn còn %(n)d lần thử.") % {"n": remaining}
        raise InvalidInput({"otp": [message]}, message=message)
    if not OtpChallenge.objects.filter(pk=challenge.pk, verified_at__isnull=True).update(verified_at=timezone.now()):
        raise DomainError(_("Mã OTP này đã được sử dụng."), code="otp_used", field="otp")
    return challenge


def _locked_error(window: throttle.Window) -> RateLimited:
    retry = window.retry_after()
    return RateLimited(
        _(
            "Tài khoản tạm thời bị khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau %(time)s "
            "(khoảng %(minutes)d phút nữa) hoặc dùng chức năng “Quên mật khẩu”."
        )
        % {"time": date_format(timezone.localtime(window.ends_at), "H:i"), "minutes": (retry + 59) // 60},
        code="login_locked",
        retry_after=retry,
    )


def login_start(*, id_number: str, password: str, ip: str, other_methods: bool = False) -> OtpChallenge:
    """Check the id number and password, then send a login OTP (seed 000/001: password, then OTP).

    Wrong passwords are counted per id number *and client address*: after DVC_LOGIN_MAX_FAILURES that pair waits
    DVC_LOGIN_LOCKOUT_MINUTES, so a stranger elsewhere cannot lock the owner out. Across all addresses, past
    DVC_LOGIN_MAX_FAILURES_PER_ID the id number waits too, 1 minute doubling up to the lockout (a distributed guess
    is slowed, the owner is held back minutes at most and can still reset the password by OTP). Unknown id numbers
    are treated the same (the answer must not reveal which have accounts). A registration never confirmed
    answers like a wrong password: its owner registers again for a new code.
    """
    lockout = dt.timedelta(minutes=settings.DVC_LOGIN_LOCKOUT_MINUTES)
    pair_key = throttle.make_key("login-id-ip", f"{id_number}|{ip}")
    id_key = throttle.make_key("login-id", id_number)
    ip_key = throttle.make_key("login-ip", ip)
    for key, cap in (
        (pair_key, settings.DVC_LOGIN_MAX_FAILURES),
        (id_key, settings.DVC_LOGIN_MAX_FAILURES_PER_ID),
        (ip_key, settings.DVC_LOGIN_MAX_FAILURES_PER_IP),
    ):
        window = throttle.peek(key)
        if window is not None and window.count >= cap:
            raise _locked_error(window)

    user = User.objects.filter(id_number=id_number).first()
    if user is None:
        User().set_password(password)  # same work as a real check, so timing does not reveal the account
        valid = False
    else:
        valid = user.check_password(password)
        # A registration never confirmed is not an account yet: it signs in no one, whatever the password (a
        # login must not tell it apart from a taken id number); its owner registers again to get a new code.
        valid = valid and (user.is_active or user.phone_verified_at is not None)
    if user is None or not valid:
        throttle.hit(ip_key, window=lockout)
        everywhere = throttle.hit(id_key, window=lockout)
        beyond = everywhere.count - settings.DVC_LOGIN_MAX_FAILURES_PER_ID
        if beyond >= 0:  # progressive: 1, 2, 4 ... minutes, never beyond the lockout
            until = timezone.now() + min(dt.timedelta(minutes=2**beyond), lockout)
            throttle.extend(id_key, until=until)
        window = throttle.hit(pair_key, window=lockout)
        if window.count >= settings.DVC_LOGIN_MAX_FAILURES:
            until = timezone.now() + lockout
            throttle.extend(pair_key, until=until)
            raise _locked_error(throttle.Window(window.count, until))
        remaining = settings.DVC_LOGIN_MAX_FAILURES - window.count
        message = _(
            "Số định danh hoặc mật khẩu không đúng. Bạn còn %(n)d lần thử trước khi tài khoản bị tạm khoá. "
            "Nếu bạn vừa đăng ký mà chưa nhập mã kích hoạt, hãy đăng ký lại để nhận mã mới."
        ) % {"n": remaining}
        raise InvalidInput({"password": [message]}, message=message)

    throttle.reset(pair_key)
    if not user.is_active:
        raise DomainError(
            _("Tài khoản đã bị khoá. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ."), code="account_disabled"
        )
    try:
        return otp_issue(user=user, purpose=OtpChallenge.Purpose.LOGIN, phone=user.phone, ip=ip)
    except RateLimited:
        if not (other_methods and (user.email or user_has_app(user))):
            raise
        # No more SMS this hour, but the e-mail or the app can still finish the login: a challenge no SMS code
        # opens (nothing was sent), from which the page offers the other methods.
        return OtpChallenge.objects.create(
            user=user, purpose=OtpChallenge.Purpose.LOGIN, phone=user.phone, code_hash=DECOY_HASH, send_count=0,
            expires_at=timezone.now() + dt.timedelta(seconds=settings.DVC_OTP_TTL_SECONDS),
        )  # fmt: skip


def user_has_app(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def login_confirm(*, challenge_id: uuid.UUID, code: str, ip: str) -> User:
    """Second step of login: the OTP. Returns the user for the caller to open a session or issue a token."""
    challenge = otp_consume(challenge_id=challenge_id, code=code, purpose=OtpChallenge.Purpose.LOGIN, ip=ip)
    user = challenge.user
    if not user.is_active:
        raise DomainError(
            _("Tài khoản đã bị khoá. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ."), code="account_disabled"
        )
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def password_reset_start(*, id_number: str, phone: str, ip: str) -> OtpChallenge:
    """Forgot password: an OTP to the confirmed phone of the account with this id number."""
    user = User.objects.filter(id_number=id_number, phone=phone, phone_verified_at__isnull=False).first()
    if user is None:
        window = throttle.hit(throttle.make_key("reset-miss-ip", ip), window=_HOUR)
        if window.count > settings.DVC_OTP_MAX_REQUESTS_PER_IP_HOUR:
            raise RateLimited(_wait_message(window.retry_after()), code="reset_limit", retry_after=window.retry_after())
        raise InvalidInput(
            {"phone": [_("Số định danh và số điện thoại không khớp với tài khoản nào đã kích hoạt.")]},
        )
    return otp_issue(user=user, purpose=OtpChallenge.Purpose.PASSWORD_RESET, phone=user.phone, ip=ip)


def _password_set(*, user: User, new_password: str) -> None:
    """Set a password, end every API token, and tell the owner (their sessions end by Django's session hash)."""
    now = timezone.now()
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    context = {"id_number": user.id_number, "changed_at": _local_time(now)}
    notice_post(user=user, template="password_changed", context=context, link="/tai-khoan/")
    message_send(channel=Message.Channel.SMS, recipient=user.phone, template="password_changed", context=context)
    if user.email:
        message_send(channel=Message.Channel.EMAIL, recipient=user.email, template="password_changed", context=context)


def password_reset_confirm(*, challenge_id: uuid.UUID, code: str, new_password: str, ip: str) -> User:
    challenge = otp_consume(challenge_id=challenge_id, code=code, purpose=OtpChallenge.Purpose.PASSWORD_RESET, ip=ip)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=challenge.user_id)
        _password_set(user=user, new_password=new_password)
    # The owner proved themselves by OTP: their id number, and their address, may try again at once.
    throttle.reset(throttle.make_key("login-id", user.id_number))
    throttle.reset(throttle.make_key("login-id-ip", f"{user.id_number}|{ip}"))
    return user


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise InvalidInput({"old_password": [_("Mật khẩu hiện tại không đúng.")]})
    with transaction.atomic():
        _password_set(user=user, new_password=new_password)


def profile_update(
    *, user: User, email: str, province: AdminUnit | None, commune: AdminUnit | None, address_line: str
) -> User:
    """Contact details a person may change themselves; identity (name, id number, birth date) may not."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            email=email, province=province, commune=commune, address_line=address_line
        )
        user.refresh_from_db()
    return user


def phone_change_start(*, user: User, new_phone: str, password: str, ip: str) -> OtpChallenge:
    """The login phone changes only with the password, and once the new number has received and returned an OTP
    (a session left open on a shared computer is not enough to move the account to another phone)."""
    if not user.check_password(password):
        raise InvalidInput({"password": [_("Mật khẩu hiện tại không đúng.")]})
    if new_phone == user.phone:
        raise InvalidInput({"phone": [_("Số điện thoại mới trùng với số đang dùng.")]})
    return otp_issue(user=user, purpose=OtpChallenge.Purpose.PHONE_CHANGE, phone=new_phone, ip=ip)


def phone_change_confirm(*, user: User, challenge_id: uuid.UUID, code: str, ip: str) -> User:
    challenge = otp_consume(challenge_id=challenge_id, code=code, purpose=OtpChallenge.Purpose.PHONE_CHANGE, ip=ip)
    if challenge.user_id != user.pk:
        raise NotFound(_("Không tìm thấy yêu cầu xác thực. Vui lòng thực hiện lại từ đầu."), code="otp_not_found")
    old_phone = user.phone
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(phone=challenge.phone, phone_verified_at=timezone.now())
        user.refresh_from_db()
        # The old number hears of it: if it was not its owner's doing, they know at once whom to call.
        context = {"id_number": user.id_number, "changed_at": _local_time(timezone.now())}
        notice_post(user=user, template="phone_changed", context=context, link="/tai-khoan/")
        message_send(channel=Message.Channel.SMS, recipient=old_phone, template="phone_changed", context=context)
    return user


def sign_confirm(*, challenge_id: uuid.UUID, user: User, code: str, ip: str) -> OtpChallenge:
    """The holder's confirmation of a remote signature (built-in provider), by the OTP sent to their phone."""
    challenge = otp_consume(challenge_id=challenge_id, code=code, purpose=OtpChallenge.Purpose.SIGN, ip=ip)
    if challenge.user_id != user.pk:
        raise NotFound(_("Không tìm thấy yêu cầu xác thực. Vui lòng thực hiện lại từ đầu."), code="otp_not_found")
    return challenge


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User) -> str:
    """A new Bearer token for the API; the raw value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    ApiToken.objects.create(
        user=user,
        key_digest=_token_digest(raw),
        last_used_at=now,
        expires_at=now + dt.timedelta(hours=settings.DVC_API_TOKEN_MAX_HOURS),
    )
    return raw


# The live token and its account in one statement written out: every API request reads it, and the ORM took as
# long to build the query (the token joined to the account's 25 columns) as PostgreSQL took to run it (issue 20).
_BEARER_SQL = (
    "SELECT u.*, t.id AS token_pk, (t.last_used_at < %s) AS token_resting "
    "FROM accounts_apitoken t INNER JOIN accounts_user u ON u.id = t.user_id "
    "WHERE t.key_digest = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND t.last_used_at > %s AND u.is_active"
)
TOKEN_TOUCH_SECONDS = 30  # the idle clock is restarted at most this often: spare a write on every request


def api_token_use(*, raw: str) -> ApiToken | None:
    """The live token for ``raw``, its idle clock restarted; None when unknown, revoked, expired or idle, or when
    its account was closed. The token carries its key and its account; its other fields are read if asked."""
    now = timezone.now()
    db = router.db_for_read(ApiToken)
    stamp = connections[db].ops.adapt_datetimefield_value  # as the ORM writes a time (SQLite keeps it as text)
    idle_limit = now - dt.timedelta(minutes=settings.DVC_API_TOKEN_IDLE_MINUTES)
    touched = now - dt.timedelta(seconds=TOKEN_TOUCH_SECONDS)
    digest = _token_digest(raw)
    params = [stamp(touched), digest, stamp(now), stamp(idle_limit)]
    found = raw_models(User, _BEARER_SQL, params, using=db)
    if not found:
        return None
    user = found[0]
    token = ApiToken.from_db(db, ["id", "user_id", "key_digest"], [user.token_pk, user.pk, digest])  # type: ignore[attr-defined]
    token.user = user
    if user.token_resting:  # type: ignore[attr-defined]
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_login_code_use(*, code: str, redirect_uri: str, code_verifier: str, ip: str) -> User:
    """The account behind a one-time code from the identity login's API hand-off, for the app holding the PKCE
    verifier; the code is then spent (a wrong verifier spends it too: a stolen code is worth one try)."""
    window = throttle.hit(throttle.make_key("api-login-code-ip", ip), window=_HOUR)
    if window.count > settings.DVC_OTP_MAX_REQUESTS_PER_IP_HOUR * settings.DVC_OTP_MAX_ATTEMPTS:
        raise RateLimited(_wait_message(window.retry_after()), code="code_limit", retry_after=window.retry_after())
    digest = hashlib.sha256(code.strip().encode()).hexdigest()
    spent = ApiLoginCode.objects.filter(
        code_digest=digest, redirect_uri=redirect_uri.replace("\x00", ""), used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(used_at=timezone.now())  # fmt: skip
    found = ApiLoginCode.objects.select_related("user").filter(code_digest=digest).first() if spent else None
    challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
    if found is not None and not constant_time_compare(challenge, found.code_challenge):
        found = None
    if found is None or not found.user.is_active:
        message = _("Mã đăng nhập không đúng, đã dùng hoặc đã hết hạn. Vui lòng đăng nhập lại.")
        raise DomainError(message, code="code_invalid")
    return found.user
