"""Back-office endpoints for officers (Bearer token): queues, one dossier, and its transitions.

The same services as the staff pages; an officer acts only on the dossiers of agencies where they hold a role
(403 otherwise), and a citizen without a role gets 403 on every endpoint here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from dvc.accounts.auth import authed_user, bearer
from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.agencies.models import Agency
from dvc.api_schema import BuiltOut
from dvc.dossiers.backoffice import queues
from dvc.dossiers.backoffice.actions import BY_API, ActionInput
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.decision import final_is_current
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.backoffice.signing_queue import signing_of
from dvc.dossiers.lifecycle.applicant import postal_address
from dvc.dossiers.models import Dossier
from dvc.errors import Forbidden, InvalidInput

router = Router(tags=["Một cửa (cán bộ)"])
_ERRORS = {400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class StaffRowOut(BuiltOut):
    id: uuid.UUID
    code: str | None
    procedure: str
    procedure_name: str
    agency: str
    applicant_name: str
    channel: str
    status: str
    stage: str
    assigned_to: str | None
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    extended_until: dt.datetime | None
    working_days_left: int | None
    overdue: bool
    late_acknowledgement: bool = Field(description="Hồ sơ trực tuyến quá 8 giờ làm việc chưa được tiếp nhận")


class PageOut(BuiltOut):
    count: int
    count_capped: bool = Field(description="Có nhiều hơn số đếm: hãy lọc thêm")
    page: int
    pages: int
    results: list[StaffRowOut]


class StaffEventOut(BuiltOut):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    note: str
    actor: str | None


class SigningOut(BuiltOut):
    step: str = Field(description="prepare (lập bản cuối) | sign (ký số và ban hành)")
    state: str = Field(description="queued | running | failed")
    error: str
    requested_at: dt.datetime


class StaffDossierOut(StaffRowOut):
    applicant: dict[str, Any]
    form_data: dict[str, Any]
    proposal: str
    proposal_note: str
    paused_days: int
    decision_note: str
    fee_status: str
    result_method: str
    submission_method: str
    postal_address: str = Field(
        description="Địa chỉ bưu điện nhận hồ sơ hoặc gửi kết quả; rỗng nếu không qua bưu chính"
    )
    events: list[StaffEventOut]
    signing: SigningOut | None = Field(
        description="Bản cuối đang được lập (step prepare) hoặc phê duyệt đang ký số (step sign), ở trạng thái queued, "
        "running, hoặc lần gần nhất không thành công (failed, kèm error); null khi không có. Sau prepare-final, hỏi "
        "lại hồ sơ đến khi final_sha256 có giá trị hoặc signing ở trạng thái failed; sau khi phê duyệt, đến khi status "
        "là result_ready hoặc signing ở trạng thái failed."
    )
    final_sha256: str | None = Field(
        description="SHA-256 của bản cuối người hỏi (lãnh đạo) đã yêu cầu lập hôm nay, để gửi kèm khi phê duyệt; null "
        "khi chưa có"
    )


class ActionIn(Schema):
    note: str = Field(default="", max_length=5000)
    reason: str = Field(default="", max_length=5000)
    requirements: list[int] = Field(default_factory=list, description="Giấy tờ cần bổ sung (id yêu cầu)")
    fields: list[str] = Field(default_factory=list, description="Mục tờ khai mở cho người nộp sửa (tên mục)")
    specialist: str = Field(default="", max_length=16, description="Số định danh chuyên viên được giao")
    decision: str = Field(default="", description="approve | refuse (đề xuất)")
    method: str = Field(default="", description="online | counter | post (trả kết quả)")
    operator: str = Field(default="", max_length=32, description="Đơn vị bưu chính (trả kết quả qua bưu chính)")
    new_due: dt.date | None = Field(default=None, description="Ngày hẹn trả mới (gia hạn)")
    result_data: dict[str, str] = Field(
        default_factory=dict, description="Thông tin cán bộ bổ sung vào kết quả (tạo dự thảo), theo mẫu của thủ tục"
    )
    final_sha256: str = Field(
        default="", max_length=64, description="SHA-256 của bản cuối đã xem (phê duyệt); bỏ trống để lập và ký luôn"
    )


def _officer(request: HttpRequest) -> tuple[User, dict[int, set[str]]]:
    user = authed_user(request)
    agencies = staff_agencies(user)
    if not agencies:
        raise Forbidden(_("Chức năng này chỉ dành cho cán bộ tiếp nhận, xử lý hồ sơ."))
    return user, agencies


def _row(row: queues.Row) -> StaffRowOut:
    d = row.dossier
    return StaffRowOut(
        id=d.pk,
        code=d.code,
        procedure=d.procedure.code,
        procedure_name=d.procedure.name,
        agency=d.agency.code,
        applicant_name=d.applicant_data.get("full_name", ""),
        channel=d.channel,
        status=d.status,
        stage=d.stage,
        assigned_to=d.assigned_to.full_name if d.assigned_to else None,
        submitted_at=d.submitted_at,
        due_at=d.due_at,
        extended_until=d.extended_until,
        working_days_left=row.days_left,
        overdue=row.overdue,
        late_acknowledgement=row.late_acknowledgement,
    )


class QueueSearchIn(Schema):
    queue: str = "tat-ca"
    agency: str = ""
    status: str = ""
    procedure: str = ""
    q: str = Field("", max_length=100, description="Mã hồ sơ, họ tên hoặc số định danh cá nhân")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1


@router.get("/backoffice/dossiers", auth=bearer, response={200: PageOut, **_ERRORS}, summary="Hàng đợi hồ sơ")
def dossier_queue(
    request: HttpRequest,
    queue: str = "tat-ca",
    agency: str = "",
    status: str = "",
    procedure: str = "",
    q: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int = 1,
) -> PageOut:
    """Queues: moi, duoc-giao, cho-duyet, dang-xu-ly, sap-den-han, qua-han, cho-bo-sung, cho-tra, tat-ca.

    ``q`` here takes a dossier code; a search by name or personal id number goes by ``POST .../search``, so that
    personal data never sits in an address or an access log."""
    if q and not queues.looks_like_code(q):
        raise InvalidInput({"q": [_("Tìm theo họ tên hoặc số định danh bằng POST /backoffice/dossiers/search.")]})
    search = QueueSearchIn(
        queue=queue, agency=agency, status=status, procedure=procedure, q=q[:100],
        date_from=date_from, date_to=date_to, page=page,
    )  # fmt: skip
    return _queue_page(request, search)


@router.post(
    "/backoffice/dossiers/search", auth=bearer, response={200: PageOut, **_ERRORS}, summary="Tìm hồ sơ trong hàng đợi"
)
def dossier_search(request: HttpRequest, search: QueueSearchIn) -> PageOut:
    """The queue with the same filters, the search term in the body: codes, names, personal id numbers."""
    return _queue_page(request, search)


def _queue_page(request: HttpRequest, search: QueueSearchIn) -> PageOut:
    queue, agency, q, page = search.queue, search.agency, search.q, search.page
    user, mine = _officer(request)
    agency_ids = list(mine)
    if agency:
        found = Agency.objects.filter(code=agency[:32]).values_list("pk", flat=True).first()
        if found not in mine:
            raise Forbidden(_("Bạn không có vai trò ở cơ quan này."))
        agency_ids = [found]
    if queue not in queues.QUEUE_SLUGS:
        raise InvalidInput({"queue": [_("Không có hàng đợi này.")]})
    found_dossiers = queues.queue(
        user,
        queue,
        agency_ids=agency_ids,
        procedure=search.procedure[:32],
        status=search.status[:20],
        date_from=search.date_from,
        date_to=search.date_to,
        q=q[:100],
    )
    found_page = queues.page_of(found_dossiers, page, searching=bool(q.strip()))
    rows = queues.rows(found_page.dossiers)
    audit(user, "view_queue", ip=client_ip(request), detail=f"api {queue} {len(rows)}")
    return PageOut(
        count=found_page.count,
        count_capped=found_page.capped,
        page=found_page.number,
        pages=found_page.num_pages,
        results=[_row(r) for r in rows],
    )


def _detail(dossier: Dossier, officer: User) -> StaffDossierOut:
    row = queues.rows([dossier])[0]
    signing = signing_of(dossier)
    # The final copy this leader asked for, to approve with (a query only when the dossier has one).
    current = dossier.final_result_id is not None and dossier.status == Dossier.Status.PROCESSING
    final = dossier.final_result if current and final_is_current(dossier, officer) else None
    events = [
        StaffEventOut(
            at=e.at,
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            note=e.note,
            actor=e.actor.full_name if e.actor else None,
        )
        for e in dossier.events.select_related("actor")
    ]
    return StaffDossierOut(
        **_row(row).dict(),
        applicant=dossier.applicant_data,
        form_data=dossier.form_data,
        proposal=dossier.proposal,
        proposal_note=dossier.proposal_note,
        paused_days=dossier.paused_days,
        decision_note=dossier.decision_note,
        fee_status=dossier.fee_status,
        result_method=dossier.result_method,
        submission_method=dossier.submission_method,
        postal_address=postal_address(dossier),
        events=events,
        signing=SigningOut(
            step=signing.step, state=signing.state, error=signing.error, requested_at=signing.requested_at
        )
        if signing
        else None,
        final_sha256=final.sha256 if final is not None else None,
    )


@router.get(
    "/backoffice/dossiers/{dossier_id}", auth=bearer, response={200: StaffDossierOut, **_ERRORS}, summary="Một hồ sơ"
)
def dossier_detail(request: HttpRequest, dossier_id: uuid.UUID) -> StaffDossierOut:
    user, mine = _officer(request)
    dossier = queues.staff_dossier(user, dossier_id, agencies=mine)
    audit(user, "view", dossier, ip=client_ip(request), detail="api")
    return _detail(dossier, user)


@router.post(
    "/backoffice/dossiers/{dossier_id}/{action}",
    auth=bearer,
    response={200: StaffDossierOut, **_ERRORS},
    summary="Xử lý hồ sơ",
)
def dossier_act(request: HttpRequest, dossier_id: uuid.UUID, action: str, payload: ActionIn) -> StaffDossierOut:
    """``action``: receive, request-supplement, refuse, suspend, assign, generate-result, propose, send-back,
    approve, return-result, extend. Two officers acting at once: one succeeds, the other gets 409 saying who
    handled the dossier."""
    user, mine = _officer(request)
    found = BY_API.get(action)
    if found is None:
        raise InvalidInput({"action": [_("Không có thao tác này.")]})
    dossier = queues.staff_dossier(user, dossier_id, agencies=mine)
    found.run(dossier, user, ActionInput(**payload.dict()), client_ip(request))
    # Read again as the action left it; the action itself checked the officer's roles as they stand now.
    return _detail(queues.staff_dossier(user, dossier_id, agencies=mine), user)
