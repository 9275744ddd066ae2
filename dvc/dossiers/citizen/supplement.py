"""The applicant's answer to a request for more papers (form 02 of TT 03/2025/TT-VPCP).

NĐ 118/2025/NĐ-CP: the completed dossier goes back to the agency; when the clock had started, it resumes with
the due date moved by the working days spent waiting (``lifecycle.clock.resume_changes``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.catalog import eform
from dvc.dossiers.citizen.sending import submission_problems
from dvc.dossiers.lifecycle.clock import resume_changes
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.lifecycle.supplement_scope import answer_changes
from dvc.dossiers.models import Dossier, SupplementRequest
from dvc.errors import Conflict, InvalidInput
from dvc.formatting import moment_short
from dvc.payments.fees import fee_lines_for, fee_lines_set


def dossier_send_supplement(*, dossier: Dossier, actor: User) -> Dossier:
    """The applicant sends the completed dossier back ("Gửi bổ sung"); it returns to the agency's queue."""
    problems = submission_problems(dossier)
    if problems:
        raise InvalidInput(problems, message=_("Hồ sơ chưa đủ thông tin để gửi. Vui lòng xem các mục được đánh dấu."))
    if dossier.fee_status == Dossier.FeeStatus.PAID and sum(line.amount for line in fee_lines_for(dossier)) != sum(
        dossier.fee_lines.values_list("amount", flat=True)
    ):
        message = _("Thay đổi này làm thay đổi phí, lệ phí đã nộp. Vui lòng liên hệ cơ quan tiếp nhận.")
        raise InvalidInput({"__all__": [message]}, message=message)
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": Dossier.Status.SUBMITTED,
        "updated_at": now,
        "form_data": eform.validate_answers(dossier.procedure.form_schema, dossier.form_data).answers,
    }
    resumed = resume_changes(dossier, now)
    if resumed:  # the clock had started: back in processing, the due date moved by the days spent waiting
        changes.update(resumed, status=Dossier.Status.PROCESSING)
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.NEEDS_SUPPLEMENT).update(**changes):
            raise Conflict(_("Hồ sơ không ở trạng thái chờ bổ sung."), code="not_waiting_supplement")
        dossier.refresh_from_db()
        for request in SupplementRequest.objects.filter(dossier=dossier, answered_at__isnull=True):
            SupplementRequest.objects.filter(pk=request.pk).update(
                answered_at=now, changes=answer_changes(dossier, request)
            )
        if dossier.fee_status != Dossier.FeeStatus.PAID:  # an opened answer may change what is owed
            owed = fee_lines_set(dossier)
            Dossier.objects.filter(pk=dossier.pk).update(
                fee_status=Dossier.FeeStatus.UNPAID if owed else Dossier.FeeStatus.NOT_REQUIRED
            )
            dossier.refresh_from_db()
        record_event(
            dossier,
            actor=actor,
            action="supplemented",
            before=Dossier.Status.NEEDS_SUPPLEMENT,
            after=dossier.status,
            note=_("Hẹn trả mới: %(due)s") % {"due": moment_short(dossier.due_at)}
            if dossier.status == Dossier.Status.PROCESSING and dossier.due_at
            else "",
        )
        notify_applicant(dossier, "dossier_supplemented")
    return dossier
