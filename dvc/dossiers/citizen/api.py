"""Dossier endpoints for citizens (Bearer token) and the public lookup; the same services as the pages."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from dvc.accounts.auth import authed_user, bearer
from dvc.accounts.throttle import client_ip
from dvc.api_schema import BuiltOut
from dvc.catalog import selectors as catalog_selectors
from dvc.catalog.competence import agency_for
from dvc.catalog.held import held_procedure, held_procedure_by_code, requirement_of
from dvc.documents.responses import pdf_response
from dvc.dossiers.citizen import aftercare, drafting, on_behalf, papers, selectors, sending, supplement
from dvc.dossiers.citizen.history import citizen_history
from dvc.dossiers.citizen.lookup import lookup_by_code
from dvc.dossiers.documents.receipt import receipt_pdf
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.errors import InvalidInput, NotFound
from dvc.vault.views import file_response

router = Router(tags=["Hồ sơ"])


class DossierIn(Schema):
    procedure: str
    agency: str
    reuse_previous: bool = Field(
        False, description="Chép câu trả lời của hồ sơ đã gửi gần nhất cùng thủ tục (trừ các ô cam đoan)"
    )


class DraftIn(Schema):
    form_data: dict[str, Any] | None = None
    submission_method: str | None = None
    result_method: str | None = None
    delivery_address: dict[str, Any] | None = None
    notify_sms: bool | None = None
    notify_email: bool | None = None


class AttachmentOut(BuiltOut):
    id: int
    requirement_id: int | None
    name: str
    kind: str
    size: int
    replaced_at: dt.datetime | None


class ComponentOut(BuiltOut):
    """A part of a linked dossier (liên thông), at its own agency."""

    id: uuid.UUID
    code: str | None
    procedure: str
    agency: str
    status: str
    due_at: dt.datetime | None
    has_result: bool


class OwnerIn(Schema):
    basis: str = Field(description="parent (cha, mẹ, người giám hộ) | authorized (được ủy quyền) | employee (tổ chức)")
    full_name: str = Field(max_length=255)
    id_number: str = Field(max_length=20, description="Số định danh cá nhân; mã số thuế khi basis = employee")
    birth_date: dt.date | None = None
    phone: str = Field(default="", max_length=20)
    notify_sms: bool = True


class DossierOut(BuiltOut):
    id: uuid.UUID
    code: str | None
    security_code: str = Field(default="", description="Mã bảo mật: cùng mã hồ sơ để tra cứu đầy đủ và thanh toán")
    procedure: str
    agency: str
    status: str
    fee_status: str
    submission_method: str
    result_method: str
    form_data: dict[str, Any]
    delivery_address: dict[str, Any]
    notify_sms: bool
    notify_email: bool
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    attachments: list[AttachmentOut]
    problems: dict[str, list[str]] = Field(default_factory=dict, description="Điều còn thiếu trước khi gửi được")
    owner_basis: str = Field(default="", description="Nộp hộ: parent | authorized | employee; rỗng khi tự nộp")
    owner: dict[str, Any] = Field(default_factory=dict, description="Chủ hồ sơ khi nộp hộ")
    parent: uuid.UUID | None = Field(default=None, description="Hồ sơ liên thông chứa hồ sơ này")
    components: list[ComponentOut] = Field(default_factory=list, description="Các phần của hồ sơ liên thông")


class SubmitIn(Schema):
    idempotency_key: str = Field(min_length=8, max_length=64)


class WithdrawIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    note: str
    by_applicant: bool


class LookupOut(Schema):
    code: str
    procedure: str
    agency: str
    applicant: str
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    status: str


def _attachment_out(attachment: DossierAttachment) -> AttachmentOut:
    stored = attachment.stored_file
    return AttachmentOut(
        id=attachment.pk,
        requirement_id=attachment.requirement_id,
        name=stored.original_name,
        kind=stored.kind,
        size=stored.size,
        replaced_at=attachment.replaced_at,
    )


def _out(
    dossier: Dossier, attachments: Iterable[DossierAttachment] | None = None, components: Iterable[Dossier] = ()
) -> DossierOut:
    """``attachments``: given by a list that read every dossier's attachments in one query."""
    attachments = list(dossier.attachments.select_related("stored_file") if attachments is None else attachments)
    # The draft's check counts the papers just read instead of asking for them again.
    given = {a.requirement_id for a in attachments if a.replaced_at is None and a.requirement_id is not None}
    return DossierOut(
        id=dossier.pk,
        code=dossier.code,
        security_code=dossier.security_code,
        procedure=getattr(dossier, "procedure_code", None) or dossier.procedure.code,
        agency=getattr(dossier, "agency_code", None) or dossier.agency.code,
        status=dossier.status,
        fee_status=dossier.fee_status,
        submission_method=dossier.submission_method,
        result_method=dossier.result_method,
        form_data=dossier.form_data,
        delivery_address=dossier.delivery_address,
        notify_sms=dossier.notify_sms,
        notify_email=dossier.notify_email,
        submitted_at=dossier.submitted_at,
        due_at=dossier.due_at,
        attachments=[_attachment_out(a) for a in attachments],
        problems=sending.submission_problems(dossier, given=given) if dossier.status == Dossier.Status.DRAFT else {},
        owner_basis=dossier.owner_basis,
        owner=dossier.owner_data,
        parent=dossier.parent_id,
        components=[
            ComponentOut(
                id=c.pk,
                code=c.code,
                procedure=c.procedure.code,
                agency=c.agency.code,
                status=c.status,
                due_at=c.due_at,
                has_result=c.result_file_id is not None,
            )
            for c in components
        ],
    )


