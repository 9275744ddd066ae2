"""The daily deadline reminders to officers, specialists and leaders: once a day, whatever runs them."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dvc.dossiers.backoffice.reminders import deadline_reminders_send
from dvc.dossiers.tasks import next_reminder_moment, schedule_deadline_reminders, send_deadline_reminders
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre, ensure_catalog
from dvc.jobs.models import JobLock

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_work():
    """An agency whose officer, specialist and leader have e-mail, with one overdue and one distant dossier."""
    agency = commune_centre()
    staff = agency_staff(agency)
    for user in (staff.officer, staff.specialist, staff.leader):
        user.email = f"{user.id_number}@example.vn"
        user.save()
    now = timezone.now()
    late = DossierFactory(processing=True, agency=agency, due_at=now - dt.timedelta(days=1))
    calm = DossierFactory(processing=True, agency=agency, due_at=now + dt.timedelta(days=30))
    return staff, late, calm


def test_officers_are_told_what_is_overdue_or_due_soon(due_work, mailoutbox, tasks):
    staff, late, calm = due_work
    assert deadline_reminders_send() == 2  # the specialist has nothing assigned
    tasks()
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([staff.officer.email, staff.leader.email])
    text = mailoutbox[0].body
    assert late.code in text and "QUÁ HẠN" in text and calm.code not in text
    assert "1 hồ sơ quá hạn" in mailoutbox[0].subject


def test_two_runs_on_the_same_day_send_one_email_per_officer(due_work, mailoutbox, tasks):
    staff, _late, _calm = due_work
    assert deadline_reminders_send() == 2
    assert deadline_reminders_send() == 0
    assert send_deadline_reminders.call(reschedule=False) == 0
    tasks()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff.officer.email, staff.leader.email])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert deadline_reminders_send(day=tomorrow) == 2  # the next day is a run of its own


def test_the_daily_run_books_the_next_one_once():
    assert schedule_deadline_reminders() is True
    assert schedule_deadline_reminders() is False
    friday_evening = dt.datetime(2026, 11, 27, 18, 0, tzinfo=timezone.get_current_timezone())
    assert timezone.localtime(next_reminder_moment(friday_evening)) == dt.datetime(
        2026, 11, 30, 7, 0, tzinfo=timezone.get_current_timezone()
    )


def _at_once(count, work):
    """Run ``work`` in ``count`` threads released together, each on its own database connection (PostgreSQL: the
    test database of SQLite is shared in memory, where every writer is serialised anyway)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    start = threading.Barrier(count)
    results, errors = [], []

    def one():
        try:
            start.wait()
            results.append(work())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_two_workers_booking_at_once_book_the_reminders_once():
    JobLock.objects.create(name=send_deadline_reminders.module_path)  # as after the first day: the row exists
    assert sorted(_at_once(2, schedule_deadline_reminders)) == [False, True]
    waiting = DBTaskResult.objects.filter(task_path=send_deadline_reminders.module_path, status=TaskResultStatus.READY)
    assert waiting.count() == 1


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_once_send_one_set_of_emails():
    ensure_catalog()
    agency = commune_centre()
    staff = agency_staff(agency)
    staff.officer.email = "motcua@example.vn"
    staff.officer.save()
    DossierFactory(processing=True, agency=agency, due_at=timezone.now() - dt.timedelta(hours=1))
    assert sorted(_at_once(2, deadline_reminders_send)) == [0, 1]
