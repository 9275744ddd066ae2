"""The applicant's notices of each change, by the channels they chose."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from dvc.dossiers.models import Dossier
from dvc.formatting import moment_short
from dvc.notify.models import Message
from dvc.notify.services import message_send


def notify_applicant(dossier: Dossier, template: str, extra: dict[str, Any] | None = None) -> None:
    """Tell the applicant by SMS and e-mail as they chose, queued in the transaction of the change.

    NĐ 118/2025: the applicant is told of each step (receipt, supplement, refusal, result) of their dossier.
    """
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "due": moment_short(dossier.due_at),
        "lookup_url": f"{settings.SITE_URL}/tra-cuu/?ma={dossier.code}",
        # The security code travels only while a fee is due: with the dossier code it lets the applicant pay.
        "security_code": dossier.security_code if dossier.fee_status == Dossier.FeeStatus.UNPAID else "",
        **(extra or {}),
    }
    phone = dossier.applicant.phone
    email = dossier.applicant_data.get("email") or dossier.applicant.email
    if dossier.notify_sms and phone:
        message_send(channel=Message.Channel.SMS, recipient=phone, template=template, context=context)
    if dossier.notify_email and email:
        message_send(channel=Message.Channel.EMAIL, recipient=email, template=template, context=context)
