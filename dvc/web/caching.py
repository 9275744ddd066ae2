"""Public pages served from the cache to visitors who are not signed in.

On a rush day most requests are anonymous visitors opening the same few public pages: the home page, a catalog
search, a procedure, the statistics. Each of those pages is the same for every anonymous visitor in a language, so
the rendered body is kept in the cache (per process by default, shared through Redis in production) and the
middleware still adds every header to each answer.

A page is never cached for, nor served from the cache to, a request that carries a session or a message cookie
(someone signed in, or in the middle of signing in), nor kept when rendering it used the CSRF token or set a
cookie: such a page belongs to one visitor.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

MESSAGE_COOKIE = "messages"  # django.contrib.messages' cookie storage
log = logging.getLogger(__name__)


def _personal(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGE_COOKIE in request.COOKIES


def _key(request: HttpRequest, version: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"dvc:page:{get_language()}:{version}:{path}"


def anonymous_page_cache(
    timeout: int, version: Callable[[], object] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the view's page from the cache to anonymous visitors for ``timeout`` seconds.

    ``version`` names the data the page shows (the catalog's version, say): when it changes, the cached page is
    no longer used, whatever its age.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or _personal(request) or not settings.DVC_PAGE_CACHE:
                return view(request, *args, **kwargs)
            key = _key(request, str(version()) if version else "")
            try:
                kept = cache.get(key)
            except Exception:  # a cache that is down (Redis restarting) only costs the rendering
                log.warning("page cache unavailable", exc_info=True)
                return view(request, *args, **kwargs)
            if kept is not None:
                content, content_type = kept
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                try:
                    cache.set(key, (response.content, response["Content-Type"]), timeout)
                except Exception:  # as above
                    log.warning("page cache unavailable", exc_info=True)
            return response

        return wrapped

    return decorator
