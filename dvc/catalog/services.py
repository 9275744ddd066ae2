"""Writes of the catalog: import (all or nothing, idempotent by code), export, search text, fee amounts.

The exchange format is documented in docs/catalog-format.md.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dvc.agencies.models import Agency
from dvc.catalog.eform import check_schema
from dvc.catalog.linked import ComponentIn, check_components
from dvc.catalog.models import (
    CatalogState,
    DocumentRequirement,
    Fee,
    LifeEvent,
    Procedure,
    SearchWord,
    Sector,
    procedure_code_validator,
)
from dvc.catalog.result_form import check_result_form
from dvc.catalog.search_index import forget_version
from dvc.catalog.text import fold, padded, words_of
from dvc.errors import DomainError

FORMAT_NAME = "dvc-catalog"
FORMAT_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SectorIn(_Strict):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1, max_length=255)
    name_en: str = Field(default="", max_length=255)


class LifeEventIn(_Strict):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1, max_length=255)
    name_en: str = Field(default="", max_length=255)
    description: str = Field(default="", max_length=255)
    description_en: str = Field(default="", max_length=255)
    audience: Literal["citizen", "business"] = "citizen"
    position: int = Field(default=0, ge=0, le=1000)


class FeeIn(_Strict):
    kind: Literal["charge", "fee"]
    name: str = Field(min_length=1, max_length=255)
    amount: int = Field(ge=0, le=1_000_000_000)
    unit: Literal["case", "copy", "page"] = "case"
    online_amount: int | None = Field(default=None, ge=0, le=1_000_000_000)
    tier_from: int | None = Field(default=None, ge=2, le=1000)
    tier_amount: int | None = Field(default=None, ge=0, le=1_000_000_000)
    max_amount: int | None = Field(default=None, ge=0, le=1_000_000_000)
    note: str = Field(default="", max_length=500)


FileType = Literal["pdf", "jpg", "png", "doc", "docx"]
DEFAULT_FILE_TYPES: tuple[FileType, ...] = ("pdf", "jpg", "png")


class RequirementIn(_Strict):
    name: str = Field(min_length=1, max_length=500)
    name_en: str = Field(default="", max_length=500)
    form: Literal["original", "certified_copy", "copy", "original_or_certified"] = "original"
    quantity: int = Field(default=1, ge=1, le=50)
    required: bool = True
    condition: str = Field(default="", max_length=500)
    accepted_types: list[FileType] = Field(default_factory=lambda: list(DEFAULT_FILE_TYPES))
    max_size_mb: int = Field(default=10, ge=1, le=50)
    template_is_eform: bool = False
    exempt_verified_identity: bool = False
    vault_document_type: str = Field(default="", max_length=64)


Channel = Literal["online", "counter", "post"]


class ProcedureIn(_Strict):
    code: str
    name: str = Field(min_length=3, max_length=500)
    name_en: str = Field(default="", max_length=500)
    sector: str
    life_events: list[str] = Field(default_factory=list)
    level: Literal["central", "province", "commune"]
    agencies: list[str] = Field(default_factory=list)
    implementing_body: str = Field(min_length=1, max_length=500)
    coordinating_body: str = Field(default="", max_length=500)
    service_level: Literal["full_online", "partial", "information"]
    legacy_level: int | None = Field(default=None, ge=1, le=4)
    submission_channels: list[Channel] = Field(min_length=1)
    result_channels: list[Channel] = Field(min_length=1)
    processing_days: int = Field(ge=0, le=365)
    processing_note: str = Field(default="", max_length=500)
    fee_note: str = Field(default="", max_length=500)
    applicants: str = Field(default="Cá nhân", max_length=255)
    steps: str = Field(min_length=1)
    conditions: str = ""
    legal_basis: str = Field(min_length=1)
    result_document: str = Field(min_length=1, max_length=500)
    result_template: str = Field(default="", max_length=20000)
    result_form: dict[str, Any] = Field(default_factory=dict)
    step_hours: dict[Literal["appraise", "approve"], Annotated[int, Field(ge=0, le=2000)]] = Field(default_factory=dict)
    result_in_person: bool = False
    requires_signature: bool = False
    filing_area: Literal["province", "nationwide"] = "nationwide"
    form_schema: dict[str, Any] = Field(default_factory=dict)
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    is_published: bool = True
    fees: list[FeeIn] = Field(default_factory=list)
    requirements: list[RequirementIn] = Field(default_factory=list)
    components: list[ComponentIn] = Field(default_factory=list)

    @field_validator("components")
    @classmethod
    def _components(cls, value: list[ComponentIn]) -> list[ComponentIn]:
        problems = check_components(value)
        kinds = {k.value for k in Agency.Kind}
        problems += [
            f"loại cơ quan “{c.agency_kind}” không có" for c in value if c.agency_kind and c.agency_kind not in kinds
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("life_events", "agencies")
    @classmethod
    def _sorted(cls, value: list[str]) -> list[str]:
        return sorted(set(value))

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        try:
            procedure_code_validator(value)
        except Exception as exc:
            raise ValueError("mã thủ tục phải có dạng 1.001193 hoặc 1.001193.H38") from exc
        return value


class CatalogIn(_Strict):
    format: Literal["dvc-catalog"]
    version: Literal[1]
    sectors: list[SectorIn] = Field(default_factory=list)
    life_events: list[LifeEventIn] = Field(default_factory=list)
    procedures: list[ProcedureIn] = Field(default_factory=list)


@dataclass(frozen=True)
class ImportProblem:
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record} › {self.field}: {self.message}"


class CatalogRejected(DomainError):
    """The file has bad records: nothing was imported."""

    code = "catalog_rejected"
    http_status = 422

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(_("Tệp danh mục có %(n)d lỗi, chưa nhập thủ tục nào.") % {"n": len(problems)})
        self.problems = problems


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _record_name(data: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """'thủ tục 1.001193' and 'fees[0].amount' from a pydantic location like ('procedures', 3, 'fees', 0, 'amount')."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        section, index = str(loc[0]), loc[1]
        items = data.get(section) if isinstance(data, dict) else None
        item = items[index] if isinstance(items, list) and index < len(items) else {}
        code = item.get("code") if isinstance(item, dict) else None
        label = {"procedures": "thủ tục", "sectors": "lĩnh vực", "life_events": "nhóm sự kiện"}.get(section, section)
        record = f"{label} {code}" if code else f"{label} #{index + 1}"
        rest = loc[2:]
    else:
        record, rest = "tệp", loc
    path = ""
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return record, path or "—"


