"""Writes of the citizen's dossier journey: start, edit the draft, attach, submit, withdraw.

Every state change is a conditional update (``filter(status=old).update(status=new)``) plus a history row and
its notifications in one transaction; zero rows updated means someone else got there first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.accounts.validators import display_phone
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import Agency
from dvc.catalog import eform
from dvc.catalog.models import DocumentRequirement, Procedure
from dvc.dossiers.models import (
    DailySequence,
    Dossier,
    DossierAttachment,
    DossierEvent,
    Rating,
    SupplementRequest,
)
from dvc.errors import Conflict, DomainError, InvalidInput
from dvc.notify.models import Message
from dvc.notify.services import message_send
from dvc.vault.inspection import inspect_upload
from dvc.vault.models import RemoteSigning, StoredFile
from dvc.vault.remote_signing import remote_signing_confirm, remote_signing_start
from dvc.vault.services import stored_file_save
from dvc.vault.signing import SignatureReport, verify_signed_pdf

# A draft, or a dossier sent back for more papers, may be edited by its applicant.
_DELIVERY_SCHEMA = {
    "fields": [{"name": "address", "type": "address", "label": "Địa chỉ nhận kết quả", "required": True}]
}
EDITABLE = (Dossier.Status.DRAFT, Dossier.Status.NEEDS_SUPPLEMENT)
# NĐ 118/2025: more papers may be asked for before receipt or while processing (the clock then pauses).
SUPPLEMENT_FROM = (Dossier.Status.SUBMITTED, Dossier.Status.PROCESSING)
WITHDRAWABLE = (Dossier.Status.DRAFT, Dossier.Status.SUBMITTED)


def eligible_agencies_query(procedure: Procedure) -> QuerySet[Agency]:
    """Agencies that receive this procedure: those listed, or every agency of its level in force today.

    NĐ 118/2025: a dossier is received regardless of the applicant's address within the province.
    """
    today = timezone.localdate()
    listed = Agency.objects.effective(today).filter(procedures=procedure)
    if listed.exists():
        return listed
    kinds = {
        Procedure.Level.COMMUNE: (Agency.Kind.COMMUNE_CENTRE, Agency.Kind.COMMUNE_COMMITTEE),
        Procedure.Level.PROVINCE: (Agency.Kind.PROVINCE_CENTRE, Agency.Kind.DEPARTMENT),
        Procedure.Level.CENTRAL: (Agency.Kind.MINISTRY,),
    }[Procedure.Level(procedure.level)]
    return Agency.objects.effective(today).filter(level=procedure.level, kind__in=kinds)


def eligible_agencies(procedure: Procedure) -> list[Agency]:
    return list(eligible_agencies_query(procedure).select_related("admin_unit").order_by("name"))


def agency_receives(procedure: Procedure, agency: Agency) -> bool:
    """One agency's eligibility, asked of the database (a commune procedure has 3,321 eligible centres)."""
    return eligible_agencies_query(procedure).filter(pk=agency.pk).exists()


def _applicant_snapshot(user: User) -> dict[str, Any]:
    return {
        "full_name": user.full_name,
        "id_number": user.id_number,
        "birth_date": user.birth_date.isoformat() if user.birth_date else "",
        "phone": display_phone(user.phone),
        "email": user.email,
        "address": {
            "province": user.province.code if user.province_id and user.province else "",
            "commune": user.commune.code if user.commune_id and user.commune else "",
            "line": user.address_line,
        },
    }


def _event(dossier: Dossier, *, actor: Any, action: str, before: str = "", after: str = "", note: str = "") -> None:
    DossierEvent.objects.create(
        dossier=dossier, actor=actor, action=action, from_status=before, to_status=after, note=note,
        data=_facts(dossier),
    )  # fmt: skip


def _facts(dossier: Dossier) -> dict[str, Any]:
    """What the statistics need to know of the dossier at this moment."""
    return {
        "agency": dossier.agency_id,
        "procedure": dossier.procedure_id,
        "channel": dossier.channel,
        "status": dossier.status,
        "received": dossier.received_at.isoformat() if dossier.received_at else None,
        "due": dossier.due_at.isoformat() if dossier.due_at else None,
        "extended": dossier.extended_until is not None,
        "paused": dossier.paused_at is not None,
    }


