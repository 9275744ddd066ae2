"""Appraisal (thẩm định): ask for the missing papers, assign a specialist, prepare the draft result, propose a
decision, and the leader's sending back of a proposal (NĐ 118/2025)."""

from __future__ import annotations

import unicodedata

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.catalog import result_form
from dvc.catalog.models import DocumentRequirement
from dvc.dossiers.backoffice.audit import already_handled, audit, required_reason
from dvc.dossiers.backoffice.permissions import LEADER, SPECIALIST, require, require_appraiser, roles_in
from dvc.dossiers.documents.result import result_pdf
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.lifecycle.states import SUPPLEMENT_FROM
from dvc.dossiers.models import Dossier, SupplementRequest
from dvc.errors import Conflict, InvalidInput
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_file_from_bytes, stored_file_save


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: User,
    requirements: list[DocumentRequirement],
    note: str,
    fields: list[str] | None = None,
    ip: str = "",
) -> Dossier:
    """Form 02: one complete written list of what is missing or wrong, and why.

    NĐ 118/2025: an incomplete dossier gets one complete list, never a bare return; asked during
    processing (Điều 21), the clock stops until the papers come back.
    """
    require(actor, dossier, "request_supplement")
    note = note.strip()
    if not note:
        raise InvalidInput({"note": [_("Vui lòng ghi rõ giấy tờ cần bổ sung và lý do.")]})
    if any(r.procedure_id != dossier.procedure_id for r in requirements):
        raise InvalidInput({"requirements": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    known = {spec["name"] for spec in (dossier.procedure.form_schema or {}).get("fields", [])}
    fields = sorted(set(fields or []))
    if set(fields) - known:
        raise InvalidInput({"fields": [_("Mục này không có trong tờ khai của thủ tục.")]})
    before = dossier.status
    now = timezone.now()
    pauses = before == Dossier.Status.PROCESSING
    with transaction.atomic():
        if before not in SUPPLEMENT_FROM or not Dossier.objects.filter(pk=dossier.pk, status=before).update(
            status=Dossier.Status.NEEDS_SUPPLEMENT, paused_at=now if pauses else None, updated_at=now
        ):
            raise Conflict(_("Hồ sơ không ở trạng thái có thể yêu cầu bổ sung."), code="not_supplementable")
        request = SupplementRequest.objects.create(
            dossier=dossier, requested_by=actor, note=note[:5000], pauses_clock=pauses, fields=fields,
            answers_before=dossier.form_data,
        )  # fmt: skip
        request.requirements.set(requirements)
        dossier.refresh_from_db()
        record_event(
            dossier, actor=actor, action="supplement_requested", before=before, after=dossier.status, note=note[:1000]
        )
        audit(actor, "request_supplement", dossier, ip=ip)
        notify_applicant(dossier, "dossier_supplement_requested", extra={"note": note[:300]})
    return dossier


def dossier_assign(*, dossier: Dossier, actor: User, specialist: User, ip: str = "") -> Dossier:
    """Hand the dossier to a specialist of the agency for appraisal (also to reassign before a proposal).

    NĐ 118/2025: the one-stop section passes the received dossier to the competent unit.
    """
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
        record_event(dossier, actor=actor, action="assigned", note=specialist.full_name)
        audit(actor, "assign", dossier, ip=ip, detail=specialist.id_number)
    return dossier


def officer_values(dossier: Dossier, values: dict[str, str]) -> dict[str, str]:
    """What the specialist adds to the result (the template's officer_fields), checked: required ones given, a
    personal id number of 12 digits, nothing too long, nothing the template does not ask for."""
    form = result_form.parse(dossier.procedure.result_form or {})
    checked: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for spec in form.officer_fields if form else []:
        given = "".join(
            ch
            for ch in str(values.get(spec.name) or "")
            if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
        )  # no control or format characters (NUL, bidi overrides …) in a legal paper
        value = given.strip() if spec.type == "textarea" else " ".join(given.split())
        if not value and spec.required:
            errors[f"r-{spec.name}"] = [_("Vui lòng nhập “%(label)s”.") % {"label": spec.label}]
        elif value and spec.type == "cccd" and not (value.isascii() and value.isdigit() and len(value) == 12):
            errors[f"r-{spec.name}"] = [_("“%(label)s” phải gồm đúng 12 chữ số.") % {"label": spec.label}]
        elif value and spec.type == "cccd" and (problem := _id_number_problem(dossier, spec, value)):
            errors[f"r-{spec.name}"] = [problem]
        elif len(value) > spec.max_length:
            errors[f"r-{spec.name}"] = [
                _("“%(label)s” dài quá %(n)d ký tự.") % {"label": spec.label, "n": spec.max_length}
            ]
        checked[spec.name] = value
    if errors:
        raise InvalidInput(errors)
    return checked


def _id_numbers_in(answers: dict[str, object]) -> set[str]:
    found = set()
    for value in answers.values():
        if isinstance(value, dict) and value.get("id_number"):
            found.add(str(value["id_number"]))
    return found


def _id_number_problem(dossier: Dossier, spec: result_form.OfficerField, value: str) -> str:
    """Why ``value`` cannot be the personal id number of the person the paper is about: it is already someone
    else's in this dossier, or its digits say another sex or birth year (Thông tư 59/2021/TT-BCA Điều 7: the 4th
    digit is the century and sex, 0/1 for a man/woman born in the 1900s, 2/3 in the 2000s; the 5th and 6th the
    last two digits of the year of birth)."""
    answers = dossier.form_data or {}
    if value in _id_numbers_in(answers) | {str(dossier.applicant_data.get("id_number", ""))}:
        return _(
            "Số định danh này là của một người khác trong hồ sơ. "
            "Vui lòng kiểm tra lại trên Cơ sở dữ liệu quốc gia về dân cư."
        )
    born = str(answers.get(spec.born_from) or "") if spec.born_from else ""
    sex = str(answers.get(spec.sex_from) or "") if spec.sex_from else ""
    if len(born) >= 4 and born[:4].isdigit():
        year = int(born[:4])
        century = (year // 100 - 19) * 2
        if value[4:6] != born[2:4] or (sex in ("male", "female") and value[3] != str(century + (sex == "female"))):
            return _("Số định danh này không khớp giới tính và năm sinh đã khai. Vui lòng kiểm tra lại.")
    return ""


def dossier_generate_result(
    *, dossier: Dossier, actor: User, values: dict[str, str] | None = None, ip: str = ""
) -> Dossier:
    """The draft result from the procedure's template, the dossier's data and what the specialist adds (unsigned,
    no number until the leader approves)."""
    roles = require(actor, dossier, "prepare_result")
    require_appraiser(dossier, actor, roles)
    dossier.result_data = officer_values(dossier, values or {})
    with stored_file_from_bytes(
        owner=actor,
        content=result_pdf(dossier),
        name=f"du-thao-ket-qua-{dossier.code}.pdf",
        title=dossier.procedure.result_document,
    ) as stored:
        return _set_draft_result(dossier, actor=actor, stored=stored, ip=ip, generated=True)


def dossier_upload_result(*, dossier: Dossier, actor: User, upload: UploadedFile, ip: str = "") -> Dossier:
    """A draft result prepared elsewhere (PDF), signed by the leader on approval. Not for a civil-status paper:
    it is entered in the register, and only the template writes the register's Số and Quyển số on it."""
    roles = require(actor, dossier, "prepare_result")
    require_appraiser(dossier, actor, roles)
    form = result_form.parse(dossier.procedure.result_form or {})
    if form and form.civil_register:
        raise InvalidInput(
            {"file": [_("Giấy tờ hộ tịch phải lập theo mẫu để ghi số vào sổ hộ tịch. Vui lòng dùng “Tạo dự thảo”.")]}
        )
    stored = stored_file_save(
        owner=actor, upload=upload, allowed=["pdf"], max_bytes=20 * 1024 * 1024, title=dossier.procedure.result_document
    )
    return _set_draft_result(dossier, actor=actor, stored=stored, ip=ip, generated=False)


def _set_draft_result(dossier: Dossier, *, actor: User, stored: StoredFile, ip: str, generated: bool) -> Dossier:
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal="").update(
            draft_result=stored,
            draft_generated=generated,
            result_data=dossier.result_data if generated else {},
            final_result=None,
            updated_at=timezone.now(),
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        record_event(dossier, actor=actor, action="draft_result", note=stored.original_name)
        audit(actor, "prepare_result", dossier, ip=ip)
    return dossier


def dossier_propose(*, dossier: Dossier, actor: User, decision: str, note: str, ip: str = "") -> Dossier:
    """The specialist's appraisal: propose to resolve (with a draft result) or to refuse (with the reason).

    NĐ 118/2025: the specialist appraises and proposes; the leader decides.
    """
    roles = require(actor, dossier, "propose")
    require_appraiser(dossier, actor, roles)
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
        record_event(
            dossier, actor=actor, action="proposed", note=f"{dossier.get_proposal_display()}. {note}".strip()[:1000]
        )
        audit(actor, "propose", dossier, ip=ip, detail=decision)
    return dossier


def dossier_send_back(*, dossier: Dossier, actor: User, note: str, ip: str = "") -> Dossier:
    """The leader returns the proposal to the specialist with instructions."""
    require(actor, dossier, "send_back")
    note = required_reason(note, "note")
    with transaction.atomic():
        if (
            not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.PROCESSING)
            .exclude(proposal="")
            .update(proposal="", proposed_at=None, final_result=None, updated_at=timezone.now())
        ):
            raise already_handled(dossier)
        dossier.refresh_from_db()
        record_event(dossier, actor=actor, action="sent_back", note=note[:1000])
        audit(actor, "send_back", dossier, ip=ip)
    return dossier
