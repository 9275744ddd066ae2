"""The template of a procedure's result document, as the catalog carries it (``result_form``).

A result form says what the issued paper is called, which civil-status register it is entered in, how long it is
valid, what the specialist adds that the citizen did not declare (the child's personal id number from the national
population database, the marital status found in the register …), and its body: rows of a label and a value made
from ``{placeholders}``. The layout around the body (issuing body and national motto side by side, Số / Quyển số,
place and date, title, signer's title, name and signature, recipients) is the administrative-document layout of
NĐ 30/2020/NĐ-CP and is the same for every template. The format is documented in docs/catalog-format.md.

Placeholders: ``{field}`` an e-form answer, ``{field.part}`` a part of a person (``full_name``, ``birth_date``,
``id_number``) or address (``line``, ``commune``, ``province``), ``{officer_field}`` a value the specialist enters,
or one of ``FACTS``; followed by filters ``|upper``, ``|year`` (of a date) or ``|words`` (a date in words).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Sổ hộ tịch kept by the Ủy ban nhân dân cấp xã (Luật Hộ tịch 2014 Điều 12; TT 04/2020/TT-BTP).
REGISTERS = {
    "khai_sinh": _("Sổ đăng ký khai sinh"),
    "ket_hon": _("Sổ đăng ký kết hôn"),
    "khai_tu": _("Sổ đăng ký khai tử"),
    "xac_nhan_hon_nhan": _("Sổ cấp Giấy xác nhận tình trạng hôn nhân"),
}

FACTS = {
    "co_quan": "the issuing body (Ủy ban nhân dân phường Ba Đình)",
    "ma_ho_so": "the dossier code",
    "ho_ten": "the applicant's full name",
    "so_dinh_danh": "the applicant's personal id number",
    "ngay_dang_ky": "the date of registration, dd/mm/yyyy",
    "het_han": "the last day of validity, dd/mm/yyyy",
    "so": "the number in the register",
    "quyen_so": "the register book",
}
FILTERS = {"upper", "year", "words"}
PARTS = {
    "person": {"full_name", "birth_date", "id_number"},
    "address": {"line", "commune", "province"},
}
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?:\.([a-z_]+))?((?:\|[a-z]+)*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OfficerField(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str = Field(min_length=1, max_length=200)
    type: Literal["text", "cccd", "textarea"] = "text"
    required: bool = False
    help: str = Field(default="", max_length=300)
    max_length: int = Field(default=255, ge=1, le=2000)
    # A personal id number of the person the paper is about: the e-form fields holding that person's sex and date of
    # birth, which its 4th to 6th digits encode (Thông tư 59/2021/TT-BCA Điều 7).
    sex_from: str = Field(default="", max_length=40)
    born_from: str = Field(default="", max_length=40)


class Row(_Strict):
    """One line of the body: ``label: value``, a ``section`` heading, a ``text`` paragraph, or two ``values``
    side by side under the template's ``columns`` (bride and groom)."""

    label: str = Field(default="", max_length=200)
    value: str = Field(default="", max_length=1000)
    values: list[str] = Field(default_factory=list, max_length=2)
    section: str = Field(default="", max_length=200)
    text: str = Field(default="", max_length=2000)
    bold: bool = False


class Copies(_Strict):
    """Extracts issued with the paper when the applicant asks (and pays) for them: the e-form's number field that
    says how many, and the extract's name ("Trích lục khai sinh"); each is issued "(bản sao)" from the register
    (NĐ 123/2015/NĐ-CP Điều 2: bản sao trích lục hộ tịch cấp từ Cơ sở dữ liệu hộ tịch)."""

    field: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    title: str = Field(min_length=1, max_length=200)


class ResultForm(_Strict):
    title: str = Field(min_length=1, max_length=200)
    # The paper's type in the citizen's vault: a requirement with the same ``vault_document_type`` offers it.
    document_type: str = Field(default="", pattern=r"^([a-z][a-z0-9_]{0,63})?$")
    civil_register: Literal["", "khai_sinh", "ket_hon", "khai_tu", "xac_nhan_hon_nhan"] = ""
    valid_months: int = Field(default=0, ge=0, le=120)
    signer_heading: str = Field(default="", max_length=200)
    columns: list[str] = Field(default_factory=list, max_length=2)
    officer_fields: list[OfficerField] = Field(default_factory=list, max_length=10)
    body: list[Row] = Field(min_length=1, max_length=80)
    recipients: list[str] = Field(default_factory=list, max_length=6)
    copies: Copies | None = None


def parse(data: dict[str, Any]) -> ResultForm | None:
    """The result form of a procedure, or None for the general certification of the answers."""
    return ResultForm.model_validate(data) if data else None


def placeholders(text: str) -> list[tuple[str, str, list[str]]]:
    """``(name, part, filters)`` of every placeholder in ``text``."""
    return [(m[1], m[2] or "", [f for f in m[3].split("|") if f]) for m in PLACEHOLDER.finditer(text)]


def check_result_form(data: dict[str, Any], form_schema: dict[str, Any]) -> list[str]:
    """What is wrong with a result form, in the words of a catalog import report; [] when it is usable."""
    if not data:
        return []
    try:
        form = ResultForm.model_validate(data)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()]
    kinds = {spec["name"]: spec["type"] for spec in form_schema.get("fields", [])}
    officer = {f.name for f in form.officer_fields}
    problems = [f"officer_fields: “{name}” đã là một mục của tờ khai" for name in sorted(officer & set(kinds))]
    for spec in form.officer_fields:
        for source in (spec.sex_from, spec.born_from):
            if source and source not in kinds:
                problems.append(f"officer_fields: không có mục “{source}” trong tờ khai")
    texts = [t for row in form.body for t in (row.label, row.value, row.text, row.section, *row.values)]
    for name, part, filters in (p for text in texts for p in placeholders(text)):
        if name not in kinds and name not in officer and name not in FACTS:
            problems.append(f"body: không có mục “{name}” trong tờ khai, officer_fields hoặc thông tin chung")
        elif part and part not in PARTS.get(kinds.get(name, ""), set()):
            problems.append(f"body: “{name}” không có phần “{part}”")
        problems += [f"body: không có bộ lọc “{f}”" for f in filters if f not in FILTERS]
    if form.copies and kinds.get(form.copies.field) != "number":
        problems.append(f"copies: “{form.copies.field}” không phải là mục số của tờ khai")
    if any(row.values for row in form.body) and len(form.columns) != 2:
        problems.append("columns: dòng hai cột cần đúng hai tiêu đề cột")
    return problems
