"""The one-stop forms of TT 03/2025/TT-VPCP as PDFs: 02 supplement, 03 refusal, 04 apology and extension,
05 suspension, 06 control slip, and 07 the register (also as an Excel workbook). Form 01 is ``receipt.py``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dvc.catalog.printable import _Blank, _para, letterhead
from dvc.dossiers.models import Dossier, Extension, SupplementRequest
from dvc.dossiers.queues import control_steps


def _when(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%H giờ %M, ngày %d/%m/%Y}" if moment else ""


def _day(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}" if moment else ""


def _header(pdf: _Blank, dossier: Dossier, form: str, title: str) -> None:
    letterhead(pdf, dossier.agency.name, form_note=f"Mẫu số {form} — Thông tư 03/2025/TT-VPCP")
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "B", 14)
    _para(pdf, 8, title, align="C")
    pdf.set_font("BeVietnamPro", "", 11)
    _para(pdf, 7, f"Mã hồ sơ: {dossier.code}", align="C")
    pdf.ln(2)


def _addressee(pdf: _Blank, dossier: Dossier) -> None:
    applicant = dossier.applicant_data
    _para(pdf, 7, f"Kính gửi: Ông/Bà {applicant.get('full_name', '')} (số định danh {applicant.get('id_number', '')})")
    _para(pdf, 7, f"Thủ tục: {dossier.procedure.name} ({dossier.procedure.code})")
    _para(pdf, 7, f"Hồ sơ nộp lúc: {_when(dossier.submitted_at)}")


def _signature(pdf: _Blank, officer: str) -> None:
    pdf.ln(6)
    pdf.set_font("BeVietnamPro", "I", 10)
    today = timezone.localdate()
    _para(pdf, 6, f"Ngày {today:%d} tháng {today:%m} năm {today:%Y}", align="R")
    pdf.set_font("BeVietnamPro", "B", 11)
    _para(pdf, 6, "NGƯỜI LẬP PHIẾU", align="R")
    pdf.set_font("BeVietnamPro", "", 11)
    _para(pdf, 6, officer, align="R")


def supplement_pdf(dossier: Dossier, request: SupplementRequest) -> bytes:
    """Form 02: one complete list of what to add or correct, and why."""
    pdf = _Blank()
    _header(pdf, dossier, "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    _para(pdf, 7, "Sau khi kiểm tra, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    for number, requirement in enumerate(request.requirements.all(), start=1):
        _para(pdf, 7, f"{number}. {requirement.name}")
    _para(pdf, 7, f"Lý do, nội dung cụ thể: {request.note}")
    if request.pauses_clock:
        _para(pdf, 7, "Thời gian chờ bổ sung không tính vào thời hạn giải quyết hồ sơ.")
    _para(pdf, 7, "Ông/Bà bổ sung trực tuyến tại mục “Hồ sơ của tôi” hoặc tại Bộ phận Một cửa.")
    _signature(pdf, request.requested_by.full_name)
    return bytes(pdf.output())


def refusal_pdf(dossier: Dossier, officer: str) -> bytes:
    """Form 03: refusal, with the reason."""
    pdf = _Blank()
    _header(pdf, dossier, "03", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    _para(pdf, 7, "Cơ quan không tiếp nhận, giải quyết hồ sơ của Ông/Bà với lý do sau:")
    _para(pdf, 7, dossier.decision_note)
    _para(pdf, 7, f"Thời điểm: {_when(dossier.decided_at)}")
    _signature(pdf, officer)
    return bytes(pdf.output())


def extension_pdf(dossier: Dossier, extension: Extension) -> bytes:
    """Form 04: apology and new appointment."""
    pdf = _Blank()
    _header(pdf, dossier, "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    _para(
        pdf,
        7,
        f"Ngày hẹn trả kết quả là {_day(extension.previous_due_at)}, nhưng đến nay cơ quan chưa giải quyết xong "
        f"hồ sơ của Ông/Bà. Lý do: {extension.reason}",
    )
    _para(
        pdf,
        7,
        f"Cơ quan thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào {_when(extension.new_due_at)}.",
    )
    _signature(pdf, extension.issued_by.full_name)
    return bytes(pdf.output())


def suspension_pdf(dossier: Dossier, officer: str) -> bytes:
    """Form 05: notice that processing has stopped, with the reason."""
    pdf = _Blank()
    _header(pdf, dossier, "05", "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    _para(pdf, 7, f"Cơ quan dừng giải quyết hồ sơ kể từ {_when(dossier.decided_at)}. Lý do: {dossier.decision_note}")
    _signature(pdf, officer)
    return bytes(pdf.output())


def control_slip_pdf(dossier: Dossier) -> bytes:
    """Form 06: the steps of handling, with who, when, and early / on time / late."""
    pdf = _Blank()
    _header(pdf, dossier, "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    _para(pdf, 7, f"Thủ tục: {dossier.procedure.name}")
    _para(pdf, 7, f"Tiếp nhận lúc: {_when(dossier.received_at)} — Hẹn trả: {_when(dossier.due_at)}")
    if dossier.paused_days:
        _para(pdf, 7, f"Thời gian tạm dừng chờ bổ sung: {dossier.paused_days} ngày làm việc")
    pdf.ln(2)
    widths = (44, 38, 30, 30, 28)
    headings = ("Bước", "Người thực hiện", "Bắt đầu", "Hoàn thành", "Kết quả")
    pdf.set_font("BeVietnamPro", "B", 9)
    for width, heading in zip(widths, headings, strict=True):
        pdf.cell(width, 7, heading, border=1)
    pdf.ln()
    pdf.set_font("BeVietnamPro", "", 9)
    for step in control_steps(dossier):
        cells = (step.name, step.actor, _short(step.started), _short(step.finished), step.verdict)
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, text[:40], border=1)
        pdf.ln()
    return bytes(pdf.output())


def _short(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else ""


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
)


def register_rows(dossiers: Iterable[Dossier]) -> list[tuple[Any, ...]]:
    return [
        (
            number,
            d.code or "",
            d.procedure.name,
            d.applicant_data.get("full_name", ""),
            d.get_channel_display(),
            _short(d.received_at or d.submitted_at),
            _short(d.extended_until or d.due_at),
            _short(d.returned_at),
            d.get_status_display(),
            d.received_by.full_name if d.received_by else "",
        )
        for number, d in enumerate(dossiers, start=1)
    ]


def register_xlsx(agency_name: str, period: str, rows: list[tuple[Any, ...]]) -> bytes:
    """Form 07 (sổ theo dõi hồ sơ) as an Excel workbook."""
    book = Workbook()
    sheet = book.create_sheet("So theo doi", 0)
    for other in book.sheetnames[1:]:
        del book[other]
    sheet.title = "So theo doi"
    sheet.append([f"SỔ THEO DÕI HỒ SƠ — {agency_name}"])
    sheet.append([f"Kỳ: {period}"])
    sheet.append([str(c) for c in REGISTER_COLUMNS])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        sheet.append(list(row))
    for letter, width in zip("ABCDEFGHIJ", (6, 26, 40, 24, 16, 18, 18, 18, 20, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def register_pdf(agency_name: str, period: str, rows: list[tuple[Any, ...]]) -> bytes:
    """Form 07 as a landscape PDF."""
    pdf = _Blank()
    pdf.alias_nb_pages()
    pdf.add_page(orientation="L")
    pdf.set_font("BeVietnamPro", "I", 9)
    _para(pdf, 5, "Mẫu số 07 — Thông tư 03/2025/TT-VPCP", align="R")
    pdf.set_font("BeVietnamPro", "B", 13)
    _para(pdf, 7, f"SỔ THEO DÕI HỒ SƠ — {agency_name}", align="C")
    pdf.set_font("BeVietnamPro", "", 10)
    _para(pdf, 6, f"Kỳ: {period}", align="C")
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
