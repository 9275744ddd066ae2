"""Keeping the figures: each history row of a dossier adds to the counters it concerns, in the transaction that
wrote it (``record_event`` calls ``figures_apply``).

The rules (NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP on the reporting of one-stop results):
- received: counted on the day of receipt, by channel (online or counter);
- processed: a result approved; early when finished on a working day before the due day, on time when on the
  due day before its close, late after it. The due date already includes the clock pauses for supplements; an
  extension (form 04) does not move it, so an extended dossier still counts late;
- processing time: working days from receipt to result;
- refused, withdrawn, paid (online or at the counter), and the ratings' sums for the satisfaction index;
- in progress: received and not finished, counted by due day and by due month (a paused dossier is not counted
  while paused).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import Agency
from dvc.dossiers.lifecycle.clock import verdict
from dvc.dossiers.models import DossierEvent, Rating
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


def _province_of(agency_id: int) -> str:
    """The province an agency belongs to (its unit, or its commune's province); cached for the process."""
    code = _provinces.get(agency_id)
    if code is None:
        agency = Agency.objects.select_related("admin_unit", "admin_unit__parent").get(pk=agency_id)
        unit = agency.admin_unit
        code = ""
        if unit is not None:
            code = unit.code if unit.level == "province" else (unit.parent.code if unit.parent else "")
        _provinces[agency_id] = code
    return code


_provinces: dict[int, str] = {}


Bump = tuple[Any, dict[str, Any], dict[str, int]]  # (model, the row's key, what to add)


def _bump(model: Any, key: dict[str, Any], counts: dict[str, int]) -> None:
    """Add ``counts`` to the row ``key`` of ``model``, creating it when it is the first."""
    changes = {k: F(k) + v for k, v in counts.items()}
    if not model.objects.filter(**key).update(**changes):
        _first(model, key, counts)


def _first(model: Any, key: dict[str, Any], counts: dict[str, int]) -> None:
    changes = {k: F(k) + v for k, v in counts.items()}
    try:
        with transaction.atomic():
            model.objects.create(**key, **counts)
    except IntegrityError:  # created by a concurrent transaction: add to it
        model.objects.filter(**key).update(**changes)


def _bump_all(bumps: list[Bump]) -> None:
    """Every bump of one history row in one statement on PostgreSQL (issue 20, part 2: a receipt's seven counters
    were seven round trips): one UPDATE per table as data-modifying WITH clauses, each telling whether its row was
    there; a missing row is then created as ``_bump`` does. Elsewhere, one UPDATE each."""
    connection = connections[router.db_for_write(DailyFigure)]
    if connection.vendor != "postgresql" or len(bumps) < 2:
        for model, key, counts in bumps:
            _bump(model, key, counts)
        return
    clauses: list[str] = []
    params: list[Any] = []
    for n, (model, key, counts) in enumerate(bumps):
        sql, fields = _bump_sql(model, tuple(key), tuple(counts))
        clauses.append(f"b{n} AS ({sql})")
        params.extend(counts.values())
        params.extend(field.get_db_prep_value(key[name], connection, prepared=False) for name, field in fields)
    found = ", ".join(f"(SELECT count(*) FROM b{n})" for n in range(len(bumps)))  # noqa: S608 - numbered names
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(clauses)} SELECT {found}", params)
        updated = cursor.fetchone()
    for (model, key, counts), rows in zip(bumps, updated, strict=True):
        if not rows:
            _first(model, key, counts)


