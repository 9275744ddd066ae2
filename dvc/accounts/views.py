"""Pages of the accounts app: register, OTP, login, forgot password, profile, change password and phone."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts import forms, identity, registration, second_factor, selectors, services
from dvc.accounts.models import OtpChallenge, User
from dvc.accounts.throttle import client_ip
from dvc.errors import DomainError, RateLimited, add_to_form

_SESSION_KEY = "dvc_otp"
_PASSWORD_FIELDS = {"new_password1", "new_password2", "password", "old_password", "csrfmiddlewaretoken"}


def _authed(request: HttpRequest) -> User:
    """The logged-in user of a view behind ``login_required``."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return None


def _remember_challenge(request: HttpRequest, challenge: OtpChallenge, next_url: str | None = None) -> HttpResponse:
    """Bind the challenge to this browser session and go to the code page."""
    pending = request.session.get(_SESSION_KEY, {})
    pending = {key: value for key, value in pending.items() if key != str(challenge.pk)}
    pending[str(challenge.pk)] = {"next": next_url}
    request.session[_SESSION_KEY] = dict(list(pending.items())[-5:])
    return redirect("accounts:otp", challenge_id=challenge.pk)


class _ChallengeGone(Exception):
    """The code page was opened in another browser, or after the session ended."""


