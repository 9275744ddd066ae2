"""The public statistics page: figures per agency for a scope and period, a chart drawn on the server as SVG
beside the same numbers in a table, and the time the figures were read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from dvc.agencies.models import AdminUnit, Agency
from dvc.catalog.models import Procedure, Sector
from dvc.stats.selectors import Figures, Scope, figures


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def scope_from(params: Any) -> Scope:
    today = timezone.localdate()
    start = _date(params.get("tu_ngay")) or today.replace(month=1, day=1)
    end = _date(params.get("den_ngay")) or today
    level = params.get("cap", "")
    service_level = params.get("muc_do", "")
    return Scope(
        province=str(params.get("tinh", ""))[:8],
        agency=str(params.get("co_quan", ""))[:32],
        procedure=str(params.get("thu_tuc", ""))[:32],
        sector=str(params.get("linh_vuc", ""))[:64],
        level=level if level in Procedure.Level.values else "",
        service_level=service_level if service_level in Procedure.ServiceLevel.values else "",
        start=min(start, end),
        end=max(start, end),
    )


@dataclass(frozen=True)
class Bar:
    """One agency's row of the chart: widths in percent of the widest bar."""

    label: str
    early: float
    on_time: float
    late: float
    y: int
    figures: Figures

    @property
    def late_x(self) -> float:
        return self.early + self.on_time


def bars(rows: list[tuple[str, Figures]], height: int = 26) -> list[Bar]:
    widest = max((f.processed for _label, f in rows), default=0) or 1
    return [
        Bar(label, 100 * f.early / widest, 100 * f.on_time / widest, 100 * f.late / widest, i * height, f)
        for i, (label, f) in enumerate(rows)
    ]


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    scope = scope_from(request.GET)
    totals = figures(scope).get(None) or Figures()
    per_agency = figures(scope, group_by="agency")
    names = dict(Agency.objects.filter(pk__in=[k for k in per_agency if k]).values_list("pk", "name"))
    rows = sorted(((names.get(k, "?"), f) for k, f in per_agency.items() if k), key=lambda r: -r[1].received)[:40]
    chart = bars(rows)
    return render(
        request,
        "stats/public.html",
        {
            "scope": scope,
            "totals": totals,
            "rows": rows,
            "chart": chart,
            "chart_height": max(len(chart), 1) * 26,
            "provinces": AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, effective_to__isnull=True).order_by(
                "name"
            ),
            "sectors": Sector.objects.order_by("name"),
            "levels": Procedure.Level.choices,
            "service_levels": Procedure.ServiceLevel.choices,
            "read_at": timezone.localtime(),
        },
    )
