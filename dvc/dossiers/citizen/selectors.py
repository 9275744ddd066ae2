"""Reads of dossiers, always scoped to who asks: a citizen sees only their own; the public sees a masked line."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dvc.accounts.models import User
from dvc.agencies.models import Agency
from dvc.catalog import linked
from dvc.catalog.held import held_procedure
from dvc.catalog.models import Procedure
from dvc.dossiers.lifecycle.linked import competent_agency
from dvc.dossiers.models import Dossier, DossierAttachment, SupplementRequest
from dvc.dossiers.public_rows import security_digest
from dvc.rows import key_param, one_row, raw_models, related_columns
from dvc.vault.models import StoredFile

# Seed 004: the folders of "Hồ sơ của tôi".
FOLDERS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "chua-gui": (_("Hồ sơ chưa gửi"), (Dossier.Status.DRAFT,)),
    "da-gui": (_("Đã gửi"), (Dossier.Status.SUBMITTED,)),
    "bo-sung": (_("Yêu cầu bổ sung"), (Dossier.Status.NEEDS_SUPPLEMENT,)),
    "dang-xu-ly": (_("Đang xử lý"), (Dossier.Status.PROCESSING, Dossier.Status.SUSPENDED)),
    "co-ket-qua": (_("Đã có kết quả, đã trả"), (Dossier.Status.RESULT_READY, Dossier.Status.RETURNED)),
    "bi-tra-lai": (_("Bị trả lại, đã rút"), (Dossier.Status.REFUSED, Dossier.Status.WITHDRAWN)),
}
UNPAID_FOLDER = "cho-thanh-toan"
UNPAID_LABEL = _("Chờ thanh toán")


def dossiers_of(user: Any, folder: str = "") -> QuerySet[Dossier]:
    # The components of a linked dossier are followed inside it (its page lists them), not as dossiers of their own;
    # a dossier filed on someone's behalf is its owner's too, once sent.
    mine = Q(applicant=user) | (Q(owner=user) & ~Q(status=Dossier.Status.DRAFT))
    found = Dossier.objects.filter(mine, parent__isnull=True).select_related("procedure", "agency")
    if folder == UNPAID_FOLDER:
        return found.filter(fee_status=Dossier.FeeStatus.UNPAID).exclude(
            status__in=(Dossier.Status.DRAFT, Dossier.Status.WITHDRAWN)
        )
    if folder in FOLDERS:
        return found.filter(status__in=FOLDERS[folder][1])
    return found


# The API's list (``GET /dossiers``) in a statement written out: the same rows and order as ``dossiers_of`` (a test
# holds them equal), each with its procedure's and agency's code read by key beside it. The ORM spent more than
# half of the list's time building this query, at 10 M dossiers too (issue 20: the crowd's most costly request).
_LISTED = (
    "SELECT d.*, (SELECT p.code FROM catalog_procedure p WHERE p.id = d.procedure_id) AS procedure_code, "
    "(SELECT a.code FROM agencies_agency a WHERE a.id = d.agency_id) AS agency_code FROM dossiers_dossier d "
    "WHERE (d.applicant_id = %s OR (d.owner_id = %s AND d.status <> 'draft')) AND d.parent_id IS NULL"
)
_NEWEST_FIRST = " ORDER BY d.updated_at DESC LIMIT %s"


def listed_dossiers(user: User, status: str = "", limit: int = 200) -> list[Dossier]:
    """The newest ``limit`` dossiers of ``dossiers_of(user)`` (of one status when given), with ``procedure_code`` and
    ``agency_code`` set; their procedure and agency are not read."""
    if status:
        sql, params = _LISTED + " AND d.status = %s" + _NEWEST_FIRST, [user.pk, user.pk, status, limit]
    else:
        sql, params = _LISTED + _NEWEST_FIRST, [user.pk, user.pk, limit]
    return raw_models(Dossier, sql, params, using=router.db_for_read(Dossier))


def components_of(dossier: Dossier) -> list[Dossier]:
    """The components of the citizen's linked dossier, in the order they opened, each with its signed result."""
    if not dossier.is_group:
        return []
    return list(
        Dossier.objects.filter(parent=dossier)
        .select_related("procedure", "agency", "result_file")
        .order_by("submitted_at", "code")
    )


