"""The development identity provider: a small OpenID Connect provider inside the portal, the embedded default
(like the payment sandbox), answering only outside production, under /dinh-danh-thu-nghiem/.

It speaks the protocol the portal's client uses with the national provider: discovery, JWKS, authorization code
with PKCE (S256 only), ID tokens signed RS256 with a key generated under ``var/idp`` and named by its thumbprint,
userinfo with the access token, end-session. Its page lets the developer pick or create a test identity (a citizen
or an organization, level 1 or 2) and its claims, kept in ``var/idp/identities.json``. Codes live 2 minutes and are
good once; tokens are signed by the portal's secret key, nothing else is stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode, urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from joserfc import jwt
from joserfc.jwk import RSAKey

from dvc.accounts.validators import normalize_mobile_phone, validate_cccd, validate_tax_code

_CODE_SECONDS = 120
_TOKEN_SECONDS = 600
_SALT_CODE, _SALT_TOKEN = "dvc.dev_idp.code", "dvc.dev_idp.token"
SEED = [
    {"sub": "001085012345", "name": "Nguyễn Văn An", "birthdate": "1985-03-12", "gender": "male",
     "phone_number": "+84987000001", "identity_level": 2, "address": {"formatted": "12 Phố Hàng Bông, Hà Nội"}},
    {"sub": "024192004321", "name": "Trần Thị Bình", "birthdate": "1992-10-05", "gender": "female",
     "phone_number": "+84987000002", "identity_level": 2},
    {"sub": "001196007777", "name": "Lê Thị Mới", "birthdate": "1996-01-23", "gender": "female",
     "phone_number": "+84987000077", "identity_level": 2},
    {"sub": "001098001111", "name": "Phan Văn Một", "birthdate": "1998-04-04", "gender": "male",
     "phone_number": "+84987000011", "identity_level": 1},
    {"sub": "0100109106", "name": "Công ty TNHH Thử Nghiệm", "tax_code": "0100109106", "identity_level": 2},
]  # fmt: skip


def _available() -> None:
    if settings.PRODUCTION:
        raise Http404


def _folder() -> Path:
    return Path(settings.VAR_DIR) / "idp"


def _key() -> RSAKey:
    path = _folder() / "key.json"
    if not path.exists():
        key = RSAKey.generate_key(2048, private=True)
        data = key.as_dict(private=True)
        data["kid"] = key.thumbprint()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
        path.chmod(0o600)
    return RSAKey.import_key(json.loads(path.read_text()))


def identities() -> list[dict[str, Any]]:
    path = _folder() / "identities.json"
    return json.loads(path.read_text()) if path.exists() else list(SEED)


def _save_identity(claims: dict[str, Any]) -> None:
    kept = [item for item in identities() if item["sub"] != claims["sub"]]
    path = _folder() / "identities.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([claims, *kept], ensure_ascii=False, indent=1))


def _issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("dev_idp:root")).rstrip("/")


def _json_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


@never_cache
def discovery(request: HttpRequest) -> JsonResponse:
    _available()
    issuer = _issuer(request)
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/uy-quyen/",
            "token_endpoint": f"{issuer}/token/",
            "userinfo_endpoint": f"{issuer}/userinfo/",
            "jwks_uri": f"{issuer}/jwks/",
            "end_session_endpoint": f"{issuer}/dang-xuat/",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "phone", "address"],
            "claims_supported": [
                "sub",
                "name",
                "birthdate",
                "gender",
                "phone_number",
                "address",
                "identity_level",
                "tax_code",
            ],
        }
    )


def root(request: HttpRequest) -> HttpResponse:
    _available()
    return HttpResponseRedirect(reverse("dev_idp:discovery"))


@never_cache
def jwks(request: HttpRequest) -> JsonResponse:
    _available()
    return JsonResponse({"keys": [_key().as_dict(private=False)]})


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại tài khoản"),
        choices=[("citizen", gettext_lazy("Công dân")), ("organization", gettext_lazy("Tổ chức"))],
    )
    number = forms.CharField(label=gettext_lazy("Số định danh cá nhân hoặc mã số thuế"), max_length=16)
    name = forms.CharField(label=gettext_lazy("Họ và tên / tên tổ chức"), max_length=255)
    birthdate = forms.DateField(label=gettext_lazy("Ngày sinh"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    gender = forms.ChoiceField(
        label=gettext_lazy("Giới tính"),
        required=False,
        choices=[("", "—"), ("male", gettext_lazy("Nam")), ("female", gettext_lazy("Nữ"))],
    )
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), required=False, max_length=20)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Mức định danh"),
        coerce=int,
        choices=[(2, gettext_lazy("Mức 2")), (1, gettext_lazy("Mức 1"))],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("number", "")
        try:
            data["number"] = validate_tax_code(number) if data.get("kind") == "organization" else validate_cccd(number)
        except ValidationError as exc:
            self.add_error("number", exc)
        try:
            data["phone"] = normalize_mobile_phone(data["phone"]) if data.get("phone") else ""
        except ValidationError as exc:
            self.add_error("phone", exc)
        return data

    def claims(self) -> dict[str, Any]:
        data = self.cleaned_data
        claims: dict[str, Any] = {"sub": data["number"], "name": data["name"], "identity_level": data["level"]}
        if data["kind"] == "organization":
            claims["tax_code"] = data["number"]
        if data.get("birthdate"):
            claims["birthdate"] = data["birthdate"].isoformat()
        for name in ("gender", "phone"):
            if data.get(name):
                claims["gender" if name == "gender" else "phone_number"] = data[name]
        return claims


def _client_ok(client_id: str, secret: str | None = None) -> bool:
    if not constant_time_compare(client_id, settings.DVC_OIDC_CLIENT_ID):
        return False
    return secret is None or constant_time_compare(secret, settings.DVC_OIDC_CLIENT_SECRET)


def _redirect_ok(request: HttpRequest, uri: str) -> bool:
    """The development provider sends codes only back to this portal."""
    try:
        parts, site = urlsplit(uri), urlsplit(settings.SITE_URL)
        port = parts.port
    except ValueError:
        return False
    loopback = {"localhost", "127.0.0.1", "[::1]", "::1"}
    same_machine = parts.hostname in loopback and site.hostname in loopback and port == site.port
    return parts.scheme in {"http", "https"} and (parts.netloc in {request.get_host(), site.netloc} or same_machine)


@never_cache
def authorize(request: HttpRequest) -> HttpResponse:
    """The provider's sign-in page: pick or create a test identity, then back to the portal with a code."""
    _available()
    params = request.GET
    redirect_uri = params.get("redirect_uri", "")
    problems = []
    if not _client_ok(params.get("client_id", "")):
        problems.append(_("Ứng dụng (client_id) không được đăng ký."))
    if not _redirect_ok(request, redirect_uri):
        problems.append(_("Địa chỉ quay về (redirect_uri) không thuộc cổng dịch vụ công này."))
    if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
        problems.append(_("Yêu cầu phải là response_type=code với phạm vi openid."))
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        problems.append(_("Yêu cầu phải có PKCE (code_challenge_method=S256)."))
    if problems:
        return render(request, "accounts/dev_idp.html", {"problems": problems}, status=400)
    form = IdentityForm(request.POST if "create" in request.POST else None)
    chosen: dict[str, Any] | None = None
    if request.method == "POST" and "cancel" in request.POST:
        return _back(redirect_uri, {"error": "access_denied", "state": params.get("state", "")})
    if request.method == "POST" and "pick" in request.POST:
        chosen = next((item for item in identities() if item["sub"] == request.POST["pick"]), None)
    elif request.method == "POST" and form.is_valid():
        chosen = form.claims()
        _save_identity(chosen)
    if chosen is not None:
        code = signing.dumps(
            {
                "claims": chosen,
                "redirect_uri": redirect_uri,
                "nonce": params.get("nonce", ""),
                "challenge": params["code_challenge"],
                "id": secrets.token_hex(8),
                "auth_time": int(time.time()),
            },
            salt=_SALT_CODE,
        )
        return _back(redirect_uri, {"code": code, "state": params.get("state", "")})
    return render(request, "accounts/dev_idp.html", {"identities": identities(), "form": form})


