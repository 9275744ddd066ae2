"""After sending: the applicant withdraws a dossier no officer has received, or rates a handled one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.linked import group_follow, outside_senders
from dvc.dossiers.lifecycle.messages import notify_applicant
from dvc.dossiers.lifecycle.states import RATEABLE, WITHDRAWABLE
from dvc.dossiers.models import Dossier, Rating
from dvc.errors import Conflict, InvalidInput


def dossier_rate(
    *,
    dossier: Dossier,
    actor: User,
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
            record_event(dossier, actor=actor, action="rated", note=f"{overall}/5")
    except IntegrityError as exc:
        raise Conflict(_("Hồ sơ này đã được đánh giá."), code="already_rated") from exc
    return rating


def dossier_withdraw(*, dossier: Dossier, actor: User, reason: str) -> Dossier:
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
        record_event(
            dossier, actor=actor, action="withdrawn", before=before, after=Dossier.Status.WITHDRAWN, note=reason[:1000]
        )
        if before != Dossier.Status.DRAFT:
            notify_applicant(dossier, "dossier_withdrawn")
        group_follow(dossier)  # a part of a linked dossier taken back: the rest goes on, or the group settles
        if dossier.parent_id and dossier.agency.exchange_address and before != Dossier.Status.DRAFT:
            for send in outside_senders:  # the agency outside the portal is told to stop
                send(dossier, "withdrawn")
    return dossier