def _validate(data: Any) -> tuple[CatalogIn | None, list[ImportProblem]]:
    try:
        catalog = CatalogIn.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            record, path = _record_name(data, tuple(error["loc"]))
            problems.append(ImportProblem(record, path, error["msg"]))
        return None, problems
    problems = []
    sector_codes = {s.code for s in catalog.sectors} | set(Sector.objects.values_list("code", flat=True))
    event_codes = {e.code for e in catalog.life_events} | set(LifeEvent.objects.values_list("code", flat=True))
    agency_codes = set(Agency.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for item in catalog.procedures:
        record = f"thủ tục {item.code}"
        if item.code in seen:
            problems.append(ImportProblem(record, "code", _("mã thủ tục bị lặp trong tệp")))
        seen.add(item.code)
        if item.sector not in sector_codes:
            problems.append(ImportProblem(record, "sector", _("không có lĩnh vực “%(c)s”") % {"c": item.sector}))
        for code in item.life_events:
            if code not in event_codes:
                problems.append(ImportProblem(record, "life_events", _("không có nhóm sự kiện “%(c)s”") % {"c": code}))
        for code in item.agencies:
            if code not in agency_codes:
                problems.append(ImportProblem(record, "agencies", _("không có cơ quan mã “%(c)s”") % {"c": code}))
        for message in check_schema(item.form_schema):
            problems.append(ImportProblem(record, "form_schema", message))
        for message in check_result_form(item.result_form, item.form_schema):
            problems.append(ImportProblem(record, "result_form", message))
        if item.service_level == "full_online" and "online" not in item.result_channels + item.submission_channels:
            problems.append(
                ImportProblem(record, "service_level", _("dịch vụ toàn trình phải nộp và nhận kết quả trực tuyến được"))
            )
        for index, fee in enumerate(item.fees):
            if (fee.tier_from is None) != (fee.tier_amount is None):
                problems.append(
                    ImportProblem(record, f"fees[{index}]", _("tier_from và tier_amount phải đi cùng nhau"))
                )
    return catalog, problems


def _procedure_fields(item: ProcedureIn) -> dict[str, Any]:
    return item.model_dump(exclude={"sector", "life_events", "agencies", "fees", "requirements", "code"})


def catalog_changed() -> None:
    """Tell every process that the catalog changed, so their search indexes are rebuilt on the next search.

    The version is a fresh random number, not a counter: a rolled-back change can never leave a process
    holding an index whose version a later, different change would reuse.
    """
    version = secrets.randbits(62)
    if not CatalogState.objects.filter(pk=1).update(version=version):
        CatalogState.objects.update_or_create(pk=1, defaults={"version": version})
    forget_version()
    transaction.on_commit(forget_version)  # a request in between may have read the old row again


def procedure_refresh_search(*, procedure: Procedure) -> None:
    """Recompute the folded name and search text (name, code, sector, result, agencies)."""
    parts = [
        procedure.code,
        procedure.name,
        procedure.name_en,
        procedure.sector.name,
        procedure.result_document,
        procedure.implementing_body,
    ]
    parts += [agency.name for agency in procedure.agencies.all()] if procedure.pk else []
    search_text = fold(" ".join(parts))
    Procedure.objects.filter(pk=procedure.pk).update(
        name_folded=padded(fold(procedure.name)), search_text=padded(search_text)
    )
    SearchWord.objects.filter(procedure=procedure).delete()
    SearchWord.objects.bulk_create(
        SearchWord(procedure=procedure, word=word) for word in sorted(words_of(search_text, procedure.code))
    )
    catalog_changed()


def catalog_import(*, data: Any) -> ImportReport:
    """Import a catalog file: every record is checked first; one bad record and nothing is written."""
    catalog, problems = _validate(data)
    if problems or catalog is None:
        raise CatalogRejected(problems)
    report = ImportReport()
    before = {p["code"]: p for p in catalog_export(codes=[p.code for p in catalog.procedures])["procedures"]}
    with transaction.atomic():
        for sector in catalog.sectors:
            Sector.objects.update_or_create(code=sector.code, defaults={"name": sector.name, "name_en": sector.name_en})
        for event in catalog.life_events:
            LifeEvent.objects.update_or_create(code=event.code, defaults=event.model_dump(exclude={"code"}))
        for item in catalog.procedures:
            incoming = item.model_dump(mode="json")
            if before.get(item.code) == incoming:
                report.unchanged.append(item.code)
                continue
            procedure, created = Procedure.objects.update_or_create(
                code=item.code, defaults={**_procedure_fields(item), "sector": Sector.objects.get(code=item.sector)}
            )
            procedure.life_events.set(LifeEvent.objects.filter(code__in=item.life_events))
            procedure.agencies.set(Agency.objects.filter(code__in=item.agencies))
            procedure.fees.all().delete()
            Fee.objects.bulk_create(
                Fee(procedure=procedure, position=i, **fee.model_dump()) for i, fee in enumerate(item.fees)
            )
            kept_templates = {r.name: r.template for r in procedure.requirements.all() if r.template}
            procedure.requirements.all().delete()
            DocumentRequirement.objects.bulk_create(
                DocumentRequirement(
                    procedure=procedure, position=i, template=kept_templates.get(req.name, ""), **req.model_dump()
                )
                for i, req in enumerate(item.requirements)
            )
            procedure_refresh_search(procedure=procedure)
            (report.created if created else report.updated).append(item.code)
        named = {c.procedure for item in catalog.procedures for c in item.components}
        missing = named - set(Procedure.objects.filter(code__in=named).values_list("code", flat=True))
        if missing:
            # Nothing is kept: the transaction rolls back with the exception.
            raise CatalogRejected(
                [
                    ImportProblem("liên thông", "components", f"không có thủ tục {code} trong danh mục")
                    for code in sorted(missing)
                ]
            )
        if catalog.sectors or catalog.life_events:
            catalog_changed()  # a renamed sector or life event is a change even when no procedure changed
    return report


def catalog_export(*, codes: list[str] | None = None) -> dict[str, Any]:
    """The catalog (or the procedures with ``codes``) in the exchange format, ready for ``json.dump``."""
    procedures = Procedure.objects.select_related("sector").prefetch_related(
        "life_events", "agencies", "fees", "requirements"
    )
    if codes is not None:
        procedures = procedures.filter(code__in=codes)
    fee_fields = list(FeeIn.model_fields)
    requirement_fields = list(RequirementIn.model_fields)
    items = []
    for p in procedures.order_by("code"):
        item = {
            name: getattr(p, name)
            for name in ProcedureIn.model_fields
            if name not in ("sector", "life_events", "agencies", "fees", "requirements")
        }
        item["sector"] = p.sector.code
        item["life_events"] = sorted(e.code for e in p.life_events.all())
        item["agencies"] = sorted(a.code for a in p.agencies.all())
        item["fees"] = [{name: getattr(f, name) for name in fee_fields} for f in p.fees.all()]
        item["requirements"] = [{name: getattr(r, name) for name in requirement_fields} for r in p.requirements.all()]
        items.append(ProcedureIn.model_validate(item).model_dump(mode="json"))
    used_sectors = {i["sector"] for i in items} if codes is not None else None
    sectors = Sector.objects.order_by("code")
    if used_sectors is not None:
        sectors = sectors.filter(code__in=used_sectors)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "sectors": [{"code": s.code, "name": s.name, "name_en": s.name_en} for s in sectors],
        "life_events": [
            LifeEventIn.model_validate(
                {
                    "code": e.code,
                    "name": e.name,
                    "name_en": e.name_en,
                    "description": e.description,
                    "description_en": e.description_en,
                    "audience": e.audience,
                    "position": e.position,
                }
            ).model_dump()
            for e in LifeEvent.objects.order_by("position", "code")
        ],
        "procedures": items,
    }


def fee_amount(fee: Fee, *, quantity: int = 1, online: bool = False) -> int:
    """Amount in đồng for ``quantity`` units (cases, copies or pages of one copy), per the fee's tiers and cap."""
    base = fee.online_amount if online and fee.online_amount is not None else fee.amount
    quantity = max(1, quantity)
    if fee.unit == Fee.Unit.CASE:
        return base
    if fee.tier_from and fee.tier_amount is not None and quantity >= fee.tier_from:
        total = base * (fee.tier_from - 1) + fee.tier_amount * (quantity - fee.tier_from + 1)
    else:
        total = base * quantity
    return min(total, fee.max_amount) if fee.max_amount else total
