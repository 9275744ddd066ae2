"""Exactly once per period, with any number of workers (STYLE.md 16).

- ``job_run_claim``: the run record of a period, created before the work inside the work's transaction. The
  unique key makes a concurrent second claim wait for the first and then fail, so the work happens once.
- ``book_once``: a task books its own next run. Booking takes the task's lock row first (an UPDATE: a row lock
  on PostgreSQL; on SQLite every transaction takes the write lock when it begins, ``transaction_mode``
  IMMEDIATE), then looks for a waiting run: two workers booking at once book once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dvc.jobs.models import JobLock, JobRun


def job_run_claim(*, job: str, period: str) -> bool:
    """True when this call created the run record of ``job`` for ``period``; False when a run already has one.

    Call it inside the transaction that does the work, before the work: if the work fails, the claim rolls back
    with it and a later run may try again.
    """
    try:
        with transaction.atomic():
            JobRun.objects.create(job=job, period=period)
    except IntegrityError:
        return False
    return True


def book_once(task: Any, when: dt.datetime, **kwargs: Any) -> bool:
    """Enqueue ``task`` to run at ``when`` unless a run of it is already waiting; True when one was booked."""
    name = task.module_path
    with transaction.atomic():
        JobLock.objects.get_or_create(name=name)
        JobLock.objects.filter(name=name).update(locked_at=timezone.now())
        if DBTaskResult.objects.filter(task_path=name, status=TaskResultStatus.READY).exists():
            return False
        task.using(run_after=when).enqueue(**kwargs)
    return True
