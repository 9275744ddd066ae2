"""E-mail officers and leaders the dossiers that are overdue or due within 2 working days.

``run_portal`` books this daily at 07:00 through the task worker; in production a worker does the same, or run
this command from cron. Either way a day's reminders go out once: a second run the same day sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dvc.dossiers.backoffice.reminders import deadline_reminders_send


class Command(BaseCommand):
    help = "Send today's deadline reminders to officers and leaders now."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = deadline_reminders_send()
        self.stdout.write(f"{sent} reminder e-mail(s) queued (none when today's were already sent).")
