"""The REST API at /api/v1 (django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

This module only mounts the apps' routers and maps errors; authentication is ``dvc.accounts.auth``.

Every error, from a domain rule to a malformed JSON body, answers ``{"code", "message"}`` with a Vietnamese
message (and ``errors`` by field where there are some); bad input never reaches a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dvc.accounts.api import router as accounts_router
from dvc.agencies.api import router as agencies_router
from dvc.catalog.api import router as catalog_router
from dvc.dossiers.backoffice.api import router as backoffice_router
from dvc.dossiers.citizen.api import router as dossiers_router
from dvc.errors import DomainError, InvalidInput
from dvc.payments.api import router as payments_router
from dvc.stats.api import router as stats_router

logger = logging.getLogger(__name__)


api = NinjaAPI(
    title="DVC — Cổng Dịch vụ công",
    version="1",
    description='API của Cổng Dịch vụ công: danh mục, hồ sơ, tài khoản. Lỗi trả về dạng {"code", "message"}.',
    urls_namespace="api",
)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput) and exc.errors:
        extra["errors"] = exc.errors
    elif exc.field:
        extra["errors"] = {exc.field: [str(exc.message)]}
    response = api.create_response(request, error_body(exc.code, str(exc.message), **extra), status=exc.http_status)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        field = _field_name(tuple(item.get("loc", ())))
        kind = str(item.get("type", ""))
        if kind == "missing":
            text = _("Thông tin bắt buộc.")
        elif kind.startswith("json") or field == "__all__":
            text = _("Nội dung gửi lên không phải JSON hợp lệ.")
        else:
            text = _("Giá trị không đúng kiểu dữ liệu.")
        errors.setdefault(field, []).append(text)
    body = error_body("invalid_input", _("Thông tin chưa hợp lệ, vui lòng kiểm tra lại."), errors=errors)
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body("unauthenticated", _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."))
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Không tìm thấy dữ liệu yêu cầu.")), status=404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        400: _("Yêu cầu không hợp lệ."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        405: _("Phương thức không được hỗ trợ."),
        413: _("Dữ liệu gửi lên quá lớn."),
        429: _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau."),
    }
    message = messages.get(exc.status_code, _("Yêu cầu không hợp lệ."))
    return api.create_response(request, error_body(f"http_{exc.status_code}", message), status=exc.status_code)


@api.exception_handler(OperationalError)
@api.exception_handler(BotoCoreError)  # the object store (DVC_S3_BUCKET), see OBJECT_STORE_ERRORS
@api.exception_handler(ClientError)
def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database restarting or failing over, or the object store not answering: nothing was done, say so and
    when to try again."""
    logger.warning("database or object store unavailable on %s %s: %s", request.method, request.path, exc)
    body = error_body(
        "unavailable", _("Hệ thống đang bận hoặc bảo trì. Chưa có gì thay đổi; vui lòng thử lại sau ít giây.")
    )
    response = api.create_response(request, body, status=503)
    response["Retry-After"] = "5"
    return response


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error on %s %s", request.method, request.path)
    body = error_body("server_error", _("Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."))
    return api.create_response(request, body, status=500)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """JSON 404 for any path under /api/v1 that no route matches."""
    return api.create_response(request, error_body("not_found", _("Không có địa chỉ API này.")), status=404)


api.add_router("/", accounts_router)
api.add_router("/", agencies_router)
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", backoffice_router)
api.add_router("/", payments_router)
api.add_router("/", stats_router)