def dossier_start(*, applicant: User, procedure: Procedure, agency: Agency) -> Dossier:
    """A new draft, prefilled from the profile and from the applicant's last dossier of the same procedure."""
    if procedure.service_level == Procedure.ServiceLevel.INFORMATION or "online" not in procedure.submission_channels:
        raise DomainError(
            _("Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp tại bộ phận một cửa."), code="not_online"
        )
    if not agency_receives(procedure, agency):
        raise InvalidInput({"agency": [_("Cơ quan này không tiếp nhận thủ tục đã chọn.")]})
    schema = procedure.form_schema or {}
    answers = eform.prefill_answers(schema, applicant)
    previous = (
        Dossier.objects.filter(applicant=applicant, procedure=procedure)
        .exclude(status=Dossier.Status.DRAFT)
        .order_by("-submitted_at")
        .first()
    )
    if previous is not None:
        prefilled = {spec["name"] for spec in schema.get("fields", []) if spec.get("prefill")}
        answers.update({k: v for k, v in previous.form_data.items() if k not in prefilled})
    with transaction.atomic():
        dossier = Dossier.objects.create(
            procedure=procedure,
            agency=agency,
            applicant=applicant,
            applicant_data=_applicant_snapshot(applicant),
            form_data=answers,
            notify_email=bool(applicant.email),
            result_method=Dossier.ResultMethod.ONLINE
            if "online" in procedure.result_channels
            else Dossier.ResultMethod.COUNTER,
        )
        _event(dossier, actor=applicant, action="created", after=Dossier.Status.DRAFT)
    return dossier


def dossier_save_draft(
    *,
    dossier: Dossier,
    actor: Any,
    form_data: dict[str, Any],
    submission_method: str,
    result_method: str,
    delivery_address: dict[str, Any],
    notify_sms: bool,
    notify_email: bool,
) -> Dossier:
    """Keep what was typed, valid or not yet: a draft is for coming back later ("Lưu lại")."""
    if submission_method not in Dossier.SubmissionMethod.values:
        raise InvalidInput({"submission_method": [_("Cách nộp không hợp lệ.")]})
    if result_method not in Dossier.ResultMethod.values:
        raise InvalidInput({"result_method": [_("Cách nhận kết quả không hợp lệ.")]})
    if delivery_address:
        checked = eform.validate_answers(_DELIVERY_SCHEMA, {"address": delivery_address})
        if checked.errors:
            raise InvalidInput({"delivery_address": [m for msgs in checked.errors.values() for m in msgs]})
        delivery_address = checked.answers["address"]
    if result_method not in dossier.procedure.result_channels and not (
        result_method == Dossier.ResultMethod.ONLINE and "online" in dossier.procedure.result_channels
    ):
        raise InvalidInput({"result_method": [_("Thủ tục này không trả kết quả theo cách đã chọn.")]})
    if (
        submission_method == Dossier.SubmissionMethod.POST_PICKUP
        and "post" not in dossier.procedure.submission_channels
    ):
        raise InvalidInput({"submission_method": [_("Thủ tục này không nhận hồ sơ qua bưu chính.")]})
    with transaction.atomic():
        updated = Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(
            form_data=form_data,
            submission_method=submission_method,
            result_method=result_method,
            delivery_address=delivery_address,
            notify_sms=notify_sms,
            notify_email=notify_email,
            updated_at=timezone.now(),
        )
        if not updated:
            raise Conflict(_("Hồ sơ đã được gửi, không sửa được nữa."), code="not_editable")
    dossier.refresh_from_db()
    return dossier


