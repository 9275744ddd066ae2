from typing import Any

from django.core.management.base import BaseCommand

from dvc.web.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo agencies, officers and citizens (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        self.stdout.write(f"demo data ready: {len(logins)} accounts, password {DEMO_PASSWORD}")
