from typing import Any

from django.core.management.base import BaseCommand

from dvc.notify.services import messages_requeue_stranded


class Command(BaseCommand):
    help = "Enqueue delivery again for pending messages whose delivery task was lost."

    def handle(self, *args: Any, **options: Any) -> None:
        count = messages_requeue_stranded()
        self.stdout.write(f"requeued {count} message(s)")
