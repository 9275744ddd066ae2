"""Recompute every statistics figure from the dossiers' history and say whether they agree with the kept ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dvc.stats.models import DailyFigure, OpenDossiers, OpenMonthlyByProvince
from dvc.stats.services import rebuild


def _state() -> tuple[list[tuple[Any, ...]], ...]:
    days = sorted(DailyFigure.objects.values_list(*[f.attname for f in DailyFigure._meta.fields if f.name != "id"]))
    open_ = sorted(OpenDossiers.objects.exclude(count=0).values_list("agency_id", "procedure_id", "due_day", "count"))
    months = sorted(OpenMonthlyByProvince.objects.exclude(count=0).values_list("province", "procedure_id", "due_month",
                                                                               "count"))  # fmt: skip
    return days, open_, months


class Command(BaseCommand):
    help = "Recompute the statistics from the history; report whether the incremental figures agreed."

    def handle(self, *args: Any, **options: Any) -> None:
        before = _state()
        events = rebuild()
        agree = _state() == before
        self.stdout.write(f"{events} history rows read; the incremental figures {'agree' if agree else 'DIFFERED'}.")
