"""Pages of the national-identity login: start, the provider's return, confirming a difference, the API hand-off."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts import identity
from dvc.accounts.models import ApiLoginCode, User

_PENDING = "dvc_identity_pending"  # claims waiting for the holder to confirm a difference
_RETURN = "dvc_identity_return"  # where to go after the provider: a page, or an API client's redirect URI
SESSION_KEY = "dvc_identity"  # the ID token and level of a session opened with the identity (for logout)
_CODE_MINUTES = 2
_PENDING_SECONDS = 600
_PKCE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # base64url of a SHA-256 digest, no padding (RFC 7636)


def _api_redirect_allowed(uri: str) -> bool:
    """An API client's redirect URI: one registered in settings, or outside production a loopback address."""
    if uri in settings.DVC_API_REDIRECT_URIS:
        return True
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:
        return False
    return not settings.PRODUCTION and parts.scheme == "http" and host in {"127.0.0.1", "localhost", "::1"}


def identity_login(request: HttpRequest) -> HttpResponse:
    """ "Đăng nhập bằng tài khoản định danh điện tử": to the provider, remembering where to come back."""
    if not identity.enabled():
        messages.error(request, _("Đăng nhập bằng tài khoản định danh điện tử chưa được cấu hình trên cổng này."))
        return redirect("accounts:login")
    app_uri = request.GET.get("redirect_uri", "")
    challenge = request.GET.get("code_challenge", "")
    if app_uri and not _api_redirect_allowed(app_uri):
        messages.error(request, _("Ứng dụng yêu cầu đăng nhập không được đăng ký với cổng dịch vụ công."))
        return redirect("accounts:login")
    if app_uri and (request.GET.get("code_challenge_method") != "S256" or not _PKCE.match(challenge)):
        # RFC 8252 §8.1: an app's code could be caught by another app on the device; PKCE makes it useless to it.
        messages.error(request, _("Ứng dụng phải gửi code_challenge (PKCE, S256) khi yêu cầu đăng nhập."))
        return redirect("accounts:login")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    request.session[_RETURN] = {
        "next": next_url,
        "app": app_uri,
        "app_state": request.GET.get("state", "")[:200],
        "app_challenge": challenge,
    }
    try:
        return identity.login_redirect(request, request.build_absolute_uri(reverse("accounts:identity_callback")))
    except identity.IdentityError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:login")


def identity_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code; the claims sign in, or ask to confirm a difference."""
    try:
        claims, id_token = identity.callback(request)
        signed_in = request.user if isinstance(request.user, User) else None
        user = identity.account_for(claims, signed_in=signed_in)
    except identity.IdentityError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:login")
    if user is not None and identity.needs_confirmation(user, claims):
        request.session[_PENDING] = {"claims": claims.raw, "id_token": id_token, "at": time.time()}
        return redirect("accounts:identity_confirm")
    return _sign_in(request, claims, id_token, confirmed=False)


def _sign_in(request: HttpRequest, claims: identity.Claims, id_token: str, *, confirmed: bool) -> HttpResponse:
    try:
        user = identity.identity_sign_in(claims, confirmed=confirmed)
    except identity.IdentityError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:login")
    back = request.session.pop(_RETURN, None) or {}
    if back.get("app"):  # an app asked: it gets a code for a token; this browser is not signed in
        return _api_handoff(user, back["app"], back.get("app_state", ""), back.get("app_challenge", ""))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = {"id_token": id_token, "level": claims.level}
    if claims.verified:
        messages.success(
            request,
            _("Đăng nhập bằng tài khoản định danh điện tử thành công. Xin chào %(name)s!") % {"name": user.full_name},
        )
    else:
        messages.info(
            request,
            _(
                "Bạn đã đăng nhập bằng tài khoản định danh điện tử mức 1. Để được miễn nộp bản sao giấy tờ tùy thân, "
                "hãy nâng cấp tài khoản lên mức 2 trên ứng dụng VNeID."
            ),
        )
    return HttpResponseRedirect(back.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))


def identity_confirm(request: HttpRequest) -> HttpResponse:
    """The account's data differs from the verified identity: show the difference; the verified data wins if
    the holder confirms, otherwise nothing changes and no one is signed in."""
    pending: dict[str, Any] | None = request.session.get(_PENDING)
    if not pending or time.time() - float(pending.get("at", 0)) > _PENDING_SECONDS:
        request.session.pop(_PENDING, None)  # left on a shared computer: the next person cannot accept it
        return redirect("accounts:login")
    try:
        claims = identity.claims_of(pending["claims"])
        user = identity.account_for(claims, signed_in=request.user if isinstance(request.user, User) else None)
    except identity.IdentityError as exc:
        request.session.pop(_PENDING, None)
        messages.error(request, str(exc.message))
        return redirect("accounts:login")
    if request.method == "POST":
        request.session.pop(_PENDING, None)
        if "accept" in request.POST:
            return _sign_in(request, claims, pending["id_token"], confirmed=True)
        messages.info(request, _("Thông tin tài khoản không thay đổi. Bạn có thể đăng nhập bằng mật khẩu."))
        return redirect("accounts:login")
    rows = identity.differences(user, claims) if user is not None else []
    return render(request, "accounts/identity_confirm.html", {"rows": rows, "id_number": claims.id_number})


def _api_handoff(user: User, redirect_uri: str, state: str, challenge: str) -> HttpResponse:
    """Back to the API client with a one-time code (2 minutes) it exchanges, with its PKCE verifier, for a token."""
    code = secrets.token_urlsafe(32)
    ApiLoginCode.objects.create(
        user=user,
        code_digest=hashlib.sha256(code.encode()).hexdigest(),
        redirect_uri=redirect_uri,
        code_challenge=challenge,
        expires_at=timezone.now() + dt.timedelta(minutes=_CODE_MINUTES),
    )
    query = {"code": code, **({"state": state} if state else {})}
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{urlencode(query)}")


@require_POST
def identity_logout(request: HttpRequest) -> HttpResponse:
    """End the session here, then at the provider when the session was opened with the identity."""
    opened = request.session.get(SESSION_KEY) or {}
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    home = request.build_absolute_uri(reverse("web:home"))
    if opened.get("id_token") and identity.enabled():
        target = identity.logout_url(opened["id_token"], home)
        if target:
            return HttpResponseRedirect(target)
    return redirect("web:home")
