"""The leader's decision: approve and sign the result, refuse, or suspend (NĐ 118/2025/NĐ-CP; forms 03 and 05 of
TT 03/2025/TT-VPCP). The approval signature is the agency's PAdES signature (``vault.agency_signing``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from contextlib import ExitStack

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.issuer import issuer_of
from dvc.agencies.models import StaffRole
from dvc.catalog import result_form
from dvc.dossiers.backoffice.audit import already_handled, audit, required_reason
from dvc.dossiers.backoffice.civil_register import register_issue, register_take, register_void
from dvc.dossiers.backoffice.extracts import issue_copies, sign_copies
from dvc.dossiers.backoffice.permissions import LEADER, require
from dvc.dossiers.documents.result import Signing, register_details, result_pdf, valid_until_of
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.linked import group_follow
from dvc.dossiers.lifecycle.messages import RESULT_LINK_DAYS, notify_applicant, result_link
from dvc.dossiers.models import Dossier, IssuedResult, RegisterEntry
from dvc.errors import Conflict, InvalidInput
from dvc.vault.agency_signing import sign_result
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_file_from_bytes
from dvc.vault.signing import verify_signed_pdf


def dossier_refuse(*, dossier: Dossier, actor: User, reason: str, ip: str = "") -> Dossier:
    """Form 03: refuse to receive (before receipt) or, for the leader, refuse to resolve during processing; the
    reason is always written (NĐ 118/2025/NĐ-CP)."""
    roles = require(actor, dossier, "refuse")
    reason = required_reason(reason)
    allowed = [Dossier.Status.SUBMITTED] + ([Dossier.Status.PROCESSING] if LEADER in roles else [])
    return _close(dossier, actor=actor, allowed=allowed, to=Dossier.Status.REFUSED, reason=reason, ip=ip)


def dossier_suspend(*, dossier: Dossier, actor: User, reason: str, ip: str = "") -> Dossier:
    """Form 05: stop processing (e.g. a court or an inspection decision), with the reason."""
    require(actor, dossier, "suspend")
    reason = required_reason(reason)
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
        record_event(dossier, actor=actor, action=action, before=before, after=to, note=reason[:1000])
        group_follow(dossier)
        register_void(dossier, reason=reason)
        audit(actor, action, dossier, ip=ip)
        notify_applicant(dossier, f"dossier_{action}", extra={"reason": reason[:300]})
    return dossier


def leader_title(actor: User, dossier: Dossier) -> str:
    """The title the leader signs under in the dossier's agency ("Phó Chủ tịch"), "" when none was entered."""
    role = StaffRole.objects.filter(
        user=actor, agency_id=dossier.agency_id, role=StaffRole.Role.LEADER, is_active=True
    ).first()
    return role.title if role else ""


def final_is_current(dossier: Dossier, actor: User, *, on: dt.date | None = None) -> bool:
    """The final copy the leader read is the one to sign: theirs, and dated the day they sign (``on``, today
    unless the worker signs an approval given before midnight)."""
    final = dossier.final_result
    return (
        final is not None
        and final.owner_id == actor.pk
        and timezone.localdate(final.created_at) == (on or timezone.localdate())
    )


def final_checks(dossier: Dossier, actor: User) -> tuple[StoredFile, result_form.ResultForm | None, str]:
    """What would stop the final copy from being made, said before the worker is asked to make it: the leader may
    approve, the proposal waits for them with a draft, a civil-status paper was made from its template, and the
    leader has a title to sign under. The draft, the result's template and that title."""
    require(actor, dossier, "approve")
    if dossier.status != Dossier.Status.PROCESSING or dossier.proposal != Dossier.Proposal.APPROVE:
        raise already_handled(dossier)
    draft = dossier.draft_result
    if draft is None:
        raise InvalidInput({"decision": [_("Chưa có dự thảo kết quả để ký.")]})
    form = result_form.parse(dossier.procedure.result_form or {})
    if form and form.civil_register and not dossier.draft_generated:
        raise InvalidInput(
            {"decision": [_("Giấy tờ hộ tịch phải lập theo mẫu để ghi số vào sổ. Vui lòng trả lại chuyên viên.")]}
        )
    title = leader_title(actor, dossier) if dossier.draft_generated else ""
    if dossier.draft_generated and form and not title:
        raise InvalidInput(
            {"decision": [_("Tài khoản của bạn chưa có chức vụ để ghi dưới chữ ký. Quản trị cơ quan cần "
                            "nhập chức vụ (ví dụ “Phó Chủ tịch”) trước khi ký văn bản này.")]}
        )  # fmt: skip
    return draft, form, title


