"""Reading the figures for a scope (province, agency and its sub-agencies, procedure, sector, service level) and a
period. Only aggregate rows are read, never the dossiers themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from dvc.agencies.models import Agency
from dvc.dossiers.models import Dossier
from dvc.stats.models import (
    COUNTERS,
    DailyFigure,
    MonthlyAgencyFigure,
    MonthlyProvinceFigure,
    OpenByProvince,
    OpenDossiers,
    OpenMonthly,
    OpenMonthlyByProvince,
)


@dataclass(frozen=True)
class Scope:
    province: str = ""
    agency: str = ""
    procedure: str = ""
    sector: str = ""
    level: str = ""
    service_level: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Figures:
    received_online: int = 0
    received_counter: int = 0
    processed: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    processing_days: int = 0
    paid: int = 0
    paid_online: int = 0
    rated: int = 0
    overall_sum: int = 0
    timeliness_sum: int = 0
    attitude_sum: int = 0
    publicity_sum: int = 0
    in_progress: int = 0
    overdue: int = 0
    criteria: dict[str, float | None] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter

    @property
    def early_or_on_time(self) -> int:
        return self.early + self.on_time

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def late_rate(self) -> float | None:
        return self._rate(self.late, self.processed)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.early_or_on_time, self.processed)

    @property
    def online_share(self) -> float | None:
        return self._rate(self.received_online, self.received)

    @property
    def paid_online_share(self) -> float | None:
        return self._rate(self.paid_online, self.paid)

    @property
    def average_days(self) -> float | None:
        return round(self.processing_days / self.processed, 1) if self.processed else None

    @property
    def satisfaction(self) -> float | None:
        """The satisfaction index in percent: the mean overall score out of 5."""
        return round(100 * self.overall_sum / (5 * self.rated), 1) if self.rated else None


def agencies_in(scope: Scope) -> QuerySet[Agency] | None:
    """The agencies a scope covers (an agency with everything under it), or None for the whole country."""
    if scope.agency:
        root = Agency.objects.filter(code=scope.agency).first()
        if root is None:
            return Agency.objects.none()
        found, frontier = {root.pk}, {root.pk}
        while frontier:
            frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
            found |= frontier
        return Agency.objects.filter(pk__in=found)
    if scope.province:
        return Agency.objects.filter(
            Q(admin_unit__code=scope.province, admin_unit__level="province")
            | Q(admin_unit__parent__code=scope.province, admin_unit__parent__level="province")
        )
    return None


def _filtered(rows: QuerySet[Any], scope: Scope, *, national: bool = False) -> QuerySet[Any]:
    if national or (scope.province and not scope.agency and hasattr(rows.model, "province")):
        # Rows that carry their province are read by it (indexed), not through the province's list of agencies.
        if scope.province:
            rows = rows.filter(province=scope.province)
    else:
        agencies = agencies_in(scope)
        if agencies is not None:
            rows = rows.filter(agency__in=agencies)
    if scope.procedure:
        rows = rows.filter(procedure__code=scope.procedure)
    if scope.sector:
        rows = rows.filter(procedure__sector__code=scope.sector)
    if scope.level:
        rows = rows.filter(procedure__level=scope.level)
    if scope.service_level:
        rows = rows.filter(procedure__service_level=scope.service_level)
    return rows


def figures(scope: Scope, *, group_by: str | None = None, monthly: bool = False) -> dict[Any, Figures]:
    """The figures of a scope, in one entry ``None`` or one per ``group_by`` value (``"agency"``, ``"procedure"``,
    or ``"province"`` for the national roll-up).

    ``monthly`` reads the monthly roll-ups (whole months from ``start`` to ``end``): what the public pages use, so
    that a national or provincial page sums a few thousand rows whatever the number of dossiers. The national
    roll-up (by province) answers when no agency is chosen.
    """
    national = monthly and not scope.agency and (group_by in (None, "province", "procedure"))
    if monthly:
        model: Any = MonthlyProvinceFigure if national else MonthlyAgencyFigure
        rows = _filtered(model.objects.all(), scope, national=national)
        if scope.start:
            rows = rows.filter(month__gte=scope.start.replace(day=1))
        if scope.end:
            rows = rows.filter(month__lte=scope.end.replace(day=1))
    else:
        rows = _filtered(DailyFigure.objects.all(), scope)
        if scope.start:
            rows = rows.filter(day__gte=scope.start)
        if scope.end:
            rows = rows.filter(day__lte=scope.end)
    sums = {name: Sum(name) for name in COUNTERS}
    result: dict[Any, Figures] = {}
    grouped = rows.values(group_by).annotate(**sums) if group_by else [rows.aggregate(**sums)]
    for row in grouped:
        key = row.get(group_by) if group_by else None
        entry = result[key] = Figures()
        for name in COUNTERS:
            setattr(entry, name, int(row[name] or 0))
    _add_open(result, scope, group_by, national)
    for entry in result.values():
        _criteria(entry)
    return result


def _add_open(result: dict[Any, Figures], scope: Scope, group_by: str | None, national: bool) -> None:
    """In progress = the month rows; overdue = the month rows before this month + this month's day rows before today.
    Either way a page reads a few rows per agency and procedure, not one per due day of the whole backlog."""
    today = timezone.localdate()
    this_month = today.replace(day=1)
    monthly: Any = OpenMonthlyByProvince if national else OpenMonthly
    daily: Any = OpenByProvince if national else OpenDossiers
    month_rows = _filtered(monthly.objects.exclude(count=0), scope, national=national)
    month_sums = {"in_progress": Sum("count"), "overdue": Sum("count", filter=Q(due_month__lt=this_month))}
    day_rows = _filtered(
        daily.objects.exclude(count=0).filter(due_day__gte=this_month, due_day__lt=today), scope, national=national
    )
    day_sums = {"overdue": Sum("count")}  # this month's due days already past
    for rows, sums in ((month_rows, month_sums), (day_rows, day_sums)):
        grouped = rows.values(group_by).annotate(**sums) if group_by else [rows.aggregate(**sums)]
        for row in grouped:
            entry = result.setdefault(row.get(group_by) if group_by else None, Figures())
            entry.in_progress += int(row.get("in_progress") or 0)
            entry.overdue += int(row["overdue"] or 0)


def total(parts: dict[Any, Figures]) -> Figures:
    """The figures of a whole scope from those of its groups: the same sums without reading the rows again."""
    whole = Figures()
    for part in parts.values():
        for name in (*COUNTERS, "in_progress", "overdue"):
            setattr(whole, name, getattr(whole, name) + getattr(part, name))
    _criteria(whole)
    return whole


def _criteria(entry: Figures) -> None:
    if entry.rated:
        entry.criteria = {
            name: round(getattr(entry, f"{name}_sum") / entry.rated, 2)
            for name in ("overall", "timeliness", "attitude", "publicity")
        }


def usual_days(procedure_id: int) -> float | None:
    """ "Usually takes N working days" on a procedure page: the mean over the last twelve months (this one
    included), once 5 results exist. Read from the national monthly roll-up: a few hundred rows, not a year of
    daily rows per agency."""
    this_month = timezone.localdate().replace(day=1)
    since = (this_month - dt.timedelta(days=334)).replace(day=1)
    row = MonthlyProvinceFigure.objects.filter(procedure_id=procedure_id, month__gte=since).aggregate(
        processed=Sum("processed"), days=Sum("processing_days")
    )
    if not row["processed"] or row["processed"] < 5:
        return None
    return round(row["days"] / row["processed"], 1)


@dataclass(frozen=True)
class Workload:
    """One officer's load in an agency: dossiers held now, overdue among them, and results in the period."""

    officer_id: int
    name: str
    holding: int
    overdue: int
    finished: int
    finished_late: int


def workload(agency: Agency, start: dt.date, end: dt.date) -> list[Workload]:
    """For the leader: per specialist (dossiers assigned) — one aggregate query over the agency's dossiers."""
    from django.db.models import Count, F

    now = timezone.now()
    open_states = (Dossier.Status.PROCESSING, Dossier.Status.NEEDS_SUPPLEMENT)
    finished = Q(decided_at__date__gte=start, decided_at__date__lte=end, status__in=("result_ready", "returned"))
    late = finished & (Q(decided_at__gt=F("due_at")) | Q(extended_until__isnull=False))
    rows = (
        Dossier.objects.filter(agency=agency, assigned_to__isnull=False)
        .values("assigned_to", "assigned_to__full_name")
        .annotate(
            holding=Count("pk", filter=Q(status__in=open_states)),
            overdue=Count("pk", filter=Q(status__in=open_states, due_at__lt=now)),
            finished=Count("pk", filter=finished),
            finished_late=Count("pk", filter=late),
        )
        .order_by("assigned_to__full_name")
    )
    return [
        Workload(r["assigned_to"], r["assigned_to__full_name"], r["holding"], r["overdue"], r["finished"],
                 r["finished_late"])
        for r in rows
    ]  # fmt: skip
