"""Registration and the claim of accounts made at the counter.

- A new id number registers: an inactive account, and the activation OTP to the phone given (seed 001 Bước 3–4).
- A registration that was never confirmed and owns nothing may be made again with new details (a mistyped phone).
- An account made at the counter for a walk-in citizen is claimed only with the claim code printed on their form
  01 and sent by SMS to the phone the officer recorded; the phone given then confirms it by OTP.
- Any other existing account is never changed. The answer is the same as for a new id number, under the same
  limits, with a challenge that no code opens and that is never sent: a stranger learns nothing and takes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import AccountClaim, OtpChallenge, User
from dvc.accounts.services import DECOY_HASH, otp_check_send_limits, otp_consume, otp_issue
from dvc.agencies.models import AdminUnit
from dvc.errors import InvalidInput
from dvc.notify.models import Message
from dvc.notify.services import message_send, notice_post

# The privacy notice in force (dvc/web/templates/web/pages/privacy.*.html); each account keeps the one it accepted.
PRIVACY_NOTICE_VERSION = "2026-01"

CLAIM_VALID_FOR = dt.timedelta(days=90)


def account_register(
    *,
    kind: str,
    id_number: str,
    full_name: str,
    phone: str,
    password: str,
    ip: str,
    birth_date: dt.date | None = None,
    sex: str = "",
    email: str = "",
    province: AdminUnit | None = None,
    commune: AdminUnit | None = None,
    address_line: str = "",
    representative_name: str = "",
    representative_id_number: str = "",
    claim_code: str = "",
    privacy_consent: bool = False,
) -> OtpChallenge:
    """Create (or claim) an inactive account and send the activation OTP to ``phone``; see the module's rules."""
    fields = {
        "kind": kind, "full_name": full_name, "birth_date": birth_date, "sex": sex, "phone": phone, "email": email,
        "province": province, "commune": commune, "address_line": address_line,
        "representative_name": representative_name, "representative_id_number": representative_id_number,
    }  # fmt: skip
    if not privacy_consent:  # Luật 91/2025/QH15: processing starts with the data subject's consent
        raise InvalidInput(
            {
                "privacy_consent": [
                    _("Vui lòng đọc Thông báo xử lý dữ liệu cá nhân và đánh dấu đồng ý để đăng ký tài khoản.")
                ]
            }
        )
    fields |= {"privacy_consent_at": timezone.now(), "privacy_notice_version": PRIVACY_NOTICE_VERSION}
    with transaction.atomic():
        user = User.objects.select_for_update().filter(id_number=id_number).first()
        if user is not None and not _may_register(user, claim_code):
            return _decoy(user=user, phone=phone, password=password, ip=ip)
        if user is None:
            user = User(id_number=id_number, is_active=False)
        for name, value in fields.items():
            setattr(user, name, value)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # the same id number registered at the same instant
            raise InvalidInput({"id_number": [_("Số định danh này vừa được đăng ký. Vui lòng đăng nhập.")]}) from exc
        return otp_issue(user=user, purpose=OtpChallenge.Purpose.REGISTER, phone=phone, ip=ip)


def _may_register(user: User, claim_code: str) -> bool:
    """May a registration for this existing account's id number go ahead? Only with the account's open claim
    code, or when it is an unconfirmed self-registration that owns nothing yet."""
    if user.is_active or user.phone_verified_at is not None:
        return False
    if claim_code and _open_claim(user, claim_code) is not None:
        return True
    return user.has_usable_password() and not user.dossiers.exists() and not user.claims.exists()


def _open_claim(user: User, code: str) -> AccountClaim | None:
    claim = user.claims.filter(used_at__isnull=True, expires_at__gt=timezone.now()).order_by("-created_at").first()
    return claim if claim is not None and claim.matches(code) else None


