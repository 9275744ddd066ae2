"""Writes of the one-stop back office (NĐ 118/2025/NĐ-CP, TT 03/2025/TT-VPCP).

Receive, ask for more papers, refuse, suspend, assign, propose, approve and sign, send back, return the result,
extend, and file at the counter. Each is one service: a role check in the dossier's agency, a conditional update
on the current state, a history row, an audit entry and the applicant's notices, in one transaction. When the
conditional update finds the dossier already moved on, the officer is told who handled it and when.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import Agency, StaffRole
from dvc.catalog import eform
from dvc.catalog.models import DocumentRequirement, Procedure
from dvc.dossiers import results
from dvc.dossiers.models import AuditEntry, Dossier, DossierAttachment, DossierEvent, Extension, IssuedResult
from dvc.dossiers.services import _applicant_snapshot, _event, _next_code, _notify, dossier_request_supplement
from dvc.errors import Conflict, Forbidden, InvalidInput
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_file_save
from dvc.vault.signing import verify_signed_pdf

Role = StaffRole.Role
OFFICER, SPECIALIST, LEADER = Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER

# Who may do what, by role in the dossier's agency (NĐ 118/2025 Điều 18–21: the one-stop officer receives and
# returns; the specialist appraises and proposes; the leader decides and signs).
ALLOWED: dict[str, frozenset[str]] = {
    "view": frozenset({OFFICER, SPECIALIST, LEADER}),
    "receive": frozenset({OFFICER, LEADER}),
    "request_supplement": frozenset({OFFICER, SPECIALIST, LEADER}),
    "refuse": frozenset({OFFICER, LEADER}),
    "suspend": frozenset({LEADER}),
    "assign": frozenset({OFFICER, LEADER}),
    "prepare_result": frozenset({SPECIALIST, LEADER}),
    "propose": frozenset({SPECIALIST, LEADER}),
    "approve": frozenset({LEADER}),
    "send_back": frozenset({LEADER}),
    "return_result": frozenset({OFFICER, LEADER}),
    "extend": frozenset({OFFICER, SPECIALIST, LEADER}),
    "counter_intake": frozenset({OFFICER, LEADER}),
}

ACTION_LABELS = {
    "received": _("tiếp nhận"),
    "supplement_requested": _("yêu cầu bổ sung"),
    "supplemented": _("gửi bổ sung"),
    "refused": _("từ chối"),
    "suspended": _("dừng giải quyết"),
    "assigned": _("giao thụ lý"),
    "proposed": _("đề xuất"),
    "sent_back": _("trả lại chuyên viên"),
    "result_ready": _("phê duyệt, ký kết quả"),
    "returned": _("trả kết quả"),
    "extended": _("gia hạn"),
    "withdrawn": _("rút hồ sơ"),
}


def roles_in(user: Any, agency_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(StaffRole.objects.filter(user=user, agency_id=agency_id, is_active=True).values_list("role", flat=True))


def require(user: Any, dossier: Dossier, action: str) -> set[str]:
    """The user's roles in the dossier's agency, or ``Forbidden`` when none of them allows ``action``."""
    roles = roles_in(user, dossier.agency_id)
    if not roles & ALLOWED[action]:
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này với hồ sơ của cơ quan khác hoặc vai trò khác."))
    return roles


def audit(actor: Any, action: str, dossier: Dossier | None = None, *, ip: str = "", detail: str = "") -> None:
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        dossier_id=dossier.pk if dossier else None,
        dossier_code=(dossier.code or "") if dossier else "",
        ip=ip or None,
        detail=detail[:500],
    )


def already_handled(dossier: Dossier) -> Conflict:
    """The clear message for the officer who lost a race: who handled the dossier, and when."""
    last = DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("-at", "-pk").first()
    if last is None or last.actor is None:
        return Conflict(_("Hồ sơ đã thay đổi trạng thái. Vui lòng tải lại trang."), code="already_handled")
    return Conflict(
        _("Hồ sơ đã được %(name)s xử lý (%(action)s) lúc %(at)s. Vui lòng tải lại trang.")
        % {
            "name": last.actor.full_name,
            "action": ACTION_LABELS.get(last.action, last.action),
            "at": timezone.localtime(last.at).strftime("%H:%M %d/%m/%Y"),
        },
        code="already_handled",
    )


def _reason(text: str, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput({field: [_("Vui lòng ghi rõ lý do.")]})
    return text[:5000]


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def dossier_receive(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """Receive a valid dossier: the clock starts, the due date is set, form 01 is issued, the applicant told."""
    require(actor, dossier, "receive")
    now = timezone.now()
    due = WorkingCalendar(dossier.agency).due_moment(now, dossier.procedure.processing_days)
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.SUBMITTED).update(
            status=Dossier.Status.PROCESSING, received_at=now, received_by=actor, due_at=due, updated_at=now
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        _event(
            dossier,
            actor=actor,
            action="received",
            before=Dossier.Status.SUBMITTED,
            after=Dossier.Status.PROCESSING,
            note=_("Hẹn trả kết quả: %(due)s") % {"due": _local(due)},
        )
        audit(actor, "receive", dossier, ip=ip)
        _notify(dossier, "dossier_received")
    return dossier


def dossier_ask_supplement(
    *, dossier: Dossier, actor: User, requirements: list[DocumentRequirement], note: str, ip: str = ""
) -> Dossier:
    """Form 02: one complete list of what is missing or wrong. During processing the clock pauses."""
    require(actor, dossier, "request_supplement")
    with transaction.atomic():
        dossier_request_supplement(dossier=dossier, actor=actor, requirements=requirements, note=note)
        audit(actor, "request_supplement", dossier, ip=ip)
    dossier.refresh_from_db()
    return dossier


def dossier_refuse(*, dossier: Dossier, actor: User, reason: str, ip: str = "") -> Dossier:
    """Form 03: refuse to receive (before receipt) or, for the leader, refuse to resolve during processing."""
    roles = require(actor, dossier, "refuse")
    reason = _reason(reason)
    allowed = [Dossier.Status.SUBMITTED] + ([Dossier.Status.PROCESSING] if LEADER in roles else [])
    return _close(dossier, actor=actor, allowed=allowed, to=Dossier.Status.REFUSED, reason=reason, ip=ip)


def dossier_suspend(*, dossier: Dossier, actor: User, reason: str, ip: str = "") -> Dossier:
    """Form 05: stop processing (e.g. a court or an inspection decision), with the reason."""
    require(actor, dossier, "suspend")
    reason = _reason(reason)
    return _close(
        dossier, actor=actor, allowed=[Dossier.Status.PROCESSING], to=Dossier.Status.SUSPENDED, reason=reason, ip=ip
    )


def _close(dossier: Dossier, *, actor: User, allowed: Sequence[str], to: str, reason: str, ip: str) -> Dossier:
    before = dossier.status
    now = timezone.now()
    action = "refused" if to == Dossier.Status.REFUSED else "suspended"
    with transaction.atomic():
        if before not in allowed:
            raise Conflict(
                _("Hồ sơ đang ở trạng thái “%(status)s”, không thực hiện được thao tác này.")
                % {"status": dossier.get_status_display()},
                code="wrong_state",
            )
        if not Dossier.objects.filter(pk=dossier.pk, status=before).update(
            status=to, decision_note=reason, decided_at=now, paused_at=None, updated_at=now
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action=action, before=before, after=to, note=reason[:1000])
        audit(actor, action, dossier, ip=ip)
        _notify(dossier, f"dossier_{action}", extra={"reason": reason[:300]})
    return dossier


def dossier_assign(*, dossier: Dossier, actor: User, specialist: User, ip: str = "") -> Dossier:
    """Hand the dossier to a specialist of the agency for appraisal (also to reassign before a proposal)."""
    require(actor, dossier, "assign")
    if not roles_in(specialist, dossier.agency_id) & {SPECIALIST, LEADER}:
        raise InvalidInput({"specialist": [_("Người được giao phải là chuyên viên của cơ quan.")]})
    now = timezone.now()
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal="").update(
            assigned_to=specialist, assigned_at=now, updated_at=now
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action="assigned", note=specialist.full_name)
        audit(actor, "assign", dossier, ip=ip, detail=specialist.id_number)
    return dossier


def _appraiser_check(dossier: Dossier, actor: User, roles: set[str]) -> None:
    if LEADER not in roles and dossier.assigned_to_id != actor.pk:
        raise Forbidden(_("Hồ sơ này được giao cho chuyên viên khác."))


def dossier_generate_result(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """The draft result from the procedure's template and the dossier's data (unsigned until approval)."""
    roles = require(actor, dossier, "prepare_result")
    _appraiser_check(dossier, actor, roles)
    content = results.result_pdf(dossier)
    stored = StoredFile(
        owner=actor,
        original_name=f"du-thao-ket-qua-{dossier.code}.pdf",
        kind=StoredFile.Kind.PDF,
        content_type="application/pdf",
        size=len(content),
        sha256=results.sha256(content),
        title=dossier.procedure.result_document[:255],
    )
    stored.file.save("result.pdf", ContentFile(content), save=False)
    return _set_draft_result(dossier, actor=actor, stored=stored, ip=ip)


def dossier_upload_result(*, dossier: Dossier, actor: User, upload: UploadedFile, ip: str = "") -> Dossier:
    """A draft result prepared elsewhere (PDF), signed by the leader on approval."""
    roles = require(actor, dossier, "prepare_result")
    _appraiser_check(dossier, actor, roles)
    stored = stored_file_save(
        owner=actor, upload=upload, allowed=["pdf"], max_bytes=20 * 1024 * 1024, title=dossier.procedure.result_document
    )
    return _set_draft_result(dossier, actor=actor, stored=stored, ip=ip)


def _set_draft_result(dossier: Dossier, *, actor: User, stored: StoredFile, ip: str) -> Dossier:
    with transaction.atomic():
        if stored._state.adding:
            stored.save()
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal="").update(
            draft_result=stored, updated_at=timezone.now()
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action="draft_result", note=stored.original_name)
        audit(actor, "prepare_result", dossier, ip=ip)
    return dossier


def dossier_propose(*, dossier: Dossier, actor: User, decision: str, note: str, ip: str = "") -> Dossier:
    """The specialist's appraisal: propose to resolve (with a draft result) or to refuse (with the reason)."""
    roles = require(actor, dossier, "propose")
    _appraiser_check(dossier, actor, roles)
    if decision not in (Dossier.Proposal.APPROVE, Dossier.Proposal.REFUSE):
        raise InvalidInput({"decision": [_("Vui lòng chọn đề xuất giải quyết hoặc từ chối.")]})
    note = (note or "").strip()[:5000]
    if decision == Dossier.Proposal.REFUSE and not note:
        raise InvalidInput({"note": [_("Vui lòng ghi rõ lý do đề xuất từ chối.")]})
    if decision == Dossier.Proposal.APPROVE and dossier.draft_result_id is None:
        raise InvalidInput({"decision": [_("Vui lòng tạo hoặc tải lên dự thảo kết quả trước khi đề xuất.")]})
    now = timezone.now()
    with transaction.atomic():
        if not Dossier.objects.filter(
            pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal="", assigned_to__isnull=False
        ).update(proposal=decision, proposal_note=note, proposed_at=now, updated_at=now):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action="proposed", note=f"{dossier.get_proposal_display()}. {note}".strip()[:1000])
        audit(actor, "propose", dossier, ip=ip, detail=decision)
    return dossier


