"""The daily deadline reminders to officers, specialists and leaders."""

import datetime as dt

import pytest
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.backoffice.reminders import deadline_reminders_send
from dvc.dossiers.models import Dossier
from dvc.dossiers.tasks import next_reminder_moment, schedule_deadline_reminders, send_deadline_reminders
from dvc.dossiers.tests.factories import agency_staff, commune_centre

pytestmark = pytest.mark.django_db


def test_officers_are_told_what_is_overdue_or_due_soon(submitted_dossier, mailoutbox, tasks):
    agency = commune_centre()
    staff = agency_staff(agency)
    for user in (staff.officer, staff.specialist, staff.leader):
        user.email = f"{user.id_number}@example.vn"
        user.save()
    late = dossier_receive(dossier=submitted_dossier(UserFactory(), agency=agency), actor=staff.officer)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    calm = dossier_receive(dossier=submitted_dossier(UserFactory(), agency=agency, key="k2"), actor=staff.officer)
    Dossier.objects.filter(pk=calm.pk).update(due_at=timezone.now() + dt.timedelta(days=30))
    assert deadline_reminders_send() == 2  # the specialist has nothing assigned
    tasks()
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([staff.officer.email, staff.leader.email])
    text = mailoutbox[0].body
    assert late.code in text and "QUÁ HẠN" in text and calm.code not in text
    assert "1 hồ sơ quá hạn" in mailoutbox[0].subject


def test_the_daily_run_books_the_next_one_once():
    assert schedule_deadline_reminders() is True
    assert schedule_deadline_reminders() is False
    friday_evening = dt.datetime(2026, 11, 27, 18, 0, tzinfo=timezone.get_current_timezone())
    assert timezone.localtime(next_reminder_moment(friday_evening)) == dt.datetime(
        2026, 11, 30, 7, 0, tzinfo=timezone.get_current_timezone()
    )
    assert send_deadline_reminders.call(reschedule=False) == 0
