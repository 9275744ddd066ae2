"""The REST API's one error shape: every error, from a domain rule to a malformed JSON body, answers
``{"code", "message"}`` with a Vietnamese message (and ``errors`` by field where there are some); bad input never
reaches a 500. ``install`` attaches these handlers to the API object."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dvc.errors import DomainError, InvalidInput

logger = logging.getLogger("dvc.api")


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


def on_domain_error(api: NinjaAPI, request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput) and exc.errors:
        extra["errors"] = exc.errors
    elif exc.field:
        extra["errors"] = {exc.field: [str(exc.message)]}
    response = api.create_response(request, error_body(exc.code, str(exc.message), **extra), status=exc.http_status)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


def on_validation_error(api: NinjaAPI, request: HttpRequest, exc: ValidationError) -> HttpResponse:
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


def on_auth_error(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body("unauthenticated", _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."))
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def on_not_found(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Không tìm thấy dữ liệu yêu cầu.")), status=404)


def on_http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        400: _("Yêu cầu không hợp lệ."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        405: _("Phương thức không được hỗ trợ."),
        413: _("Dữ liệu gửi lên quá lớn."),
        429: _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau."),
    }
    message = messages.get(exc.status_code, _("Yêu cầu không hợp lệ."))
    return api.create_response(request, error_body(f"http_{exc.status_code}", message), status=exc.status_code)


def on_database_unavailable(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database restarting or failing over, or the object store not answering: nothing was done, say so and
    when to try again."""
    logger.warning("database or object store unavailable on %s %s: %s", request.method, request.path, exc)
    # A database's failure (perhaps the replica's) is retried on the primary; an object store's is not.
    request.database_failed = isinstance(exc, OperationalError)  # type: ignore[attr-defined]
    body = error_body(
        "unavailable", _("Hệ thống đang bận hoặc bảo trì. Chưa có gì thay đổi; vui lòng thử lại sau ít giây.")
    )
    response = api.create_response(request, body, status=503)
    response["Retry-After"] = "5"
    return response


def on_unexpected(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error on %s %s", request.method, request.path)
    body = error_body("server_error", _("Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."))
    return api.create_response(request, body, status=500)


def install(api: NinjaAPI) -> None:
    """Map every error raised under ``api`` to the JSON error shape."""
    api.add_exception_handler(DomainError, partial(on_domain_error, api))
    api.add_exception_handler(ValidationError, partial(on_validation_error, api))
    api.add_exception_handler(AuthenticationError, partial(on_auth_error, api))
    api.add_exception_handler(Http404, partial(on_not_found, api))
    api.add_exception_handler(HttpError, partial(on_http_error, api))
    # The database restarting, or the object store (DVC_S3_BUCKET, see OBJECT_STORE_ERRORS) not answering.
    for unavailable in (OperationalError, BotoCoreError, ClientError):
        api.add_exception_handler(unavailable, partial(on_database_unavailable, api))
    api.add_exception_handler(Exception, partial(on_unexpected, api))
