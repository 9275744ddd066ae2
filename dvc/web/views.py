"""The home page, the portal's error pages and the liveness check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from dvc.agencies import selectors
from dvc.agencies.models import StaffRole
from dvc.catalog import selectors as catalog_selectors
from dvc.catalog.search_index import catalog_version
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.stats.selectors import Figures, Scope, figures
from dvc.web.caching import anonymous_page_cache


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer or an orchestrator: the process answers. Touches neither the database nor the
    session, so it is also the server's ceiling in the load benchmark."""
    return JsonResponse({"status": "ok"})


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The footer's language links: remember the choice in the language cookie and go back to the page.

    A plain link rather than a form, so that it works without JavaScript in one tap and public pages carry no
    per-visitor token (they can then be served from the cache). Changing the language changes nothing else.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    return response


@require_GET
@anonymous_page_cache(60, version=catalog_version)
def home(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    today = timezone.localdate()
    context = {
        "totals": figures(Scope(start=today.replace(month=1, day=1), end=today), monthly=True).get(None) or Figures(),
        "read_at": timezone.localtime(),
        "top_agencies": selectors.agencies()[:12],
        "life_events": catalog_selectors.life_events(),
        "filters": None,
    }
    return render(request, "web/home.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login door: the portal's login (password, then OTP). A signed-in person without access to the
    admin is told so, instead of being sent back and forth between the two."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    target = reverse("accounts:login")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{target}?{query}" if query else target)


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where a sign-in without a page to return to lands: a leader on what waits for their approval, an officer on
    their queue, a citizen on their dossiers."""
    roles = set().union(*staff_agencies(request.user).values())
    if StaffRole.Role.LEADER in roles:
        return HttpResponseRedirect(reverse("staff:queue") + "?hang=cho-duyet")
    if roles:
        return HttpResponseRedirect(reverse("staff:queue"))
    if request.user.is_staff:
        return HttpResponseRedirect(reverse("admin:index"))
    return HttpResponseRedirect(reverse("dossiers:mine"))
