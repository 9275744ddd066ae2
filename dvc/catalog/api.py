"""Public catalog endpoints: search, one procedure, sectors, life events, and e-form answer validation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dvc.catalog import eform, search_index, selectors
from dvc.catalog.models import Procedure
from dvc.catalog.services import fee_amount
from dvc.errors import InvalidInput, NotFound

router = Router(tags=["Thủ tục hành chính"])


class SectorOut(Schema):
    code: str
    name: str


class LifeEventOut(Schema):
    code: str
    name: str
    description: str
    audience: str


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    sector: SectorOut
    level: str
    service_level: str
    processing_days: int


class ProcedurePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ProcedureSummaryOut]


class FeeOut(Schema):
    kind: str
    name: str
    unit: str
    amount: int
    online_amount: int
    tier_from: int | None
    tier_amount: int | None
    max_amount: int | None
    note: str


class RequirementOut(Schema):
    id: int
    name: str
    form: str
    quantity: int
    required: bool
    condition: str
    accepted_types: list[str]
    max_size_mb: int
    template_url: str | None
    vault_document_type: str


class ProcedureOut(ProcedureSummaryOut):
    implementing_body: str
    coordinating_body: str
    agencies: list[str]
    life_events: list[str]
    legacy_level: int | None
    submission_channels: list[str]
    result_channels: list[str]
    processing_note: str
    applicants: str
    steps: str
    conditions: str
    legal_basis: str
    result_document: str
    result_in_person: bool
    requires_signature: bool
    form_schema: dict[str, Any]
    fees: list[FeeOut]
    requirements: list[RequirementOut]


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict)


class AnswersOut(Schema):
    valid: bool
    answers: dict[str, Any]


def _summary(p: Procedure) -> ProcedureSummaryOut:
    return ProcedureSummaryOut(
        code=p.code, name=p.name, sector=SectorOut(code=p.sector.code, name=p.sector.name), level=p.level,
        service_level=p.service_level, processing_days=p.processing_days,
    )  # fmt: skip


def _entry_summary(entry: search_index.Entry, index: search_index.Index) -> ProcedureSummaryOut:
    return ProcedureSummaryOut(
        code=entry.code, name=entry.name, sector=SectorOut(code=entry.sector, name=index.sector_names[entry.sector]),
        level=entry.level, service_level=entry.service_level, processing_days=entry.processing_days,
    )  # fmt: skip


@router.get("/procedures", response=ProcedurePageOut, summary="Tìm thủ tục")
def procedures(
    request: HttpRequest,
    q: str = "",
    sector: str = "",
    agency: str = "",
    level: str = "",
    service_level: str = "",
    life_event: str = "",
    page: int = Query(1, ge=1, le=10_000),
    page_size: int = Query(20, ge=1, le=100),
) -> ProcedurePageOut:
    filters = selectors.Filters(
        q=q[:200],
        sector=sector[:64],
        agency=agency[:16],
        level=level[:16],
        service_level=service_level[:16],
        life_event=life_event[:64],
    )
    found = selectors.search(filters)
    count = found.count()
    # The page's rows from the search index itself: no query once the index is built (issue 20).
    index = search_index.current()
    shown = found.ids[(page - 1) * page_size : page * page_size]
    rows = [index.entries[pk] for pk in shown if pk in index.entries]  # a rebuild in between may drop one
    return ProcedurePageOut(
        count=count, page=page, pages=max(1, -(-count // page_size)), results=[_entry_summary(e, index) for e in rows]
    )


@router.get("/procedures/{code}", response={200: ProcedureOut, 404: dict}, summary="Chi tiết thủ tục")
def procedure(request: HttpRequest, code: str) -> ProcedureOut:
    p = selectors.procedure_detail(code[:24])
    if p is None:
        raise NotFound()
    base = _summary(p).dict()
    return ProcedureOut(
        **base,
        implementing_body=p.implementing_body,
        coordinating_body=p.coordinating_body,
        agencies=[a.code for a in p.agencies.all()],
        life_events=[e.code for e in p.life_events.all()],
        legacy_level=p.legacy_level,
        submission_channels=p.submission_channels,
        result_channels=p.result_channels,
        processing_note=p.processing_note,
        applicants=p.applicants,
        steps=p.steps,
        conditions=p.conditions,
        legal_basis=p.legal_basis,
        result_document=p.result_document,
        result_in_person=p.result_in_person,
        requires_signature=p.requires_signature,
        form_schema=p.form_schema,
        fees=[
            FeeOut(
                kind=f.kind,
                name=f.name,
                unit=f.unit,
                amount=fee_amount(f),
                online_amount=fee_amount(f, online=True),
                tier_from=f.tier_from,
                tier_amount=f.tier_amount,
                max_amount=f.max_amount,
                note=f.note,
            )
            for f in p.fees.all()
        ],
        requirements=[
            RequirementOut(
                id=r.pk,
                name=r.name,
                form=r.form,
                quantity=r.quantity,
                required=r.required,
                condition=r.condition,
                accepted_types=r.accepted_types,
                max_size_mb=r.max_size_mb,
                vault_document_type=r.vault_document_type,
                template_url=request.build_absolute_uri(f"/thu-tuc/{p.code}/mau/{r.pk}/")
                if r.template or (r.template_is_eform and p.form_schema.get("fields"))
                else None,
            )
            for r in p.requirements.all()
        ],
    )


@router.post(
    "/procedures/{code}/form/validate", response={200: AnswersOut, 404: dict, 422: dict}, summary="Kiểm tra tờ khai"
)
def validate_form(request: HttpRequest, code: str, payload: AnswersIn) -> AnswersOut:
    """The same check the web form applies; 422 with errors by field path when something is wrong."""
    p = selectors.procedure_detail(code[:24])
    if p is None:
        raise NotFound()
    result = eform.validate_answers(p.form_schema, payload.answers)
    if result.errors:
        raise InvalidInput(result.errors)
    return AnswersOut(valid=True, answers=result.answers)


@router.get("/sectors", response=list[SectorOut], summary="Lĩnh vực")
def sectors(request: HttpRequest) -> list[SectorOut]:
    return [SectorOut(code=s.code, name=s.name) for s in selectors.sectors()]


@router.get("/life-events", response=list[LifeEventOut], summary="Nhóm sự kiện")
def life_events(request: HttpRequest) -> list[LifeEventOut]:
    return [
        LifeEventOut(code=e.code, name=e.name, description=e.description, audience=e.audience)
        for e in selectors.life_events()
    ]
