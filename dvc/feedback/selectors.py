"""Reads of questions: the public answers (searched without accents), each agency's figures, the officer's list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dvc.agencies.models import Agency, StaffRole
from dvc.catalog.models import Procedure
from dvc.catalog.text import fold
from dvc.feedback.models import Question


def published(*, agency: Agency | None = None, procedure: Procedure | None = None, q: str = "") -> QuerySet[Question]:
    """Published answers, newest first; ``q`` matches every word, with or without accents ("dang ky ket hon")."""
    found = Question.objects.filter(published=True, status=Question.Status.ANSWERED).select_related(
        "agency", "procedure"
    )
    if agency is not None:
        found = found.filter(agency=agency)
    if procedure is not None:
        found = found.filter(procedure=procedure)
    for word in fold(q).split()[:8]:
        found = found.filter(search_text__contains=word)
    return found.order_by("-answered_at")


@dataclass(frozen=True)
class Figures:
    on_time: int
    late: int
    open_overdue: int
    open: int

    @property
    def on_time_percent(self) -> int | None:
        answered = self.on_time + self.late
        return round(100 * self.on_time / answered) if answered else None


def figures(agency: Agency) -> Figures:
    """Answered on time or late, and still open (past the deadline or not): one query."""
    now = timezone.now()
    counts = Question.objects.filter(agency=agency).aggregate(
        on_time=Count("pk", filter=Q(status=Question.Status.ANSWERED, answered_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(status=Question.Status.ANSWERED, answered_at__gt=F("due_at"))),
        open_overdue=Count("pk", filter=Q(status=Question.Status.OPEN, due_at__lt=now)),
        open=Count("pk", filter=Q(status=Question.Status.OPEN)),
    )
    return Figures(**counts)


def for_officer(user: Any) -> QuerySet[Question]:
    """Questions to the agencies where the officer holds a role: open ones first, soonest deadline first."""
    agencies = StaffRole.objects.filter(user=user, is_active=True).values("agency_id")
    return (
        Question.objects.filter(agency_id__in=agencies)
        .exclude(status=Question.Status.UNCONFIRMED)
        .select_related("agency", "procedure")
        .order_by(F("answered_at").desc(nulls_first=True), "due_at")
    )
