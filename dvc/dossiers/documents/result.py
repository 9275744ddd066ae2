"""The result document of a procedure, laid out as an administrative document (NĐ 30/2020/NĐ-CP Phụ lục I).

With the procedure's ``result_form`` (``catalog.result_form``) the body is that template filled from the answers,
the specialist's additions and the register; without one, a general certification of the answers (or the older
``result_template`` text). The specialist's draft has no number and no signer; the leader's final copy has both,
and an empty signature field inside the signature block that the agency's PAdES signature fills. Pure: builds
bytes, writes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import string
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from dvc.agencies.issuer import Issuer, issuer_of
from dvc.agencies.selectors import address_text, unit_names
from dvc.catalog import result_form
from dvc.documents.pdf import (
    FONT,
    Sheet,
    letterhead,
    paragraph,
    place_and_date,
    shown_answer,
    signature_block,
)
from dvc.dossiers.models import Dossier
from dvc.formatting import date_in_words
from dvc.vault.agency_signing import with_signature_field

DOTS = "…………………"


@dataclass(frozen=True)
class Signing:
    """What the leader's final copy adds to the draft."""

    signer_name: str
    signer_title: str  # "Phó Chủ tịch"
    day: dt.date
    number: str = ""  # the register's Số
    book: str = ""  # its Quyển số, "01/2026"


def signer_titles(issuer: Issuer, title: str) -> list[str]:
    """The authority lines above a signature (NĐ 30/2020/NĐ-CP Phụ lục I, mục II.8): a committee's member signs
    "TM." the committee; a vice-chairman "KT." the chairman."""
    title = title.strip()
    lines = [f"TM. {issuer.collective}"] if issuer.collective == "ỦY BAN NHÂN DÂN" else []
    if title.lower().startswith("phó "):
        lines.append(f"KT. {title[4:]}")
    lines.append(title or "Người có thẩm quyền ký")
    return [line.upper() for line in lines]


def _date(raw: Any) -> dt.date | None:
    """An answer's date, stored ISO ('2026-11-01'); None for anything else."""
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        return None


class _Filler:
    """Fills ``{placeholders}`` from the dossier; an empty value prints as dots, as on a paper form."""

    def __init__(self, dossier: Dossier, facts: dict[str, str]) -> None:
        schema = dossier.procedure.form_schema or {}
        self.specs = {spec["name"]: spec for spec in schema.get("fields", [])}
        self.answers = dossier.form_data or {}
        self.extra = {k: str(v) for k, v in (dossier.result_data or {}).items()}
        self.facts = facts
        codes = []
        for name, spec in self.specs.items():
            value = self.answers.get(name)
            if spec["type"] == "address" and isinstance(value, dict):
                codes += [str(value.get("commune") or ""), str(value.get("province") or "")]
        self.names = unit_names(codes)

    def raw(self, name: str, part: str) -> Any:
        if name in self.facts:
            return self.facts[name]
        if name in self.extra:
            return self.extra[name]
        value = self.answers.get(name)
        if part:
            return value.get(part) if isinstance(value, dict) else None
        return value

    def shown(self, name: str, part: str, raw: Any) -> str:
        spec = self.specs.get(name)
        if spec is None or raw in (None, ""):
            return "" if raw is None else str(raw)
        if spec["type"] == "address":
            if part in ("commune", "province"):
                return self.names.get(str(raw), str(raw))
            return address_text(raw, self.names) if isinstance(raw, dict) else str(raw)
        if spec["type"] == "person":
            if isinstance(raw, dict):
                return str(raw.get("full_name") or "")
            return shown_answer({"type": "date"}, raw) if part == "birth_date" else str(raw)
        return shown_answer(spec, raw)

    def fill(self, text: str) -> str:
        def one(match: Any) -> str:
            name, part = match[1], match[2] or ""
            filters = [f for f in (match[3] or "").split("|") if f]
            raw = self.raw(name, part)
            value = self.shown(name, part, raw)
            for name_of_filter in filters:
                day = _date(raw)
                if name_of_filter == "upper":
                    value = value.upper()
                elif name_of_filter == "year":
                    value = str(day.year) if day else value
                elif name_of_filter == "words":
                    value = date_in_words(day) if day else ""
            return value or DOTS

        return result_form.PLACEHOLDER.sub(one, text)


