"""GET /api/v1/stats: the public figures with the statistics page's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from dvc.agencies.models import Agency
from dvc.stats.selectors import Figures, figures
from dvc.stats.views import scope_from

router = Router(tags=["Thống kê"])


class FiguresOut(Schema):
    received: int
    received_online: int
    received_counter: int
    processed: int
    early: int
    on_time: int
    late: int
    late_rate: float | None
    in_progress: int
    overdue: int
    refused: int
    withdrawn: int
    average_days: float | None
    online_share: float | None
    paid_online_share: float | None
    satisfaction: float | None
    criteria: dict[str, float | None]


class AgencyFiguresOut(FiguresOut):
    agency: str
    agency_name: str


class StatsOut(Schema):
    read_at: dt.datetime
    start: dt.date | None
    end: dt.date | None
    totals: FiguresOut
    agencies: list[AgencyFiguresOut]


def _out(f: Figures) -> dict[str, Any]:
    return {
        name: getattr(f, name)
        for name in ("received", "received_online", "received_counter", "processed", "early", "on_time", "late",
                     "late_rate", "in_progress", "overdue", "refused", "withdrawn", "average_days", "online_share",
                     "paid_online_share", "satisfaction", "criteria")
    }  # fmt: skip


@router.get("/stats", response=StatsOut, summary="Thống kê kết quả giải quyết hồ sơ (công khai)")
def stats(
    request: HttpRequest,
    province: str = "",
    agency: str = "",
    procedure: str = "",
    sector: str = "",
    level: str = "",
    service_level: str = "",
    month_from: str = Query("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM"),
    month_to: str = Query("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM"),
) -> StatsOut:
    """Filters as on /thong-ke/; the period is whole months, this year by default. Figures are current to the
    moment read; ``agencies`` lists each agency of a province or agency scope."""
    params = {"tinh": province, "co_quan": agency, "thu_tuc": procedure, "linh_vuc": sector, "cap": level,
              "muc_do": service_level, "tu_thang": month_from, "den_thang": month_to}  # fmt: skip
    scope = scope_from(params)
    totals = figures(scope, monthly=True).get(None) or Figures()
    per_agency = figures(scope, group_by="agency", monthly=True) if scope.province or scope.agency else {}
    known = {a.pk: a for a in Agency.objects.filter(pk__in=[k for k in per_agency if k])}
    return StatsOut(
        read_at=timezone.now(),
        start=scope.start,
        end=scope.end,
        totals=FiguresOut(**_out(totals)),
        agencies=[
            AgencyFiguresOut(agency=known[k].code, agency_name=known[k].name, **_out(f))
            for k, f in per_agency.items()
            if k in known
        ],
    )