def dossier_send_back(*, dossier: Dossier, actor: User, note: str, ip: str = "") -> Dossier:
    """The leader returns the proposal to the specialist with instructions."""
    require(actor, dossier, "send_back")
    note = _reason(note, "note")
    with transaction.atomic():
        if (
            not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PROCESSING)
            .exclude(proposal="")
            .update(proposal="", proposed_at=None, updated_at=timezone.now())
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action="sent_back", note=note[:1000])
        audit(actor, "send_back", dossier, ip=ip)
    return dossier


def dossier_approve(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """The leader decides on the proposal: a resolved dossier's result is signed by the agency and issued."""
    require(actor, dossier, "approve")
    if dossier.status != Dossier.Status.PROCESSING or not dossier.proposal:
        raise already_handled(dossier)
    if dossier.proposal == Dossier.Proposal.REFUSE:
        return _close(
            dossier,
            actor=actor,
            allowed=[Dossier.Status.PROCESSING],
            to=Dossier.Status.REFUSED,
            reason=dossier.proposal_note,
            ip=ip,
        )
    if dossier.draft_result is None:
        raise InvalidInput({"decision": [_("Chưa có dự thảo kết quả để ký.")]})
    issued_id = uuid.uuid4()
    now = timezone.now()
    verify_url = f"{settings.SITE_URL}/xac-minh/{issued_id}/"
    with dossier.draft_result.file.open("rb") as handle:
        draft = handle.read()
    signed = results.sign_result(
        draft, agency=dossier.agency, verify_url=verify_url, signer_name=actor.full_name, when=now
    )
    report = verify_signed_pdf(signed)
    with transaction.atomic():
        stored = StoredFile(
            owner=dossier.applicant,
            original_name=f"ket-qua-{dossier.code}.pdf",
            kind=StoredFile.Kind.PDF,
            content_type="application/pdf",
            size=len(signed),
            sha256=results.sha256(signed),
            document_type="ket_qua",
            title=dossier.procedure.result_document[:255],
        )
        stored.file.save("result.pdf", ContentFile(signed), save=False)
        stored.save()
        if not Dossier.objects.filter(
            pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal=Dossier.Proposal.APPROVE
        ).update(status=Dossier.Status.RESULT_READY, result_file=stored, decided_at=now, updated_at=now):
            transaction.set_rollback(True)
            stored.file.delete(save=False)
            raise already_handled(dossier)
        IssuedResult.objects.create(
            id=issued_id,
            dossier=dossier,
            stored_file=stored,
            agency_name=dossier.agency.name,
            agency_code=dossier.agency.code,
            document_title=dossier.procedure.result_document[:255],
            signer_name=report.signer_name,
            signed_at=now,
            sha256=stored.sha256,
        )
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action="result_ready", before=Dossier.Status.PROCESSING, after=dossier.status)
        audit(actor, "approve", dossier, ip=ip)
        _notify(dossier, "dossier_result_ready")
    return dossier