def _decoy(*, user: User, phone: str, password: str, ip: str) -> OtpChallenge:
    """The answer for an id number that may not register: the same limits, the same work, nothing sent."""
    otp_check_send_limits(phone=phone, ip=ip)
    User().set_password(password)  # the same hashing time as a real registration
    now = timezone.now()
    # As a real registration does (otp_issue): the earlier open registration challenges stop working.
    OtpChallenge.objects.filter(
        user=user, purpose=OtpChallenge.Purpose.REGISTER, verified_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    return OtpChallenge.objects.create(
        id=uuid.uuid4(), user=user, purpose=OtpChallenge.Purpose.REGISTER, phone=phone, code_hash=DECOY_HASH,
        expires_at=now + dt.timedelta(seconds=settings.DVC_OTP_TTL_SECONDS), last_sent_at=now, decoy=True,
    )  # fmt: skip


def account_activate(*, challenge_id: uuid.UUID, code: str, ip: str) -> User:
    """Confirm the phone with the registration OTP; the account becomes active and its claim code is used up."""
    challenge = otp_consume(challenge_id=challenge_id, code=code, purpose=OtpChallenge.Purpose.REGISTER, ip=ip)
    now = timezone.now()
    with transaction.atomic():
        User.objects.filter(pk=challenge.user_id, phone_verified_at__isnull=True).update(
            is_active=True, phone_verified_at=now
        )
        AccountClaim.objects.filter(user_id=challenge.user_id, used_at__isnull=True).update(used_at=now)
        user = User.objects.get(pk=challenge.user_id)
        context = {"id_number": user.id_number, "site_url": settings.SITE_URL}
        notice_post(user=user, template="account_activated", context=context, link="/tai-khoan/")
        message_send(channel=Message.Channel.SMS, recipient=user.phone, template="account_activated", context=context)
        if user.email:
            message_send(
                channel=Message.Channel.EMAIL, recipient=user.email, template="account_activated", context=context
            )
    return user


def walk_in_account(*, id_number: str, full_name: str, phone: str, birth_date: dt.date | None) -> User:
    """The account of a citizen filing at the counter (seed 001): theirs if they have one, else a new inactive one
    without a usable password, keyed by their id number. Called inside the counter intake's transaction; the row
    is locked so that two counters filing for the same person make one account."""
    user = User.objects.select_for_update().filter(id_number=id_number).first()
    if user is None:
        user = User(id_number=id_number, full_name=full_name, phone=phone, birth_date=birth_date, is_active=False)
        user.set_unusable_password()
        user.save()
    elif not user.is_active and user.phone_verified_at is None:
        # An unconfirmed registration is only a claim by whoever typed this id number: the officer has just seen
        # the person's card. The account becomes theirs to claim with the code; earlier codes and passwords stop.
        user.full_name, user.birth_date = full_name, birth_date or user.birth_date
        user.phone = phone or user.phone
        user.set_unusable_password()
        user.save(update_fields=["full_name", "birth_date", "phone", "password"])
        OtpChallenge.objects.filter(user=user, verified_at__isnull=True).update(expires_at=timezone.now())
    return user


def account_claim_issue(*, user: User, phone: str) -> str:
    """A new claim code for an account not yet activated (earlier open codes stop working), sent by SMS to
    ``phone`` when there is one; the code is returned once, for form 01, and kept only as a keyed hash."""
    now = timezone.now()
    code = "".join(secrets.choice(AccountClaim.ALPHABET) for _ in range(AccountClaim.LENGTH))
    shown = f"{code[:4]}-{code[4:]}"
    AccountClaim.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    claim = AccountClaim.objects.create(
        user=user, code_hash=AccountClaim.digest(user.pk, code), expires_at=now + CLAIM_VALID_FOR
    )
    if phone:
        until = f"{timezone.localtime(claim.expires_at):%d/%m/%Y}"
        message_send(
            channel=Message.Channel.SMS, recipient=phone, template="account_claim", sensitive=True,
            expires_at=claim.expires_at, context={"code": shown, "site_url": settings.SITE_URL, "until": until},
        )  # fmt: skip
    return shown
