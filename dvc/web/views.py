"""The home page, the portal's error pages and the liveness check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dvc.agencies import selectors
from dvc.catalog import selectors as catalog_selectors


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer or an orchestrator: the process answers. Touches neither the database nor the
    session, so it is also the server's ceiling in the load benchmark."""
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    from dvc.stats.selectors import Figures, Scope, figures

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