_ERRORS = {400: dict, 401: dict, 404: dict, 409: dict, 422: dict, 429: dict}


@router.get("/dossiers", auth=bearer, response={200: list[DossierOut], 401: dict}, summary="Hồ sơ của tôi")
def my_dossiers(request: HttpRequest, status: str = "") -> list[DossierOut]:
    # The codes of the procedure and the agency are all the list shows of them: read by key beside each row, not
    # the procedures' e-forms and texts (a draft's check reads its own procedure from the process's store).
    user = authed_user(request)
    listed = selectors.listed_dossiers(user, status[:20])
    # The papers of all of them in one query, handed to each (a prefetch built a query per dossier to hold them).
    files: dict[uuid.UUID, list[DossierAttachment]] = {}
    for attachment in DossierAttachment.objects.filter(dossier__in=[d.pk for d in listed]).select_related(
        "stored_file"
    ):
        files.setdefault(attachment.dossier_id, []).append(attachment)
    for dossier in listed:
        if dossier.status == Dossier.Status.DRAFT:
            # What still stops a draft is judged against its procedure's papers, held by the process, and its
            # applicant, who asks (a draft is only its filer's): no query per draft.
            dossier.procedure = held_procedure(dossier.procedure_id) or dossier.procedure
            dossier.applicant = user
    return [_out(d, files.get(d.pk, ())) for d in listed]


@router.post("/dossiers", auth=bearer, response={201: DossierOut, **_ERRORS}, summary="Tạo hồ sơ (bản nháp)")
def create(request: HttpRequest, payload: DossierIn) -> Status[DossierOut]:
    procedure = held_procedure_by_code(payload.procedure[:24])
    if procedure is not None and not catalog_selectors.is_published(procedure):
        procedure = None
    if procedure is None:
        raise InvalidInput({"procedure": [_("Không có thủ tục này.")]})
    agency = agency_for(procedure, payload.agency[:16])  # with its eligibility, in the same query
    if agency is None:
        raise InvalidInput({"agency": [_("Không có cơ quan này.")]})
    dossier = drafting.dossier_start(
        applicant=authed_user(request), procedure=procedure, agency=agency, reuse_previous=payload.reuse_previous
    )
    return Status(201, _out(dossier, attachments=()))  # a new draft has no papers yet


@router.get(
    "/dossiers/{dossier_id}", auth=bearer, response={200: DossierOut, 401: dict, 404: dict}, summary="Một hồ sơ"
)
def detail(request: HttpRequest, dossier_id: uuid.UUID) -> DossierOut:
    """The applicant's dossier, or one filed on the caller's behalf once sent; a linked one lists its parts."""
    dossier = selectors.readable_dossier(authed_user(request), dossier_id)
    return _out(dossier, components=selectors.components_of(dossier))


