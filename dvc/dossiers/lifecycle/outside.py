"""Components of linked procedures handled by agencies outside this portal, through the exchange (docs/exchange.md).

Outbound: a component opened at such an agency is sent as a ``dossier`` message (its answers, the applicant, its
papers by reference). Inbound: the agency answers with ``dossier_status`` messages (received, refused, result ready
with the signed result by reference); each is applied once, in order of the dossier's states, and only when it
comes from the agency the component went to.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.agencies.issuer import issuer_of
from dvc.agencies.models import Agency
from dvc.catalog.linked import parse
from dvc.catalog.text import fold
from dvc.dossiers.lifecycle.clock import due_at_receipt
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.linked import group_follow, outside_senders
from dvc.dossiers.lifecycle.messages import RESULT_LINK_DAYS, notify_applicant, result_link
from dvc.dossiers.models import Dossier, DossierAttachment, IssuedResult
from dvc.errors import InvalidInput
from dvc.exchange.delivery import Ignored, handlers
from dvc.exchange.services import file_reference, message_queue
from dvc.exchange.transport import DeliveryError, fetch
from dvc.formatting import moment_short
from dvc.vault.services import stored_file_from_bytes
from dvc.vault.signing import SignatureReport, holder_id_number, verify_signed_pdf

S = Dossier.Status
DOSSIER_KIND = "dossier"
STATUS_KIND = "dossier_status"
WITHDRAWN_KIND = "dossier_withdrawn"


def component_send(component: Dossier, event: str = "opened") -> None:
    """Queue the component for its agency outside the portal (in the transaction that opened it), or, when the
    citizen took it back, the agency's notice to stop (``withdrawn``)."""
    receiver = component.agency.exchange_address
    if event == "withdrawn":
        message_queue(
            receiver=receiver, service=component.procedure.code, kind=WITHDRAWN_KIND, correlation=str(component.code),
            payload={"code": component.code, "status": "withdrawn"},
        )  # fmt: skip
        return
    applicant: dict[str, Any] = component.applicant_data or {}
    attachments = [
        {
            **file_reference(a.stored_file, receiver=receiver),
            "requirement": a.requirement.name if a.requirement else "",
        }
        for a in DossierAttachment.objects.filter(dossier=component, replaced_at__isnull=True).select_related(
            "stored_file", "requirement"
        )
    ]
    payload = {
        "code": component.code,
        "procedure": {"code": component.procedure.code, "name": component.procedure.name},
        "agency": {"code": component.agency.code, "name": component.agency.name},
        "group": component.parent.code if component.parent else "",
        "applicant": {
            "full_name": applicant.get("full_name", ""),
            "id_number": applicant.get("id_number", ""),
            "phone": applicant.get("phone", ""),
        },
        "answers": component.form_data,
        "submitted_at": component.submitted_at.isoformat() if component.submitted_at else "",
        "due_at": component.due_at.isoformat() if component.due_at else "",
        "result_method": component.result_method,
    }
    message_queue(
        receiver=receiver, service=component.procedure.code, kind=DOSSIER_KIND, correlation=str(component.code),
        payload=payload, attachments=attachments,
    )  # fmt: skip


def status_apply(message: dict[str, Any]) -> str:
    """Apply a ``dossier_status`` message to its component; a note of what was done, or Ignored. A result is
    downloaded and its signature checked before the dossier's row is locked."""
    payload = message["payload"]
    download = _download(message) if payload.get("status") == "result_ready" else None
    dossier = (
        Dossier.objects.select_for_update()
        .select_related("agency", "procedure", "applicant")
        .filter(code=message["correlation"], parent__isnull=False)
        .first()
    )
    if dossier is None:
        raise Ignored(_("Không có hồ sơ liên thông mã %(code)s.") % {"code": message["correlation"]})
    if not dossier.agency.exchange_address or dossier.agency.exchange_address != message["sender"]:
        raise Ignored(_("Nơi gửi không phải cơ quan giải quyết hồ sơ này."))
    status = payload.get("status")
    note = str(payload.get("note") or "")[:1000]
    said = _("%(agency)s báo qua trục liên thông.") % {"agency": dossier.agency.name}
    if status == "received":
        return _received(dossier, said)
    if status in ("refused", "result_ready") and dossier.status not in (S.SUBMITTED, S.PROCESSING):
        raise Ignored(_("Hồ sơ đã ở trạng thái “%(s)s”.") % {"s": dossier.get_status_display()})
    if status == "refused":
        return _refused(dossier, said, note or _("Cơ quan giải quyết từ chối, không ghi lý do."))
    if status == "result_ready" and download is not None:
        return _result(dossier, said, message, *download)
    raise Ignored(_("Trạng thái “%(s)s” không được hỗ trợ.") % {"s": str(status)[:40]})


