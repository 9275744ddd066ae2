"""Domain errors: exceptions with a stable code and a Vietnamese message.

Services raise them; ``dvc.api`` maps them to JSON ``{"code", "message"}`` and views map them to form or
page messages, each in one place, so a user never sees a traceback for bad input.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    http_status = 400
    default_message: str | Promise = _("Yêu cầu không hợp lệ.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        self.retry_after = retry_after
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """Input that breaks a rule; ``errors`` maps field names to messages."""

    code = "invalid_input"
    http_status = 422
    default_message = _("Thông tin chưa hợp lệ, vui lòng kiểm tra lại.")

    def __init__(self, errors: dict[str, list[str]] | None = None, message: str | Promise | None = None) -> None:
        every = [text for texts in (errors or {}).values() for text in texts]
        if message is None and len(every) == 1:
            message = every[0]  # one problem: say it, rather than the general sentence
        super().__init__(message)
        self.errors = errors or {}


# What an S3-compatible object store that does not answer, or refuses, raises through django-storages.
OBJECT_STORE_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)


class StorageUnavailable(InvalidInput):
    """The file store refused a write (full disk, lost mount): nothing was kept, the upload can be tried again."""

    code = "storage_unavailable"
    http_status = 503


class NotFound(DomainError):
    code = "not_found"
    http_status = 404
    default_message = _("Không tìm thấy dữ liệu yêu cầu.")


class Forbidden(DomainError):
    code = "forbidden"
    http_status = 403
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class Unauthenticated(DomainError):
    code = "unauthenticated"
    http_status = 401
    default_message = _("Vui lòng đăng nhập.")


class Conflict(DomainError):
    code = "conflict"
    http_status = 409
    default_message = _("Dữ liệu đã thay đổi, vui lòng tải lại trang và thử lại.")


class RateLimited(DomainError):
    code = "rate_limited"
    http_status = 429
    default_message = _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau.")


def add_to_form(form: Any, error: DomainError) -> None:
    """Show a domain error on a Django form: beside its field when it names one, else at the top."""
    if isinstance(error, InvalidInput) and error.errors:
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
