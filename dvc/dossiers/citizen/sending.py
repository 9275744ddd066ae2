"""Sending: what still stops a draft, and the submission that issues the dossier's code (TT 01/2018 Điều 19)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.calendar import WorkingCalendar
from dvc.catalog import eform
from dvc.catalog.bilingual import name_of
from dvc.catalog.models import DocumentRequirement
from dvc.dossiers.citizen.on_behalf import owner_account, owner_problems
from dvc.dossiers.citizen.signing import declaration_sha256
from dvc.dossiers.lifecycle.codes import code_clause, new_security_code, next_code
from dvc.dossiers.lifecycle.events import event_counted, event_for
from dvc.dossiers.lifecycle.linked import group_of, group_problems, group_start
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.lifecycle.states import ChangedMeanwhile
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.errors import Conflict, InvalidInput
from dvc.payments.fees import fee_lines_set
from dvc.together import Insert, Update, writes_together


def exempt(requirement: DocumentRequirement, dossier: Dossier) -> bool:
    """A paper the catalog does not ask of this applicant: a copy of the identity card from someone whose identity
    the state verified (the requirement's own condition; NĐ 69/2024)."""
    # Filed on someone's behalf, the requester is the owner: the filer's verified identity does not stand for theirs.
    return (
        requirement.exempt_verified_identity
        and dossier.applicant.identity_verified_at is not None
        and (not dossier.owner_basis)
    )


def submission_problems(
    dossier: Dossier, *, given: set[int] | None = None, checked: eform.Result | None = None
) -> dict[str, list[str]]:
    """Everything that stops a draft from being sent, by field; empty when it can go. ``given``: the requirements
    the dossier's current papers answer, when the caller has just read them; ``checked``: the answers' check, when
    the caller has made it."""
    if checked is None:
        checked = eform.validate_answers(dossier.procedure.form_schema, dossier.form_data)
    problems = dict(checked.errors)
    if given is None:
        given = set(
            DossierAttachment.objects.filter(dossier=dossier, replaced_at__isnull=True).values_list(
                "requirement_id", flat=True
            )
        )
    for requirement in dossier.procedure.requirements.all():
        if exempt(requirement, dossier):
            continue
        if requirement.required and not requirement.template_is_eform and requirement.pk not in given:
            problems.setdefault(f"requirement-{requirement.pk}", []).append(
                _("Chưa đính kèm: %(name)s.") % {"name": name_of(requirement)}
            )
    if dossier.procedure.requires_signature and dossier.signed_form_id is None:
        problems.setdefault("signed_form", []).append(
            _("Thủ tục này yêu cầu tờ khai có chữ ký số: tải tờ khai, ký số rồi tải lên.")
        )
    elif dossier.signed_form_id is not None and dossier.signed_content_sha256 != declaration_sha256(dossier):
        problems.setdefault("signed_form", []).append(
            _("Tờ khai đã thay đổi sau khi ký số: vui lòng ký lại tờ khai hiện tại.")
        )
    for problem in owner_problems(dossier):
        problems.setdefault("owner", []).append(problem)
    if dossier.procedure.components:
        for problem in group_problems(dossier):
            problems.setdefault("agency", []).append(problem)
    postal = (
        dossier.result_method == Dossier.ResultMethod.POST
        or dossier.submission_method == Dossier.SubmissionMethod.POST_PICKUP
    )
    if postal and not dossier.delivery_address.get("commune"):
        problems.setdefault("delivery_address", []).append(
            _("Vui lòng nhập địa chỉ để bưu điện đến nhận hồ sơ hoặc gửi kết quả.")
        )
    return problems


def _refuse_reused_key(dossier: Dossier, key: str | None) -> None:
    """409 when another dossier of the applicant was sent with ``key`` (said before any other refusal)."""
    if key and Dossier.objects.filter(applicant=dossier.applicant, idempotency_key=key).exclude(pk=dossier.pk).exists():
        raise Conflict(_("Mã chống gửi trùng này đã được dùng cho một hồ sơ khác."), code="idempotency_key_reused")


def dossier_submit(*, dossier: Dossier, actor: User, idempotency_key: str, given: set[int] | None = None) -> Dossier:
    """Send a complete draft: issue its code, set the expected return date, notify. Repeats are harmless.

    A second request with the same idempotency key for the same dossier (a double click, a retried request, two
    at once) answers with the dossier the first one sent; the key of another dossier is refused (409). ``given``:
    the requirements the draft's current papers answer, when the caller has just read them.
    """
    key = (idempotency_key or "")[:64] or None
    if dossier.status != Dossier.Status.DRAFT:
        if key and dossier.idempotency_key == key:
            return dossier
        _refuse_reused_key(dossier, key)
        raise Conflict(_("Hồ sơ này đã được gửi."), code="already_submitted")
    checked = eform.validate_answers(dossier.procedure.form_schema, dossier.form_data)
    problems = submission_problems(dossier, given=given, checked=checked)
    if problems:
        _refuse_reused_key(dossier, key)
        raise InvalidInput(problems, message=_("Hồ sơ chưa đủ thông tin để gửi. Vui lòng xem các mục được đánh dấu."))
    # A key another dossier used is otherwise refused by the unique constraint when the dossier is sent (no query).
    now = timezone.now()
    local_day = timezone.localdate(now)
    calendar = WorkingCalendar(dossier.agency)
    # What is sent, billed and shown to the officer are the cleaned answers, never the text as typed (checked once).
    dossier.form_data = checked.answers
    try:
        with transaction.atomic():
            owed = fee_lines_set(dossier, first=True)
            numbered = code_clause(dossier.agency, local_day, name="number")
            sent = {
                "security_code": new_security_code(),
                "form_data": dossier.form_data,
                "status": Dossier.Status.SUBMITTED,
                "submitted_at": now,
                "due_at": calendar.due_moment(now, dossier.procedure.processing_days),
                "fee_status": Dossier.FeeStatus.UNPAID if owed else Dossier.FeeStatus.NOT_REQUIRED,
                "idempotency_key": key,
                "updated_at": now,
                "is_group": bool(group_of(dossier.procedure)),
                # The owner's account as it stands now (one opened since the draft began sees the dossier too).
                "owner": owner_account(dossier.owner_data) if dossier.owner_basis else None,
            }
            # What is written, without reading the dossier back (its procedure, agency and applicant stay loaded
            # for the notification).
            for name, value in sent.items():
                setattr(dossier, name, value)
            event = event_for(
                dossier, actor=actor, action="submitted", before=Dossier.Status.DRAFT, after=Dossier.Status.SUBMITTED
            )
            # The day's number, the dossier and its history row: one statement on PostgreSQL (issue 20, part 2).
            # The update is conditional: a dossier another request sent meanwhile is left as that one sent it, and
            # the transaction is rolled back (the number and the history row with it).
            code = numbered[1] if numbered else next_code(dossier.agency, local_day)
            written, _event_pk = writes_together(
                [
                    Update(Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.DRAFT), {**sent, "code": code},
                           returning="code"),
                    Insert(event),
                ],
                before=numbered[0] if numbered else None,
            )  # fmt: skip
            if written is None:
                raise ChangedMeanwhile
            dossier.code = written
            event_counted(event)
            notify_applicant(dossier, "dossier_submitted")
            if dossier.is_group:
                group_start(dossier, now=now)
    except IntegrityError as exc:  # the same key took another dossier at the same instant
        raise Conflict(
            _("Mã chống gửi trùng này đã được dùng cho một hồ sơ khác."), code="idempotency_key_reused"
        ) from exc
    except ChangedMeanwhile:
        # Another request sent it first: with the same key, that one's answer is this one's too.
        current = Dossier.objects.get(pk=dossier.pk)
        if key and current.idempotency_key == key:
            return current
        raise Conflict(_("Hồ sơ này đã được gửi."), code="already_submitted") from None
    return dossier