def _received(dossier: Dossier, said: str) -> str:
    if dossier.status != S.SUBMITTED:
        raise Ignored(_("Hồ sơ đã ở trạng thái “%(s)s”.") % {"s": dossier.get_status_display()})
    now = timezone.now()
    due = due_at_receipt(dossier, now)
    if not Dossier.objects.filter(pk=dossier.pk, status=S.SUBMITTED).update(
        status=S.PROCESSING, received_at=now, due_at=due, updated_at=now
    ):
        raise Ignored(_("Hồ sơ đã ở trạng thái “%(s)s”.") % {"s": dossier.get_status_display()})
    dossier.status, dossier.received_at, dossier.due_at = S.PROCESSING, now, due
    record_event(
        dossier, actor=None, action="received", before=S.SUBMITTED, after=S.PROCESSING,
        note=f"{said} " + _("Hẹn trả kết quả: %(due)s") % {"due": moment_short(due)},
    )  # fmt: skip
    notify_applicant(dossier, "dossier_received")
    return "received"


def _refused(dossier: Dossier, said: str, reason: str) -> str:
    before, now = dossier.status, timezone.now()
    if not Dossier.objects.filter(pk=dossier.pk, status=before).update(
        status=S.REFUSED, decision_note=reason, decided_at=now, paused_at=None, updated_at=now
    ):
        raise Ignored(_("Hồ sơ đã ở trạng thái “%(s)s”.") % {"s": dossier.get_status_display()})
    dossier.status, dossier.decision_note, dossier.decided_at = S.REFUSED, reason, now
    record_event(dossier, actor=None, action="refused", before=before, after=S.REFUSED, note=f"{said} {reason}")
    notify_applicant(dossier, "dossier_refused", extra={"reason": reason[:300]})
    group_follow(dossier)
    return "refused"


def _download(message: dict[str, Any]) -> tuple[bytes, SignatureReport]:
    references = [a for a in message["attachments"] if isinstance(a, dict)]
    if not references:
        raise DeliveryError(_("Tin báo có kết quả nhưng không kèm tệp kết quả."), final=True)
    content = fetch(references[0])  # DeliveryError: tried again later
    try:
        return content, verify_signed_pdf(content)
    except InvalidInput as exc:
        raise DeliveryError(_("Kết quả không có chữ ký số hợp lệ: %(e)s") % {"e": exc}, final=True) from exc


def _signed_by(report: SignatureReport, agency: Agency) -> bool:
    """A result is the agency's when its certificate names the agency (its code, or its name), not a person."""
    if any(holder_id_number(value) for value in report.signer_ids):
        return False  # a personal certificate (it states a personal id number), whoever holds it
    return agency.code in report.signer_ids or fold(report.signer_name) in {
        fold(agency.name),
        fold(issuer_of(agency).name),
    }


def _result(dossier: Dossier, said: str, message: dict[str, Any], content: bytes, report: SignatureReport) -> str:
    if not _signed_by(report, dossier.agency):
        raise DeliveryError(
            _("Kết quả được ký bởi “%(signer)s”, không phải chữ ký số của %(agency)s.")
            % {"signer": report.signer_name, "agency": dossier.agency.name},
            final=True,
        )
    spec = parse(dossier.parent.procedure.components).get(dossier.component_key) if dossier.parent else None
    payload = message["payload"]
    title = str(payload.get("title") or dossier.procedure.result_document)[:255]
    before, now = dossier.status, timezone.now()
    with stored_file_from_bytes(
        owner=dossier.owner or dossier.applicant, content=content, name=f"ket-qua-{dossier.code}.pdf",
        document_type=spec.document_type if spec else "", title=title,
    ) as stored, transaction.atomic():  # fmt: skip
        if not Dossier.objects.filter(pk=dossier.pk, status=before).update(
            status=S.RESULT_READY, result_file=stored, decided_at=now, received_at=dossier.received_at or now,
            updated_at=now,
        ):  # fmt: skip
            raise Ignored(_("Hồ sơ đã ở trạng thái “%(s)s”.") % {"s": dossier.get_status_display()})
        IssuedResult.objects.create(
            dossier=dossier, stored_file=stored, agency_name=dossier.agency.name, agency_code=dossier.agency.code,
            document_title=title, signer_name=report.signer_name, signed_at=now, sha256=stored.sha256,
        )  # fmt: skip
    dossier.refresh_from_db()
    record_event(dossier, actor=None, action="result_ready", before=before, after=S.RESULT_READY, note=said)
    notify_applicant(dossier, "dossier_result_ready", {"result_url": result_link(dossier), "days": RESULT_LINK_DAYS})
    group_follow(dossier)
    return "result_ready"


def connect() -> None:
    """Plug the components outside the portal into the lifecycle and the exchange (DossiersConfig.ready)."""
    if component_send not in outside_senders:  # called with (component, "opened" | "withdrawn")
        outside_senders.append(component_send)
    handlers[STATUS_KIND] = status_apply
