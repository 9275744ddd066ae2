"""The worker command: it outlives a database outage, and its sweep puts lost deliveries back in the queue."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from dvc.notify.management.commands import run_worker
from dvc.notify.models import Message
from dvc.notify.services import message_send

pytestmark = pytest.mark.django_db


def test_a_delivery_whose_task_was_lost_is_requeued_and_sent_once(outbox, tasks):
    message = message_send(channel="sms", recipient="+84912345678", template="otp", context={"code": "123456"})
    DBTaskResult.objects.all().delete()  # the worker holding its task was killed
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    run_worker.sweep()
    run_worker.sweep()  # a second sweep while the first task waits: delivery still happens once
    tasks()
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT
    assert [m["to"] for m in outbox.sms()] == ["+84912345678"]


def test_the_sweep_books_the_recurring_jobs():
    DBTaskResult.objects.all().delete()
    run_worker.sweep()
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {"dvc.dossiers.tasks.send_deadline_reminders", "dvc.payments.tasks.reconcile_payments"} <= paths


def test_the_worker_waits_out_a_database_outage_instead_of_exiting(monkeypatch):
    calls = []

    def run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database system is shutting down")
        self.running = False  # then a normal shutdown

    monkeypatch.setattr(Worker, "run", run)
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    monkeypatch.setattr(run_worker.time, "sleep", lambda seconds: None)
    # Reconnecting is the database driver's part; here it would end the test's own transaction.
    monkeypatch.setattr(run_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(run_worker.connection, "close", lambda: None)
    monkeypatch.setattr(run_worker, "SWEEP_EVERY", 3600)
    call_command("run_worker")
    assert len(calls) == 3
