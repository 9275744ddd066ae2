"""Ask the gateway about payment attempts left pending, settle them, and list what does not match."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dvc.payments.gateway import reconcile


class Command(BaseCommand):
    help = "Settle pending payment attempts by querying the gateway (querydr); print the mismatches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-minutes", type=int, default=15)

    def handle(self, *args: Any, older_than_minutes: int, **options: Any) -> None:
        report = reconcile(older_than=dt.timedelta(minutes=older_than_minutes))
        self.stdout.write(
            f"{report.checked} pending checked: {report.paid} paid, {report.failed} failed, "
            f"{report.unanswered} without answer."
        )
        for line in report.mismatches:
            self.stdout.write(f"MISMATCH {line}")
