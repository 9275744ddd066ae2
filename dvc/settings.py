"""The one settings module of DVC.

Everything is read from environment variables (see README "Configuration"). ``DVC_ENV``, required, chooses between
``development`` (the explicit defaults ``make run`` and the tests use: SQLite, file outboxes, a generated
secret key) and ``production`` (secrets and hosts are required, cookies are secure, nothing is guessed).
"""

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dvc.env import databases, env_bool, env_int, env_list, env_str, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DVC_VAR_DIR", str(BASE_DIR / "var")))

# No default: a start that does not say which would run with the development secrets (the sandbox payment key,
# the development CA trusted for signatures, DEBUG). `make run` and the test command set it explicitly.
DVC_ENV = env_str("DVC_ENV", "")
if DVC_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        "DVC_ENV must be set to 'development' (make run, the tests) or 'production' (see docs/production.md); "
        f"it is {DVC_ENV!r}."
    )
PRODUCTION = DVC_ENV == "production"

DEBUG = env_bool("DVC_DEBUG", not PRODUCTION)


def _development_secret_key() -> str:
    """A random key kept under var/ so development sessions survive restarts; never used in production."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("DVC_SECRET_KEY") if PRODUCTION else env_str("DVC_SECRET_KEY", "") or _development_secret_key()

ALLOWED_HOSTS = env_list("DVC_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DVC_ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("DVC_CSRF_TRUSTED_ORIGINS", [])

# Public address used in messages and printed by `make run`.
SITE_URL = env_str("DVC_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django_prometheus",
    "dvc.web",
    "dvc.accounts",
    "dvc.agencies",
    "dvc.notify",
    "dvc.catalog",
    "dvc.vault",
    "dvc.dossiers",
    "dvc.payments",
    "dvc.stats",
    "dvc.feedback",
    "dvc.exchange",
    "dvc.jobs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "captcha",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "dvc.web.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dvc.web.middleware.RequestSizeMiddleware",
    # Pages compressed for slow networks (Django pads compressed pages against BREACH); static files come
    # pre-compressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dvc.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dvc.web.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dvc.web.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "dvc.web.middleware.DatabaseUnavailableMiddleware",
    "dvc.web.middleware.ReplicaReadsMiddleware",  # inside the one above: a replica's 503 is answered from the primary
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "dvc.urls"
WSGI_APPLICATION = "dvc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dvc.web.context_processors.portal",
            ],
        },
    },
]

FORM_RENDERER = "dvc.web.form_renderer.FormRenderer"  # plain widgets without a template each (issue 20)

# Database: SQLite under var/ by default; DATABASE_URL selects PostgreSQL, DVC_DATABASE_REPLICA_URL a streaming
# replica that serves the public reads (catalog, agencies, statistics; dvc.db_router, docs/production.md).
DATABASE_URL = env_str("DATABASE_URL", "")
DATABASES = databases(
    url=DATABASE_URL, replica_url=env_str("DVC_DATABASE_REPLICA_URL", ""), sqlite_path=str(VAR_DIR / "dvc.sqlite3"),
    conn_max_age=env_int("DVC_DB_CONN_MAX_AGE", 60),
)  # fmt: skip
DATABASE_ROUTERS = ["dvc.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cached public pages (dvc.web.caching). Each process keeps its own by default; with several web processes or nodes,
# DVC_CACHE_URL=redis://host:6379/0 shares one Redis (docs/production.md). A cache that fails is skipped, not fatal.
CACHE_URL = env_str("DVC_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("DVC_CACHE_PREFIX", "dvc"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dvc",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# The header and footer every visitor sees, rendered once per process (base.html); they depend on settings only.
CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
DVC_PAGE_CACHE = env_bool("DVC_PAGE_CACHE", True)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
# After signing in without a page to return to: by role (dvc.web.views.landing).
LOGIN_REDIRECT_URL = "web:landing"
LOGOUT_REDIRECT_URL = "web:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dvc.accounts.validators.PasswordComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Media files (papers, signed forms, results, receipts) in an S3-compatible object store instead of
# DVC_VAR_DIR/media: required with several web nodes unless the folder is shared. Objects stay private; every
# download still goes through the portal's checks (docs/production.md, section 4).
S3_BUCKET = env_str("DVC_S3_BUCKET", "")
if S3_BUCKET:
    from botocore.config import Config as BotoConfig

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("DVC_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("DVC_S3_REGION", "") or None,
            "access_key": env_str("DVC_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("DVC_S3_SECRET_KEY", "") or None,
            "location": env_str("DVC_S3_PREFIX", "media"),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,  # no public address for any object, should one ever be asked for
            "file_overwrite": False,  # a second upload under the same name gets a new name, as on disk
            "addressing_style": env_str("DVC_S3_ADDRESSING", "path"),  # MinIO and most on-premises stores
            "signature_version": "s3v4",
            # A store that does not answer fails the request in seconds (the citizen is told to retry), not minutes.
            "client_config": BotoConfig(
                connect_timeout=3, read_timeout=30, retries={"mode": "standard", "max_attempts": 3}
            ),
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic fills it in production

# Sessions expire after a period without activity (idle expiry) and when the browser closes.
SESSION_COOKIE_AGE = env_int("DVC_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("DVC_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DVC_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("DVC_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
# Ask browsers to know the site is HTTPS-only before the first visit (hstspreload.org); turn off for a domain
# whose subdomains are not all on HTTPS yet.
SECURE_HSTS_PRELOAD = env_bool("DVC_HSTS_PRELOAD", PRODUCTION)
if env_bool("DVC_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of trusted reverse proxies in front of the app; the client IP is read from X-Forwarded-For only then.
DVC_TRUSTED_PROXIES = env_int("DVC_TRUSTED_PROXIES", 0)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Who runs the portal, said in its header and footer and in the privacy notice (issue 16, part 10; Luật 91/2025/QH15
# Điều 13: the data subject is told who the controller is and how to reach it). Required in production.
DVC_PORTAL_NAME = env_str("DVC_PORTAL_NAME", "Cổng Dịch vụ công")
DVC_MANAGING_AGENCY = env_str("DVC_MANAGING_AGENCY", "" if PRODUCTION else "Bản chạy thử của phần mềm DVC")
DVC_OPERATOR = env_str("DVC_OPERATOR", "" if PRODUCTION else "Nhóm phát triển phần mềm nguồn mở DVC")
DVC_OPERATOR_ADDRESS = env_str("DVC_OPERATOR_ADDRESS", "")
DVC_HOTLINE = env_str("DVC_HOTLINE", "" if PRODUCTION else "1900 0000")
DVC_CONTACT_EMAIL = env_str("DVC_CONTACT_EMAIL", "" if PRODUCTION else "hotro@dvc.example")
DVC_DATA_PROTECTION_EMAIL = env_str("DVC_DATA_PROTECTION_EMAIL", DVC_CONTACT_EMAIL)
if PRODUCTION and not (DVC_MANAGING_AGENCY and DVC_OPERATOR and DVC_HOTLINE and DVC_CONTACT_EMAIL):
    raise ImproperlyConfigured(
        "DVC_MANAGING_AGENCY, DVC_OPERATOR, DVC_HOTLINE and DVC_CONTACT_EMAIL are required in production: citizens "
        "must see who runs the portal and how to reach them."
    )

# Postal operators that carry results by post (QĐ 45/2016/QĐ-TTg: the public postal service), each with the page
# where a parcel is tracked, "{number}" replaced by its tracking number. JSON in DVC_POSTAL_OPERATORS overrides it:
# {"code": {"name": "…", "tracking_url": "https://…{number}"}}; the first is the default.
DVC_POSTAL_OPERATORS: dict[str, dict[str, str]] = json.loads(
    env_str(
        "DVC_POSTAL_OPERATORS",
        '{"vnpost": {"name": "Bưu điện Việt Nam (VNPost)", '
        '"tracking_url": "https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key={number}"}}',
    )
)

# Files the portal writes in development: the outbox of SMS and e-mails, uploaded files.
OUTBOX_DIR = Path(env_str("DVC_OUTBOX_DIR", str(VAR_DIR / "outbox")))

# E-mail: Django's file backend into var/outbox/ by default; "smtp" sends through EMAIL_HOST.
DVC_EMAIL_BACKEND = env_str("DVC_EMAIL_BACKEND", "file")
EMAIL_BACKEND = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}[DVC_EMAIL_BACKEND]
EMAIL_FILE_PATH = OUTBOX_DIR
EMAIL_HOST = env_str("DVC_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DVC_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DVC_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DVC_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DVC_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DVC_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DVC_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DVC_EMAIL_FROM", "Cổng Dịch vụ công <no-reply@dvc.localhost>")

# SMS: "file" writes one JSON file per message into var/outbox/; "http" posts to an SMS gateway.
DVC_SMS_BACKEND = env_str("DVC_SMS_BACKEND", "file")
DVC_SMS_HTTP_URL = env_str("DVC_SMS_HTTP_URL", "")
DVC_SMS_HTTP_TOKEN = env_str("DVC_SMS_HTTP_TOKEN", "")
DVC_SMS_HTTP_TIMEOUT = env_int("DVC_SMS_HTTP_TIMEOUT", 10)
DVC_SMS_SENDER = env_str("DVC_SMS_SENDER", "DVC")
if DVC_SMS_BACKEND == "http" and not DVC_SMS_HTTP_URL:
    raise ImproperlyConfigured("DVC_SMS_HTTP_URL is required when DVC_SMS_BACKEND=http.")
# Delivery attempts before a message is marked failed, and the first retry delay (doubled each time).
DVC_NOTIFY_MAX_ATTEMPTS = env_int("DVC_NOTIFY_MAX_ATTEMPTS", 5)
DVC_NOTIFY_RETRY_SECONDS = env_int("DVC_NOTIFY_RETRY_SECONDS", 30)

# Digital signatures: PEM files of the trusted roots (national root CA, licensed signing services). The development
# CA under var/pki (which backs the built-in remote-signing provider) is trusted only outside production by default.
DVC_TRUST_ROOTS = env_list("DVC_TRUST_ROOTS", [])
DVC_TRUST_DEV_CA = env_bool("DVC_TRUST_DEV_CA", not PRODUCTION)

# "Mã kiểm tra" (captcha) on the anonymous pages only: lookup by CCCD and paying by dossier code. A citizen signed in
# with password and OTP sends a dossier without one (issue 16).
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_IMAGE_SIZE = (140, 50)
# The question in words (the image's alternative) per client and for the whole portal, per hour.
DVC_CAPTCHA_QUESTIONS_PER_CLIENT = env_int("DVC_CAPTCHA_QUESTIONS_PER_CLIENT", 10)
DVC_CAPTCHA_QUESTIONS = env_int("DVC_CAPTCHA_QUESTIONS", 300)
# Uploads: the largest a requirement may allow, plus room for the form around it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Whole request bodies above this are refused before they are read (the largest upload is 20 MB).
DVC_MAX_REQUEST_BYTES = env_int("DVC_MAX_REQUEST_BYTES", 30 * 1024 * 1024)
# Files the portal writes (uploads, generated documents, the SQLite database) are readable by its own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
os.umask(0o077)
# The public verification page compares an uploaded PDF with the original: that much parsing per client is limited.
DVC_VERIFY_UPLOADS_PER_CLIENT = env_int("DVC_VERIFY_UPLOADS_PER_CLIENT", 20)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The agencies' signing certificates for result documents: <agency code>.p12 files in this folder. Outside production
# an agency without one is given a development certificate under var/pki/agencies.
DVC_SIGNING_PKCS12_DIR = env_str("DVC_SIGNING_PKCS12_DIR", "")
DVC_SIGNING_PKCS12_PASSWORD = env_str("DVC_SIGNING_PKCS12_PASSWORD", "")

# Online payment, VNPay protocol 2.1.0. Empty URLs mean the built-in sandbox gateway of this portal; in production
# set VNPay's payment and transaction-API addresses, the terminal code and the secret VNPay issued.
DVC_VNPAY_PAY_URL = env_str("DVC_VNPAY_PAY_URL", "")
DVC_VNPAY_API_URL = env_str("DVC_VNPAY_API_URL", "")
DVC_VNPAY_TMN_CODE = env_str("DVC_VNPAY_TMN_CODE", "DVCSANDB")
DVC_VNPAY_HASH_SECRET = env_str("DVC_VNPAY_HASH_SECRET", "" if PRODUCTION else "DVC-SANDBOX-SECRET-NOT-FOR-PRODUCTION")
if PRODUCTION and not (DVC_VNPAY_PAY_URL and DVC_VNPAY_API_URL and DVC_VNPAY_HASH_SECRET):
    # The built-in sandbox accepts any "payment": it must never stand in for the gateway in production.
    raise ImproperlyConfigured(
        "DVC_VNPAY_PAY_URL, DVC_VNPAY_API_URL and DVC_VNPAY_HASH_SECRET are required in production."
    )
DVC_PAYMENT_SANDBOX = not PRODUCTION and not DVC_VNPAY_PAY_URL
# Each agency collects its own fees (NĐ 11/2020/NĐ-CP: fees go to the collecting body's account): its own VNPay
# terminal, as JSON {"<agency code>": {"tmn_code": "…", "hash_secret": "…"}}; an agency not listed uses the one above.
try:
    DVC_VNPAY_TERMINALS: dict[str, dict[str, str]] = json.loads(env_str("DVC_VNPAY_TERMINALS", "") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured("DVC_VNPAY_TERMINALS must be a JSON object.") from exc
if not isinstance(DVC_VNPAY_TERMINALS, dict) or not all(
    isinstance(t, dict) and t.get("tmn_code") and t.get("hash_secret") for t in DVC_VNPAY_TERMINALS.values()
):
    raise ImproperlyConfigured('DVC_VNPAY_TERMINALS: each agency needs {"tmn_code": …, "hash_secret": …}.')

# National electronic identity (NĐ 69/2024/NĐ-CP): OpenID Connect, authorization code flow with PKCE. Without an
# issuer, outside production, the portal's own development provider at /dinh-danh-thu-nghiem/ answers; in
# production set the provider's issuer (its discovery document is read from there) and this portal's client.
_OIDC_ISSUER = env_str("DVC_OIDC_ISSUER", "")
DVC_IDP_SANDBOX = not PRODUCTION and not _OIDC_ISSUER
DVC_OIDC_ISSUER = _OIDC_ISSUER or ("" if PRODUCTION else f"{SITE_URL.rstrip('/')}/dinh-danh-thu-nghiem")
DVC_OIDC_CLIENT_ID = env_str("DVC_OIDC_CLIENT_ID", "dvc-portal" if DVC_IDP_SANDBOX else "")
DVC_OIDC_CLIENT_SECRET = env_str("DVC_OIDC_CLIENT_SECRET", "dvc-sandbox-secret" if DVC_IDP_SANDBOX else "")
# A PEM private key file instead of the secret: the client authenticates with a signed JWT (private_key_jwt).
DVC_OIDC_PRIVATE_KEY = env_str("DVC_OIDC_PRIVATE_KEY", "")
DVC_OIDC_SCOPES = env_str("DVC_OIDC_SCOPES", "openid profile phone address")
# The provider's claim names for what the account keeps (DVC_OIDC_CLAIM_<FIELD>, e.g. DVC_OIDC_CLAIM_ID_NUMBER=cccd).
DVC_OIDC_CLAIMS = {
    field: env_str(f"DVC_OIDC_CLAIM_{field.upper()}", default)
    for field, default in {
        "id_number": "sub",
        "full_name": "name",
        "birth_date": "birthdate",
        "sex": "gender",
        "phone": "phone_number",
        "address": "address",
        "level": "identity_level",
        "tax_code": "tax_code",
    }.items()
}
if PRODUCTION and DVC_OIDC_ISSUER and not (DVC_OIDC_CLIENT_ID and (DVC_OIDC_CLIENT_SECRET or DVC_OIDC_PRIVATE_KEY)):
    raise ImproperlyConfigured("DVC_OIDC_CLIENT_ID and DVC_OIDC_CLIENT_SECRET (or DVC_OIDC_PRIVATE_KEY) are required.")
# Remote signing through the Cloud Signature Consortium API (pyHanko's CSC signer): the licensed providers, as JSON
# [{"name": "vnpt", "label": "VNPT SmartCA", "url": "https://…", "token": "…", "api_ver": "v1"}] (url: the part
# before /csc/<version>/; token: the portal's OAuth bearer token at the provider). Outside production, without any,
# the portal's own CSC sandbox at /ky-so-thu-nghiem/ (certificates from the development CA, SMS OTP) is the default.
try:
    DVC_CSC_PROVIDERS: list[dict[str, str]] = json.loads(env_str("DVC_CSC_PROVIDERS", "") or "[]")
except ValueError as exc:
    raise ImproperlyConfigured("DVC_CSC_PROVIDERS must be a JSON list of providers.") from exc
if not isinstance(DVC_CSC_PROVIDERS, list) or not all(
    isinstance(p, dict) and p.get("name") and (p.get("url") or not PRODUCTION) for p in DVC_CSC_PROVIDERS
):
    raise ImproperlyConfigured('DVC_CSC_PROVIDERS: each provider needs at least {"name": …, "url": …}.')
DVC_CSC_SANDBOX = not PRODUCTION and not DVC_CSC_PROVIDERS
if DVC_CSC_SANDBOX:
    DVC_CSC_PROVIDERS = [{"name": "sandbox", "label": "Ký số từ xa thử nghiệm", "url": "", "token": "dvc-csc-sandbox"}]

# The exchange with agencies outside this portal: every setting is explained in docs/exchange.md.
DVC_EXCHANGE_ID = env_str("DVC_EXCHANGE_ID", "dvc.cong-dich-vu-cong")
DVC_EXCHANGE_KEY_FILE = env_str("DVC_EXCHANGE_KEY_FILE", "" if PRODUCTION else str(VAR_DIR / "exchange/portal.key"))
DVC_EXCHANGE_URL = env_str("DVC_EXCHANGE_URL", "")
DVC_EXCHANGE_SANDBOX = not PRODUCTION and not DVC_EXCHANGE_URL
DVC_EXCHANGE_ADAPTER = env_str("DVC_EXCHANGE_ADAPTER", "http")
DVC_EXCHANGE_OUTBOX = Path(env_str("DVC_EXCHANGE_OUTBOX", str(VAR_DIR / "exchange" / "outbox")))
DVC_EXCHANGE_PEERS: dict[str, str] = json.loads(env_str("DVC_EXCHANGE_PEERS", "") or "{}")
if DVC_EXCHANGE_ADAPTER not in ("http", "file") or not isinstance(DVC_EXCHANGE_PEERS, dict):
    raise ImproperlyConfigured('DVC_EXCHANGE_ADAPTER is "http" or "file"; DVC_EXCHANGE_PEERS a JSON object.')
DVC_EXCHANGE_FILE_HOSTS = env_list("DVC_EXCHANGE_FILE_HOSTS", [])
DVC_EXCHANGE_MAX_AGE_DAYS = env_int("DVC_EXCHANGE_MAX_AGE_DAYS", 7)
DVC_EXCHANGE_MAX_ATTEMPTS = env_int("DVC_EXCHANGE_MAX_ATTEMPTS", 12)
DVC_EXCHANGE_RETRY_SECONDS = env_int("DVC_EXCHANGE_RETRY_SECONDS", 30)

# Where an API client may be sent back after the identity login (outside production also loopback, RFC 8252).
DVC_API_REDIRECT_URIS = env_list("DVC_API_REDIRECT_URIS", [])
# The result-ready e-mail carries the signed result when it is no larger than this (else only its download link).
DVC_EMAIL_ATTACH_MAX_BYTES = env_int("DVC_EMAIL_ATTACH_MAX_MB", 5) << 20

# Public postal service (bưu chính công ích, QĐ 45/2016/QĐ-TTg): the post office's price for collecting the papers
# at home and for delivering the result, in đồng, as published by the province's post office. Shown beside the
# choice and added to the dossier's fees.
DVC_POSTAL_FEE_PICKUP = env_int("DVC_POSTAL_FEE_PICKUP", 22000)
DVC_POSTAL_FEE_DELIVERY = env_int("DVC_POSTAL_FEE_DELIVERY", 22000)

# One-time passwords and login limits (issue: OTP and login limits).
DVC_OTP_TTL_SECONDS = 5 * 60
DVC_OTP_MAX_ATTEMPTS = 5
DVC_OTP_RESEND_COOLDOWN_SECONDS = 60
DVC_OTP_MAX_SENDS_PER_HOUR = env_int("DVC_OTP_MAX_SENDS_PER_HOUR", 5)
DVC_OTP_MAX_REQUESTS_PER_IP_HOUR = env_int("DVC_OTP_MAX_REQUESTS_PER_IP_HOUR", 30)
# Public lookup by dossier code: codes are sequential per agency and day, so lookups are counted per client (10
# minutes) and per agency-and-day prefix (an hour) to stop enumeration.
DVC_LOOKUP_PER_CLIENT = env_int("DVC_LOOKUP_PER_CLIENT", 30)
DVC_LOOKUP_PER_PREFIX = env_int("DVC_LOOKUP_PER_PREFIX", 300)
DVC_LOGIN_MAX_FAILURES = env_int("DVC_LOGIN_MAX_FAILURES", 5)
DVC_LOGIN_LOCKOUT_MINUTES = env_int("DVC_LOGIN_LOCKOUT_MINUTES", 15)
# Per client address, across id numbers: high, so that a shared address (a commune office, a mobile carrier's NAT)
# is not locked by one person's mistakes.
DVC_LOGIN_MAX_FAILURES_PER_IP = env_int("DVC_LOGIN_MAX_FAILURES_PER_IP", 200)
# Per id number, across addresses: past this, each guess waits (1 minute, doubling up to the lockout).
DVC_LOGIN_MAX_FAILURES_PER_ID = env_int("DVC_LOGIN_MAX_FAILURES_PER_ID", 20)
DVC_API_TOKEN_IDLE_MINUTES = env_int("DVC_API_TOKEN_IDLE_MINUTES", 30)
DVC_API_TOKEN_MAX_HOURS = env_int("DVC_API_TOKEN_MAX_HOURS", 12)

# Logs carry the request id (DVC_LOG_FORMAT=json: JSON lines); /metrics needs DVC_METRICS_TOKEN (issue 20).
LOGGING = logging_config(level=env_str("DVC_LOG_LEVEL", "INFO"), json_lines=env_str("DVC_LOG_FORMAT", "") == "json")
DVC_METRICS_TOKEN = env_str("DVC_METRICS_TOKEN", "")
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")  # gunicorn workers' metrics files, summed
CSRF_FAILURE_VIEW = "dvc.web.views.csrf_failure"
