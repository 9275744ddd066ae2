"""Language selection (Vietnamese unless the person chose another language), no caching of personal pages, and
the page shown while the database is unavailable."""

import time
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from dvc import db_router
from dvc.errors import OBJECT_STORE_ERRORS


class ChosenLanguageMiddleware:
    """Use the language cookie set by the footer switch, and only that.

    Many citizens' phones are set to English while they read Vietnamese best, so the browser's
    Accept-Language is not followed: the portal speaks Vietnamese until someone picks English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.allowed:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RequestSizeMiddleware:
    """A body larger than ``DVC_MAX_REQUEST_BYTES`` (by its declared length) answers 413 before it is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.DVC_MAX_REQUEST_BYTES:
            limit = settings.DVC_MAX_REQUEST_BYTES // (1024 * 1024)
            message = translation.gettext("Dữ liệu gửi lên quá lớn (tối đa %(n)d MB).") % {"n": limit}
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "http_413", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every answer to a signed-in person carries their data: no browser or proxy keeps it (``private, no-store``),
    unless the view said otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response["Cache-Control"] = "private, no-store"
        return response


class DatabaseUnavailableMiddleware:
    """A database restarting or failing over (or an object store that does not answer) answers 503 with a plain
    page and Retry-After, not a 500.

    The page is standalone: rendering the site's layout would ask the database for the session again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, *OBJECT_STORE_ERRORS)):
            return None
        # A database's failure (perhaps the replica's) is retried on the primary; an object store's is not.
        request.database_failed = isinstance(exception, OperationalError)  # type: ignore[attr-defined]
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response


class NulCharacterMiddleware:
    """A NUL character in an address's query or a form value is never meant, and PostgreSQL text cannot hold it (a
    500): it is taken out before any view sees the value, as the forms already take out other control characters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponse(_("Địa chỉ không hợp lệ."), status=400, content_type="text/plain; charset=utf-8")
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # immutable again once cleaned
        form = ("application/x-www-form-urlencoded", "multipart/form-data")
        if request.method == "POST" and request.content_type in form and _has_nul(request.POST):
            request.POST = _without_nul(request.POST)  # type: ignore[assignment]
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def _without_nul(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


class ReplicaReadsMiddleware:
    """Marks the public read-only requests that may read the replica (``dvc.db_router``), keeps a client that just
    wrote on the primary, and answers again from the primary a request the replica failed (the page's or the API's
    handler of an unavailable database flags the request)."""

    PATHS = (
        "/thu-tuc/", "/co-quan/", "/thong-ke/", "/api/v1/procedures", "/api/v1/sectors", "/api/v1/life-events",
        "/api/v1/admin-units", "/api/v1/agencies", "/api/v1/stats",
    )  # fmt: skip

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response = self.get_response(request)
            if db_router.replica_configured():  # even while this process leaves it alone: others may read it
                until = int(time.time()) + db_router.PRIMARY_AFTER_WRITE
                response.set_cookie(
                    db_router.COOKIE, str(until), max_age=db_router.PRIMARY_AFTER_WRITE, secure=request.is_secure(),
                    httponly=True, samesite="Lax",
                )  # fmt: skip
            return response
        replica = self._replica_may_answer(request)
        with db_router.reads_from(replica):
            response = self.get_response(request)
        if replica and getattr(request, "database_failed", False):
            # A database did not answer (the page or the API said 503): if it was the replica, leave it alone a
            # while; either way answer again from the primary.
            if not db_router.replica_answers():
                db_router.replica_failed()
            request.database_failed = False  # type: ignore[attr-defined]
            with db_router.reads_from(False):
                response = self.get_response(request)
        return response

    def _replica_may_answer(self, request: HttpRequest) -> bool:
        if not request.path.startswith(self.PATHS) or not db_router.replica_available():
            return False
        until = request.COOKIES.get(db_router.COOKIE, "")
        return not (until.isdigit() and int(until) > time.time())
