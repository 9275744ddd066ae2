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


def _line(pdf: _Blank, label: str, required: bool, lines: int = 1) -> None:
    pdf.set_font("BeVietnamPro", "", 11)
    _para(pdf, 7, f"{label}{' (*)' if required else ''}: " + "." * 60)
    for _ in range(lines - 1):
        _para(pdf, 7, "." * 110)


def _fields(pdf: _Blank, fields: list[dict[str, Any]]) -> None:
    for spec in fields:
        kind, label, required = spec["type"], spec["label"], bool(spec.get("required"))
        if kind in ("address", "person", "group"):
            pdf.set_font("BeVietnamPro", "B", 11)
            _para(pdf, 8, label + (" (*)" if required else ""))
            if kind == "address":
                for part in ("Số nhà, đường, thôn, tổ", "Xã, phường, đặc khu", "Tỉnh, thành phố"):
                    _line(pdf, "   " + part, required)
            elif kind == "person":
                for part in ("Họ và tên", "Ngày sinh", "Số định danh cá nhân"):
                    _line(pdf, "   " + part, required and part == "Họ và tên")
            else:
                for row in range(1, min(int(spec.get("max_items", 3)), 3) + 1):
                    for sub in spec["fields"]:
                        _line(pdf, f"   {row}. {sub['label']}", False)
        elif kind == "checkbox":
            pdf.set_font("BeVietnamPro", "", 11)
            _para(pdf, 7, f"[   ]  {label}")
        elif kind == "select":
            choices = "   ".join(f"[  ] {o['label']}" for o in spec["options"])
            pdf.set_font("BeVietnamPro", "", 11)
            _para(pdf, 7, f"{label}{' (*)' if required else ''}:  {choices}")
        else:
            _line(pdf, label, required, 3 if kind == "textarea" else 1)


def blank_form_pdf(procedure: Procedure) -> bytes:
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
    _fields(pdf, (procedure.form_schema or {}).get("fields", []))
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
