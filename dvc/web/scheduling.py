"""Recurring work without an external scheduler: a task books its own next run in the task queue."""

from __future__ import annotations

import datetime as dt
from typing import Any


def book_once(task: Any, when: dt.datetime, **kwargs: Any) -> bool:
    """Enqueue ``task`` to run at ``when`` unless a run of it is already waiting; True when one was booked."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists():
        return False
    task.using(run_after=when).enqueue(**kwargs)
    return True