@lru_cache(maxsize=64)
def _bump_sql(model: Any, keys: tuple[str, ...], counters: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    """``UPDATE … SET counter = counter + %s … WHERE key = %s … RETURNING 1`` for one table, written once per
    process (the ORM took longer to build a receipt's seven updates than PostgreSQL took to run them; issue 20),
    with each key's name and field, whose values are prepared as the ORM prepares them."""
    meta = model._meta
    column = {name: meta.get_field(name).column for name in (*keys, *counters)}
    changes = ", ".join(f'"{column[c]}" = "{column[c]}" + %s' for c in counters)
    where = " AND ".join(f'"{column[k]}" = %s' for k in keys)
    sql = f'UPDATE "{meta.db_table}" SET {changes} WHERE {where} RETURNING 1'  # noqa: S608 - the model's names
    return sql, tuple((name, meta.get_field(name)) for name in keys)


def counts_add(day: dt.date, agency: int, procedure: int, *, into: list[Bump] | None = None, **counts: int) -> None:
    """Add ``counts`` to the day's, the month's and the province's figures of one agency and procedure (``into``:
    collect the bumps to apply them with others)."""
    counts = {k: v for k, v in counts.items() if v}
    if not counts:
        return
    if not set(counts) <= set(COUNTERS):
        raise ValueError(f"unknown counters {set(counts) - set(COUNTERS)}")
    month = day.replace(day=1)
    province = _province_of(agency)
    bumps: list[Bump] = [
        (DailyFigure, {"day": day, "agency_id": agency, "procedure_id": procedure}, counts),
        (MonthlyAgencyFigure, {"month": month, "agency_id": agency, "procedure_id": procedure, "province": province},
         counts),
        (MonthlyProvinceFigure, {"month": month, "province": province, "procedure_id": procedure}, counts),
    ]  # fmt: skip
    _apply(bumps, into)


def open_count_change(
    agency: int, procedure: int, due: dt.date, change: int, *, into: list[Bump] | None = None
) -> None:
    """One more (+1) or one fewer (-1) dossier in progress, due on ``due``."""
    province, month, count = _province_of(agency), due.replace(day=1), {"count": change}
    bumps: list[Bump] = [
        (OpenDossiers, {"agency_id": agency, "procedure_id": procedure, "due_day": due, "province": province}, count),
        (OpenByProvince, {"province": province, "procedure_id": procedure, "due_day": due}, count),
        (OpenMonthly, {"agency_id": agency, "procedure_id": procedure, "due_month": month, "province": province},
         count),
        (OpenMonthlyByProvince, {"province": province, "procedure_id": procedure, "due_month": month}, count),
    ]  # fmt: skip
    _apply(bumps, into)


def _apply(bumps: list[Bump], into: list[Bump] | None) -> None:
    if into is None:
        _bump_all(bumps)
    else:
        into.extend(bumps)


def _moment(value: Any) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def figures_apply(event: DossierEvent) -> None:
    """Add one history row to the counters it concerns (called by ``lifecycle.events.record_event``)."""
    if not event.data:
        return
    facts = event.data
    agency, procedure = facts.get("agency"), facts.get("procedure")
    if not agency or not procedure:
        return
    day = timezone.localdate(event.at)
    due = _moment(facts.get("due"))
    due_day = timezone.localdate(due) if due else None
    action = event.action
    bumps: list[Bump] = []  # applied together at the end (one statement on PostgreSQL)
    if action == "received":
        online = facts.get("channel") != "counter"
        counts_add(day, agency, procedure, into=bumps, received_online=int(online), received_counter=int(not online))
        if due_day:
            open_count_change(agency, procedure, due_day, +1, into=bumps)
    elif action == "supplement_requested" and facts.get("paused") and due_day:
        open_count_change(agency, procedure, due_day, -1, into=bumps)
    elif action == "supplemented" and facts.get("status") == "processing" and due_day:
        open_count_change(agency, procedure, due_day, +1, into=bumps)
    elif action == "result_ready" and due is not None:
        result = verdict(event.at, due, extended=bool(facts.get("extended")))
        received = _moment(facts.get("received"))
        days = 0
        if received is not None:
            days = max(WorkingCalendar(Agency(pk=agency)).working_days_between(timezone.localdate(received), day), 0)
        counts_add(day, agency, procedure, into=bumps, processed=1, processing_days=days, **{result: 1})
        if due_day:
            open_count_change(agency, procedure, due_day, -1, into=bumps)
    elif action in ("refused", "suspended"):
        if action == "refused":
            counts_add(day, agency, procedure, into=bumps, refused=1)
        if event.from_status == "processing" and due_day:
            open_count_change(agency, procedure, due_day, -1, into=bumps)
    elif action == "withdrawn" and event.from_status == "submitted":
        counts_add(day, agency, procedure, into=bumps, withdrawn=1)
    elif action == "paid":
        counts_add(day, agency, procedure, into=bumps, paid=1, paid_online=int(event.actor_id is None))
    elif action == "rated":
        rating = Rating.objects.filter(dossier_id=event.dossier_id).first()
        if rating is not None:
            counts_add(day, agency, procedure, into=bumps, rated=1, overall_sum=rating.overall,
                       timeliness_sum=rating.timeliness, attitude_sum=rating.attitude,
                       publicity_sum=rating.publicity)  # fmt: skip
    _bump_all(bumps)


def rebuild() -> int:
    """Recompute every figure from the dossiers' history; returns the number of events read."""
    count = 0
    with transaction.atomic():
        for model in (DailyFigure, MonthlyAgencyFigure, MonthlyProvinceFigure, OpenDossiers, OpenByProvince,
                      OpenMonthly, OpenMonthlyByProvince):  # fmt: skip
            model.objects.all().delete()
        for event in DossierEvent.objects.exclude(data={}).order_by("at", "pk").iterator(chunk_size=5000):
            figures_apply(event)
            count += 1
    return count