@router.put(
    "/dossiers/{dossier_id}/owner",
    auth=bearer,
    response={200: DossierOut, **_ERRORS},
    summary="Khai nộp hộ (chủ hồ sơ)",
)
def set_owner(request: HttpRequest, dossier_id: uuid.UUID, payload: OwnerIn) -> DossierOut:
    """A draft filed for someone else; ``authorized`` and ``employee`` also need ``POST …/owner/authorization``."""
    dossier = on_behalf.dossier_set_owner(
        dossier=selectors.dossier_of(authed_user(request), dossier_id), actor=authed_user(request),
        basis=payload.basis, full_name=payload.full_name, id_number=payload.id_number, birth_date=payload.birth_date,
        phone=payload.phone, notify_sms=payload.notify_sms,
    )  # fmt: skip
    return _out(dossier)


@router.delete("/dossiers/{dossier_id}/owner", auth=bearer, response={200: DossierOut, **_ERRORS}, summary="Bỏ nộp hộ")
def clear_owner(request: HttpRequest, dossier_id: uuid.UUID) -> DossierOut:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    return _out(on_behalf.dossier_clear_owner(dossier=dossier, actor=authed_user(request)))


@router.post(
    "/dossiers/{dossier_id}/owner/authorization", auth=bearer, response={201: AttachmentOut, **_ERRORS},
    summary="Đính kèm văn bản ủy quyền, giấy giới thiệu",
)  # fmt: skip
def owner_authorization(request: HttpRequest, dossier_id: uuid.UUID, file: File[UploadedFile]) -> Status[AttachmentOut]:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    attachment = on_behalf.dossier_attach_authorization(dossier=dossier, actor=authed_user(request), upload=file)
    return Status(201, _attachment_out(attachment))


@router.patch("/dossiers/{dossier_id}", auth=bearer, response={200: DossierOut, **_ERRORS}, summary="Sửa bản nháp")
def patch(request: HttpRequest, dossier_id: uuid.UUID, payload: DraftIn) -> DossierOut:
    """Saves what is sent, valid or not yet; ``problems`` lists what must still be fixed before submitting."""
    # The papers are read with the dossier, for the answer (saving answers does not change them).
    dossier, attachments = selectors.dossier_with_papers(authed_user(request), dossier_id)
    form_data = dossier.form_data if payload.form_data is None else payload.form_data
    dossier = drafting.dossier_save_draft(
        dossier=dossier,
        actor=authed_user(request),
        form_data=form_data,
        submission_method=payload.submission_method or dossier.submission_method,
        result_method=payload.result_method or dossier.result_method,
        delivery_address=dossier.delivery_address if payload.delivery_address is None else payload.delivery_address,
        notify_sms=dossier.notify_sms if payload.notify_sms is None else payload.notify_sms,
        notify_email=dossier.notify_email if payload.notify_email is None else payload.notify_email,
    )
    return _out(dossier, attachments)