def dossier_attach(
    *, dossier: Dossier, actor: Any, requirement: DocumentRequirement, upload: UploadedFile
) -> DossierAttachment:
    """Add a file for one requirement after checking it; an earlier file for it is kept as replaced."""
    if requirement.procedure_id != dossier.procedure_id:
        raise InvalidInput({"requirement": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
    stored = stored_file_save(
        owner=dossier.applicant,
        upload=upload,
        allowed=list(requirement.accepted_types) or ["pdf", "jpg", "png"],
        max_bytes=requirement.max_size_mb * 1024 * 1024,
        document_type=requirement.vault_document_type,
        title=requirement.name,
    )
    return _attach_stored(dossier=dossier, requirement=requirement, stored=stored)


def vault_choices(*, dossier: Dossier, requirement: DocumentRequirement) -> list[StoredFile]:
    """Documents in the applicant's vault that may stand in for ``requirement`` (same type, still valid)."""
    if not requirement.vault_document_type:
        return []
    today = timezone.localdate()
    found = StoredFile.objects.filter(
        owner=dossier.applicant,
        document_type=requirement.vault_document_type,
        kind__in=requirement.accepted_types or ["pdf", "jpg", "png"],
    ).exclude(valid_until__lt=today)
    return list(found.order_by("-created_at")[:5])


def dossier_attach_from_vault(
    *, dossier: Dossier, actor: Any, requirement: DocumentRequirement, stored: StoredFile
) -> DossierAttachment:
    """Use a document already in the applicant's vault: no paper is asked for twice (NĐ 45/2020)."""
    if requirement.procedure_id != dossier.procedure_id:
        raise InvalidInput({"requirement": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    if stored.pk not in {s.pk for s in vault_choices(dossier=dossier, requirement=requirement)}:
        raise InvalidInput({"file": [_("Giấy tờ trong kho không dùng được cho mục này.")]})
    return _attach_stored(dossier=dossier, requirement=requirement, stored=stored)


def _attach_stored(*, dossier: Dossier, requirement: DocumentRequirement, stored: StoredFile) -> DossierAttachment:
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(updated_at=timezone.now()):
            raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
        DossierAttachment.objects.filter(dossier=dossier, requirement=requirement, replaced_at__isnull=True).update(
            replaced_at=timezone.now()
        )
        attachment = DossierAttachment.objects.create(dossier=dossier, requirement=requirement, stored_file=stored)
    return attachment


def _signer_matches(report: SignatureReport, applicant: User) -> bool:
    """Vietnamese signing certificates carry the holder's id number (e.g. ``CCCD:001085012345``) or name."""
    digits = "".join(ch for ch in report.signer_serial if ch.isdigit())
    if applicant.id_number and applicant.id_number in digits:
        return True
    return report.signer_name.casefold().split() == applicant.full_name.casefold().split()


def dossier_attach_signed_form(*, dossier: Dossier, actor: Any, upload: UploadedFile) -> Dossier:
    """The e-form PDF signed by the applicant with their own certificate (seed 000 step 7).

    Refused unless the signature is intact, covers the whole file, chains to a trusted root and belongs to
    the applicant; nothing is stored for a refused file.
    """
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
    stream = upload.file
    if stream is None:
        raise InvalidInput({"file": [_("Vui lòng chọn tệp để tải lên.")]})
    inspect_upload(stream, name=upload.name or "", allowed=["pdf"], max_bytes=10 * 1024 * 1024)
    stream.seek(0)
    report = verify_signed_pdf(stream.read())
    if not _signer_matches(report, dossier.applicant):
        message = _("Chữ ký số không phải của người nộp hồ sơ (%(name)s).") % {"name": report.signer_name}
        raise InvalidInput({"file": [message]}, message=message)
    stored = stored_file_save(owner=dossier.applicant, upload=upload, allowed=["pdf"], max_bytes=10 * 1024 * 1024)
    return _set_signed_form(dossier=dossier, actor=actor, stored=stored, report=report)


def _set_signed_form(*, dossier: Dossier, actor: Any, stored: StoredFile, report: SignatureReport) -> Dossier:
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(
            signed_form=stored, signed_by=report.signer_name, updated_at=timezone.now()
        ):
            raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
        _event(dossier, actor=actor, action="signed", note=report.signer_name)
    dossier.refresh_from_db()
    return dossier


def dossier_remote_sign_start(*, dossier: Dossier, actor: Any, ip: str) -> RemoteSigning:
    """Sign the filled e-form through the remote-signing provider: the holder then confirms (built-in: OTP)."""
    from dvc.catalog.printable import filled_form_pdf

    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không sửa được nữa."), code="not_editable")
    return remote_signing_start(
        holder=dossier.applicant, pdf=filled_form_pdf(dossier.procedure, dossier.form_data), ip=ip
    )


def dossier_remote_sign_confirm(*, dossier: Dossier, actor: Any, session_id: uuid.UUID, code: str, ip: str) -> Dossier:
    signed = remote_signing_confirm(holder=dossier.applicant, session_id=session_id, code=code, ip=ip)
    report = verify_signed_pdf(signed)
    upload = SimpleUploadedFile(f"to-khai-{dossier.procedure.code}-da-ky.pdf", signed, content_type="application/pdf")
    stored = stored_file_save(owner=dossier.applicant, upload=upload, allowed=["pdf"], max_bytes=10 * 1024 * 1024)
    return _set_signed_form(dossier=dossier, actor=actor, stored=stored, report=report)


def dossier_remove_attachment(*, dossier: Dossier, actor: Any, attachment: DossierAttachment) -> None:
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(updated_at=timezone.now()):
            raise Conflict(_("Hồ sơ đã được gửi, không sửa được nữa."), code="not_editable")
        DossierAttachment.objects.filter(pk=attachment.pk, dossier=dossier, replaced_at__isnull=True).update(
            replaced_at=timezone.now()
        )


def submission_problems(dossier: Dossier) -> dict[str, list[str]]:
    """Everything that stops a draft from being sent, by field; empty when it can go."""
    problems = dict(eform.validate_answers(dossier.procedure.form_schema, dossier.form_data).errors)
    given = set(
        DossierAttachment.objects.filter(dossier=dossier, replaced_at__isnull=True).values_list(
            "requirement_id", flat=True
        )
    )
    for requirement in dossier.procedure.requirements.all():
        if requirement.required and not requirement.template_is_eform and requirement.pk not in given:
            problems.setdefault(f"requirement-{requirement.pk}", []).append(
                _("Chưa đính kèm: %(name)s.") % {"name": requirement.name}
            )
    if dossier.procedure.requires_signature and dossier.signed_form_id is None:
        problems.setdefault("signed_form", []).append(
            _("Thủ tục này yêu cầu tờ khai có chữ ký số: tải tờ khai, ký số rồi tải lên.")
        )
    if dossier.result_method == Dossier.ResultMethod.POST and not dossier.delivery_address.get("commune"):
        problems.setdefault("delivery_address", []).append(_("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."))
    return problems


def _next_code(agency: Agency, day: dt.date) -> str:
    """``<agency code>-<YYMMDD>-<NNNN>``: the 4-digit sequence per agency per day.

    Called inside the submission's transaction: the UPDATE locks today's row until the commit, so the number read
    back is this submission's own. Two statements, except for the day's first submission at an agency.
    """
    today = DailySequence.objects.filter(agency=agency, day=day)
    if not today.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DailySequence.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:  # another submission created today's row first
            today.update(last=F("last") + 1)
        else:
            return f"{agency.code}-{day:%y%m%d}-0001"
    last = today.values_list("last", flat=True).get()
    return f"{agency.code}-{day:%y%m%d}-{last:04d}"


def dossier_submit(*, dossier: Dossier, actor: Any, idempotency_key: str) -> Dossier:
    """Send a complete draft: issue its code, set the expected return date, notify. Repeats are harmless.

    A second request with the same idempotency key (a double click, a retried request) returns the dossier
    the first one sent.
    """
    key = (idempotency_key or "")[:64] or None
    if key:
        earlier = (
            Dossier.objects.filter(applicant=dossier.applicant, idempotency_key=key).exclude(pk=dossier.pk).first()
        )
        if earlier is not None:
            return earlier
    if dossier.status != Dossier.Status.DRAFT:
        if key and dossier.idempotency_key == key:
            return dossier
        raise Conflict(_("Hồ sơ này đã được gửi."), code="already_submitted")
    problems = submission_problems(dossier)
    if problems:
        raise InvalidInput(problems, message=_("Hồ sơ chưa đủ thông tin để gửi. Vui lòng xem các mục được đánh dấu."))
    now = timezone.now()
    local_day = timezone.localdate(now)
    calendar = WorkingCalendar(dossier.agency)
    try:
        with transaction.atomic():
            from dvc.payments.services import fee_lines_set

            code = _next_code(dossier.agency, local_day)
            owed = fee_lines_set(dossier)
            sent = {
                "status": Dossier.Status.SUBMITTED,
                "code": code,
                "submitted_at": now,
                "due_at": calendar.due_moment(now, dossier.procedure.processing_days),
                "fee_status": Dossier.FeeStatus.UNPAID if owed else Dossier.FeeStatus.NOT_REQUIRED,
                "idempotency_key": key,
                "updated_at": now,
            }
            if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.DRAFT).update(**sent):
                raise Conflict(_("Hồ sơ này đã được gửi."), code="already_submitted")
            # What was just written, without reading the dossier back (its procedure, agency and applicant stay
            # loaded for the notification).
            for name, value in sent.items():
                setattr(dossier, name, value)
            _event(
                dossier, actor=actor, action="submitted", before=Dossier.Status.DRAFT, after=Dossier.Status.SUBMITTED
            )
            _notify(dossier, "dossier_submitted")
    except IntegrityError:
        # The same idempotency key won a race on another request: that dossier is the answer.
        earlier = Dossier.objects.filter(applicant=dossier.applicant, idempotency_key=key).first() if key else None
        if earlier is None:
            raise
        return earlier
    return dossier


def dossier_request_supplement(
    *, dossier: Dossier, actor: Any, requirements: list[DocumentRequirement], note: str
) -> SupplementRequest:
    """Officer side (back office): ask for more papers, in one complete written list with the reason."""
    note = note.strip()
    if not note:
        raise InvalidInput({"note": [_("Vui lòng ghi rõ giấy tờ cần bổ sung và lý do.")]})
    if any(r.procedure_id != dossier.procedure_id for r in requirements):
        raise InvalidInput({"requirements": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    before = dossier.status
    now = timezone.now()
    # NĐ 118/2025: asked during processing, the clock stops until the papers come back.
    pauses = before == Dossier.Status.PROCESSING
    with transaction.atomic():
        if before not in SUPPLEMENT_FROM or not Dossier.objects.filter(pk=dossier.pk, status=before).update(
            status=Dossier.Status.NEEDS_SUPPLEMENT, paused_at=now if pauses else None, updated_at=now
        ):
            raise Conflict(_("Hồ sơ không ở trạng thái có thể yêu cầu bổ sung."), code="not_supplementable")
        request = SupplementRequest.objects.create(
            dossier=dossier, requested_by=actor, note=note[:5000], pauses_clock=pauses
        )
        request.requirements.set(requirements)
        dossier.refresh_from_db()
        _event(
            dossier, actor=actor, action="supplement_requested", before=before, after=dossier.status, note=note[:1000]
        )
        _notify(dossier, "dossier_supplement_requested", extra={"note": note[:300]})
    return request


def dossier_send_supplement(*, dossier: Dossier, actor: Any) -> Dossier:
    """The applicant sends the completed dossier back ("Gửi bổ sung"); it returns to the agency's queue."""
    problems = submission_problems(dossier)
    if problems:
        raise InvalidInput(problems, message=_("Hồ sơ chưa đủ thông tin để gửi. Vui lòng xem các mục được đánh dấu."))
    now = timezone.now()
    changes: dict[str, Any] = {"status": Dossier.Status.SUBMITTED, "updated_at": now}
    if dossier.paused_at is not None and dossier.due_at is not None:
        # Back in processing: the due date moves by the working days spent waiting for the papers.
        calendar = WorkingCalendar(dossier.agency)
        waited = max(calendar.working_days_between(timezone.localdate(dossier.paused_at), timezone.localdate(now)), 0)
        due_day = calendar.add_working_days(timezone.localtime(dossier.due_at).date(), waited)
        changes.update(
            status=Dossier.Status.PROCESSING,
            paused_at=None,
            paused_days=F("paused_days") + waited,
            due_at=dt.datetime.combine(due_day, calendar.closing_time(due_day), tzinfo=timezone.get_current_timezone()),
        )
        if dossier.extended_until is not None:
            extended_day = calendar.add_working_days(timezone.localtime(dossier.extended_until).date(), waited)
            changes["extended_until"] = dt.datetime.combine(
                extended_day, calendar.closing_time(extended_day), tzinfo=timezone.get_current_timezone()
            )
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.NEEDS_SUPPLEMENT).update(**changes):
            raise Conflict(_("Hồ sơ không ở trạng thái chờ bổ sung."), code="not_waiting_supplement")
        SupplementRequest.objects.filter(dossier=dossier, answered_at__isnull=True).update(answered_at=now)
        dossier.refresh_from_db()
        _event(
            dossier,
            actor=actor,
            action="supplemented",
            before=Dossier.Status.NEEDS_SUPPLEMENT,
            after=dossier.status,
            note=_("Hẹn trả mới: %(due)s") % {"due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")}
            if dossier.status == Dossier.Status.PROCESSING and dossier.due_at
            else "",
        )
        _notify(dossier, "dossier_supplemented")
    return dossier


RATEABLE = (Dossier.Status.RESULT_READY, Dossier.Status.RETURNED)


def dossier_attach_result(*, dossier: Dossier, actor: Any, stored: StoredFile) -> Dossier:
    """Officer side (back office): the approved, signed result; it also lands in the applicant's vault."""
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PROCESSING).update(
            status=Dossier.Status.RESULT_READY, result_file=stored, updated_at=timezone.now()
        ):
            raise Conflict(_("Hồ sơ chưa ở bước có kết quả."), code="not_processing")
        StoredFile.objects.filter(pk=stored.pk).update(
            owner=dossier.applicant, document_type="ket_qua", title=dossier.procedure.result_document[:255]
        )
        dossier.refresh_from_db()
        _event(dossier, actor=actor, action="result_ready", before=Dossier.Status.PROCESSING, after=dossier.status)
        _notify(dossier, "dossier_result_ready")
    return dossier


def dossier_rate(
    *,
    dossier: Dossier,
    actor: Any,
    overall: int,
    timeliness: int,
    attitude: int,
    publicity: int,
    trips: int,
    comment: str,
) -> Rating:
    """One rating per dossier, once a result exists."""
    if dossier.status not in RATEABLE:
        raise Conflict(_("Chỉ đánh giá được khi hồ sơ đã có kết quả."), code="not_rateable")
    scores = {"overall": overall, "timeliness": timeliness, "attitude": attitude, "publicity": publicity}
    bad = {name: [_("Điểm từ 1 đến 5.")] for name, value in scores.items() if not 1 <= value <= 5}
    if trips not in Rating.Trips.values:
        bad["trips"] = [_("Giá trị không hợp lệ.")]
    if bad:
        raise InvalidInput(bad)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(dossier=dossier, trips=trips, comment=comment.strip()[:2000], **scores)
            _event(dossier, actor=actor, action="rated", note=f"{overall}/5")
    except IntegrityError as exc:
        raise Conflict(_("Hồ sơ này đã được đánh giá."), code="already_rated") from exc
    return rating


def dossier_withdraw(*, dossier: Dossier, actor: Any, reason: str) -> Dossier:
    """The applicant takes back a draft or a dossier no officer has received yet."""
    before = dossier.status
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status__in=WITHDRAWABLE).update(
            status=Dossier.Status.WITHDRAWN, updated_at=timezone.now()
        ):
            raise Conflict(
                _("Hồ sơ đã được tiếp nhận, không rút được nữa. Vui lòng liên hệ cơ quan tiếp nhận."),
                code="not_withdrawable",
            )
        dossier.refresh_from_db()
        _event(
            dossier, actor=actor, action="withdrawn", before=before, after=Dossier.Status.WITHDRAWN, note=reason[:1000]
        )
        if before != Dossier.Status.DRAFT:
            _notify(dossier, "dossier_withdrawn")
    return dossier


def _notify(dossier: Dossier, template: str, extra: dict[str, Any] | None = None) -> None:
    """Tell the applicant by the channels they chose (SMS, e-mail), in the transaction of the change."""
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else "",
        "lookup_url": f"{settings.SITE_URL}/tra-cuu/?ma={dossier.code}",
        **(extra or {}),
    }
    phone = dossier.applicant.phone
    email = dossier.applicant_data.get("email") or dossier.applicant.email
    if dossier.notify_sms and phone:
        message_send(channel=Message.Channel.SMS, recipient=phone, template=template, context=context)
    if dossier.notify_email and email:
        message_send(channel=Message.Channel.EMAIL, recipient=email, template=template, context=context)
