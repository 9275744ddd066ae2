"""The PDF toolkit of every generated document: an A4 page with the embedded Vietnamese font, paragraphs, the
letterhead of an administrative document (NĐ 30/2020/NĐ-CP Phụ lục I: agency above, national motto beside it)
and answers written as a person reads them on paper. Builders here and in the apps only draw: no writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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
        "BI": FONT_DIR / "BeVietnamPro-BoldItalic.ttf",
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


MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
HEAD_WIDTH = 72  # mm: the issuing body's column of the letterhead; the national motto takes the rest


def letterhead(
    pdf: Sheet, heading: str | Sequence[str], *, number: str = "", place_date: str = "", form_note: str = ""
) -> None:
    """A new first page with the heading of an administrative document (NĐ 30/2020/NĐ-CP Phụ lục I): the issuing
    body on the left (its superior body, if given, above it in plain type), the national motto on the right, each
    underlined; then the number (Số) under the body and the place and date under the motto."""
    pdf.alias_nb_pages()
    pdf.add_page()
    if form_note:
        pdf.set_font(FONT, "I", 9)
        paragraph(pdf, 5, form_note, align="R")
    lines = [heading] if isinstance(heading, str) else list(heading)
    top, left = pdf.get_y(), pdf.l_margin
    right, right_width = left + HEAD_WIDTH, pdf.w - pdf.r_margin - left - HEAD_WIDTH
    pdf.set_xy(left, top)
    for index, line in enumerate(lines):
        pdf.set_font(FONT, "B" if index == len(lines) - 1 else "", 10.5)
        pdf.multi_cell(HEAD_WIDTH, 5, line.upper(), align="C", new_x="LEFT", new_y="NEXT")
    below_body = pdf.get_y() + 1
    pdf.line(left + HEAD_WIDTH / 2 - 12, below_body, left + HEAD_WIDTH / 2 + 12, below_body)
    pdf.set_xy(right, top)
    pdf.set_font(FONT, "B", 10.5)
    pdf.cell(right_width, 5, MOTTO[0], align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "B", 11.5)
    pdf.cell(right_width, 5.5, MOTTO[1], align="C", new_x="LEFT", new_y="NEXT")
    motto_width = pdf.get_string_width(MOTTO[1])
    below_motto = pdf.get_y() + 1
    pdf.line(right + (right_width - motto_width) / 2, below_motto, right + (right_width + motto_width) / 2, below_motto)
    y = max(below_body, below_motto) + 3
    bottom = y
    if number:
        pdf.set_xy(left, y)
        pdf.set_font(FONT, "", 10.5)
        pdf.multi_cell(HEAD_WIDTH, 5.5, number, align="C", new_x="LEFT", new_y="NEXT")
        bottom = pdf.get_y()
    if place_date:
        pdf.set_xy(right, y)
        pdf.set_font(FONT, "I", 10.5)
        pdf.multi_cell(right_width, 5.5, place_date, align="C", new_x="LEFT", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(left, bottom + 2)


def place_and_date(place: str, day: dt.date) -> str:
    """'Ba Đình, ngày 06 tháng 12 năm 2026' (NĐ 30/2020/NĐ-CP: days and months below 10 with a leading zero)."""
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


@dataclass(frozen=True)
class SignatureSpot:
    """Where the signature goes: 0-based page and a box in PDF points from the bottom-left corner."""

    page: int
    box: tuple[int, int, int, int]


def signature_pair(pdf: Sheet, left: tuple[str, str], right: tuple[str, str], *, space: float = 22) -> None:
    """Two signers side by side (the applicant and the officer on form 01): title in bold, "(Ký, ghi rõ họ tên)",
    the space to sign, the name; kept whole on one page."""
    if pdf.get_y() + space + 24 > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y() + 4
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for index, (title, name) in enumerate((left, right)):
        x = pdf.l_margin + index * width
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, 6, title.upper(), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "I", 9)
        pdf.multi_cell(width, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x, pdf.get_y() + space)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, 6, name, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, pdf.get_y() + 2)


def signature_block(
    pdf: Sheet, titles: Sequence[str], name: str, *, recipients: Sequence[str] = (), height: float = 30
) -> SignatureSpot:
    """The signer's block (NĐ 30/2020/NĐ-CP Phụ lục I, mục II.8-9): the authority and title lines in bold, the
    space for the signature and seal, the signer's name; "Nơi nhận" on the left. Kept whole on one page with the
    lines above it: a block that does not fit starts a new page. Returns the signature's spot."""
    needed = 4 + 5.5 * len(titles) + 1 + height + 1 + 6  # as drawn below: gap, titles, box, name
    squeezed = min(height, 24)  # the smallest box the agency's stamp (five lines at 9 pt) still fits in
    if pdf.get_y() + needed > pdf.page_break_trigger >= pdf.get_y() + needed - (height - squeezed):
        needed, height = needed - (height - squeezed), squeezed  # a slightly smaller box, not a page of its own
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    top, left = pdf.get_y() + 4, pdf.l_margin
    right, right_width = left + 80, pdf.w - pdf.r_margin - left - 80
    if recipients:
        pdf.set_xy(left, top)
        pdf.set_font(FONT, "BI", 10)
        pdf.cell(75, 5, "Nơi nhận:", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        for recipient in recipients:
            pdf.multi_cell(75, 4.5, f"- {recipient};", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(right, top)
    pdf.set_font(FONT, "B", 11)
    for title in titles:
        pdf.multi_cell(right_width, 5.5, title, align="C", new_x="LEFT", new_y="NEXT")
    box_top = pdf.get_y() + 1
    box_width = min(right_width, 86)
    box_left = right + (right_width - box_width) / 2
    pdf.set_xy(right, box_top + height + 1)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(right_width, 6, name, align="C", new_x="LMARGIN", new_y="NEXT")
    points = 72 / 25.4
    box = (
        box_left * points,
        (pdf.h - box_top - height) * points,
        (box_left + box_width) * points,
        (pdf.h - box_top) * points,
    )
    return SignatureSpot(pdf.page_no() - 1, tuple(round(v) for v in box))  # type: ignore[arg-type]


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
    if spec["type"] == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        # 500000000 -> 500.000.000, 2.5 -> 2,5: Vietnamese groups thousands with dots and writes a decimal comma.
        whole, _dot, decimals = f"{value:,}".partition(".")
        return whole.replace(",", ".") + (f",{decimals}" if decimals and int(decimals) else "")
    return str(value)
