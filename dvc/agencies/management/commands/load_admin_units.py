from typing import Any

from django.core.management.base import BaseCommand

from dvc.agencies.services import admin_units_load


class Command(BaseCommand):
    help = "Load the official administrative units in force since 2025-07-01 (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = admin_units_load()
        self.stdout.write(
            f"administrative units: {result.provinces} provinces, {result.communes} communes "
            f"({result.created} created, {result.updated} updated)"
        )