@router.post(
    "/dossiers/{dossier_id}/attachments", auth=bearer, response={201: AttachmentOut, **_ERRORS}, summary="Đính kèm tệp"
)
def attach(
    request: HttpRequest, dossier_id: uuid.UUID, requirement: Form[int], file: File[UploadedFile]
) -> Status[AttachmentOut]:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    found = requirement_of(dossier.procedure, requirement)
    if found is None:
        raise InvalidInput({"requirement": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    attachment = papers.dossier_attach(dossier=dossier, actor=authed_user(request), requirement=found, upload=file)
    return Status(201, _attachment_out(attachment))


@router.post("/dossiers/{dossier_id}/submit", auth=bearer, response={200: DossierOut, **_ERRORS}, summary="Gửi hồ sơ")
def submit(request: HttpRequest, dossier_id: uuid.UUID, payload: SubmitIn) -> DossierOut:
    """Issues the dossier code. Repeating the call with the same ``idempotency_key`` returns the same dossier."""
    # The papers are read once, with the dossier: for the check before sending and for the answer (sending does not
    # change them).
    dossier, attachments = selectors.dossier_with_papers(authed_user(request), dossier_id)
    given = {a.requirement_id for a in attachments if a.replaced_at is None and a.requirement_id is not None}
    sent = sending.dossier_submit(
        dossier=dossier, actor=authed_user(request), idempotency_key=payload.idempotency_key, given=given
    )
    return _out(sent, attachments if sent is dossier else None)


@router.post("/dossiers/{dossier_id}/withdraw", auth=bearer, response={200: DossierOut, **_ERRORS}, summary="Rút hồ sơ")
def withdraw(request: HttpRequest, dossier_id: uuid.UUID, payload: WithdrawIn) -> DossierOut:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    return _out(aftercare.dossier_withdraw(dossier=dossier, actor=authed_user(request), reason=payload.reason))


@router.get("/dossiers/{dossier_id}/history", auth=bearer, response={200: list[EventOut], 401: dict, 404: dict})
def history(request: HttpRequest, dossier_id: uuid.UUID) -> list[EventOut]:
    dossier = selectors.readable_dossier(authed_user(request), dossier_id)
    return [  # as the applicant reads it: no internal note, draft or proposal (issue 17, part 7)
        EventOut(
            at=row.at,
            action=row.action,
            from_status=row.from_status,
            to_status=row.to_status,
            note=row.note,
            by_applicant=row.by_applicant,
        )
        for row in citizen_history(dossier)
    ]


@router.get(
    "/dossiers/{dossier_id}/receipt", auth=bearer, response={200: None, 401: dict, 404: dict}, summary="Biên nhận (PDF)"
)
def receipt(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.readable_dossier(authed_user(request), dossier_id)
    if not dossier.code:
        raise NotFound()
    lookup = request.build_absolute_uri(reverse("dossiers:lookup") + f"?ma={dossier.code}")
    return pdf_response(receipt_pdf(dossier, lookup_url=lookup), f"bien-nhan-{dossier.code}.pdf", download=True)


class SupplementOut(Schema):
    requested_at: dt.datetime
    note: str
    requirement_ids: list[int]


class RatingIn(Schema):
    overall: int = Field(ge=1, le=5)
    timeliness: int = Field(ge=1, le=5)
    attitude: int = Field(ge=1, le=5)
    publicity: int = Field(ge=1, le=5)
    trips: int = Field(ge=0, le=3)
    comment: str = Field(default="", max_length=2000)


@router.get(
    "/dossiers/{dossier_id}/supplement", auth=bearer, response={200: SupplementOut, 401: dict, 404: dict},
    summary="Nội dung cơ quan yêu cầu bổ sung",
)  # fmt: skip
def supplement_request(request: HttpRequest, dossier_id: uuid.UUID) -> SupplementOut:
    found = selectors.open_supplement(selectors.dossier_of(authed_user(request), dossier_id))
    if found is None:
        raise NotFound()
    return SupplementOut(
        requested_at=found.requested_at, note=found.note, requirement_ids=[r.pk for r in found.requirements.all()]
    )


@router.post(
    "/dossiers/{dossier_id}/supplement", auth=bearer, response={200: DossierOut, **_ERRORS}, summary="Gửi bổ sung"
)
def send_supplement(request: HttpRequest, dossier_id: uuid.UUID) -> DossierOut:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    return _out(supplement.dossier_send_supplement(dossier=dossier, actor=authed_user(request)))


@router.post("/dossiers/{dossier_id}/rating", auth=bearer, response={201: None, **_ERRORS}, summary="Đánh giá")
def rating(request: HttpRequest, dossier_id: uuid.UUID, payload: RatingIn) -> Status[None]:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    aftercare.dossier_rate(dossier=dossier, actor=authed_user(request), **payload.dict())
    return Status(201, None)


@router.get(
    "/dossiers/{dossier_id}/result", auth=bearer, response={200: None, 401: dict, 404: dict}, summary="Tải kết quả"
)
def result(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponseBase:
    dossier = selectors.readable_dossier(authed_user(request), dossier_id)
    if dossier.result_file is None:
        raise NotFound()
    return file_response(dossier.result_file)


@router.get(
    "/lookup/{code}", response={200: LookupOut, 404: dict, 429: dict}, summary="Tra cứu hồ sơ theo mã (công khai)"
)
def lookup(request: HttpRequest, code: str, security_code: str = "") -> LookupOut:
    """Status, agency and dates; the procedure and the masked name only with the dossier's ``security_code``."""
    lines = lookup_by_code(ip=client_ip(request), code=code[:40], security_code=security_code[:12], viewer=request.user)
    if not lines:
        raise NotFound()
    return LookupOut(**lines[0].__dict__)
