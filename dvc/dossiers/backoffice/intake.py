"""Intake at the one-stop counter: receive an online dossier, or file a walk-in citizen's dossier on the spot.

NĐ 118/2025: the officer checks the dossier, and for a complete one issues form 01 (giấy tiếp nhận hồ sơ
và hẹn trả kết quả) with the due date; the clock starts at receipt (Điều 20).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.accounts.registration import account_claim_issue, walk_in_account
from dvc.agencies.models import Agency
from dvc.catalog import eform
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.audit import already_handled, audit, audit_for
from dvc.dossiers.backoffice.permissions import ALLOWED, require, roles_in
from dvc.dossiers.lifecycle.applicant import applicant_name_key, applicant_snapshot
from dvc.dossiers.lifecycle.clock import due_at_receipt
from dvc.dossiers.lifecycle.codes import new_security_code, next_code
from dvc.dossiers.lifecycle.events import event_counted, event_for, record_event
from dvc.dossiers.lifecycle.linked import group_of, group_problems, group_start
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.lifecycle.states import ChangedMeanwhile
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.errors import Forbidden, InvalidInput
from dvc.formatting import moment_short
from dvc.payments.fees import fee_lines_set
from dvc.together import Insert, Update, writes_together
from dvc.vault.services import stored_file_save


def dossier_receive(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """Receive a valid dossier: the clock starts, the due date is set, form 01 is issued, the applicant told.

    NĐ 118/2025: receipt and form 01; the due date counts from receipt.
    """
    require(actor, dossier, "receive")
    now = timezone.now()
    due = due_at_receipt(dossier, now)
    received = {
        "status": Dossier.Status.PROCESSING, "received_at": now, "received_by": actor, "due_at": due,
        "updated_at": now,
    }  # fmt: skip
    # What is written, without reading the dossier back (issue 20: the re-read also dropped the procedure, agency
    # and applicant the notice then read again); as it was if another officer got there first.
    before = {name: getattr(dossier, name) for name in received}
    for name, value in received.items():
        setattr(dossier, name, value)
    event = event_for(
        dossier,
        actor=actor,
        action="received",
        before=Dossier.Status.SUBMITTED,
        after=Dossier.Status.PROCESSING,
        note=_("Hẹn trả kết quả: %(due)s") % {"due": moment_short(due)},
    )
    try:
        with transaction.atomic():
            # The conditional update, its history row and the audit line: one statement on PostgreSQL (issue 20,
            # part 2). A dossier another officer received first is left as they left it, and the rows written with
            # the update are rolled back.
            changed, _event_pk, _audit_pk = writes_together(
                [
                    Update(Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.SUBMITTED), received),
                    Insert(event),
                    Insert(audit_for(actor, "receive", dossier, ip=ip)),
                ]
            )
            if not changed:
                raise ChangedMeanwhile
            event_counted(event)
            notify_applicant(dossier, "dossier_received")
    except BaseException as exc:  # nothing was kept: the dossier as it was read
        for name, value in before.items():
            setattr(dossier, name, value)
        if isinstance(exc, ChangedMeanwhile):
            raise already_handled(dossier) from None  # told after the rollback: who received it, not this attempt
        raise
    return dossier


@dataclass(frozen=True)
class CounterIntake:
    dossier: Dossier
    # For a citizen without an active account: the code that lets them claim it, printed once on form 01.
    claim_code: str = ""


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
) -> CounterIntake:
    """An officer files a walk-in citizen's dossier (seed 001): checked, coded and received on the spot.

    NĐ 118/2025: filing in person at the one-stop section, receipt and form 01. A
    citizen without an active account gets an inactive one keyed by their id number and a claim code (on form 01
    and by SMS to the phone recorded) with which they, and only they, can take it over; the dossier code reaches
    them by SMS.
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
    group = bool(group_of(procedure))
    if group:
        for problem in group_problems(Dossier(procedure=procedure, agency=agency)):
            problems.setdefault("procedure", []).append(problem)
    if problems:
        raise InvalidInput(problems, message=_("Hồ sơ chưa đủ thông tin. Vui lòng xem các mục được đánh dấu."))
    now = timezone.now()
    with transaction.atomic():
        applicant = walk_in_account(id_number=id_number, full_name=full_name, phone=phone, birth_date=birth_date)
        snapshot = applicant_snapshot(applicant)
        snapshot.update(full_name=full_name, phone=phone or snapshot["phone"])
        if birth_date:
            snapshot["birth_date"] = birth_date.isoformat()
        dossier = Dossier.objects.create(
            procedure=procedure,
            agency=agency,
            applicant=applicant,
            applicant_data=snapshot,
            applicant_name=applicant_name_key(snapshot),
            form_data=answers.answers,
            channel=Dossier.Channel.COUNTER,
            filed_by=actor,
            submission_method=Dossier.SubmissionMethod.ONLINE,
            result_method=result_method,
            notify_sms=bool(phone),
            notify_email=False,
        )
        for requirement_id, upload in scans.items():
            requirement = requirements[requirement_id]
            stored = stored_file_save(
                owner=applicant,
                upload=upload,
                allowed=requirement.accepted_types or ["pdf", "jpg", "png"],
                max_bytes=requirement.max_size_mb * 1024 * 1024,
                document_type=requirement.vault_document_type,
                title=requirement.name,
            )
            DossierAttachment.objects.create(dossier=dossier, requirement=requirement, stored_file=stored)
        code = next_code(agency, timezone.localdate(now))
        owed = fee_lines_set(dossier)
        Dossier.objects.filter(pk=dossier.pk).update(
            code=code,
            security_code=new_security_code(),
            # A group dossier goes to its components' agencies: its own receipt is the group's (linked.group_start).
            status=Dossier.Status.SUBMITTED if group else Dossier.Status.PROCESSING,
            is_group=group,
            submitted_at=now,
            received_at=now,
            received_by=actor,
            due_at=due_at_receipt(dossier, now),
            fee_status=Dossier.FeeStatus.UNPAID if owed else Dossier.FeeStatus.NOT_REQUIRED,
        )
        dossier.refresh_from_db()
        record_event(
            dossier, actor=actor, action="created", after=Dossier.Status.DRAFT, note=_("Tiếp nhận trực tiếp tại quầy")
        )
        if group:
            group_start(dossier, now=now)
        else:
            record_event(
                dossier,
                actor=actor,
                action="received",
                before=Dossier.Status.DRAFT,
                after=Dossier.Status.PROCESSING,
                note=_("Hẹn trả kết quả: %(due)s") % {"due": moment_short(dossier.due_at)},
            )
        audit(actor, "counter_intake", dossier, ip=ip, detail=procedure.code)
        notify_applicant(dossier, "dossier_received")
        claim = "" if applicant.is_active else account_claim_issue(user=applicant, phone=phone or applicant.phone)
    return CounterIntake(dossier=dossier, claim_code=claim)