def waiting_of(dossier: Dossier, components: list[Dossier]) -> list[tuple[str, str]]:
    """(name, agency that will handle it) of a linked dossier's components not opened yet (each waits for an
    earlier one's result); for a draft, every component."""
    if not (dossier.is_group or dossier.procedure.components):
        return []
    opened = {c.component_key for c in components}
    waiting = [c for c in linked.parse(dossier.procedure.components).components if c.key not in opened]
    names = dict(Procedure.objects.filter(code__in=[c.procedure for c in waiting]).values_list("code", "name"))
    shown = []
    for item in waiting:
        agency = competent_agency(dossier.agency, item.agency_kind)
        shown.append((names.get(item.procedure, item.procedure), agency.name if agency else ""))
    return shown


def dossier_of(user: Any, dossier_id: uuid.UUID | str) -> Dossier:
    """The applicant's own dossier, or 404 (never 403: another person's dossier must not be confirmed to exist).
    Its agency is read with it; its procedure, with sector, papers and fees, is the one the process holds
    (``catalog.held``)."""
    return _own_dossier(user, dossier_id, papers=False)[0]


def dossier_with_papers(user: Any, dossier_id: uuid.UUID | str) -> tuple[Dossier, list[DossierAttachment]]:
    """``dossier_of`` with the dossier's papers, current and replaced, in the same query (issue 20, part 2: a save
    and a submission over the API read them for their answer, a second round trip each). The papers carry what an
    answer shows: their requirement, purpose, times, and their file's name, kind and size."""
    return _own_dossier(user, dossier_id, papers=True)


def _own_dossier(user: Any, dossier_id: uuid.UUID | str, *, papers: bool) -> tuple[Dossier, list[DossierAttachment]]:
    """One statement written out (``_OWN_SQL``), scoped to the applicant: the ORM took longer to build the dossier's
    60 columns with its agency's (and the papers' subquery) than PostgreSQL took to run it (issue 20: 4–6 ms against
    1–2 ms for the statement, on every request about a citizen's own dossier)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    db = router.db_for_read(Dossier)
    connection = connections[db]
    key = key_param(Dossier, dossier_id, connection)
    if key is None:
        raise Http404
    params = [key, user.pk]
    sql = _OWN_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite", papers]
    found = raw_models(Dossier, sql, params, using=db, related={"agency": Agency})
    if not found:
        raise Http404
    dossier = found[0]
    dossier.applicant = user  # who asks: the query matched on it
    procedure = held_procedure(dossier.procedure_id)
    if procedure is not None:
        dossier.procedure = procedure
    rows = dossier.__dict__.pop("papers", None) or []  # no column of the read is left on the dossier
    read = [_paper(dossier, row) for row in (json.loads(rows) if isinstance(rows, str) else rows)]
    return dossier, sorted(read, key=lambda a: (a.created_at, a.pk))


_PAPER_KEYS = (
    ("id", "p.id"), ("requirement_id", "p.requirement_id"), ("purpose", "p.purpose"), ("created_at", "p.created_at"),
    ("replaced_at", "p.replaced_at"), ("stored_file_id", "p.stored_file_id"), ("name", "f.original_name"),
    ("kind", "f.kind"), ("size", "f.size"),
)  # fmt: skip


def _own_sql(array: str, obj: str, *, papers: bool) -> str:
    """The dossier by key and applicant, its agency's columns as ``agency__<column>``, its papers as a JSON array."""
    agency = related_columns(Agency, "a", "agency")
    pairs = ", ".join(f"'{name}', {column}" for name, column in _PAPER_KEYS)
    listed = (
        f", (SELECT {array}({obj}({pairs})) FROM dossiers_dossierattachment p "  # noqa: S608 - model columns
        "INNER JOIN vault_storedfile f ON f.id = p.stored_file_id WHERE p.dossier_id = d.id) AS papers"
    )
    return (
        f"SELECT d.*, {agency}{listed if papers else ''} "  # noqa: S608 - the models' own column names
        "FROM dossiers_dossier d INNER JOIN agencies_agency a ON a.id = d.agency_id "
        "WHERE d.id = %s AND d.applicant_id = %s"
    )


