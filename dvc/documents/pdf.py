"""The PDF toolkit of every generated document: an A4 page with the embedded Vietnamese font, paragraphs, the
letterhead of an administrative document (NĐ 30/2020/NĐ-CP Phụ lục I: agency above, national motto beside it)
and answers written as a person reads them on paper. Builders here and in the apps only draw: no writes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro  # type: ignore[import-untyped]
from fpdf import FPDF

from dvc.formatting import iso_day

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT = "BeVietnamPro"


@cache
def font_files() -> dict[str, Path]:
    return {
        "": FONT_DIR / "BeVietnamPro-Regular.ttf",
        "B": FONT_DIR / "BeVietnamPro-Bold.ttf",
        "I": FONT_DIR / "BeVietnamPro-Italic.ttf",
    }


class Sheet(FPDF):
    """An A4 document in Be Vietnam Pro with "Trang x/y" at the foot of each page."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        for style, path in font_files().items():
            self.add_font(FONT, style, str(path))
        self.set_margins(20, 15, 20)
        self.set_auto_page_break(True, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "I", 8)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")


def paragraph(pdf: Sheet, height: float, text: str, align: str = "L") -> None:
    """A paragraph across the page, wrapped, the cursor left at the start of the next line."""
    pdf.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def letterhead(pdf: Sheet, agency_name: str, *, form_note: str = "") -> None:
    """A new first page with the heading of an administrative document: the agency and the national motto."""
    pdf.alias_nb_pages()
    pdf.add_page()
    if form_note:
        pdf.set_font(FONT, "I", 9)
        paragraph(pdf, 5, form_note, align="R")
    pdf.set_font(FONT, "B", 10)
    paragraph(pdf, 5, agency_name.upper())
    pdf.set_font(FONT, "B", 11)
    paragraph(pdf, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    paragraph(pdf, 6, "Độc lập - Tự do - Hạnh phúc", align="C")


def shown_answer(spec: dict[str, Any], value: Any) -> str:
    """An e-form answer as a person reads it on paper: option labels, dd/mm/yyyy dates, 0-prefixed phones."""
    if value in (None, "", [], {}):
        return ""
    if spec["type"] == "select":
        return next((o["label"] for o in spec.get("options", []) if o["value"] == value), str(value))
    if spec["type"] == "date" and isinstance(value, str):
        return iso_day(value)
    if spec["type"] == "phone" and isinstance(value, str) and value.startswith("+84"):
        return "0" + value[3:]
    return str(value)
