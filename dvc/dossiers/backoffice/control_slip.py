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
    closing_moment,
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


def control_steps(dossier: Dossier) -> list[Step]:
    """Form 06: each step of handling, who held it, from when to when, and early / on time / late.

    Each step's own deadline: reception within 8 working hours for an online dossier; appraisal until one working
    day before the due date; approval and return until the due date (clock pauses already moved it).
    """
    events = list(dossier.events.select_related("actor").order_by("at", "pk"))
    calendar = WorkingCalendar(dossier.agency)
    due = dossier.due_at
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
        appraisal_limit = None
        if due is not None:
            previous = timezone.localtime(due).date() - dt.timedelta(days=1)
            while not calendar.is_working_day(previous):
                previous -= dt.timedelta(days=1)
            appraisal_limit = closing_moment(calendar, previous)
        holder = dossier.assigned_to.full_name if dossier.assigned_to else ""
        step(_("Thẩm định, đề xuất"), assigned, proposed, appraisal_limit, holder)
    if proposed is not None:
        step(_("Phê duyệt, ký kết quả"), proposed, first("result_ready") or first("refused", proposed.at), due)
    ready = first("result_ready")
    if ready is not None:
        step(_("Trả kết quả"), ready, first("returned"), None)
    return steps