def dossier_prepare_final(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """The final result as it will be signed, for the leader to read first: a templated result gets its number in
    the civil-status register (taken now, kept by the dossier if it is sent back), the date, and the leader's
    name and title; a result made elsewhere is signed as it is. Nothing is signed yet. The staff page asks the
    worker for it (``signing_queue.final_request``): drawing the PDF takes a few hundred milliseconds."""
    draft, form, title = final_checks(dossier, actor)
    if final_is_current(dossier, actor):
        return dossier
    with transaction.atomic():
        if dossier.draft_generated:
            number = book = ""
            if form and form.civil_register:
                entry = register_take(dossier, kind=form.civil_register, person=_registered_person(dossier))
                number, book = str(entry.number), entry.book.label
            signing = Signing(actor.full_name, title, timezone.localdate(), number, book)
            content = result_pdf(dossier, signing)
        else:
            with draft.file.open("rb") as handle:
                content = handle.read()
        with stored_file_from_bytes(
            owner=actor, content=content, name=f"ban-cuoi-{dossier.code}.pdf", title=dossier.procedure.result_document
        ) as stored:
            # Still the proposal it was drawn for: one sent back and proposed again meanwhile has another draft.
            if not Dossier.objects.filter(
                pk=dossier.pk,
                status=Dossier.Status.PROCESSING,
                proposal=Dossier.Proposal.APPROVE,
                proposed_at=dossier.proposed_at,
            ).update(final_result=stored, updated_at=timezone.now()):
                raise already_handled(dossier)
        dossier.refresh_from_db()
        audit(actor, "prepare_final", dossier, ip=ip)
    return dossier


def _registered_person(dossier: Dossier) -> str:
    """Whose name the register line carries: the person the paper is about, else the applicant."""
    answers = dossier.form_data or {}
    for name in ("ho_ten_tre", "nguoi_chet", "ben_nu", "nguoi_yeu_cau"):
        value = answers.get(name)
        if isinstance(value, dict) and value.get("full_name"):
            if name == "ben_nu" and isinstance(answers.get("ben_nam"), dict):
                return f"{value['full_name']} – {answers['ben_nam'].get('full_name', '')}"
            return str(value["full_name"])
        if isinstance(value, str) and value:
            return value
    return str(dossier.applicant_data.get("full_name", ""))


def _paper_title(dossier: Dossier, title: str) -> str:
    """The paper's name in the vault, with the person it is about when that is someone else (a child's birth
    certificate in a parent's vault is not the parent's own)."""
    person = _registered_person(dossier)
    holder = str((dossier.owner_data if dossier.owner_basis else dossier.applicant_data).get("full_name", ""))
    return f"{title} — {person}"[:255] if person and person != holder else title


def dossier_approve(
    *, dossier: Dossier, actor: User, final_sha256: str = "", ip: str = "", approved_on: dt.date | None = None
) -> Dossier:
    """The leader decides on the proposal: a resolved dossier's final result, the one the leader has seen
    (``final_sha256``, from the approval page), is signed by the agency byte for byte and issued into the
    applicant's vault; a proposal to refuse closes the dossier with the specialist's reason. Without
    ``final_sha256`` (an API client) the final copy is prepared and signed in one step. ``approved_on``: the day
    the leader approved, when the worker signs later (an approval at 23:59 signed after midnight)."""
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
    seen = dossier.final_result
    current = final_is_current(dossier, actor, on=approved_on)
    if final_sha256 and not (current and seen is not None and seen.sha256 == final_sha256):
        raise Conflict(
            _("Bản cuối của kết quả đã thay đổi từ khi bạn xem. Vui lòng xem lại bản cuối trước khi ký."),
            code="final_changed",
        )
    if not final_sha256:
        dossier = dossier_prepare_final(dossier=dossier, actor=actor, ip=ip)
    final = dossier.final_result
    if final is None:
        raise already_handled(dossier)
    entry = RegisterEntry.objects.filter(dossier=dossier, voided_at__isnull=True).select_related("book").first()
    form = result_form.parse(dossier.procedure.result_form or {})
    issued_id = uuid.uuid4()
    now = timezone.now()
    with final.file.open("rb") as handle:
        content = handle.read()
    signed = sign_result(
        content,
        agency=dossier.agency,
        verify_url=f"{settings.SITE_URL}/xac-minh/{issued_id}/",
        signer_name=actor.full_name,
        when=now,
    )
    report = verify_signed_pdf(signed)
    day = timezone.localdate(final.created_at)
    valid_until = valid_until_of(day, form.valid_months) if form else None
    title = leader_title(actor, dossier)
    signing = Signing(
        actor.full_name, title, day, str(entry.number) if entry else "", entry.book.label if entry else ""
    )
    copies = sign_copies(dossier, form=form, signing=signing, actor=actor, when=now) if form else []
    with (
        stored_file_from_bytes(
            # Issued in the owner's name: into the owner's vault when the dossier was filed for them (part 6).
            owner=dossier.owner or dossier.applicant,
            content=signed,
            name=f"ket-qua-{dossier.code}.pdf",
            document_type=(form.document_type if form else "") or "ket_qua",  # a paper offered where its type is asked
            title=_paper_title(dossier, form.title.capitalize() if form else dossier.procedure.result_document),
        ) as stored,
        ExitStack() as stack,
    ):
        if not Dossier.objects.filter(
            pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal=Dossier.Proposal.APPROVE, final_result=final
        ).update(status=Dossier.Status.RESULT_READY, result_file=stored, decided_at=now, updated_at=now):
            raise already_handled(dossier)
        if valid_until:
            StoredFile.objects.filter(pk=stored.pk).update(valid_until=valid_until)
        IssuedResult.objects.create(
            id=issued_id,
            dossier=dossier,
            stored_file=stored,
            agency_name=issuer_of(dossier.agency).name,  # the issuing body, as the paper and its certificate say
            agency_code=dossier.agency.code,
            document_title=(form.title if form else dossier.procedure.result_document)[:255],
            signer_name=report.signer_name,
            signed_at=now,
            sha256=stored.sha256,
            register_number=f"{entry.number}/{entry.book.label}" if entry else "",
            valid_until=valid_until,
        )
        if form and copies:
            issue_copies(
                stack, dossier, copies, form=form, entry=entry, signer_name=report.signer_name, when=now,
                valid_until=valid_until,
            )  # fmt: skip
        if entry is not None:
            signer = f"{actor.full_name} ({title})" if title else actor.full_name
            details = register_details(dossier, signing)
            if copies:
                details += f"; Cấp {len(copies)} bản sao trích lục"
            register_issue(dossier, signer=signer, details=details)
        dossier.refresh_from_db()
        record_event(
            dossier, actor=actor, action="result_ready", before=Dossier.Status.PROCESSING, after=dossier.status
        )
        audit(actor, "approve", dossier, ip=ip)
        group_follow(dossier)
        result_file = dossier.result_file
        attachment = (f"ket-qua-{dossier.code}.pdf", result_file.file.name) if result_file else None
        extra = {"result_url": result_link(dossier), "days": RESULT_LINK_DAYS}
        notify_applicant(dossier, "dossier_result_ready", extra, attachment=attachment)
    return dossier
