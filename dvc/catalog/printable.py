"""A printable blank of a procedure's e-form (PDF), for people who fill it by hand at the counter."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro  # type: ignore[import-untyped]
from fpdf import FPDF

from dvc.catalog.models import Procedure

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"


@cache
def _fonts() -> dict[str, Path]:
    return {
        "": FONT_DIR / "BeVietnamPro-Regular.ttf",
        "B": FONT_DIR / "BeVietnamPro-Bold.ttf",
        "I": FONT_DIR / "BeVietnamPro-Italic.ttf",
    }


class _Blank(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        for style, path in _fonts().items():
            self.add_font("BeVietnamPro", style, str(path))
        self.set_margins(20, 15, 20)
        self.set_auto_page_break(True, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("BeVietnamPro", "I", 8)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")


def _para(pdf: _Blank, height: float, text: str, align: str = "L") -> None:
    pdf.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def letterhead(pdf: _Blank, agency_name: str, *, form_note: str = "") -> None:
    """A new first page with the heading of an administrative document: the agency and the national motto."""
    pdf.alias_nb_pages()
    pdf.add_page()
    if form_note:
        pdf.set_font("BeVietnamPro", "I", 9)
        _para(pdf, 5, form_note, align="R")
    pdf.set_font("BeVietnamPro", "B", 10)
    _para(pdf, 5, agency_name.upper())
    pdf.set_font("BeVietnamPro", "B", 11)
    _para(pdf, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    _para(pdf, 6, "Độc lập - Tự do - Hạnh phúc", align="C")


def _line(pdf: _Blank, label: str, required: bool, lines: int = 1, value: str = "") -> None:
    pdf.set_font("BeVietnamPro", "", 11)
    if value:
        _para(pdf, 7, f"{label}: {value}")
        return
    _para(pdf, 7, f"{label}{' (*)' if required else ''}: " + "." * 60)
    for _ in range(lines - 1):
        _para(pdf, 7, "." * 110)


def _shown(spec: dict[str, Any], value: Any) -> str:
    """An answer as a person reads it on paper."""
    if value in (None, "", [], {}):
        return ""
    if spec["type"] == "select":
        return next((o["label"] for o in spec["options"] if o["value"] == value), str(value))
    if spec["type"] == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    if spec["type"] == "phone" and isinstance(value, str) and value.startswith("+84"):
        return "0" + value[3:]
    return str(value)


def _fields(pdf: _Blank, fields: list[dict[str, Any]], answers: dict[str, Any]) -> None:
    from dvc.agencies.models import AdminUnit

    names = dict(AdminUnit.objects.values_list("code", "name")) if answers else {}
    for spec in fields:
        kind, label, required = spec["type"], spec["label"], bool(spec.get("required"))
        value = answers.get(spec["name"])
        if kind in ("address", "person", "group"):
            pdf.set_font("BeVietnamPro", "B", 11)
            _para(pdf, 8, label + (" (*)" if required else ""))
            value = value if isinstance(value, dict | list) else {}
            if kind == "address" and isinstance(value, dict):
                address_parts = [
                    ("line", "Số nhà, đường, thôn, tổ"),
                    ("commune", "Xã, phường, đặc khu"),
                    ("province", "Tỉnh, thành phố"),
                ]
                for key, part in address_parts:
                    shown = str(value.get(key) or "")
                    _line(pdf, "   " + part, required, value=names.get(shown, shown))
            elif kind == "person" and isinstance(value, dict):
                parts = [
                    ("full_name", "Họ và tên", "text"),
                    ("birth_date", "Ngày sinh", "date"),
                    ("id_number", "Số định danh cá nhân", "text"),
                ]
                for key, part, part_kind in parts:
                    shown = _shown({"type": part_kind}, value.get(key))
                    _line(pdf, "   " + part, required and key == "full_name", value=shown)
            else:
                rows = (
                    value
                    if isinstance(value, list) and value
                    else [{} for _ in range(min(int(spec.get("max_items", 3)), 3))]
                )
                for row_number, row in enumerate(rows, start=1):
                    for sub in spec["fields"]:
                        _line(pdf, f"   {row_number}. {sub['label']}", False, value=_shown(sub, row.get(sub["name"])))
        elif kind == "checkbox":
            pdf.set_font("BeVietnamPro", "", 11)
            _para(pdf, 7, f"[ {'x' if value else ' '} ]  {label}")
        elif kind == "select" and not value:
            choices = "   ".join(f"[  ] {o['label']}" for o in spec["options"])
            pdf.set_font("BeVietnamPro", "", 11)
            _para(pdf, 7, f"{label}{' (*)' if required else ''}:  {choices}")
        else:
            _line(pdf, label, required, 3 if kind == "textarea" else 1, value=_shown(spec, value))


def blank_form_pdf(procedure: Procedure) -> bytes:
    return filled_form_pdf(procedure, {})


def filled_form_pdf(procedure: Procedure, answers: dict[str, Any]) -> bytes:
    """The e-form on paper: blank lines to fill by hand, or the answers given so far ("In biểu mẫu")."""
    pdf = _Blank()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("BeVietnamPro", "B", 11)
    _para(pdf, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    _para(pdf, 6, "Độc lập - Tự do - Hạnh phúc", align="C")
    pdf.ln(6)
    pdf.set_font("BeVietnamPro", "B", 14)
    _para(pdf, 8, f"TỜ KHAI: {procedure.name.upper()}", align="C")
    pdf.set_font("BeVietnamPro", "I", 9)
    _para(pdf, 6, f"Mã thủ tục {procedure.code}. Mục có (*) là bắt buộc.", align="C")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "", 11)
    _para(pdf, 7, f"Kính gửi: {procedure.implementing_body}")
    pdf.ln(2)
    _fields(pdf, (procedure.form_schema or {}).get("fields", []), answers or {})
    pdf.ln(4)
    _para(pdf, 7, "Tôi xin chịu trách nhiệm trước pháp luật về lời khai trên.")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "I", 11)
    _para(pdf, 7, "......, ngày ...... tháng ...... năm ......", align="R")
    pdf.set_font("BeVietnamPro", "B", 11)
    _para(pdf, 7, "NGƯỜI KHAI", align="R")
    pdf.set_font("BeVietnamPro", "I", 9)
    _para(pdf, 6, "(Ký, ghi rõ họ tên)", align="R")
    return bytes(pdf.output())