def _challenge_gone(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Yêu cầu xác thực không còn hiệu lực. Vui lòng đăng nhập hoặc đăng ký lại."))
    return redirect("accounts:login")


def _session_challenge(request: HttpRequest, challenge_id: uuid.UUID) -> tuple[OtpChallenge, dict[str, Any]]:
    state = request.session.get(_SESSION_KEY, {}).get(str(challenge_id))
    challenge = (
        OtpChallenge.objects.select_related("user").filter(pk=challenge_id).first() if state is not None else None
    )
    if challenge is None or state is None:
        raise _ChallengeGone
    return challenge, state


def _forget_challenge(request: HttpRequest, challenge_id: uuid.UUID) -> None:
    pending = request.session.get(_SESSION_KEY, {})
    pending.pop(str(challenge_id), None)
    request.session[_SESSION_KEY] = pending


def _status_for(error: DomainError) -> int:
    return 429 if isinstance(error, RateLimited) else 200


def _refill(request: HttpRequest) -> dict[str, str]:
    """What the person typed, minus passwords, to show the form again (province chosen without JavaScript)."""
    return {key: value for key, value in request.POST.dict().items() if key not in _PASSWORD_FIELDS}


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    status = 200
    if request.method == "POST" and "choose_province" in request.POST:
        form = forms.RegistrationForm(initial=_refill(request))
    elif request.method == "POST":
        form = forms.RegistrationForm(request.POST)
        if form.is_valid():
            try:
                challenge = registration.account_register(**form.registration(), ip=client_ip(request))
            except DomainError as exc:
                add_to_form(form, exc)
                status = _status_for(exc)
            else:
                return _remember_challenge(request, challenge)
    else:
        form = forms.RegistrationForm()
    return render(request, "accounts/register.html", {"form": form}, status=status)


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    status = 200
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.login_start(
                id_number=form.cleaned_data["id_number"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
                other_methods=True,
            )
        except DomainError as exc:
            add_to_form(form, exc)
            status = _status_for(exc)
        else:
            return _remember_challenge(request, challenge, next_url)
    context = {"form": form, "next": next_url or "", "identity_login": identity.enabled()}
    return render(request, "accounts/login.html", context, status=status)


def otp(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    """Enter the code received by SMS; what happens next depends on why the code was sent."""
    try:
        challenge, state = _session_challenge(request, challenge_id)
    except _ChallengeGone:
        return _challenge_gone(request)
    purpose = challenge.purpose
    is_reset = purpose == OtpChallenge.Purpose.PASSWORD_RESET
    if purpose == OtpChallenge.Purpose.PHONE_CHANGE and (
        not request.user.is_authenticated or request.user.pk != challenge.user_id
    ):
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    form: forms.OtpForm = (
        forms.PasswordResetConfirmForm(request.POST or None, user=challenge.user)
        if is_reset
        else forms.OtpForm(request.POST or None)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        code, ip = form.cleaned_data["otp"], client_ip(request)
        try:
            if purpose == OtpChallenge.Purpose.REGISTER:
                registration.account_activate(challenge_id=challenge.pk, code=code, ip=ip)
                messages.success(request, _("Tài khoản đã được kích hoạt. Mời bạn đăng nhập."))
                target = reverse("accounts:login")
            elif purpose == OtpChallenge.Purpose.LOGIN:
                user = services.login_confirm(challenge_id=challenge.pk, code=code, ip=ip)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Đăng nhập thành công. Xin chào %(name)s!") % {"name": user.full_name})
                target = state.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
            elif is_reset:
                services.password_reset_confirm(
                    challenge_id=challenge.pk, code=code, new_password=form.cleaned_data["new_password1"], ip=ip
                )
                messages.success(request, _("Mật khẩu đã được đặt lại. Mời bạn đăng nhập bằng mật khẩu mới."))
                target = reverse("accounts:login")
            else:
                services.phone_change_confirm(user=_authed(request), challenge_id=challenge.pk, code=code, ip=ip)
                messages.success(request, _("Số điện thoại đã được cập nhật."))
                target = reverse("accounts:profile")
        except DomainError as exc:
            add_to_form(form, exc)
            status = _status_for(exc)
        else:
            _forget_challenge(request, challenge.pk)
            return HttpResponseRedirect(target)
    context = {
        "form": form,
        "challenge": challenge,
        "masked_phone": selectors.masked_phone(challenge.phone),
        "masked_email": second_factor.masked_email(challenge.user.email)
        if challenge.channel == OtpChallenge.Channel.EMAIL
        else "",
        "purpose_text": services.OTP_PURPOSE_TEXT[OtpChallenge.Purpose(purpose)],
    }
    return render(request, "accounts/otp.html", context, status=status)


@require_POST
def otp_resend(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    try:
        challenge, _state = _session_challenge(request, challenge_id)
    except _ChallengeGone:
        return _challenge_gone(request)
    try:
        services.otp_resend(challenge_id=challenge.pk, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Mã mới đã được gửi tới số %(phone)s.") % {"phone": selectors.masked_phone(challenge.phone)}
        )
    return redirect("accounts:otp", challenge_id=challenge.pk)


def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetStartForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.password_reset_start(
                id_number=form.cleaned_data["id_number"], phone=form.cleaned_data["phone"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_to_form(form, exc)
            status = _status_for(exc)
        else:
            return _remember_challenge(request, challenge)
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _authed(request)
    status = 200
    if request.method == "POST" and "choose_province" in request.POST:
        form = forms.ProfileForm(initial=_refill(request), user=user)
    elif request.method == "POST":
        form = forms.ProfileForm(request.POST, user=user)
        if form.is_valid():
            services.profile_update(
                user=user,
                email=form.cleaned_data["email"],
                province=form.cleaned_data["province"],
                commune=form.cleaned_data["commune"],
                address_line=form.cleaned_data["address_line"],
            )
            messages.success(request, _("Đã lưu thông tin liên hệ."))
            return redirect("accounts:profile")
        status = 200
    else:
        form = forms.ProfileForm(user=user)
    context = {"form": form, "account": selectors.profile_summary(user=user)}
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = _authed(request)
    form = forms.PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def phone_change(request: HttpRequest) -> HttpResponse:
    user = _authed(request)
    form = forms.PhoneChangeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.phone_change_start(
                user=user, new_phone=form.cleaned_data["phone"], password=form.cleaned_data["password"],
                ip=client_ip(request),
            )  # fmt: skip
        except DomainError as exc:
            add_to_form(form, exc)
            status = _status_for(exc)
        else:
            return _remember_challenge(request, challenge)
    return render(request, "accounts/phone_change.html", {"form": form}, status=status)


def otp_other(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    """Seed 001's "Chọn phương thức xác thực khác": the login code by e-mail, or from an authenticator app."""
    try:
        challenge, state = _session_challenge(request, challenge_id)
        options = second_factor.alternatives(challenge.pk)
    except (_ChallengeGone, DomainError):
        return _challenge_gone(request)
    if request.method == "POST" and request.POST.get("method") == "email" and options["email"]:
        try:
            emailed = second_factor.login_by_email(challenge_id=challenge.pk, ip=client_ip(request))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            _forget_challenge(request, challenge.pk)
            return _remember_challenge(request, emailed, state.get("next"))
    if request.method == "POST" and request.POST.get("method") == "totp" and options["totp"]:
        return redirect("accounts:otp_app", challenge_id=challenge.pk)
    return render(request, "accounts/otp_other.html", {"challenge": challenge, "options": options})


def otp_app(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    """The 6-digit code of the authenticator app finishes the login."""
    try:
        challenge, state = _session_challenge(request, challenge_id)
    except _ChallengeGone:
        return _challenge_gone(request)
    form = forms.OtpForm(request.POST or None)
    form.fields["otp"].label = _("Mã trên ứng dụng xác thực")
    if request.method == "POST" and form.is_valid():
        try:
            user = second_factor.login_by_totp(challenge_id=challenge.pk, code=form.cleaned_data["otp"])
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            _forget_challenge(request, challenge.pk)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng nhập thành công. Xin chào %(name)s!") % {"name": user.full_name})
            return HttpResponseRedirect(state.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/otp_app.html", {"form": form, "challenge": challenge})


@login_required
def authenticator(request: HttpRequest) -> HttpResponse:
    """Set up (scan, then confirm with a code) or remove the authenticator app."""
    user = _authed(request)
    form = forms.OtpForm(request.POST if request.method == "POST" and "confirm" in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        try:
            second_factor.totp_remove(user=user, password=request.POST.get("password", ""))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("accounts:authenticator")
        messages.success(request, _("Đã gỡ ứng dụng xác thực khỏi tài khoản."))
        return redirect("accounts:profile")
    if form.is_bound and form.is_valid():
        try:
            second_factor.totp_confirm(user=user, code=form.cleaned_data["otp"])
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Đã cài ứng dụng xác thực. Khi không có điện thoại, bạn có thể dùng mã trên ứng dụng.")
            )
            return redirect("accounts:profile")
    device = second_factor.totp_setup(user)
    context = {"form": form, "device": device, "qr": second_factor.qr_svg(user, device), "secret": device.secret,
               "needs_password": user.has_usable_password()}  # fmt: skip
    return render(request, "accounts/authenticator.html", context)
