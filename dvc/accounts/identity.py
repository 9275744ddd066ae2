"""Sign in with the national electronic identity (NĐ 69/2024/NĐ-CP) through OpenID Connect.

The relying party is Authlib's Django client: authorization code flow with PKCE (S256), ``state`` and ``nonce``
kept in the session, the provider's discovery document and JWKS (fetched again when a token names a key it does
not know: key rotation), and the ID token's signature, issuer, audience, expiry and nonce checked by Authlib.
This module turns the verified claims into an account:

- the personal id number is the key: a verified identity signs in to the account with that number, or a new
  account is made from the claims; it never joins an account of another number;
- at level 2 the identity fields (name, birth date, sex) become verified and read-only on the portal; where the
  account says otherwise, the holder is shown the difference and the verified data wins once confirmed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc.errors import BadSignatureError, JoseError

from dvc.accounts.models import VERIFIED_FIELDS, AccountClaim, User
from dvc.accounts.validators import normalize_mobile_phone
from dvc.errors import DomainError

logger = logging.getLogger(__name__)
_CLIENT_NAME = "dinhdanh"
_clients: dict[tuple[str, ...], Any] = {}
_PERSON_NUMBER = re.compile(r"^\d{12}$")  # CCCD / personal identification number
_TAX_CODE = re.compile(r"^(\d{10}|\d{13})$")  # an organization: 10 digits, 13 for a dependent unit
_SEX = {"male": "male", "nam": "male", "m": "male", "female": "female", "nữ": "female", "nu": "female", "f": "female"}
# Level 2 (NĐ 69/2024 Điều 12): identity checked against the population database in person, with a portrait.
VERIFIED_LEVEL = 2


class IdentityError(DomainError):
    """The identity provider's answer cannot be trusted or used; nothing was signed in."""


