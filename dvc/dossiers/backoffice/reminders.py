"""The officers' daily deadline reminders: once per day whatever the number of workers or runs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dvc.accounts.models import User
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import Agency, StaffRole
from dvc.dossiers.backoffice.permissions import LEADER, OFFICER, SPECIALIST
from dvc.dossiers.backoffice.queues import due_soon_horizon
from dvc.dossiers.models import Dossier
from dvc.formatting import moment_short
from dvc.jobs.services import job_run_claim
from dvc.notify.models import Message
from dvc.notify.services import message_send, notice_post

JOB = "deadline_reminders"


def deadline_reminders_send(*, day: dt.date | None = None) -> int:
    """Each officer and leader gets one e-mail listing their agency's overdue and soon-due dossiers; a specialist
    gets those assigned to them. Returns how many e-mails were queued: none when the day's run already happened.

    The day's run record is created first, in the transaction that queues the e-mails: a second run of the same
    day, even at the same instant in another worker, sends nothing.
    """
    now = timezone.now()
    day = day or timezone.localdate(now)
    with transaction.atomic():
        if not job_run_claim(job=JOB, period=day.isoformat()):
            return 0
        return _send_all(now)


def _send_all(now: dt.datetime) -> int:
    sent = 0
    agency_ids = Dossier.objects.filter(status=Dossier.Status.PROCESSING).values_list("agency_id", flat=True).distinct()
    for agency in Agency.objects.filter(pk__in=agency_ids):
        horizon = due_soon_horizon(WorkingCalendar(agency), now)
        active = (
            Dossier.objects.filter(agency=agency, status=Dossier.Status.PROCESSING, due_at__lte=horizon, is_group=False)
            .select_related("procedure")
            .order_by("due_at")
        )
        dossiers = list(active[:500])
        if not dossiers:
            continue
        roles: dict[User, set[str]] = {}
        for role in StaffRole.objects.filter(agency=agency, is_active=True).select_related("user"):
            roles.setdefault(role.user, set()).add(role.role)
        for user, held in roles.items():
            if not held & {OFFICER, SPECIALIST, LEADER}:
                continue
            mine = dossiers if held & {OFFICER, LEADER} else [d for d in dossiers if d.assigned_to_id == user.pk]
            if not mine:
                continue
            lines = [
                {
                    "code": d.code,
                    "procedure": d.procedure.name,
                    "due": moment_short(d.due_at),
                    "late": d.due_at is not None and d.due_at < now,
                }
                for d in mine[:50]
            ]
            context = {
                "agency": agency.name,
                "overdue": sum(1 for line in lines if line["late"]),
                "soon": sum(1 for line in lines if not line["late"]),
                "lines": lines,
                "more": max(len(mine) - 50, 0),
                "url": f"{settings.SITE_URL}/can-bo/?hang=qua-han",
            }
            notice_post(user=user, template="deadline_reminder", context=context, link="/can-bo/?hang=qua-han")
            if not user.email:
                continue
            message_send(
                channel=Message.Channel.EMAIL, recipient=user.email, template="deadline_reminder", context=context
            )
            sent += 1
    return sent