def valid_until_of(day: dt.date, months: int) -> dt.date | None:
    """The last day of a paper valid ``months`` months from its issue on ``day``; None when it has no limit.

    Bộ luật Dân sự 2015 Điều 147-148: the period starts the day after issue and ends on the corresponding day of
    its last month, or that month's last day when it has none (06/12/2026 + 6 -> 06/06/2027; 31/08 + 6 -> 28/02).
    """
    if not months:
        return None
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _facts(dossier: Dossier, issuer: Issuer, signing: Signing | None, valid_months: int) -> dict[str, str]:
    # Issued in the owner's name when the dossier was filed on someone's behalf (issue 19, part 6).
    applicant = dossier.owner_data if dossier.owner_basis else dossier.applicant_data
    day = signing.day if signing else None
    last = valid_until_of(day, valid_months) if day else None
    until = f"{last:%d/%m/%Y}" if last else ""
    return {
        "co_quan": issuer.name,
        "ma_ho_so": dossier.code or "",
        "ho_ten": str(applicant.get("full_name", "")),
        "so_dinh_danh": str(applicant.get("id_number", "")),
        "ngay_dang_ky": f"{day:%d/%m/%Y}" if day else "",
        "het_han": until,
        "so": signing.number if signing else "",
        "quyen_so": signing.book if signing else "",
    }


def _row(pdf: Sheet, label: str, value: str, *, bold: bool = False) -> None:
    pdf.set_font(FONT, "", 11)
    lead = f"{label}: " if label else ""
    pdf.write(6, lead)
    pdf.set_font(FONT, "B" if bold else "", 11)
    pdf.write(6, value)
    pdf.ln(6.4)


def _body(pdf: Sheet, form: result_form.ResultForm, filler: _Filler, *, extract: bool = False) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    label_width = 52
    column = (width - label_width) / 2
    header_needed = any(row.values for row in form.body)
    for row in form.body:
        if extract and row.label.startswith("Chữ ký"):
            continue  # the spouses sign the certificate itself, not its extracts
        if row.section:
            pdf.ln(1)
            pdf.set_font(FONT, "B", 11)
            paragraph(pdf, 6.4, filler.fill(row.section))
        elif row.text:
            pdf.set_font(FONT, "I" if not row.bold else "B", 11)
            paragraph(pdf, 6.5, filler.fill(row.text))
        elif row.values:
            if header_needed:
                pdf.set_font(FONT, "B", 11)
                pdf.cell(label_width, 7, "")
                for heading in form.columns:
                    pdf.cell(column, 7, heading, align="C")
                pdf.ln(8)
                header_needed = False
            pdf.set_font(FONT, "", 10.5)
            top = pdf.get_y()
            pdf.multi_cell(label_width, 6, filler.fill(row.label) + ":", new_x="RIGHT", new_y="TOP")
            bottom = pdf.get_y() + 6
            for index, text in enumerate(row.values):
                pdf.set_xy(pdf.l_margin + label_width + index * column, top)
                pdf.set_font(FONT, "B" if row.bold else "", 10.5)
                pdf.multi_cell(column, 6, filler.fill(text), align="C", new_x="LEFT", new_y="NEXT")
                bottom = max(bottom, pdf.get_y())
            pdf.set_xy(pdf.l_margin, bottom)
        else:
            _row(pdf, filler.fill(row.label), filler.fill(row.value), bold=row.bold)


