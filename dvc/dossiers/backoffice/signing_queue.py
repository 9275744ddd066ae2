"""The leader's final copy and approval answer at once; the worker makes the copy, and signs and issues the result
(issue 20, part 3).

Drawing the final copy (the register's number, the leader's name and title) takes a few hundred milliseconds, so
the leader's "read the final copy" is a request too (``final_request``): what would stop it is said at once, the
worker makes it and counts its pages, and the page shows it when it refreshes.

Signing the result (the agency's PAdES signature, its timestamp, the register's copies) and writing it into the
applicant's vault took most of a second inside the leader's request. Now the request checks what the leader may
do and what they saw (``approve_request``), records a ``ResultSigning`` and enqueues its task in the same
transaction, and returns; the worker runs ``decision.dossier_approve`` (``signing_run``), whose conditional update
issues the result once however often the task runs. The staff page shows the state and refreshes itself (no
script needed); the API's dossier answer carries ``signing``. A request whose task was lost is put back by the
worker's sweep (``signings_requeue_stranded``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dvc.accounts.models import User
from dvc.dossiers.backoffice import decision
from dvc.dossiers.backoffice.audit import already_handled, audit
from dvc.dossiers.backoffice.permissions import require
from dvc.dossiers.models import Dossier, ResultSigning
from dvc.errors import OBJECT_STORE_ERRORS, Conflict, DomainError, InvalidInput, StorageUnavailable
from dvc.vault.services import stored_pages

logger = logging.getLogger(__name__)
STRANDED_AFTER = dt.timedelta(minutes=5)
RUNNING_LOST_AFTER = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 3
RETRY_PAUSE = dt.timedelta(seconds=10)
# Errors that pass: a connection dropped, a storage or object store timeout (``StorageUnavailable`` too, caught
# before the other domain errors). A run that issued nothing is safe to repeat.
PASSING: tuple[type[Exception], ...] = (
    OperationalError, InterfaceError, OSError, StorageUnavailable, *OBJECT_STORE_ERRORS
)  # fmt: skip


def final_request(*, dossier: Dossier, actor: User, ip: str = "") -> Dossier:
    """The leader asks to read the final copy before signing: checked now, made by the worker (``signing_run``).
    The same leader's second click while it is being made changes nothing; another request of the dossier under
    way (another leader's copy, or the result being signed) is said so."""
    decision.final_checks(dossier, actor)
    if decision.final_is_current(dossier, actor):
        return dossier
    active = _active(dossier)
    if active is None and _queue(dossier, actor, ResultSigning.Step.PREPARE, ip=ip):
        return dossier
    active = active or _active(dossier)  # two requests at once: the other one won
    if active is not None and not (active.step == ResultSigning.Step.PREPARE and active.requested_by_id == actor.pk):
        raise _busy(active)
    return dossier


def approve_request(*, dossier: Dossier, actor: User, final_sha256: str = "", ip: str = "") -> Dossier:
    """The leader approves: a proposal to refuse closes the dossier now (nothing to sign); a result to issue is
    checked (the final copy seen is still the one to sign) and handed to the worker."""
    require(actor, dossier, "approve")
    active = _active(dossier)
    if active is not None:
        raise _busy(active)
    if dossier.status != Dossier.Status.PROCESSING or not dossier.proposal:
        raise already_handled(dossier)
    if dossier.proposal == Dossier.Proposal.REFUSE:
        return decision.dossier_approve(dossier=dossier, actor=actor, final_sha256=final_sha256, ip=ip)
    if dossier.draft_result is None:
        raise InvalidInput({"decision": [_("Chưa có dự thảo kết quả để ký.")]})
    seen = dossier.final_result
    current = decision.final_is_current(dossier, actor) and seen is not None and seen.sha256 == final_sha256
    if final_sha256 and not current:
        raise Conflict(
            _("Bản cuối của kết quả đã thay đổi từ khi bạn xem. Vui lòng xem lại bản cuối trước khi ký."),
            code="final_changed",
        )
    if not _queue(dossier, actor, ResultSigning.Step.SIGN, ip=ip, final_sha256=final_sha256):
        active = _active(dossier)  # two requests at once: the other one won
        raise _busy(active) if active is not None else _being_signed()
    return dossier


def _active(dossier: Dossier) -> ResultSigning | None:
    """The dossier's request waiting for the worker or running, if any (one at a time)."""
    return (
        ResultSigning.objects.filter(dossier=dossier, state__in=ResultSigning.ACTIVE)
        .only("step", "requested_by_id")
        .first()
    )


def _queue(dossier: Dossier, actor: User, step: str, *, ip: str, final_sha256: str = "") -> bool:
    """Record the leader's request and enqueue its task in one transaction; False when another request of the
    dossier is already waiting or running (the unique constraint: one at a time)."""
    try:
        with transaction.atomic():
            signing = ResultSigning.objects.create(
                dossier=dossier,
                step=step,
                requested_by=actor,
                final_sha256=final_sha256,
                proposed_at=dossier.proposed_at,
                ip=ip or None,
            )
            sign_approved_result.enqueue(signing_id=str(signing.pk))
            action = "prepare_final_requested" if step == ResultSigning.Step.PREPARE else "approve_requested"
            audit(actor, action, dossier, ip=ip)
    except IntegrityError:
        return False
    return True


def _busy(active: ResultSigning) -> Conflict:
    return _being_signed() if active.step == ResultSigning.Step.SIGN else _being_prepared()


def _being_signed() -> Conflict:
    return Conflict(_("Kết quả của hồ sơ này đang được ký số. Vui lòng chờ trong giây lát."), code="signing")


def _being_prepared() -> Conflict:
    return Conflict(
        _("Bản cuối của kết quả đang được lập. Vui lòng chờ trong giây lát rồi đọc trước khi ký."), code="preparing"
    )


@task()
def sign_approved_result(signing_id: str) -> str:
    """The worker's half of a leader's request (``signing_run``): the final copy made, or the result signed."""
    return signing_run(signing_id)


def signing_run(signing_id: str) -> str:
    """Make the final copy, or sign and issue the result, of one request: ``done``, ``failed`` (the reason kept for
    the leader) or ``skipped`` (already finished)."""
    now = timezone.now()
    claimed = ResultSigning.objects.filter(pk=signing_id, state=ResultSigning.State.QUEUED).update(
        state=ResultSigning.State.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    signing = ResultSigning.objects.select_related("requested_by").get(pk=signing_id)
    dossier = Dossier.objects.select_related("procedure", "agency").get(pk=signing.dossier_id)
    if signing.step == ResultSigning.Step.PREPARE:
        if dossier.proposed_at != signing.proposed_at:  # sent back and proposed again while it waited
            return _finish(signing, ResultSigning.State.FAILED, _("Đề xuất đã thay đổi. Vui lòng xem lại."))
        return _attempt(
            signing, dossier, lambda: _prepare(signing, dossier), _("Lỗi hệ thống khi lập bản cuối. Vui lòng thử lại.")
        )
    if (
        dossier.status == Dossier.Status.RESULT_READY
        and dossier.decided_at
        and dossier.decided_at >= signing.requested_at
    ):
        return _finish(signing, ResultSigning.State.DONE)  # issued by an earlier run whose end was lost
    if dossier.proposed_at != signing.proposed_at:  # sent back and proposed again while it waited
        return _finish(
            signing, ResultSigning.State.FAILED, _("Đề xuất đã thay đổi sau khi phê duyệt. Vui lòng xem lại.")
        )
    return _attempt(
        signing,
        dossier,
        lambda: decision.dossier_approve(
            dossier=dossier,
            actor=signing.requested_by,
            final_sha256=signing.final_sha256,
            ip=signing.ip or "",
            # The final copy is judged on the day the leader approved, not the day the worker gets to it.
            approved_on=timezone.localdate(signing.requested_at),
        ),
        _("Lỗi hệ thống khi ký số. Vui lòng ký lại."),
    )


def _prepare(signing: ResultSigning, dossier: Dossier) -> None:
    """The final copy as the leader will sign it (``decision.dossier_prepare_final`` makes it once however often it
    runs), its pages counted for the page that shows them."""
    dossier = decision.dossier_prepare_final(dossier=dossier, actor=signing.requested_by, ip=signing.ip or "")
    if dossier.final_result is not None:
        try:
            stored_pages(dossier.final_result)
        except Exception:  # the copy is made: the page counts its pages itself
            logger.warning("final copy of dossier %s: pages not counted", dossier.code, exc_info=True)


def _attempt(signing: ResultSigning, dossier: Dossier, work: Callable[[], object], failed: str) -> str:
    """Run the request's work: done; failed with the reason the leader reads (a rule, or ``failed`` for a fault);
    put back for a later run when the database or a store went away a moment."""
    try:
        work()
    except PASSING as exc:
        if signing.attempts < MAX_ATTEMPTS:
            logger.warning("%s %s of dossier %s: %r, retrying", signing.step, signing.pk, dossier.code, exc)
            return _retry(signing)
        logger.exception("%s %s of dossier %s failed", signing.step, signing.pk, dossier.code)
        return _finish(signing, ResultSigning.State.FAILED, failed)
    except DomainError as exc:
        return _finish(signing, ResultSigning.State.FAILED, str(exc.message))
    except Exception:
        logger.exception("%s %s of dossier %s failed", signing.step, signing.pk, dossier.code)
        return _finish(signing, ResultSigning.State.FAILED, failed)
    return _finish(signing, ResultSigning.State.DONE)


def _retry(signing: ResultSigning) -> str:
    """Put the request back in the queue and run it again after a pause that grows with each attempt."""
    if not connection.in_atomic_block:  # a dropped connection is replaced before the request is put back
        connection.close_if_unusable_or_obsolete()
    if ResultSigning.objects.filter(pk=signing.pk, state=ResultSigning.State.RUNNING).update(
        state=ResultSigning.State.QUEUED, started_at=timezone.now()
    ):
        later = timezone.now() + RETRY_PAUSE * signing.attempts
        sign_approved_result.using(run_after=later).enqueue(signing_id=str(signing.pk))
    return "retry"


def _finish(signing: ResultSigning, state: str, error: str = "") -> str:
    ResultSigning.objects.filter(pk=signing.pk, state=ResultSigning.State.RUNNING).update(
        state=state, error=error[:500], finished_at=timezone.now()
    )
    return str(state)


def signing_of(dossier: Dossier) -> ResultSigning | None:
    """What the officer's page and the API show: the request being signed, or the last one if it failed while
    the dossier still waits for the leader (a later request, or the result issued, supersedes it)."""
    if dossier.status != Dossier.Status.PROCESSING or dossier.proposal != Dossier.Proposal.APPROVE:
        return None  # issued (even if the request's end was lost), or sent back: nothing to show
    last = ResultSigning.objects.filter(dossier=dossier).order_by("-requested_at").first()
    if last is None or last.state == ResultSigning.State.DONE:
        return None
    return last


def signings_requeue_stranded(*, older_than: dt.timedelta = STRANDED_AFTER) -> int:
    """Enqueue again the requests whose task was lost (a worker killed mid-task, a task row lost): the run issues
    at most once (``decision.dossier_approve``'s conditional update)."""
    now = timezone.now()
    stranded = list(
        ResultSigning.objects.annotate(since=Coalesce("started_at", "requested_at"))
        .filter(
            Q(state=ResultSigning.State.QUEUED, since__lt=now - older_than)
            # A run takes seconds: one still "running" after half an hour died with its worker.
            | Q(state=ResultSigning.State.RUNNING, since__lt=now - RUNNING_LOST_AFTER)
        )
        .values_list("pk", flat=True)
    )
    for pk in stranded:
        # started_at marks when it was put back, so the next sweep leaves it alone for another while.
        ResultSigning.objects.filter(pk=pk).update(state=ResultSigning.State.QUEUED, started_at=timezone.now())
        sign_approved_result.enqueue(signing_id=str(pk))
    return len(stranded)
