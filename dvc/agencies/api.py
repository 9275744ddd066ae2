"""Public endpoints for administrative units and agencies."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from dvc.agencies import selectors

router = Router(tags=["Cơ quan, đơn vị hành chính"])


class AdminUnitOut(Schema):
    code: str
    name: str
    level: str
    division_type: str
    parent_code: str | None


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    admin_unit_code: str | None
    parent_code: str | None
    address: str
    phone: str


@router.get("/admin-units", response=list[AdminUnitOut], summary="Đơn vị hành chính (tỉnh; xã theo tỉnh)")
def admin_units(request: HttpRequest, parent: str | None = None) -> list[AdminUnitOut]:
    return [
        AdminUnitOut(
            code=unit.code,
            name=unit.name,
            level=unit.level,
            division_type=unit.division_type,
            parent_code=unit.parent.code if unit.parent else None,
        )
        for unit in selectors.admin_units(parent_code=(parent or "")[:8] or None)
    ]


@router.get("/agencies", response=list[AgencyOut], summary="Cơ quan (cấp cao nhất, hoặc cơ quan trực thuộc)")
def agencies(request: HttpRequest, parent: str | None = None) -> list[AgencyOut]:
    return [
        AgencyOut(
            code=agency.code,
            name=agency.name,
            kind=agency.kind,
            level=agency.level,
            admin_unit_code=agency.admin_unit.code if agency.admin_unit else None,
            parent_code=agency.parent.code if agency.parent else None,
            address=agency.address,
            phone=agency.phone,
        )
        for agency in selectors.agencies(parent_code=(parent or "")[:16] or None)
    ]
