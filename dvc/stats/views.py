"""The public statistics page: figures per agency for a scope and period, a chart drawn on the server as SVG
beside the same numbers in a table, and the time the figures were read."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from dvc.agencies.models import AdminUnit, Agency
from dvc.catalog.models import Procedure, Sector
from dvc.collation import vi_order
from dvc.stats.selectors import Figures, Scope, figures, total
from dvc.web.caching import anonymous_page_cache


def date_or_none(value: str | None) -> dt.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _month(value: str | None) -> dt.date | None:
    """'2026-11' → 1/11/2026; anything else → None."""
    text = (value or "").strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return dt.date(int(text[:4]), int(text[5:]), 1)
    return None


def _filter_text(params: Any, name: str, limit: int) -> str:
    """A filter as typed, without control characters (a NUL byte cannot even reach PostgreSQL), cut to ``limit``."""
    return "".join(ch for ch in str(params.get(name, "")) if unicodedata.category(ch) != "Cc")[:limit]


def scope_from(params: Any) -> Scope:
    """The public pages' filters: scope and a period in whole months (this year by default)."""
    today = timezone.localdate()
    start = _month(params.get("tu_thang")) or today.replace(month=1, day=1)
    end = _month(params.get("den_thang")) or today.replace(day=1)
    level = params.get("cap", "")
    service_level = params.get("muc_do", "")
    return Scope(
        province=_filter_text(params, "tinh", 8),
        agency=_filter_text(params, "co_quan", 32),
        procedure=_filter_text(params, "thu_tuc", 32),
        sector=_filter_text(params, "linh_vuc", 64),
        level=level if level in Procedure.Level.values else "",
        service_level=service_level if service_level in Procedure.ServiceLevel.values else "",
        start=min(start, end),
        end=max(start, end),
    )


def grouped(scope: Scope) -> tuple[Figures, list[tuple[str, Figures]]]:
    """The scope's totals and the table's rows: provinces for the whole country, agencies within a province or
    agency. The totals are the rows' sum, so the figures are read once."""
    if not scope.province and not scope.agency:
        parts = figures(scope, group_by="province", monthly=True)
        provinces = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, code__in=list(parts))
        province_names = dict(provinces.values_list("code", "name"))
        rows = [(province_names.get(k, k or "?"), f) for k, f in parts.items() if k]
    else:
        parts = figures(scope, group_by="agency", monthly=True)
        agency_names = dict(Agency.objects.filter(pk__in=[k for k in parts if k]).values_list("pk", "name"))
        rows = [(agency_names.get(k, "?"), f) for k, f in parts.items() if k]
    return total(parts), sorted(rows, key=lambda r: -r[1].received)[:60]


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def table(rows: list[tuple[str, Figures]]) -> list[list[str]]:
    """The table's cells as Vietnamese readers write numbers (1.234; 12,5%), formatted once here rather than
    cell by cell in the template: a national page has hundreds of cells."""
    return [
        [name, _n(f.received), _n(f.processed), _n(f.early), _n(f.on_time), _n(f.late), _pct(f.late_rate),
         _n(f.in_progress), _n(f.overdue), _pct(f.satisfaction)]
        for name, f in rows
    ]  # fmt: skip


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

    @property
    def svg(self) -> dict[str, str]:
        """Coordinates as SVG wants them (a dot for decimals, whatever the page's language)."""
        y = str(self.y + 4)
        return {"y": y, "early": f"{self.early:.2f}", "on_time": f"{self.on_time:.2f}", "late": f"{self.late:.2f}",
                "late_x": f"{self.late_x:.2f}"}  # fmt: skip


def bars(rows: list[tuple[str, Figures]], height: int = 26) -> list[Bar]:
    widest = max((f.processed for _label, f in rows), default=0) or 1
    return [
        Bar(label, 100 * f.early / widest, 100 * f.on_time / widest, 100 * f.late / widest, i * height, f)
        for i, (label, f) in enumerate(rows)
    ]


@require_GET
@anonymous_page_cache(60)  # the page says when its figures were read
def public(request: HttpRequest) -> HttpResponse:
    scope = scope_from(request.GET)
    totals, rows = grouped(scope)
    chart = bars(rows)
    return render(
        request,
        "stats/public.html",
        {
            "scope": scope,
            "totals": totals,
            "rows": table(rows),
            "by_province": not scope.province and not scope.agency,
            "chart": chart,
            "chart_height": max(len(chart), 1) * 26,
            "provinces": AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, effective_to__isnull=True).order_by(
                "name"
            ),
            "sectors": Sector.objects.order_by(vi_order("name")),
            "levels": Procedure.Level.choices,
            "service_levels": Procedure.ServiceLevel.choices,
            "read_at": timezone.localtime(),
        },
    )