_OWN_SQL = {
    (vendor, papers): _own_sql(array, obj, papers=papers)
    for vendor, array, obj in (
        ("postgresql", "json_agg", "json_build_object"), ("sqlite", "json_group_array", "json_object")
    )
    for papers in (False, True)
}  # fmt: skip


def _moment(value: str) -> dt.datetime:
    """A time as the JSON of either database writes it (SQLite's has no offset: UTC, as Django stores it)."""
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(value)
    return timezone.make_aware(moment, dt.UTC) if timezone.is_naive(moment) else moment


def _paper(dossier: Dossier, row: dict[str, Any]) -> DossierAttachment:
    stored = StoredFile(
        id=uuid.UUID(str(row["stored_file_id"])), original_name=row["name"], kind=row["kind"], size=row["size"]
    )
    return DossierAttachment(
        id=row["id"], dossier=dossier, requirement_id=row["requirement_id"], purpose=row["purpose"],
        created_at=_moment(row["created_at"]), stored_file=stored,
        replaced_at=_moment(row["replaced_at"]) if row["replaced_at"] else None,
    )  # fmt: skip


def readable_dossier(user: Any, dossier_id: uuid.UUID | str) -> Dossier:
    """A dossier the person may read: their own, or one filed on their behalf once sent (they are its owner); 404
    otherwise. Acting on it (editing, withdrawing, supplementing, paying) stays with the applicant (``dossier_of``)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    readable = Q(applicant=user) | (Q(owner=user) & ~Q(status=Dossier.Status.DRAFT))
    dossier = one_row(
        Dossier.objects.select_related("procedure", "procedure__sector", "agency", "applicant").filter(
            readable, pk=dossier_id
        )
    )
    if dossier is None:
        raise Http404
    return dossier


def attachment_of(user: Any, dossier_id: uuid.UUID | str, attachment_id: int) -> DossierAttachment:
    dossier = readable_dossier(user, dossier_id)
    attachment = one_row(
        DossierAttachment.objects.select_related("stored_file").filter(pk=attachment_id, dossier=dossier)
    )
    if attachment is None:
        raise Http404
    return attachment


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    """The supplement request the applicant still has to answer, if any."""
    return dossier.supplement_requests.filter(answered_at__isnull=True).prefetch_related("requirements").first()


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V*** A': enough to recognise one's own dossier, not to learn a stranger's name."""
    parts = full_name.split()
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0][0] + "***"
    middle = [part[0] + "***" for part in parts[1:-1]]
    return " ".join([parts[0], *middle, parts[-1][0]])


@dataclass(frozen=True)
class PublicLine:
    code: str
    procedure: str
    agency: str
    applicant: str
    submitted_at: Any
    due_at: Any
    status: str