def _back(redirect_uri: str, query: dict[str, str]) -> HttpResponseRedirect:
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{urlencode({k: v for k, v in query.items() if v})}")


def _client_credentials(request: HttpRequest) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


@csrf_exempt
@never_cache
def token(request: HttpRequest) -> JsonResponse:
    """Code → tokens, checking the client, the redirect address, the PKCE verifier and single use."""
    _available()
    if request.method != "POST":
        return _json_error("invalid_request", "POST only", 405)
    client_id, secret = _client_credentials(request)
    if not _client_ok(client_id, secret):
        return _json_error("invalid_client", "unknown client or wrong secret", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _json_error("unsupported_grant_type", "authorization_code only")
    raw = request.POST.get("code", "")
    try:
        grant = signing.loads(raw, salt=_SALT_CODE, max_age=_CODE_SECONDS)
    except signing.BadSignature:
        return _json_error("invalid_grant", "code unknown or expired")
    verifier = request.POST.get("code_verifier", "")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    if not constant_time_compare(challenge, grant["challenge"]):
        return _json_error("invalid_grant", "PKCE verifier does not match")
    if request.POST.get("redirect_uri") != grant["redirect_uri"]:
        return _json_error("invalid_grant", "redirect_uri differs")
    if not cache.add(f"dev-idp-code:{grant['id']}", 1, timeout=_CODE_SECONDS * 2):
        return _json_error("invalid_grant", "code already used")
    now = int(time.time())
    issuer = _issuer(request)
    claims = grant["claims"]
    id_claims = {
        **claims,
        "iss": issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + _TOKEN_SECONDS,
        "auth_time": grant["auth_time"],
        **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
    }
    key = _key()
    id_token = jwt.encode({"alg": "RS256", "kid": key.kid}, id_claims, key)
    access = signing.dumps({"claims": claims}, salt=_SALT_TOKEN)
    return JsonResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": _TOKEN_SECONDS,
            "id_token": id_token,
            "scope": "openid profile phone address",
        }
    )


@csrf_exempt
@never_cache
def userinfo(request: HttpRequest) -> JsonResponse:
    _available()
    header = request.headers.get("Authorization", "")
    try:
        grant = signing.loads(header.removeprefix("Bearer ").strip(), salt=_SALT_TOKEN, max_age=_TOKEN_SECONDS)
    except signing.BadSignature:
        response = _json_error("invalid_token", "access token unknown or expired", 401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return JsonResponse(grant["claims"])


@never_cache
def end_session(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: back to the portal's address when it is the portal's, else a page that says so."""
    _available()
    target = request.GET.get("post_logout_redirect_uri", "")
    if target and _redirect_ok(request, target):
        return _back(target, {"state": request.GET.get("state", "")})
    return render(request, "accounts/dev_idp.html", {"signed_out": True})
