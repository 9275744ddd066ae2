"""Delivery of the result and the promise of a new date: return the result (online, at the counter, by post) and
extend with an apology (form 04 of TT 03/2025/TT-VPCP)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.calendar import WorkingCalendar
from dvc.dossiers.backoffice.audit import already_handled, audit, required_reason
from dvc.dossiers.backoffice.permissions import require
from dvc.dossiers.lifecycle import postal
from dvc.dossiers.lifecycle.clock import closing_moment
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.linked import group_follow
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.models import Dossier, Extension
from dvc.errors import Conflict, InvalidInput
from dvc.formatting import moment_short


def dossier_return_result(
    *, dossier: Dossier, actor: User, method: str, note: str = "", operator: str = "", ip: str = ""
) -> Dossier:
    """Hand the result over: online (already in the vault), at the counter (who collected it) or by post (the
    operator and the parcel's tracking number, sent to the citizen with where to follow it). Fees are collected
    before the result is returned (NĐ 118/2025/NĐ-CP)."""
    require(actor, dossier, "return_result")
    if method not in Dossier.ResultMethod.values:
        raise InvalidInput({"method": [_("Vui lòng chọn cách trả kết quả.")]})
    note = (note or "").strip()[:255]
    if method == Dossier.ResultMethod.COUNTER and not note:
        raise InvalidInput({"note": [_("Vui lòng ghi họ tên người nhận kết quả.")]})
    operator = (operator or "").strip()
    if method == Dossier.ResultMethod.POST:
        note = "".join(note.split()).upper()
        if not postal.TRACKING_NUMBER.match(note):
            raise InvalidInput({"note": [_("Vui lòng ghi số hiệu bưu gửi (chữ và số, ví dụ EB123456789VN).")]})
        operator = operator or postal.default_operator()
        if operator not in postal.operators():
            raise InvalidInput({"operator": [_("Vui lòng chọn đơn vị bưu chính.")]})
    else:
        operator = ""
    if dossier.fee_status == Dossier.FeeStatus.UNPAID:
        raise Conflict(
            _("Người nộp chưa thanh toán phí, lệ phí. Chỉ trả kết quả sau khi đã thanh toán."), code="fee_unpaid"
        )
    now = timezone.now()
    with transaction.atomic():
        if (
            not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.RESULT_READY)
            .exclude(fee_status=Dossier.FeeStatus.UNPAID)
            .update(
                status=Dossier.Status.RETURNED,
                returned_at=now,
                returned_by=actor,
                return_note=note,
                result_method=method,
                postal_operator=operator,
                updated_at=now,
            )
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        shown = dict(Dossier.ResultMethod.choices)[method]
        record_event(
            dossier,
            actor=actor,
            action="returned",
            before=Dossier.Status.RESULT_READY,
            after=Dossier.Status.RETURNED,
            note=f"{shown}. {note}".strip(". "),
        )
        audit(actor, "return_result", dossier, ip=ip)
        group_follow(dossier)  # the last part handed over: the linked dossier is returned too
        extra = {"method": shown, "note": note}
        if operator:
            extra |= {"operator": postal.operator_name(operator), "tracking_url": postal.tracking_url(dossier)}
        notify_applicant(dossier, "dossier_returned", extra=extra)
    return dossier


def dossier_extend(*, dossier: Dossier, actor: User, reason: str, new_due: dt.date, ip: str = "") -> Extension:
    """Form 04: before the due date passes, apologise and set a new date. The statistics still count it late
    (the original due date is kept, ``lifecycle.clock.verdict``)."""
    require(actor, dossier, "extend")
    reason = required_reason(reason)
    now = timezone.now()
    current = dossier.effective_due_at
    if dossier.status not in (Dossier.Status.PROCESSING, Dossier.Status.NEEDS_SUPPLEMENT) or current is None:
        raise already_handled(dossier)
    if current < now:
        raise Conflict(_("Đã quá hạn trả kết quả: văn bản xin lỗi và hẹn lại phải gửi trước ngày hẹn trả."))
    calendar = WorkingCalendar(dossier.agency)
    if new_due <= timezone.localtime(current).date() or not calendar.is_working_day(new_due):
        raise InvalidInput({"new_due": [_("Ngày hẹn mới phải là ngày làm việc sau ngày hẹn trả hiện tại.")]})
    new_moment = closing_moment(calendar, new_due)
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=dossier.status, updated_at=dossier.updated_at).update(
            extended_until=new_moment, updated_at=now
        ):
            raise already_handled(dossier)
        extension = Extension.objects.create(
            dossier=dossier, issued_by=actor, reason=reason, previous_due_at=current, new_due_at=new_moment
        )
        dossier.refresh_from_db()
        record_event(
            dossier,
            actor=actor,
            action="extended",
            note=_("Hẹn lại: %(due)s. Lý do: %(reason)s") % {"due": moment_short(new_moment), "reason": reason[:500]},
        )
        audit(actor, "extend", dossier, ip=ip)
        notify_applicant(
            dossier, "dossier_extended", extra={"new_due": moment_short(new_moment), "reason": reason[:300]}
        )
    return extension