def dossier_return_result(*, dossier: Dossier, actor: User, method: str, note: str = "", ip: str = "") -> Dossier:
    """Hand the result over: online (already in the vault), at the counter (who collected it) or by post."""
    require(actor, dossier, "return_result")
    if method not in Dossier.ResultMethod.values:
        raise InvalidInput({"method": [_("Vui lòng chọn cách trả kết quả.")]})
    note = (note or "").strip()[:255]
    if method == Dossier.ResultMethod.COUNTER and not note:
        raise InvalidInput({"note": [_("Vui lòng ghi họ tên người nhận kết quả.")]})
    if method == Dossier.ResultMethod.POST and not note:
        raise InvalidInput({"note": [_("Vui lòng ghi số hiệu bưu gửi.")]})
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
                updated_at=now,
            )
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        shown = dict(Dossier.ResultMethod.choices)[method]
        _event(
            dossier,
            actor=actor,
            action="returned",
            before=Dossier.Status.RESULT_READY,
            after=Dossier.Status.RETURNED,
            note=f"{shown}. {note}".strip(". "),
        )
        audit(actor, "return_result", dossier, ip=ip)
        _notify(dossier, "dossier_returned", extra={"method": shown, "note": note})
    return dossier


def dossier_extend(*, dossier: Dossier, actor: User, reason: str, new_due: dt.date, ip: str = "") -> Extension:
    """Form 04: before the due date passes, apologise and set a new date. Statistics still count it late."""
    require(actor, dossier, "extend")
    reason = _reason(reason)
    now = timezone.now()
    current = dossier.effective_due_at
    if dossier.status not in (Dossier.Status.PROCESSING, Dossier.Status.NEEDS_SUPPLEMENT) or current is None:
        raise already_handled(dossier)
    if current < now:
        raise Conflict(_("Đã quá hạn trả kết quả: văn bản xin lỗi và hẹn lại phải gửi trước ngày hẹn trả."))
    calendar = WorkingCalendar(dossier.agency)
    if new_due <= timezone.localtime(current).date() or not calendar.is_working_day(new_due):
        raise InvalidInput({"new_due": [_("Ngày hẹn mới phải là ngày làm việc sau ngày hẹn trả hiện tại.")]})
    new_moment = dt.datetime.combine(new_due, calendar.closing_time(new_due), tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=dossier.status, updated_at=dossier.updated_at).update(
            extended_until=new_moment, updated_at=now
        ):
            raise already_handled(dossier)
        extension = Extension.objects.create(
            dossier=dossier, issued_by=actor, reason=reason, previous_due_at=current, new_due_at=new_moment
        )
        dossier.refresh_from_db()
        _event(
            dossier,
            actor=actor,
            action="extended",
            note=_("Hẹn lại: %(due)s. Lý do: %(reason)s") % {"due": _local(new_moment), "reason": reason[:500]},
        )
        audit(actor, "extend", dossier, ip=ip)
        _notify(dossier, "dossier_extended", extra={"new_due": _local(new_moment), "reason": reason[:300]})
    return extension


