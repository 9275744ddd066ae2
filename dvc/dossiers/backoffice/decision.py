"""The leader's decision: approve and sign the result, refuse, or suspend (NĐ 118/2025/NĐ-CP; forms 03 and 05 of
TT 03/2025/TT-VPCP). The approval signature is the agency's PAdES signature (``vault.agency_signing``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.dossiers.backoffice.audit import already_handled, audit, required_reason
from dvc.dossiers.backoffice.permissions import LEADER, require
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.models import Dossier, IssuedResult
from dvc.errors import Conflict, InvalidInput
from dvc.vault.agency_signing import sign_result
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
        audit(actor, action, dossier, ip=ip)
        notify_applicant(dossier, f"dossier_{action}", extra={"reason": reason[:300]})
    return dossier


def dossier_approve(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """The leader decides on the proposal: a resolved dossier's result is signed by the agency and issued into the
    applicant's vault; a proposal to refuse closes the dossier with the specialist's reason."""
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
    with dossier.draft_result.file.open("rb") as handle:
        draft = handle.read()
    signed = sign_result(
        draft,
        agency=dossier.agency,
        verify_url=f"{settings.SITE_URL}/xac-minh/{issued_id}/",
        signer_name=actor.full_name,
        when=now,
    )
    report = verify_signed_pdf(signed)
    with stored_file_from_bytes(
        owner=dossier.applicant,
        content=signed,
        name=f"ket-qua-{dossier.code}.pdf",
        document_type="ket_qua",
        title=dossier.procedure.result_document,
    ) as stored:
        if not Dossier.objects.filter(
            pk=dossier.pk, status=Dossier.Status.PROCESSING, proposal=Dossier.Proposal.APPROVE
        ).update(status=Dossier.Status.RESULT_READY, result_file=stored, decided_at=now, updated_at=now):
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
        record_event(
            dossier, actor=actor, action="result_ready", before=Dossier.Status.PROCESSING, after=dossier.status
        )
        audit(actor, "approve", dossier, ip=ip)
        notify_applicant(dossier, "dossier_result_ready")
    return dossier