def _general_body(pdf: Sheet, dossier: Dossier, issuer: Issuer, filler: _Filler) -> None:
    template = dossier.procedure.result_template.strip()
    pdf.set_font(FONT, "", 11)
    if template:
        values = {**{n: filler.shown(n, "", filler.raw(n, "")) for n in filler.specs}, **filler.facts}
        values = {k: v for k, v in values.items() if isinstance(v, str)}
        paragraph(pdf, 7, string.Template(template).safe_substitute(_KeepUnknown(values)))
        return
    applicant = dossier.applicant_data
    owner = dossier.owner_data if dossier.owner_basis else {}
    number = "mã số thuế" if owner.get("kind") == "organization" else "số định danh cá nhân"
    for_owner = f"cho {owner.get('full_name', '')}, {number} {owner.get('id_number', '')}, " if owner else ""
    paragraph(
        pdf,
        7,
        f"{issuer.name} xác nhận đã giải quyết thủ tục {dossier.procedure.name} (mã hồ sơ {dossier.code}) "
        f"{for_owner}theo yêu cầu của ông/bà {applicant.get('full_name', '')}, số định danh cá nhân "
        f"{applicant.get('id_number', '')}, với các thông tin sau:",
    )
    for name, spec in filler.specs.items():
        # The facts the agency certifies: not the contact details or the applicant's own declaration box.
        if spec.get("type") in ("address", "person", "group", "checkbox", "phone", "email"):
            continue
        value = filler.shown(name, "", filler.raw(name, ""))
        if value:
            _row(pdf, spec["label"], value)


class _KeepUnknown(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "$" + key


def register_details(dossier: Dossier, signing: Signing) -> str:
    """What the register line says of the paper: each "label: value" of its template, filled as on the paper."""
    form = result_form.parse(dossier.procedure.result_form or {})
    if form is None:
        return ""
    filler = _Filler(dossier, _facts(dossier, issuer_of(dossier.agency), signing, form.valid_months))
    parts = []
    for row in form.body:
        if row.label and row.value:
            parts.append(f"{filler.fill(row.label)}: {filler.fill(row.value)}")
        elif row.label and row.values and not row.label.startswith("Chữ ký"):
            both = " / ".join(filler.fill(v) for v in row.values)
            parts.append(f"{filler.fill(row.label)}: {both}")
    return "; ".join(parts)[:4000]


def result_pdf(dossier: Dossier, signing: Signing | None = None, copy: tuple[int, int] | None = None) -> bytes:
    """The result as the specialist drafts it (``signing`` None: no number, no signer, marked DỰ THẢO) or as the
    leader signs it, with an empty signature field in the signature block; ``copy`` (k, n): the k-th of n extracts
    issued as copies from the register with it."""
    form = result_form.parse(dossier.procedure.result_form or {})
    issuer = issuer_of(dossier.agency)
    filler = _Filler(dossier, _facts(dossier, issuer, signing, form.valid_months if form else 0))
    day = signing.day if signing else None
    if form and form.civil_register:
        number = f"Số: {signing.number if signing and signing.number else DOTS}\n"
        number += f"Quyển số: {signing.book if signing and signing.book else DOTS}"
    else:
        number = f"Số: {signing.number if signing and signing.number else DOTS}"
    pdf = Sheet()
    pdf.set_title(form.title if form else dossier.procedure.result_document)
    letterhead(
        pdf,
        issuer.heading,
        number=number,
        place_date=place_and_date(issuer.place, day) if day else f"{issuer.place}, ngày …… tháng …… năm ……",
    )
    if signing is None:
        pdf.set_font(FONT, "B", 10)
        paragraph(pdf, 5, "DỰ THẢO", align="R")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 15)
    title = form.copies.title if form and form.copies and copy else (form.title if form else "")
    paragraph(pdf, 8, (title or dossier.procedure.result_document).upper(), align="C")
    if copy and form:
        pdf.set_font(FONT, "BI", 11)
        with translation.override("vi"):  # the paper is Vietnamese whatever the signer's page language
            book = str(result_form.REGISTERS.get(form.civil_register, "Cơ sở dữ liệu hộ tịch"))
        paragraph(pdf, 6, f"(Bản sao số {copy[0]}/{copy[1]}, cấp từ {book})", align="C")
    pdf.ln(4)
    if form:
        _body(pdf, form, filler, extract=copy is not None)
    else:
        _general_body(pdf, dossier, issuer, filler)
    titles = signer_titles(issuer, signing.signer_title if signing else "")
    spot = signature_block(
        pdf,
        titles,
        signing.signer_name if signing else "(họ và tên người ký)",
        recipients=[filler.fill(r) for r in form.recipients] if form else [],
    )
    data = bytes(pdf.output())
    return with_signature_field(data, spot.page, spot.box) if signing else data
