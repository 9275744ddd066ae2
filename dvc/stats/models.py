"""Incrementally maintained figures: what the public statistics read instead of scanning dossiers.

``DailyFigure`` counts what happened on a day at an agency for a procedure; ``OpenDossiers`` counts the dossiers
being processed by the day they are due and ``OpenMonthly`` by the month they are due, so "in progress" is a sum of
month rows and "in progress and already overdue" the month rows before this month plus this month's day rows before
today: a few rows per agency and procedure, however long the backlog.
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


class Counters(models.Model):
    """The counted quantities, shared by the daily rows and their monthly roll-ups."""

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
        abstract = True


class DailyFigure(Counters):
    """What happened on a day at an agency for a procedure (staff reports by day, rebuild checks)."""

    day = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agency", "procedure"], name="daily_figure_unique")]
        indexes = [models.Index(fields=["agency", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id}"


class MonthlyAgencyFigure(Counters):
    """The month's figures of an agency for a procedure: what a province's page sums, agency by agency."""

    month = models.DateField()  # the first day of the month
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    province = models.CharField(max_length=8, default="")  # the agency's province: a province page reads by it

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "procedure"], name="monthly_agency_figure_unique")
        ]
        indexes = [models.Index(fields=["agency", "month"]), models.Index(fields=["province", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.procedure_id}"


class MonthlyProvinceFigure(Counters):
    """The month's figures of a province for a procedure: what the national page sums, province by province."""

    month = models.DateField()
    province = models.CharField(max_length=8)  # statistics-office code of the province
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "province", "procedure"], name="monthly_province_figure_unique")
        ]
        indexes = [models.Index(fields=["province", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.province} {self.procedure_id}"


class OpenDossiers(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    province = models.CharField(max_length=8, default="")
    due_day = models.DateField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "procedure", "due_day"], name="open_dossiers_unique")]
        indexes = [models.Index(fields=["province", "due_day"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.due_day}: {self.count}"


class OpenByProvince(models.Model):
    """``OpenDossiers`` rolled up by province, for the national page."""

    province = models.CharField(max_length=8)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    due_day = models.DateField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "procedure", "due_day"], name="open_by_province_unique")
        ]
        indexes = [models.Index(fields=["due_day"])]  # this month's due days, on the national page

    def __str__(self) -> str:
        return f"{self.province} {self.procedure_id} {self.due_day}: {self.count}"


class OpenMonthly(models.Model):
    """``OpenDossiers`` by the month they are due: what a page sums for "in progress" and for the months past."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    province = models.CharField(max_length=8, default="")
    due_month = models.DateField()  # the first day of the month
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "procedure", "due_month"], name="open_monthly_unique")]
        indexes = [models.Index(fields=["province", "due_month"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.due_month:%m/%Y}: {self.count}"


class OpenMonthlyByProvince(models.Model):
    """``OpenMonthly`` rolled up by province, for the national page."""

    province = models.CharField(max_length=8)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    due_month = models.DateField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "procedure", "due_month"], name="open_monthly_by_province_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.procedure_id} {self.due_month:%m/%Y}: {self.count}"
