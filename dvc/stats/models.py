"""Incrementally maintained figures: what the public statistics read instead of scanning dossiers.

``DailyFigure`` counts what happened on a day at an agency for a procedure; ``OpenDossiers`` counts the dossiers
being processed by the day they are due, so "in progress" and "in progress and already overdue" are sums.
Both change in the same transaction as the dossier's history row (so they are always current), and
``manage.py rebuild_stats`` recomputes them from the history alone.
"""

from __future__ import annotations

from django.db import models

from dvc.agencies.models import Agency
from dvc.catalog.models import Procedure

COUNTERS = (
    "received_online", "received_counter", "processed", "early", "on_time", "late", "refused", "withdrawn",
    "processing_days", "paid", "paid_online", "rated", "overall_sum", "timeliness_sum", "attitude_sum",
    "publicity_sum",
)  # fmt: skip


class DailyFigure(models.Model):
    day = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    received_online = models.BigIntegerField(default=0)
    received_counter = models.BigIntegerField(default=0)
    processed = models.BigIntegerField(default=0)
    early = models.BigIntegerField(default=0)
    on_time = models.BigIntegerField(default=0)
    late = models.BigIntegerField(default=0)
    refused = models.BigIntegerField(default=0)
    withdrawn = models.BigIntegerField(default=0)
    processing_days = models.BigIntegerField(default=0)  # working days, summed over the processed
    paid = models.BigIntegerField(default=0)
    paid_online = models.BigIntegerField(default=0)
    rated = models.BigIntegerField(default=0)
    overall_sum = models.BigIntegerField(default=0)
    timeliness_sum = models.BigIntegerField(default=0)
    attitude_sum = models.BigIntegerField(default=0)
    publicity_sum = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agency", "procedure"], name="daily_figure_unique")]
        indexes = [models.Index(fields=["agency", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id}"


class OpenDossiers(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    due_day = models.DateField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "procedure", "due_day"], name="open_dossiers_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.due_day}: {self.count}"
