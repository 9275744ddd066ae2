"""Linked procedures (liên thông, NĐ 63/2024/NĐ-CP): a group dossier and its components.

The citizen files once. On submission the group dossier (the parent, at the receiving agency) starts its clock with
the group's deadline and opens the components whose turn it is; each component is a dossier of its own at its
competent agency (its queues, officers, internal clock, history and result). When a component has its result, the
components waiting for it open, with its data and its signed result as their papers. When every component is
settled, the parent is: with the results, or refused when none could be given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import AdminUnit, Agency
from dvc.catalog import eform
from dvc.catalog.linked import Component, Group, component_answers, parse
from dvc.catalog.models import Procedure
from dvc.dossiers.lifecycle.codes import new_security_code, next_code
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.formatting import moment_short

S = Dossier.Status
WITH_RESULT = (S.RESULT_READY, S.RETURNED)
SETTLED = (S.RESULT_READY, S.RETURNED, S.REFUSED, S.SUSPENDED, S.WITHDRAWN)

# Called with a component at an agency outside this portal and what happened to it ("opened", "withdrawn"); plugged
# in by dossiers.lifecycle.outside when the app loads (the lifecycle does not import the exchange).
outside_senders: list[Callable[[Dossier, str], None]] = []


def group_of(procedure: Procedure) -> Group:
    return parse(procedure.components)


def competent_agency(receiving: Agency, kind: str) -> Agency | None:
    """The agency competent for a component: the receiving agency itself (no kind), else the agency of that kind
    serving the receiving agency's commune, else its province (a regional social-insurance office)."""
    if not kind:
        return receiving
    unit = receiving.admin_unit
    if unit is None:
        return None
    province = unit if unit.level == AdminUnit.Level.PROVINCE else unit.parent
    found = Agency.objects.effective(timezone.localdate()).filter(kind=kind)
    places = Q(admin_unit=unit) | (Q(admin_unit=province) if province else Q())
    candidates = sorted(found.filter(places), key=lambda a: (a.admin_unit_id != unit.pk, a.code))
    return candidates[0] if candidates else None


def group_problems(dossier: Dossier) -> list[str]:
    """Why a group dossier cannot go to this agency: a component with no competent agency to go to."""
    problems = []
    for component in group_of(dossier.procedure).components:
        if competent_agency(dossier.agency, component.agency_kind) is None:
            kind = Agency.Kind(component.agency_kind).label if component.agency_kind in Agency.Kind.values else ""
            problems.append(
                _("Chưa có %(kind)s nhận hồ sơ liên thông từ %(agency)s. Vui lòng chọn nơi nộp khác hoặc nộp từng thủ "
                  "tục riêng.") % {"kind": str(kind).lower(), "agency": dossier.agency.name}
            )  # fmt: skip
    return problems


def group_start(parent: Dossier, *, now: dt.datetime) -> None:
    """Right after a group dossier is sent, in the same transaction: its clock starts with the group's deadline
    (received on filing: each component is checked by its own agency) and the first components open."""
    due = WorkingCalendar(parent.agency).due_moment(now, parent.procedure.processing_days)
    Dossier.objects.filter(pk=parent.pk, status=S.SUBMITTED).update(
        status=S.PROCESSING, received_at=now, due_at=due, updated_at=now
    )
    parent.status, parent.received_at, parent.due_at = S.PROCESSING, now, due
    record_event(
        parent, actor=None, action="received", before=S.SUBMITTED, after=S.PROCESSING,
        note=_("Hồ sơ liên thông được chuyển đến các cơ quan giải quyết. Hẹn trả kết quả: %(due)s")
        % {"due": moment_short(due)},
    )  # fmt: skip
    _open_ready(parent, group_of(parent.procedure), now)


def group_follow(component: Dossier) -> None:
    """After a component changed (in the transaction of the change): open the components that waited for its
    result, and settle the parent once nothing is left to do."""
    if component.parent_id is None or component.status not in SETTLED:
        return
    now = timezone.now()
    parent = (
        Dossier.objects.select_for_update()
        .select_related("procedure", "agency", "applicant")
        .get(pk=component.parent_id)
    )
    if parent.status == S.RESULT_READY:
        _returned_when_all_are(parent, now)
        return
    if parent.status != S.PROCESSING:
        return
    group = group_of(parent.procedure)
    opened = _open_ready(parent, group, now)
    unavailable = [item for item in group.components if item.key not in opened and not _available(parent, item)]
    for item in group.components:
        if item.key not in opened and not _blocked(item, opened) and item not in unavailable:
            return  # still to open once an earlier component has its result
    if any(d.status not in SETTLED for d in opened.values()):
        return
    done = [d for d in opened.values() if d.status in WITH_RESULT]
    withdrawn = all(d.status == S.WITHDRAWN for d in opened.values())
    after = S.RESULT_READY if done else (S.WITHDRAWN if withdrawn else S.REFUSED)
    summary = "; ".join(
        [f"{d.procedure.name}: {d.get_status_display().lower()}" for d in opened.values()]
        + [_("%(code)s: không có cơ quan giải quyết") % {"code": item.procedure} for item in unavailable]
    )
    Dossier.objects.filter(pk=parent.pk, status=S.PROCESSING).update(status=after, decided_at=now, updated_at=now)
    parent.status, parent.decided_at = after, now
    if after == S.REFUSED:
        Dossier.objects.filter(pk=parent.pk).update(decision_note=summary[:1000])
    record_event(parent, actor=None, action=str(after), before=S.PROCESSING, after=after, note=summary[:1000])
    notify_applicant(parent, "dossier_group_done", {"summary": summary[:300]})
    if after == S.RESULT_READY:
        _returned_when_all_are(parent, now)


