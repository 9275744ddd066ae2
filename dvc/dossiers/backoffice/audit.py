"""The append-only audit log: every officer action and every view of a dossier's personal data by staff."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.dossiers.lifecycle.states import ACTION_LABELS
from dvc.dossiers.models import AuditEntry, Dossier, DossierEvent
from dvc.errors import Conflict, InvalidInput


def audit(actor: User, action: str, dossier: Dossier | None = None, *, ip: str = "", detail: str = "") -> AuditEntry:
    """One line of the audit log: who, what, which dossier, from which client address."""
    entry = audit_for(actor, action, dossier, ip=ip, detail=detail)
    entry.save(force_insert=True)
    return entry


def audit_for(
    actor: User, action: str, dossier: Dossier | None = None, *, ip: str = "", detail: str = ""
) -> AuditEntry:
    """The line ``audit`` writes, not yet written: for a change that writes it in its own statement
    (``together.writes_together``)."""
    return AuditEntry(
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


def required_reason(text: str, field: str = "reason") -> str:
    """A written reason, required by NĐ 118/2025 for every refusal, suspension, send-back and extension."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput({field: [_("Vui lòng ghi rõ lý do.")]})
    return text[:5000]
