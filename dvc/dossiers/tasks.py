"""Daily back-office work run by the task worker: deadline reminders to officers and leaders."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from dvc.agencies.calendar import LOCAL_TZ, WorkingCalendar
from dvc.dossiers.backoffice.reminders import deadline_reminders_send
from dvc.feedback.services import question_reminders_send
from dvc.jobs.services import book_once

REMINDER_TIME = dt.time(7, 0)


def next_reminder_moment(after: dt.datetime) -> dt.datetime:
    """07:00 of the next working day (national calendar) after ``after``."""
    calendar = WorkingCalendar()
    day = calendar.next_working_day(timezone.localtime(after).date())
    return dt.datetime.combine(day, REMINDER_TIME, tzinfo=LOCAL_TZ)


@task()
def send_deadline_reminders(reschedule: bool = True) -> int:
    """Send today's reminders (once per day, ``deadline_reminders_send``), then book the next run."""
    sent = deadline_reminders_send()
    question_reminders_send()  # questions and feedback near or past their deadline, the same morning
    if reschedule:
        schedule_deadline_reminders()
    return sent


def schedule_deadline_reminders() -> bool:
    """Book the next run unless one is already booked; True when one was booked now."""
    return book_once(send_deadline_reminders, next_reminder_moment(timezone.now()))