def counter_intake(
    *,
    actor: User,
    agency: Agency,
    procedure: Procedure,
    id_number: str,
    full_name: str,
    phone: str,
    birth_date: dt.date | None,
    form_data: dict[str, Any],
    scans: dict[int, UploadedFile],
    result_method: str,
    ip: str = "",
) -> Dossier:
    """An officer files a walk-in citizen's dossier (seed 001): checked, coded and received on the spot.

    A citizen without an account gets an inactive one keyed by their id number, which they can activate later
    by registering with the same number; the code reaches them by SMS.
    """
    roles = roles_in(actor, agency.pk)
    if not roles & ALLOWED["counter_intake"]:
        raise Forbidden()
    answers = eform.validate_answers(procedure.form_schema or {}, form_data)
    problems: dict[str, list[str]] = dict(answers.errors)
    requirements = {r.pk: r for r in procedure.requirements.all()}
    for requirement in requirements.values():
        if requirement.required and not requirement.template_is_eform and requirement.pk not in scans:
            problems.setdefault(f"requirement-{requirement.pk}", []).append(
                _("Chưa quét: %(name)s.") % {"name": requirement.name}
            )
    if result_method not in procedure.result_channels and result_method != Dossier.ResultMethod.COUNTER:
        problems["result_method"] = [_("Thủ tục này không trả kết quả theo cách đã chọn.")]
    if problems:
        raise InvalidInput(problems, message=_("Hồ sơ chưa đủ thông tin. Vui lòng xem các mục được đánh dấu."))
    now = timezone.now()
    calendar = WorkingCalendar(agency)
    with transaction.atomic():
        applicant = User.objects.select_for_update().filter(id_number=id_number).first()
        if applicant is None:
            applicant = User(id_number=id_number, full_name=full_name, phone=phone, birth_date=birth_date)
            applicant.set_unusable_password()
            applicant.save()
        snapshot = _applicant_snapshot(applicant)
        snapshot.update(full_name=full_name, phone=phone or snapshot["phone"])
        if birth_date:
            snapshot["birth_date"] = birth_date.isoformat()
        dossier = Dossier.objects.create(
            procedure=procedure,
            agency=agency,
            applicant=applicant,
            applicant_data=snapshot,
            form_data=answers.answers,
            channel=Dossier.Channel.COUNTER,
            filed_by=actor,
            submission_method=Dossier.SubmissionMethod.ONLINE,
            result_method=result_method,
            notify_sms=bool(phone),
            notify_email=False,
        )
        for requirement_id, upload in scans.items():
            stored = stored_file_save(
                owner=applicant,
                upload=upload,
                allowed=requirements[requirement_id].accepted_types or ["pdf", "jpg", "png"],
                max_bytes=requirements[requirement_id].max_size_mb * 1024 * 1024,
                document_type=requirements[requirement_id].vault_document_type,
                title=requirements[requirement_id].name,
            )
            DossierAttachment.objects.create(
                dossier=dossier, requirement=requirements[requirement_id], stored_file=stored
            )
        from dvc.payments.services import fee_lines_set

        code = _next_code(agency, timezone.localdate(now))
        owed = fee_lines_set(dossier)
        Dossier.objects.filter(pk=dossier.pk).update(
            code=code,
            status=Dossier.Status.PROCESSING,
            submitted_at=now,
            received_at=now,
            received_by=actor,
            due_at=calendar.due_moment(now, procedure.processing_days),
            fee_status=Dossier.FeeStatus.UNPAID if owed else Dossier.FeeStatus.NOT_REQUIRED,
        )
        dossier.refresh_from_db()
        _event(
            dossier, actor=actor, action="created", after=Dossier.Status.DRAFT, note=_("Tiếp nhận trực tiếp tại quầy")
        )
        _event(
            dossier,
            actor=actor,
            action="received",
            before=Dossier.Status.DRAFT,
            after=Dossier.Status.PROCESSING,
            note=_("Hẹn trả kết quả: %(due)s") % {"due": _local(dossier.due_at)},
        )
        audit(actor, "counter_intake", dossier, ip=ip, detail=procedure.code)
        _notify(dossier, "dossier_received")
    return dossier


