"""The legal clock of a dossier: when it is due, how a supplement pauses it, and early / on time / late.

- NĐ 118/2025: the due date is counted in working days from receipt; a dossier received after office
  hours counts from the next working day (``WorkingCalendar.due_moment``).
- NĐ 118/2025: while the applicant completes the dossier at the agency's request, the clock stops; the
  due date moves by the working days spent waiting.
- NĐ 45/2020: an online dossier is acknowledged or sent back within 8 working hours.
- An extension (form 04, TT 03/2025) promises a new date, but the dossier still counts late.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from dvc.agencies.calendar import WorkingCalendar
from dvc.catalog.linked import parse
from dvc.dossiers.models import Dossier

ACKNOWLEDGE_WITHIN = dt.timedelta(hours=8)
EARLY, ON_TIME, LATE = "early", "on_time", "late"


def closing_moment(calendar: WorkingCalendar, day: dt.date) -> dt.datetime:
    """The close of office hours on ``day``: what "due on day D" means."""
    return dt.datetime.combine(day, calendar.closing_time(day), tzinfo=timezone.get_current_timezone())


def component_days(dossier: Dossier) -> int | None:
    """A component's internal deadline in working days (the group's catalog entry), None for any other dossier."""
    if dossier.parent_id is None:
        return None
    parent = Dossier.objects.select_related("procedure").only("procedure__components").get(pk=dossier.parent_id)
    component = parse(parent.procedure.components).get(dossier.component_key)
    return component.days if component else None


def due_at_receipt(dossier: Dossier, received_at: dt.datetime) -> dt.datetime:
    """The due moment of a dossier received at ``received_at`` (NĐ 118/2025); a component of a linked procedure
    has the internal deadline its group gives it (NĐ 63/2024/NĐ-CP)."""
    days = component_days(dossier)
    return WorkingCalendar(dossier.agency).due_moment(
        received_at, dossier.procedure.processing_days if days is None else days
    )


def resume_changes(dossier: Dossier, now: dt.datetime) -> dict[str, Any]:
    """The columns that restart a paused clock at ``now``: due date (and any extension) moved by the working days
    spent waiting for the papers (NĐ 118/2025). Empty when the clock was not paused."""
    if dossier.paused_at is None or dossier.due_at is None:
        return {}
    calendar = WorkingCalendar(dossier.agency)
    waited = max(calendar.working_days_between(timezone.localdate(dossier.paused_at), timezone.localdate(now)), 0)
    due_day = calendar.add_working_days(timezone.localtime(dossier.due_at).date(), waited)
    changes: dict[str, Any] = {
        "paused_at": None,
        "paused_days": F("paused_days") + waited,
        "due_at": closing_moment(calendar, due_day),
    }
    if dossier.extended_until is not None:
        extended_day = calendar.add_working_days(timezone.localtime(dossier.extended_until).date(), waited)
        changes["extended_until"] = closing_moment(calendar, extended_day)
    return changes


def verdict(finished: dt.datetime, due: dt.datetime, *, extended: bool = False) -> str:
    """early / on_time / late for work finished at ``finished`` against its due moment.

    Early: finished on a day before the due day; on time: on the due day before its close; late: after it, or
    extended (form 04 keeps the original due date: an extended dossier is late, NĐ 118/2025).
    """
    if extended or finished > due:
        return LATE
    if timezone.localdate(finished) < timezone.localdate(due):
        return EARLY
    return ON_TIME


def after_working_hours(calendar: WorkingCalendar, start: dt.datetime, span: dt.timedelta) -> dt.datetime | None:
    """The moment ``span`` of office hours after ``start`` (e.g. the 8-hour acknowledgement limit)."""
    remaining = span.total_seconds()
    local = timezone.localtime(start)
    day = local.date()
    for _i in range(3660):
        for opens, closes in calendar.office_hours(day):
            period_start = max(dt.datetime.combine(day, opens, tzinfo=local.tzinfo), local)
            period_end = dt.datetime.combine(day, closes, tzinfo=local.tzinfo)
            available = (period_end - period_start).total_seconds()
            if available <= 0:
                continue
            if available >= remaining:
                return period_start + dt.timedelta(seconds=remaining)
            remaining -= available
        day += dt.timedelta(days=1)
    return None


def acknowledgement_late(calendar: WorkingCalendar, dossier: Dossier, now: dt.datetime) -> bool:
    """An online dossier still waiting for receipt after 8 working hours (NĐ 45/2020)."""
    return (
        dossier.status == Dossier.Status.SUBMITTED
        and dossier.channel == Dossier.Channel.ONLINE
        and dossier.submitted_at is not None
        and calendar.working_seconds_between(dossier.submitted_at, now, stop_after=ACKNOWLEDGE_WITHIN.total_seconds())
        > ACKNOWLEDGE_WITHIN.total_seconds()
    )
