"""The task worker as the portal runs it: django-tasks' database worker, kept alive across database restarts,
with a minute-by-minute sweep that puts lost work back in the queue.

- A database that restarts or fails over ends the library's worker loop with an ``OperationalError``; here the
  loop starts again after a pause (1 s, doubling up to 30 s) instead of the process exiting.
- A worker killed in the middle of a task leaves that task claimed forever. The sweep re-enqueues pending
  messages whose delivery lease has run out: delivery claims each message, so a message already sent is never
  sent twice. It also books the recurring jobs (deadline reminders, payment reconciliation) if their next run is
  missing, and deletes the rate-limit windows that ended more than a day ago.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from dvc.accounts.throttle import counters_purge
from dvc.dossiers.backoffice.signing_queue import signings_requeue_stranded
from dvc.dossiers.tasks import schedule_deadline_reminders
from dvc.notify.services import messages_requeue_stranded
from dvc.payments.tasks import schedule_reconciliation

logger = logging.getLogger("dvc.worker")
SWEEP_EVERY = 60  # seconds
STRANDED_AFTER = dt.timedelta(minutes=2)


def sweep() -> None:
    """Put lost work back (stranded messages and result signings, the recurring jobs' next runs) and drop ended
    rate-limit windows."""
    requeued = messages_requeue_stranded(older_than=STRANDED_AFTER)
    if requeued:
        logger.warning("re-enqueued %d message(s) whose delivery task was lost", requeued)
    signings = signings_requeue_stranded()
    if signings:
        logger.warning("re-enqueued %d result signing(s) whose task was lost", signings)
    schedule_deadline_reminders()
    schedule_reconciliation()
    counters_purge()


def _sweeper(stop: threading.Event) -> None:
    while not stop.wait(SWEEP_EVERY):
        try:
            sweep()
        except (OperationalError, InterfaceError) as exc:
            logger.warning("sweep skipped, database unavailable: %s", exc)
        finally:
            connection.close()  # this thread's own connection


class Command(BaseCommand):
    help = "Run the background worker (deliveries, reminders, reconciliation), surviving database restarts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")

    def handle(self, *args: Any, interval: float, **options: Any) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        worker = Worker(
            queue_names=["default"], interval=interval, batch=False, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id=get_random_string(32), excluded_queue_names=[],
        )  # fmt: skip
        worker.configure_signals()
        stop = threading.Event()
        threading.Thread(target=_sweeper, args=(stop,), daemon=True, name="sweeper").start()
        pause = 1.0
        try:
            while worker.running:
                try:
                    sweep()
                    pause = 1.0  # the database answers again
                    worker.run()
                except (OperationalError, InterfaceError) as exc:
                    logger.warning("database unavailable (%s); the worker tries again in %.0f s", exc, pause)
                    close_old_connections()
                    connection.close()
                    time.sleep(pause)
                    pause = min(pause * 2, 30.0)
        finally:
            stop.set()
            worker.reset_signals()
