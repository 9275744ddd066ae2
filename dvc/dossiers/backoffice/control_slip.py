"""Form 06 of TT 03/2025/TT-VPCP (phiếu kiểm soát quá trình giải quyết hồ sơ): each step of handling, who held
it, from when to when, and early / on time / late by the one verdict of ``lifecycle.clock``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dvc.agencies.calendar import WorkingCalendar
from dvc.dossiers.lifecycle.clock import (
    ACKNOWLEDGE_WITHIN,
    EARLY,
    LATE,
    ON_TIME,
    after_working_hours,
    verdict,
)
from dvc.dossiers.models import Dossier

VERDICT_LABELS = {EARLY: _("Trước hạn"), ON_TIME: _("Đúng hạn"), LATE: _("Trễ hạn")}


@dataclass(frozen=True)
class Step:
    name: str
    actor: str
    started: dt.datetime
    finished: dt.datetime | None
    due: dt.datetime | None
    verdict: str


# The share of the working time from receipt to the due moment by which each internal step should be done, when
# the catalog gives no step durations: appraisal by 60 %, the leader's decision by 90 %, the return by the due moment.
DEFAULT_SHARES = {"appraise": 0.6, "approve": 0.9}


def step_limits(dossier: Dossier, calendar: WorkingCalendar) -> dict[str, dt.datetime | None]:
    """Each internal step's deadline, fixed from receipt on the working calendar (TT 03/2025/TT-VPCP mẫu 06: the
    time allowed each step of the procedure's internal process).

    The procedure's ``step_hours`` (working hours of appraisal and of the decision, from the catalog) are laid end
    to end from the moment counting starts (the next working day for a dossier received after 15:00); without them
    each step has its share of the working time up to the due moment. The return is due by the due moment; no step
    is allowed past it.
    """
    received, due = dossier.received_at, dossier.due_at
    if received is None or due is None:
        return {"appraise": None, "approve": None, "return": due}
    start_day = calendar.counting_start_day(received)
    opens = calendar.office_hours(start_day)
    start = received
    if start_day != timezone.localdate(received) and opens:
        start = dt.datetime.combine(start_day, opens[0][0], tzinfo=timezone.get_current_timezone())
    hours = dossier.procedure.step_hours or {}
    limits: dict[str, dt.datetime | None] = {}
    if hours:
        moment: dt.datetime | None = start
        for name in ("appraise", "approve"):
            moment = after_working_hours(calendar, moment, dt.timedelta(hours=hours.get(name, 0))) if moment else None
            limits[name] = min(moment, due) if moment else due
    else:
        total = calendar.working_seconds_between(start, due)
        for name, share in DEFAULT_SHARES.items():
            limits[name] = after_working_hours(calendar, start, dt.timedelta(seconds=total * share)) or due
    limits["return"] = due
    return limits


def control_steps(dossier: Dossier) -> list[Step]:
    """Form 06: each step of handling, who held it, from when to when, and early / on time / late against that
    step's own deadline (``step_limits``); reception of an online dossier within 8 working hours (NĐ 45/2020)."""
    events = list(dossier.events.select_related("actor").order_by("at", "pk"))
    calendar = WorkingCalendar(dossier.agency)
    limits = step_limits(dossier, calendar)
    steps: list[Step] = []

    def step_verdict(finished: dt.datetime | None, limit: dt.datetime | None) -> str:
        if finished is None or limit is None:
            return str(_("Đang thực hiện")) if finished is None else ""
        return str(VERDICT_LABELS[verdict(finished, limit)])

    def first(action: str, after: dt.datetime | None = None) -> Any:
        return next((e for e in events if e.action == action and (after is None or e.at >= after)), None)

    def step(name: Promise, started: Any, done: Any, limit: dt.datetime | None, holder: str = "") -> None:
        finished = done.at if done else None
        who = holder or (done.actor.full_name if done and done.actor else "")
        steps.append(Step(str(name), who, started.at, finished, limit, step_verdict(finished, limit)))

    submitted = first("submitted") or first("created")
    if submitted is not None:
        limit = None
        if dossier.channel == Dossier.Channel.ONLINE and dossier.submitted_at is not None:
            limit = after_working_hours(calendar, dossier.submitted_at, ACKNOWLEDGE_WITHIN)
        step(_("Tiếp nhận hồ sơ"), submitted, first("received"), limit)
    assigned, proposed = first("assigned"), first("proposed")
    if assigned is not None:
        holder = dossier.assigned_to.full_name if dossier.assigned_to else ""
        step(_("Thẩm định, đề xuất"), assigned, proposed, limits["appraise"], holder)
    if proposed is not None:
        decided = first("result_ready") or first("refused", proposed.at)
        step(_("Phê duyệt, ký kết quả"), proposed, decided, limits["approve"])
    ready = first("result_ready")
    if ready is not None:
        step(_("Trả kết quả"), ready, first("returned"), limits["return"])
    return steps