def _returned_when_all_are(parent: Dossier, now: dt.datetime) -> None:
    """Every part's result handed over (and nothing else pending): the group is returned as well."""
    parts = list(Dossier.objects.filter(parent=parent).only("status"))
    if any(p.status == S.RESULT_READY or p.status not in SETTLED for p in parts):
        return
    Dossier.objects.filter(pk=parent.pk, status=S.RESULT_READY).update(
        status=S.RETURNED, returned_at=now, updated_at=now
    )
    parent.status, parent.returned_at = S.RETURNED, now
    record_event(parent, actor=None, action="returned", before=S.RESULT_READY, after=S.RETURNED)


def _blocked(item: Component, opened: dict[str, Dossier]) -> bool:
    """A component that will never open: an earlier one it waits for ended without a result."""
    return any(key in opened and opened[key].status in SETTLED and opened[key].status not in WITH_RESULT
               for key in item.after)  # fmt: skip


def _open_ready(parent: Dossier, group: Group, now: dt.datetime) -> dict[str, Dossier]:
    opened = {d.component_key: d for d in Dossier.objects.filter(parent=parent).select_related("procedure", "agency")}
    for item in group.components:
        if item.key in opened or not _available(parent, item):
            continue
        if all(key in opened and opened[key].status in WITH_RESULT for key in item.after):
            opened[item.key] = _open(parent, item, opened, now)
    return opened


def _available(parent: Dossier, item: Component) -> bool:
    """Whether a component can open: its procedure is in the catalog and an agency is competent for it (one checked
    on filing may have closed since; the part is then reported, not sent elsewhere)."""
    return (
        Procedure.objects.filter(code=item.procedure).exists()
        and competent_agency(parent.agency, item.agency_kind) is not None
    )


def _open(parent: Dossier, item: Component, opened: dict[str, Dossier], now: dt.datetime) -> Dossier:
    procedure = Procedure.objects.get(code=item.procedure)
    agency = competent_agency(parent.agency, item.agency_kind)
    if agency is None:
        raise LookupError(item.key)  # checked by the caller (_available): never opened at another agency
    earlier: dict[str, dict[str, Any]] = {key: {**d.form_data, **d.result_data} for key, d in opened.items()}
    answers = component_answers(item, schema=procedure.form_schema, answers=parent.form_data, earlier=earlier)
    checked = eform.validate_answers(procedure.form_schema, answers)
    component = Dossier.objects.create(
        procedure=procedure, agency=agency, applicant=parent.applicant, parent=parent, component_key=item.key,
        status=S.SUBMITTED, code=next_code(agency, timezone.localdate(now)), security_code=new_security_code(),
        applicant_data=parent.applicant_data, applicant_name=parent.applicant_name,
        form_data=answers if checked.errors else checked.answers, result_method=parent.result_method,
        delivery_address=parent.delivery_address, notify_sms=parent.notify_sms, notify_email=parent.notify_email,
        channel=parent.channel, filed_by=parent.filed_by, submitted_at=now, owner_basis=parent.owner_basis,
        owner_data=parent.owner_data, owner=parent.owner, owner_notify_sms=parent.owner_notify_sms,
        owner_id_number=parent.owner_id_number, owner_name=parent.owner_name,
        owner_notify_email=parent.owner_notify_email,
        due_at=WorkingCalendar(agency).due_moment(now, item.days),
    )  # fmt: skip
    _attach_papers(parent, component, item, opened)
    record_event(
        component, actor=None, action="submitted", after=S.SUBMITTED,
        note=_("Thành phần của hồ sơ liên thông %(code)s") % {"code": parent.code},
    )  # fmt: skip
    if agency.exchange_address:
        for send in outside_senders:
            send(component, "opened")
    return component


def _attach_papers(parent: Dossier, component: Dossier, item: Component, opened: dict[str, Dossier]) -> None:
    """The filing's papers the component's requirements take, and the signed results of earlier components."""
    own = list(component.procedure.requirements.order_by("position", "pk"))
    given = list(parent.procedure.requirements.order_by("position", "pk"))
    files: list[tuple[Any, Any]] = []
    for own_at, given_at in item.papers.items():
        if own_at >= len(own) or given_at >= len(given):
            continue
        requirement = given[given_at]
        if requirement.template_is_eform and parent.signed_form_id:
            files.append((own[own_at], parent.signed_form_id))
        files += [
            (own[own_at], a.stored_file_id)
            for a in DossierAttachment.objects.filter(dossier=parent, requirement=requirement, replaced_at__isnull=True)
        ]
    for own_at, key in item.results.items():  # -1: a paper of its own, for no listed requirement
        earlier = opened.get(key)
        if own_at < len(own) and earlier is not None and earlier.result_file_id:
            files.append((own[own_at] if own_at >= 0 else None, earlier.result_file_id))
    DossierAttachment.objects.bulk_create(
        DossierAttachment(dossier=component, requirement=requirement, stored_file_id=file_id)
        for requirement, file_id in files
    )
