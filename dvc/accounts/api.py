"""Account endpoints: register, login, verify (→ Bearer token), resend, logout, me, password reset.

The bodies go through the same Django forms as the pages, so an API client gets the same Vietnamese
messages, field by field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django import forms as django_forms
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from dvc.accounts import forms, registration, selectors, services
from dvc.accounts.auth import authed_user, bearer, current_token
from dvc.accounts.models import VERIFIED_FIELDS, OtpChallenge
from dvc.accounts.throttle import client_ip
from dvc.errors import InvalidInput

router = Router(tags=["Tài khoản"])


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] | None = None


class RegisterIn(Schema):
    kind: str = "citizen"
    id_number: str
    full_name: str
    birth_date: str | None = None
    sex: str | None = None
    phone: str
    email: str | None = None
    province: str
    commune: str
    address_line: str | None = None
    representative_name: str | None = None
    representative_id_number: str | None = None
    password: str
    password_confirm: str
    claim_code: str | None = Field(
        default=None, description="Mã nhận tài khoản in trên giấy tiếp nhận, cho người đã nộp hồ sơ tại quầy"
    )
    privacy_consent: bool = Field(
        description="Người đăng ký đã đọc Thông báo xử lý dữ liệu cá nhân (/bao-ve-du-lieu-ca-nhan/) và đồng ý "
        "(Luật 91/2025/QH15); phải là true"
    )


class ChallengeOut(Schema):
    challenge_id: uuid.UUID
    purpose: str
    phone_masked: str
    expires_at: dt.datetime
    resend_after_seconds: int


class LoginIn(Schema):
    id_number: str
    password: str


class VerifyIn(Schema):
    challenge_id: uuid.UUID
    otp: str


class VerifyOut(Schema):
    status: Literal["activated", "logged_in"]
    token: str | None = None
    token_type: str | None = None


class ResendIn(Schema):
    challenge_id: uuid.UUID


class PasswordResetIn(Schema):
    id_number: str
    phone: str


class PasswordResetConfirmIn(Schema):
    challenge_id: uuid.UUID
    otp: str
    new_password: str
    new_password_confirm: str


class RoleOut(Schema):
    agency_code: str
    agency_name: str
    role: str


class MeOut(Schema):
    kind: str
    id_number: str
    full_name: str
    birth_date: dt.date | None
    sex: str
    phone: str
    email: str
    province_code: str | None
    commune_code: str | None
    address: str
    roles: list[RoleOut]
    identity_verified: bool = Field(description="Danh tính đã xác thực bằng tài khoản định danh điện tử")
    verified_fields: list[str] = Field(description="Các trường lấy từ danh tính đã xác thực, không sửa được tại đây")


def _valid(form: django_forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise InvalidInput(
            {field: [str(e["message"]) for e in errs] for field, errs in form.errors.get_json_data().items()}
        )
    return form.cleaned_data


def _challenge_out(challenge: OtpChallenge) -> ChallengeOut:
    from django.conf import settings

    return ChallengeOut(
        challenge_id=challenge.pk,
        purpose=challenge.purpose,
        phone_masked=selectors.masked_phone(challenge.phone),
        expires_at=challenge.expires_at,
        resend_after_seconds=settings.DVC_OTP_RESEND_COOLDOWN_SECONDS,
    )


_ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post("/auth/register", response={201: ChallengeOut, **_ERRORS}, summary="Đăng ký tài khoản")
def register(request: HttpRequest, payload: RegisterIn) -> Status[ChallengeOut]:
    data = payload.dict()
    data["new_password1"] = data.pop("password")
    data["new_password2"] = data.pop("password_confirm")
    form = forms.RegistrationForm({k: ("" if val is None else val) for k, val in data.items()})
    _valid(form)
    challenge = registration.account_register(**form.registration(), ip=client_ip(request))
    return Status(201, _challenge_out(challenge))


@router.post("/auth/login", response={200: ChallengeOut, **_ERRORS}, summary="Đăng nhập: bước 1, mật khẩu")
def login(request: HttpRequest, payload: LoginIn) -> ChallengeOut:
    clean = _valid(forms.LoginForm(payload.dict()))
    challenge = services.login_start(id_number=clean["id_number"], password=clean["password"], ip=client_ip(request))
    return _challenge_out(challenge)


@router.post("/auth/verify", response={200: VerifyOut, **_ERRORS}, summary="Xác thực mã OTP")
def verify(request: HttpRequest, payload: VerifyIn) -> VerifyOut:
    """For a registration challenge the account is activated; for a login challenge a Bearer token is issued."""
    challenge = OtpChallenge.objects.filter(pk=payload.challenge_id).only("purpose").first()
    ip = client_ip(request)
    if challenge is not None and challenge.purpose == OtpChallenge.Purpose.REGISTER:
        registration.account_activate(challenge_id=payload.challenge_id, code=payload.otp, ip=ip)
        return VerifyOut(status="activated")
    user = services.login_confirm(challenge_id=payload.challenge_id, code=payload.otp, ip=ip)
    return VerifyOut(status="logged_in", token=services.api_token_create(user=user), token_type="Bearer")  # noqa: S106


class IdentityCodeIn(Schema):
    code: str = Field(max_length=100, description="Mã một lần nhận được ở redirect_uri sau khi đăng nhập")
    redirect_uri: str = Field(max_length=500, description="Đúng địa chỉ redirect_uri đã gửi khi bắt đầu đăng nhập")
    code_verifier: str = Field(
        max_length=128, description="PKCE (RFC 7636): chuỗi bí mật mà code_challenge = BASE64URL(SHA256(chuỗi))"
    )


@router.post(
    "/auth/identity/token",
    response={200: VerifyOut, **_ERRORS},
    summary="Đăng nhập bằng định danh điện tử: đổi mã một lần lấy token",
)
def identity_token(request: HttpRequest, payload: IdentityCodeIn) -> VerifyOut:
    """The browser part runs at ``/dang-nhap/dinh-danh/?redirect_uri=<your address>&state=<yours>&code_challenge=
    <S256 of your verifier>&code_challenge_method=S256``: the person signs in at the identity provider, then the
    portal sends the browser to ``redirect_uri?code=…&state=…``. The code is good once, for two minutes, with the
    same ``redirect_uri`` and the verifier."""
    user = services.api_login_code_use(
        code=payload.code, redirect_uri=payload.redirect_uri, code_verifier=payload.code_verifier,
        ip=client_ip(request),
    )  # fmt: skip
    return VerifyOut(status="logged_in", token=services.api_token_create(user=user), token_type="Bearer")  # noqa: S106


@router.post("/auth/resend", response={200: ChallengeOut, **_ERRORS}, summary="Gửi lại mã OTP")
def resend(request: HttpRequest, payload: ResendIn) -> ChallengeOut:
    return _challenge_out(services.otp_resend(challenge_id=payload.challenge_id, ip=client_ip(request)))


@router.post("/auth/password-reset", response={200: ChallengeOut, **_ERRORS}, summary="Quên mật khẩu: gửi mã OTP")
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> ChallengeOut:
    clean = _valid(forms.PasswordResetStartForm(payload.dict()))
    challenge = services.password_reset_start(id_number=clean["id_number"], phone=clean["phone"], ip=client_ip(request))
    return _challenge_out(challenge)


@router.post("/auth/password-reset/confirm", response={204: None, **_ERRORS}, summary="Quên mật khẩu: đặt mật khẩu mới")
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> Status[None]:
    challenge = OtpChallenge.objects.select_related("user").filter(pk=payload.challenge_id).first()
    form = forms.PasswordResetConfirmForm(
        {"otp": payload.otp, "new_password1": payload.new_password, "new_password2": payload.new_password_confirm},
        user=challenge.user if challenge else None,
    )
    clean = _valid(form)
    services.password_reset_confirm(
        challenge_id=payload.challenge_id, code=clean["otp"], new_password=clean["new_password1"], ip=client_ip(request)
    )
    return Status(204, None)


@router.post("/auth/logout", auth=bearer, response={204: None, 401: ErrorOut}, summary="Đăng xuất (thu hồi token)")
def logout(request: HttpRequest) -> Status[None]:
    services.api_token_revoke(token=current_token(request))
    return Status(204, None)


@router.get("/me", auth=bearer, response={200: MeOut, 401: ErrorOut}, summary="Tài khoản đang đăng nhập")
def me(request: HttpRequest) -> MeOut:
    summary = selectors.profile_summary(user=authed_user(request))
    user = summary.user
    return MeOut(
        kind=user.kind,
        id_number=user.id_number,
        full_name=user.full_name,
        birth_date=user.birth_date,
        sex=user.sex,
        phone=user.phone,
        email=user.email,
        province_code=user.province.code if user.province else None,
        commune_code=user.commune.code if user.commune else None,
        address=summary.address,
        roles=[RoleOut(agency_code=r.agency.code, agency_name=r.agency.name, role=r.role) for r in summary.roles],
        identity_verified=user.identity_verified_at is not None,
        verified_fields=list(VERIFIED_FIELDS) if user.identity_verified_at else [],
    )
