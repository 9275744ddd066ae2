"""The applicant's notices of each change, by the channels they chose."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from dvc.dossiers.models import Dossier
from dvc.formatting import moment_short
from dvc.notify.models import Message, Notice
from dvc.notify.services import message_for, notice_for, told_save


def notify_applicant(
    dossier: Dossier, template: str, extra: dict[str, Any] | None = None, attachment: tuple[str, str] | None = None
) -> None:
    """Tell the applicant by SMS and e-mail as they chose, queued in the transaction of the change.

    NĐ 118/2025: the applicant is told of each step (receipt, supplement, refusal, result) of their dossier.
    """
    procedure = dossier.procedure.name
    if dossier.parent_id:  # a part of a linked dossier: named with the code the citizen was given on filing
        parent_code = Dossier.objects.filter(pk=dossier.parent_id).values_list("code", flat=True).first()
        procedure = _("%(name)s, thuộc hồ sơ liên thông %(code)s") % {"name": procedure, "code": parent_code}
    context = {
        "code": dossier.code,
        "procedure": procedure,
        "dossier_url": f"{settings.SITE_URL}/ho-so/{dossier.pk}/",
        "agency": dossier.agency.name,
        "due": moment_short(dossier.due_at),
        "lookup_url": f"{settings.SITE_URL}/tra-cuu/?ma={dossier.code}",
        # The security code travels only while a fee is due: with the dossier code it lets the applicant pay.
        "security_code": dossier.security_code if dossier.fee_status == Dossier.FeeStatus.UNPAID else "",
        **(extra or {}),
    }
    # Every notice and message of the change in one statement (issue 20, part 2).
    told: list[Notice | Message] = [
        notice_for(user=dossier.applicant, template=template, context=context, link=f"/ho-so/{dossier.pk}/")
    ]
    phone = dossier.applicant.phone
    email = dossier.applicant_data.get("email") or dossier.applicant.email
    if dossier.notify_sms and phone:
        told.append(message_for(channel=Message.Channel.SMS, recipient=phone, template=template, context=context))
    if dossier.notify_email and email:
        told.append(
            message_for(
                channel=Message.Channel.EMAIL, recipient=email, template=template, context=context,
                attachment=attachment,
            )
        )  # fmt: skip
    if dossier.owner_basis and template in OWNER_TEMPLATES:
        filer = str(dossier.applicant_data.get("full_name", ""))
        owner_context = {**context, "procedure": _("%(name)s, do %(filer)s nộp hộ") % {"name": context["procedure"],
                                                                                    "filer": filer}}  # fmt: skip
        told += _owner_told(dossier, template, owner_context, attachment)
    told_save(told)


# What the owner of a dossier filed on their behalf is told: its steps and its result, not what only the filer can
# act on (a request for more papers, a fee, a withdrawal, the invitation to rate).
OWNER_TEMPLATES = frozenset({
    "dossier_submitted", "dossier_received", "dossier_refused", "dossier_suspended", "dossier_extended",
    "dossier_result_ready", "dossier_group_done",
})  # fmt: skip


def _owner_told(
    dossier: Dossier, template: str, context: dict[str, Any], attachment: tuple[str, str] | None
) -> list[Notice | Message]:
    """A dossier filed on someone's behalf tells its owner too, as the owner chose (issue 19, part 6)."""
    told: list[Notice | Message] = []
    owner = dossier.owner if dossier.owner_id and dossier.owner_id != dossier.applicant_id else None
    if owner is not None:
        told.append(notice_for(user=owner, template=template, context=context, link=f"/ho-so/{dossier.pk}/"))
    phone = (dossier.owner_data or {}).get("phone") or (owner.phone if owner else "")
    if dossier.owner_notify_sms and phone and phone != dossier.applicant.phone:
        told.append(message_for(channel=Message.Channel.SMS, recipient=phone, template=template, context=context))
    if dossier.owner_notify_email and owner is not None and owner.email:
        told.append(
            message_for(
                channel=Message.Channel.EMAIL, recipient=owner.email, template=template, context=context,
                attachment=attachment,
            )
        )  # fmt: skip
    return told


RESULT_LINK_DAYS = 7
_RESULT_SALT = "dvc.dossiers.result-link"


def result_link(dossier: Dossier) -> str:
    """A download address for the signed result that needs no login, good for 7 days (issue 19, part 5): the
    result-ready message carries it."""
    token = signing.dumps({"d": str(dossier.pk), "f": str(dossier.result_file_id)}, salt=_RESULT_SALT, compress=True)
    return f"{settings.SITE_URL}/ket-qua/tai/{token}/"


def result_of_link(token: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(dossier id, file id) of a result link still valid, else None."""
    try:
        data = signing.loads(token, salt=_RESULT_SALT, max_age=RESULT_LINK_DAYS * 86400)
        return uuid.UUID(str(data["d"])), uuid.UUID(str(data["f"]))
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return None