def deadline_reminders_send() -> int:
    """Each officer and leader gets one e-mail listing their agency's overdue and soon-due dossiers; a specialist
    gets those assigned to them. Returns how many e-mails were queued."""
    from dvc.notify.models import Message
    from dvc.notify.services import message_send

    now = timezone.now()
    sent = 0
    agency_ids = Dossier.objects.filter(status=Dossier.Status.PROCESSING).values_list("agency_id", flat=True).distinct()
    for agency in Agency.objects.filter(pk__in=agency_ids):
        calendar = WorkingCalendar(agency)
        horizon_day = calendar.add_working_days(timezone.localdate(now), 2)
        horizon = dt.datetime.combine(
            horizon_day, calendar.closing_time(horizon_day), tzinfo=timezone.get_current_timezone()
        )
        active = (
            Dossier.objects.filter(agency=agency, status=Dossier.Status.PROCESSING, due_at__lte=horizon)
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
            if not user.email or not held & {OFFICER, SPECIALIST, LEADER}:
                continue
            mine = dossiers if held & {OFFICER, LEADER} else [d for d in dossiers if d.assigned_to_id == user.pk]
            if not mine:
                continue
            lines = [
                {
                    "code": d.code,
                    "procedure": d.procedure.name,
                    "due": _local(d.due_at),
                    "late": d.due_at is not None and d.due_at < now,
                }
                for d in mine[:50]
            ]
            message_send(
                channel=Message.Channel.EMAIL,
                recipient=user.email,
                template="deadline_reminder",
                context={
                    "agency": agency.name,
                    "overdue": sum(1 for line in lines if line["late"]),
                    "soon": sum(1 for line in lines if not line["late"]),
                    "lines": lines,
                    "more": max(len(mine) - 50, 0),
                    "url": f"{settings.SITE_URL}/can-bo/?hang=qua-han",
                },
            )
            sent += 1
    return sent
