"""Form 07 of TT 03/2025/TT-VPCP (sổ theo dõi hồ sơ): the rows, an Excel workbook and a landscape PDF."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font

from dvc.agencies.selectors import unit_names
from dvc.documents.pdf import Sheet, paragraph
from dvc.documents.spreadsheet import append_row, new_sheet, workbook_bytes
from dvc.dossiers.lifecycle.applicant import goes_by_post, postal_address
from dvc.dossiers.models import Dossier
from dvc.formatting import moment_short

REGISTER_COLUMNS = (
    _("STT"),
    _("Mã hồ sơ"),
    _("Thủ tục"),
    _("Người nộp"),
    _("Kênh nộp"),
    _("Nhận lúc"),
    _("Hẹn trả"),
    _("Trả kết quả lúc"),
    _("Trạng thái"),
    _("Cán bộ tiếp nhận"),
    _("Địa chỉ bưu chính"),
)


def register_rows(dossiers: Iterable[Dossier]) -> list[tuple[Any, ...]]:
    dossiers = list(dossiers)
    names = unit_names(
        str(d.delivery_address.get(part) or "") for d in dossiers if goes_by_post(d) for part in ("commune", "province")
    )
    return [
        (
            number,
            d.code or "",
            d.procedure.name,
            d.applicant_data.get("full_name", ""),
            d.get_channel_display(),
            moment_short(d.received_at or d.submitted_at),
            moment_short(d.extended_until or d.due_at),
            moment_short(d.returned_at),
            d.get_status_display(),
            d.received_by.full_name if d.received_by else "",
            postal_address(d, names),
        )
        for number, d in enumerate(dossiers, start=1)
    ]


def register_xlsx(agency_name: str, period: str, rows: list[tuple[Any, ...]]) -> bytes:
    """Form 07 (sổ theo dõi hồ sơ) as an Excel workbook."""
    book, sheet = new_sheet("So theo doi")
    append_row(sheet, [f"SỔ THEO DÕI HỒ SƠ — {agency_name}"])
    append_row(sheet, [f"Kỳ: {period}"])
    append_row(sheet, [str(c) for c in REGISTER_COLUMNS])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        append_row(sheet, row)  # names as typed by citizens: text, never formulas
    for letter, width in zip("ABCDEFGHIJK", (6, 26, 40, 24, 16, 18, 18, 18, 20, 24, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(book)


def register_pdf(agency_name: str, period: str, rows: list[tuple[Any, ...]]) -> bytes:
    """Form 07 as a landscape PDF."""
    pdf = Sheet()
    pdf.alias_nb_pages()
    pdf.add_page(orientation="L")
    pdf.set_font("BeVietnamPro", "I", 9)
    paragraph(pdf, 5, "Mẫu số 07 — Thông tư 03/2025/TT-VPCP", align="R")
    pdf.set_font("BeVietnamPro", "B", 13)
    paragraph(pdf, 7, f"SỔ THEO DÕI HỒ SƠ — {agency_name}", align="C")
    pdf.set_font("BeVietnamPro", "", 10)
    paragraph(pdf, 6, f"Kỳ: {period}", align="C")
    widths = (10, 44, 62, 36, 22, 28, 28, 28, 28)
    pdf.set_font("BeVietnamPro", "B", 8)
    for width, heading in zip(widths, REGISTER_COLUMNS[:9], strict=True):
        pdf.cell(width, 7, str(heading), border=1)
    pdf.ln()
    pdf.set_font("BeVietnamPro", "", 8)
    for row in rows:
        for width, value in zip(widths, row[:9], strict=True):
            pdf.cell(width, 6, str(value)[: int(width / 1.6)], border=1)
        pdf.ln()
    return bytes(pdf.output())