def public_rows(*, code: str = "", id_number: str = "") -> list[dict[str, Any]]:
    """The public rows of the sent dossiers with ``code`` or filed by ``id_number`` (the newest 20), in the form
    the shared cache keeps them (``dvc.dossiers.public_rows``): masked name, keyed hash of the security code."""
    # Only the columns shown: the procedure's e-form and the dossier's answers are large JSON, and decoding them
    # was most of a lookup's time.
    found = Dossier.objects.exclude(status=Dossier.Status.DRAFT).values(
        "code", "procedure__name", "agency__name", "applicant_data__full_name", "submitted_at", "due_at", "status",
        "security_code", "applicant_id",
    )  # fmt: skip
    if code:
        found = found.filter(code=code.strip().upper())
    elif id_number:
        found = found.filter(applicant__id_number=id_number).order_by("-submitted_at")[:20]
    else:
        return []
    return [
        {
            "code": d["code"] or "",
            "procedure": d["procedure__name"],
            "agency": d["agency__name"],
            "applicant": mask_name(str(d["applicant_data__full_name"] or "")),
            "submitted_at": d["submitted_at"].isoformat() if d["submitted_at"] else None,
            "due_at": d["due_at"].isoformat() if d["due_at"] else None,
            "status": d["status"],
            "security": security_digest(d["security_code"]) if d["security_code"] else "",
            "applicant_id": d["applicant_id"],
        }
        for d in found
    ]


def public_lines(
    rows: list[dict[str, Any]], *, security_code: str = "", viewer: User | object = None
) -> list[PublicLine]:
    """What anyone may see of these rows: code, agency, dates and status. The procedure and the masked name only
    with the dossier's security code, or for the applicant signed in (the procedure alone can be personal: a
    marriage, a death)."""
    given = "".join(security_code.split()).upper()
    given_digest = security_digest(given) if given else ""
    viewer_id = viewer.pk if isinstance(viewer, User) else None

    def revealed(row: dict[str, Any]) -> bool:
        if viewer_id is not None and row["applicant_id"] == viewer_id:
            return True
        return bool(given_digest and row["security"]) and constant_time_compare(given_digest, row["security"])

    lines = []
    for row in rows:
        shown = revealed(row)
        lines.append(
            PublicLine(
                code=row["code"],
                procedure=row["procedure"] if shown else "",
                agency=row["agency"],
                applicant=row["applicant"] if shown else "",
                submitted_at=dt.datetime.fromisoformat(row["submitted_at"]) if row["submitted_at"] else None,
                due_at=dt.datetime.fromisoformat(row["due_at"]) if row["due_at"] else None,
                status=str(Dossier.Status(row["status"]).label),
            )
        )
    return lines


def public_lookup(
    *, code: str = "", id_number: str = "", security_code: str = "", viewer: User | object = None
) -> list[PublicLine]:
    """The public lines of a lookup by code or id number, read from the database."""
    return public_lines(public_rows(code=code, id_number=id_number), security_code=security_code, viewer=viewer)


@dataclass(frozen=True)
class Step:
    label: str | Promise
    state: str  # "done", "current" or "todo"


def timeline(dossier: Dossier) -> list[Step]:
    """Where the dossier is, as the citizen follows it: nộp → tiếp nhận → xử lý → có kết quả → đã trả. A dossier
    sent back for papers stands at "tiếp nhận" with the reason; a refused or withdrawn one ends where it stopped."""
    S = Dossier.Status
    labels = [_("Đã nộp"), _("Tiếp nhận"), _("Xử lý"), _("Có kết quả"), _("Đã trả kết quả")]
    reached = {
        S.SUBMITTED: 1, S.NEEDS_SUPPLEMENT: 1, S.PROCESSING: 2, S.SUSPENDED: 2, S.REFUSED: 1, S.WITHDRAWN: 0,
        S.RESULT_READY: 3, S.RETURNED: 5,
    }.get(Dossier.Status(dossier.status), 0)  # fmt: skip
    if dossier.status == S.NEEDS_SUPPLEMENT:
        labels[1] = _("Chờ bạn bổ sung")
    elif dossier.status == S.REFUSED:
        labels[1] = _("Bị trả lại")
    elif dossier.status == S.WITHDRAWN:
        labels[0] = _("Đã rút")
    closed = dossier.status in (S.REFUSED, S.WITHDRAWN)
    return [
        Step(label, "done" if i < reached else ("current" if i == reached and not closed else "todo"))
        for i, label in enumerate(labels)
    ]