class _RelyingParty(DjangoOAuth2App):
    def parse_id_token(self, token: Any, nonce: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().parse_id_token(token, nonce, *args, **kwargs)
        except BadSignatureError:
            # Authlib fetches the keys again only for a key id it does not know; a provider that rotates its key
            # without naming it ("kid") needs the same: one fresh JWKS, then the check again (a forgery fails twice).
            self.fetch_jwk_set(force=True)
            return super().parse_id_token(token, nonce, *args, **kwargs)


class _Registry(OAuth):
    oauth2_client_cls = _RelyingParty


def enabled() -> bool:
    return bool(settings.DVC_OIDC_ISSUER and settings.DVC_OIDC_CLIENT_ID)


def _client() -> Any:
    """Authlib's client for the configured provider (one per configuration, so its JWKS cache lives on)."""
    key = (
        settings.DVC_OIDC_ISSUER,
        settings.DVC_OIDC_CLIENT_ID,
        settings.DVC_OIDC_CLIENT_SECRET,
        settings.DVC_OIDC_PRIVATE_KEY,
        settings.DVC_OIDC_SCOPES,
    )
    if key not in _clients:
        issuer = settings.DVC_OIDC_ISSUER.rstrip("/")
        options: dict[str, Any] = {
            "client_id": settings.DVC_OIDC_CLIENT_ID,
            "client_secret": settings.DVC_OIDC_CLIENT_SECRET,
            "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
            "client_kwargs": {"scope": settings.DVC_OIDC_SCOPES, "code_challenge_method": "S256", "timeout": 10},
        }
        if settings.DVC_OIDC_PRIVATE_KEY:
            # private_key_jwt (RFC 7523): the client proves itself with a JWT signed by its key, no shared secret.
            options["client_secret"] = Path(settings.DVC_OIDC_PRIVATE_KEY).read_text()
            options["client_kwargs"]["token_endpoint_auth_method"] = "private_key_jwt"  # noqa: S105
            options["client_auth_methods"] = [PrivateKeyJWT()]
        registry = _Registry()
        registry.register(_CLIENT_NAME, **options)
        _clients[key] = registry.create_client(_CLIENT_NAME)
    return _clients[key]


def _unreachable() -> IdentityError:
    return IdentityError(
        _("Không kết nối được với hệ thống định danh điện tử. Vui lòng thử lại sau hoặc đăng nhập bằng mật khẩu."),
        code="identity_unreachable",
    )


def login_redirect(request: HttpRequest, callback_url: str) -> HttpResponse:
    """Send the browser to the provider; ``state``, ``nonce`` and the PKCE verifier stay in this session."""
    try:
        response: HttpResponse = _client().authorize_redirect(request, callback_url, nonce=_nonce())
    except (requests.RequestException, AuthlibBaseError, ValueError, KeyError) as exc:
        raise _unreachable() from exc
    return response


def _nonce() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Claims:
    """What the provider vouches for, in the account's terms."""

    id_number: str
    full_name: str
    birth_date: dt.date | None
    sex: str
    phone: str
    address: str
    level: int
    kind: str
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def verified(self) -> bool:
        return self.level >= VERIFIED_LEVEL


def callback(request: HttpRequest) -> tuple[Claims, str]:
    """Exchange the code and check the ID token; the claims and the ID token (kept for logout)."""
    if request.GET.get("error"):
        raise IdentityError(
            _("Bạn đã không đồng ý chia sẻ thông tin định danh, hoặc hệ thống định danh từ chối yêu cầu."),
            code="identity_denied",
        )
    client = _client()
    issuer = settings.DVC_OIDC_ISSUER.rstrip("/")
    try:
        token = client.authorize_access_token(request, claims_options={"iss": {"essential": True, "value": issuer}})
    except requests.RequestException as exc:
        raise _unreachable() from exc
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError) as exc:
        logger.warning("identity token refused: %r", exc)
        raise IdentityError(
            _("Không xác minh được thông tin từ hệ thống định danh điện tử (mã đăng nhập sai, hết hạn hoặc bị sửa).")
            + " "
            + _("Vui lòng đăng nhập lại."),
            code="identity_invalid",
        ) from exc
    userinfo = token.get("userinfo")
    if not userinfo or "id_token" not in token:  # Authlib checks the ID token only when there is one: require it
        raise IdentityError(_("Hệ thống định danh không trả về thông tin xác thực. Vui lòng đăng nhập lại."))
    data = dict(userinfo)
    try:
        extra = client.userinfo(token=token)
    except (requests.RequestException, AuthlibBaseError, ValueError) as exc:
        raise _unreachable() from exc
    if extra.get("sub") != data.get("sub"):  # OIDC Core 5.3.2: the UserInfo answer must be about the same subject
        raise IdentityError(_("Thông tin định danh không nhất quán. Vui lòng đăng nhập lại."), code="identity_invalid")
    data.update({key: value for key, value in extra.items() if key not in data})
    return claims_of(data), str(token["id_token"])


def claims_of(data: dict[str, Any]) -> Claims:
    """Map the provider's claims (names from DVC_OIDC_CLAIMS) onto the account's fields."""
    names = settings.DVC_OIDC_CLAIMS
    tax_code = re.sub(r"[\s.-]", "", str(data.get(names["tax_code"]) or ""))
    id_number = tax_code or re.sub(r"\s", "", str(data.get(names["id_number"]) or ""))
    if not (_TAX_CODE if tax_code else _PERSON_NUMBER).match(id_number):
        raise IdentityError(
            _("Tài khoản định danh không có số định danh cá nhân hoặc mã số thuế hợp lệ."), code="identity_no_number"
        )
    try:
        level = int(str(data.get(names["level"]) or "1").rsplit(":", 1)[-1])
    except ValueError:
        level = 1
    birth = str(data.get(names["birth_date"]) or "")
    try:
        birth_date = dt.date.fromisoformat(birth) if birth else None
    except ValueError:
        birth_date = None
    address = data.get(names["address"]) or ""
    if isinstance(address, dict):  # OIDC Core 5.1.1: an address object
        address = address.get("formatted") or address.get("street_address") or ""
    try:
        phone = normalize_mobile_phone(str(data.get(names["phone"]) or ""))
    except ValidationError:
        phone = ""
    return Claims(
        id_number=id_number,
        full_name=" ".join(str(data.get(names["full_name"]) or "").split())[:255],
        birth_date=birth_date,
        sex=_SEX.get(str(data.get(names["sex"]) or "").strip().lower(), ""),
        phone=phone,
        address=str(address)[:255],
        level=level,
        kind=User.Kind.ORGANIZATION if tax_code else User.Kind.CITIZEN,
        raw=data,
    )


