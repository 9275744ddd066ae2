"""In whose name a document is issued, and where.

A commune's public-administration centre receives and returns dossiers, but the civil-status papers and the
other results of the commune's procedures are issued by the Ủy ban nhân dân of the commune (Luật Hộ tịch 2014
Điều 7; Luật Tổ chức chính quyền địa phương 2025). The place written before the date is the name of the
administrative unit where the issuing body sits (NĐ 30/2020/NĐ-CP Phụ lục I, mục II.4).
"""

from __future__ import annotations

from dataclasses import dataclass

from dvc.agencies.models import AdminUnit, Agency


@dataclass(frozen=True)
class Issuer:
    name: str  # "Ủy ban nhân dân phường Ba Đình"
    heading: tuple[str, ...]  # the letterhead's lines, upper case: ("ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH")
    collective: str  # "ỦY BAN NHÂN DÂN": the body a leader signs for ("TM. ỦY BAN NHÂN DÂN")
    place: str  # "Ba Đình"


_UNIT_KINDS = ("phường", "xã", "đặc khu", "thành phố", "tỉnh")


def _place(unit: AdminUnit | None) -> str:
    if unit is None:
        return "Hà Nội"
    for kind in (unit.division_type.strip(), *_UNIT_KINDS):
        if kind and unit.name.lower().startswith(kind.lower() + " "):
            return unit.name[len(kind) + 1 :]
    return unit.name


def issuer_of(agency: Agency) -> Issuer:
    """The issuing body of a result received by ``agency``: the commune's people's committee for a commune centre
    or committee; the agency itself elsewhere."""
    unit = agency.admin_unit
    if agency.kind in (Agency.Kind.COMMUNE_CENTRE, Agency.Kind.COMMUNE_COMMITTEE) and unit is not None:
        committee = "Ủy ban nhân dân"
        name = f"{committee} {unit.name[:1].lower()}{unit.name[1:]}"
        return Issuer(name, (committee.upper(), unit.name.upper()), committee.upper(), _place(unit))
    parent = agency.parent.name.upper() if agency.parent else ""
    heading = (parent, agency.name.upper()) if parent else (agency.name.upper(),)
    return Issuer(agency.name, heading, agency.name.upper(), _place(unit))


def office_heading(agency: Agency) -> tuple[str, ...]:
    """The letterhead of the one-stop forms an agency issues itself (TT 03/2025/TT-VPCP forms 01-06): its superior
    body above its own name; a commune centre sits under the commune's people's committee."""
    unit = agency.admin_unit
    if agency.kind == Agency.Kind.COMMUNE_CENTRE and unit is not None:
        return (f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}", agency.name)
    return (agency.parent.name, agency.name) if agency.parent else (agency.name,)
