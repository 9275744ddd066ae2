"""Reads of the back office: each officer's queues, scoped to the agencies where they hold a role.

A queue page costs the same few queries whatever its length: the rows come with their procedure, agency and
specialist in one query, and the working calendar is loaded once per agency, not per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dvc.accounts.models import User
from dvc.agencies.calendar import WorkingCalendar
from dvc.agencies.models import Agency, StaffRole
from dvc.catalog.held import held_procedure
from dvc.catalog.text import fold
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.lifecycle.clock import acknowledgement_late, closing_moment
from dvc.dossiers.models import Dossier
from dvc.errors import Forbidden
from dvc.rows import key_param, raw_models, related_columns

S = Dossier.Status
DUE_SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class Queue:
    slug: str
    label: Promise
    roles: frozenset[str]


R = StaffRole.Role
QUEUES: list[Queue] = [
    Queue("moi", _("Hồ sơ mới"), frozenset({R.ONE_STOP_OFFICER, R.LEADER})),
    Queue("viec-cua-toi", _("Việc của tôi hôm nay"), frozenset({R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER})),
    Queue("duoc-giao", _("Được giao thụ lý"), frozenset({R.SPECIALIST, R.LEADER})),
    Queue("cho-duyet", _("Chờ phê duyệt"), frozenset({R.LEADER})),
    Queue("dang-xu-ly", _("Đang xử lý"), frozenset({R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER})),
    Queue("sap-den-han", _("Sắp đến hạn"), frozenset({R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER})),
    Queue("qua-han", _("Quá hạn"), frozenset({R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER})),
    Queue("cho-bo-sung", _("Chờ bổ sung"), frozenset({R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER})),
    Queue("cho-tra", _("Chờ trả kết quả"), frozenset({R.ONE_STOP_OFFICER, R.LEADER})),
    Queue("tat-ca", _("Tất cả"), frozenset({R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER})),
]
QUEUE_SLUGS = {q.slug for q in QUEUES}


def queues_for(roles: set[str]) -> list[Queue]:
    return [q for q in QUEUES if q.roles & roles]


def due_soon_horizon(calendar: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """The close of the second working day from ``now``: a dossier due by then is "sắp đến hạn"."""
    return closing_moment(calendar, calendar.add_working_days(timezone.localdate(now), DUE_SOON_WORKING_DAYS))


def queue(
    user: User,
    slug: str,
    *,
    agency_ids: list[int],
    procedure: str = "",
    status: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[Dossier]:
    """The dossiers of one queue in the given agencies (all of which must be the user's), oldest due first."""
    now = timezone.now()
    # A group dossier is worked on as its components, each in its own agency's queues.
    found = Dossier.objects.filter(agency_id__in=agency_ids, is_group=False).exclude(status=S.DRAFT)
    if slug == "moi":
        found = found.filter(status=S.SUBMITTED)
    elif slug == "viec-cua-toi":
        found = found.filter(my_work(user, agency_ids))
    elif slug == "duoc-giao":
        found = found.filter(status=S.PROCESSING, assigned_to=user, proposal="")
    elif slug == "cho-duyet":
        found = found.filter(status=S.PROCESSING).exclude(proposal="")
    elif slug == "dang-xu-ly":
        found = found.filter(status=S.PROCESSING)
    elif slug == "sap-den-han":
        horizon = max(due_soon_horizon(WorkingCalendar(Agency(pk=a)), now) for a in agency_ids) if agency_ids else now
        found = found.filter(status=S.PROCESSING, due_at__gte=now, due_at__lte=horizon)
    elif slug == "qua-han":
        found = found.filter(status__in=(S.PROCESSING, S.NEEDS_SUPPLEMENT), due_at__lt=now)
    elif slug == "cho-bo-sung":
        found = found.filter(status=S.NEEDS_SUPPLEMENT)
    elif slug == "cho-tra":
        found = found.filter(status=S.RESULT_READY)
    if procedure:
        found = found.filter(procedure__code=procedure)
    if status in S.values:
        found = found.filter(status=status)
    if date_from:
        found = found.filter(submitted_at__date__gte=date_from)
    if date_to:
        found = found.filter(submitted_at__date__lte=date_to)
    q = " ".join(q.split())
    if q:
        # One indexed lookup by the shape of what was typed: a dossier code, an id number, or part of a name.
        if looks_like_code(q):
            found = found.filter(code=q.upper())
        elif q.isdigit() and len(q) in (9, 10, 12, 13):  # the one who filed, or the one it was filed for
            # The applicant's key looked up first: with the OR, a join or a subquery read every dossier (58–90 ms at
            # 100,000); two indexed conditions on the dossier combine (bitmap OR).
            applicant = User.objects.filter(id_number=q).values_list("pk", flat=True).first()
            found = found.filter(
                Q(applicant_id=applicant) | Q(owner_id_number=q) if applicant else Q(owner_id_number=q)
            )
        else:
            found = found.filter(Q(applicant_name__contains=fold(q)) | Q(owner_name__contains=fold(q)))
    order = ["submitted_at"] if slug in ("moi", "cho-bo-sung") else ["due_at", "submitted_at"]
    return found.order_by(*order, "pk")


def my_work(user: User, agency_ids: list[int]) -> Q:
    """What waits for this officer's own hand, by role in each agency: the one-stop officer receives and returns,
    the specialist appraises what was assigned to them, the leader decides on proposals."""
    roles = staff_agencies(user)
    wanted = Q(pk__in=[])
    for agency_id in agency_ids:
        held = roles.get(agency_id, set())
        here = Q(agency_id=agency_id)
        if R.ONE_STOP_OFFICER in held:
            wanted |= here & Q(status__in=(S.SUBMITTED, S.RESULT_READY))
        if held & {R.SPECIALIST, R.LEADER}:
            wanted |= here & Q(status=S.PROCESSING, assigned_to=user, proposal="")
        if R.LEADER in held:
            wanted |= here & Q(status=S.PROCESSING) & ~Q(proposal="")
    return wanted


def looks_like_code(q: str) -> bool:
    """A dossier code (``000.00.01.H26-261129-0001``), not a name or an id number."""
    return "-" in q and "." in q


COUNT_CAP = 5000
PAGE_SIZE = 50
# What a queue row shows (page and API) and what its deadline flags need: the procedures' texts and e-forms, the
# dossiers' answers and notes stay unread. A field missing here would cost one query per row; the tests count them.
ROW_FIELDS = (
    "code", "procedure__code", "procedure__name", "agency__code", "agency__name", "applicant_data", "channel",
    "status", "assigned_to__full_name", "proposal", "submitted_at", "due_at", "extended_until", "parent_id",
    "owner_basis", "owner_data",
)  # fmt: skip


@dataclass(frozen=True)
class Page:
    """One page of a queue: the counting stops at ``COUNT_CAP`` so that a huge queue costs no more than a busy one."""

    dossiers: list[Dossier]
    number: int
    count: int
    capped: bool

    @property
    def num_pages(self) -> int:
        return max((self.count + PAGE_SIZE - 1) // PAGE_SIZE, 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_of(found: QuerySet[Dossier], number: int, *, searching: bool = False) -> Page:
    """The page's ids by a narrow ordered query, then those rows with their relations: two short queries."""
    if searching:  # few matches, found by scanning: one query gives the count and the page
        matched = list(found.values_list("pk", flat=True)[: COUNT_CAP + 1])
        count = len(matched)
    else:
        count = found.order_by().values("pk")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    count = min(count, COUNT_CAP)
    number = min(max(number, 1), max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1))
    start = (number - 1) * PAGE_SIZE
    if searching:
        ids = matched[start : start + PAGE_SIZE]
    else:
        ids = list(found.values_list("pk", flat=True)[start : start + PAGE_SIZE])
    wide = Dossier.objects.filter(pk__in=ids).select_related("procedure", "agency", "assigned_to").only(*ROW_FIELDS)
    by_id = {d.pk: d for d in wide}
    return Page(dossiers=[by_id[i] for i in ids if i in by_id], number=number, count=count, capped=capped)


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    days_left: int | None
    overdue: bool
    late_acknowledgement: bool


def rows(dossiers: list[Dossier]) -> list[Row]:
    """Each dossier with its working days left and the 8-working-hour flag, one calendar per agency."""
    now = timezone.now()
    today = timezone.localdate(now)
    calendars: dict[int, WorkingCalendar] = {}
    found = []
    for dossier in dossiers:
        calendar = calendars.setdefault(dossier.agency_id, WorkingCalendar(dossier.agency))
        due = dossier.effective_due_at
        days_left = None
        overdue = False
        if due is not None and dossier.status in (S.PROCESSING, S.NEEDS_SUPPLEMENT, S.SUBMITTED):
            overdue = dossier.status != S.SUBMITTED and dossier.due_at is not None and dossier.due_at < now
            if due >= now:  # an overdue dossier shows "Quá hạn", not a count of days
                days_left = calendar.working_days_between(today, timezone.localtime(due).date())
        late_ack = acknowledgement_late(calendar, dossier, now)
        found.append(Row(dossier=dossier, days_left=days_left, overdue=overdue, late_acknowledgement=late_ack))
    return found


_STAFF_SQL = (
    f"SELECT d.*, {related_columns(Agency, 'a', 'agency')}, {related_columns(User, 'u', 'applicant')} "  # noqa: S608
    "FROM dossiers_dossier d INNER JOIN agencies_agency a ON a.id = d.agency_id "
    "INNER JOIN accounts_user u ON u.id = d.applicant_id WHERE d.id = %s AND d.status <> %s"
)


def staff_dossier(
    user: User | object, dossier_id: uuid.UUID | str, *, agencies: dict[int, set[str]] | None = None
) -> Dossier:
    """A dossier of one of the officer's agencies; ``Forbidden`` for any other agency's dossier. Its procedure is
    the one the process holds (``catalog.held``: the wide row, its papers and fees, read once per catalog version).
    ``agencies``: the officer's ``staff_agencies``, when the request has just read them."""
    # Two joins, then the officers named on it in one query: PostgreSQL took longer to plan the six-way join of
    # the same wide user table (about 1.5 ms) than both reads take to run. Both are written out: the ORM took
    # longer to build the first (the dossier's 60 columns with its agency's and its applicant's) than PostgreSQL
    # took to run it (issue 20: the officer's receipt).
    db = router.db_for_read(Dossier)
    key = key_param(Dossier, dossier_id, connections[db])
    if key is None:
        raise Http404
    params = [key, S.DRAFT]
    found = raw_models(Dossier, _STAFF_SQL, params, using=db, related={"agency": Agency, "applicant": User})
    if not found:
        raise Http404
    dossier = found[0]
    if dossier.agency_id not in (staff_agencies(user) if agencies is None else agencies):
        raise Forbidden(_("Hồ sơ này thuộc cơ quan khác, bạn không có quyền xem."))
    officers = {
        "assigned_to": dossier.assigned_to_id,
        "received_by": dossier.received_by_id,
        "filed_by": dossier.filed_by_id,
    }
    named = sorted({pk for pk in officers.values() if pk is not None})
    if named:
        listed = ", ".join(["%s"] * len(named))
        read = raw_models(User, f"SELECT u.* FROM accounts_user u WHERE u.id IN ({listed})", named, using=db)  # noqa: S608
        by_pk = {officer.pk: officer for officer in read}
        for name, pk in officers.items():
            if pk is not None and pk in by_pk:
                setattr(dossier, name, by_pk[pk])
    procedure = held_procedure(dossier.procedure_id)
    if procedure is not None:
        dossier.procedure = procedure
    return dossier