def differences(user: User, claims: Claims) -> list[tuple[str, str, str]]:
    """(label, on the account, verified) for each identity field the account has otherwise than the claims."""
    found = []
    labels = {"full_name": _("Họ và tên"), "birth_date": _("Ngày sinh"), "sex": _("Giới tính")}
    for name, label in labels.items():
        verified, local = getattr(claims, name), getattr(user, name)
        if verified and local and _comparable(local) != _comparable(verified):
            found.append((label, _shown(name, local), _shown(name, verified)))
    return found


def needs_confirmation(user: User, claims: Claims) -> bool:
    """A confirmed account that says otherwise than the verified identity (an unconfirmed one is simply taken)."""
    return not unclaimed(user) and claims.verified and bool(differences(user, claims))


def _comparable(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _shown(name: str, value: Any) -> str:
    if name == "birth_date":
        return f"{value:%d/%m/%Y}"
    if name == "sex":
        return str(User.Sex(value).label)
    return str(value)


def account_for(claims: Claims, *, signed_in: User | None = None) -> User | None:
    """The account these claims sign in to (``None``: a new one will be made); refuses another person's."""
    if signed_in is not None and signed_in.id_number != claims.id_number:
        raise IdentityError(
            _(
                "Tài khoản định danh điện tử vừa xác thực mang số định danh khác với tài khoản đang đăng nhập. "
                "Hai tài khoản không được liên kết."
            ),
            code="identity_other_person",
        )
    user = User.objects.filter(id_number=claims.id_number).first()
    if user is not None and not user.is_active and not unclaimed(user):
        raise IdentityError(
            _("Tài khoản đã bị khoá. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ."), code="account_disabled"
        )
    return user


def unclaimed(user: User) -> bool:
    """A registration never confirmed, or an account made at the counter and not yet claimed: never signed in,
    no confirmed phone, no staff role. Anything else inactive was switched off on purpose and stays off."""
    return (
        not user.is_active
        and user.phone_verified_at is None
        and user.last_login is None
        and not (user.is_staff or user.is_superuser)
        and not user.staff_roles.exists()
    )


@transaction.atomic
def identity_sign_in(claims: Claims, *, confirmed: bool = False) -> User:
    """Sign in to (or make) the account of ``claims.id_number``; with differences, only once ``confirmed``."""
    user = User.objects.select_for_update().filter(id_number=claims.id_number).first()
    now = timezone.now()
    if user is None:
        user = User(id_number=claims.id_number, kind=claims.kind, date_joined=now)
        user.set_unusable_password()  # signs in with the identity; a password can be set from the profile page
    elif unclaimed(user):
        # Whoever started it, the holder of this number takes it: nothing the stranger typed is kept.
        user.set_unusable_password()
        user.phone, user.email, user.address_line = "", "", ""
        user.full_name, user.birth_date, user.sex = claims.full_name, claims.birth_date, claims.sex
        user.province, user.commune = None, None
        AccountClaim.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    elif not user.is_active:
        raise IdentityError(
            _("Tài khoản đã bị khoá. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ."), code="account_disabled"
        )
    elif needs_confirmation(user, claims) and not confirmed:
        raise IdentityError(_("Thông tin trên tài khoản khác với thông tin định danh."), code="identity_differs")
    if claims.verified:
        for name in VERIFIED_FIELDS[1:]:
            if getattr(claims, name):
                setattr(user, name, getattr(claims, name))
        user.identity_verified_at = now
    else:
        for name in VERIFIED_FIELDS[1:]:
            if getattr(claims, name) and not getattr(user, name):
                setattr(user, name, getattr(claims, name))
    if claims.phone and not user.phone:
        user.phone, user.phone_verified_at = claims.phone, now
    if claims.address and not user.address_line:
        user.address_line = claims.address
    if not user.full_name:
        user.full_name = claims.full_name or claims.id_number
    user.is_active = True
    user.last_login = now
    user.save()
    return user


def logout_url(id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), or ``None`` when it has none."""
    try:
        metadata = _client().load_server_metadata()
    except (requests.RequestException, AuthlibBaseError, ValueError):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    result = _client().create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token)
    return str(result["url"])
