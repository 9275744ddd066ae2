"""Form 06 of TT 03/2025/TT-VPCP (phiếu kiểm soát quá trình giải quyết hồ sơ) as a PDF."""

from __future__ import annotations

from dvc.documents.pdf import Sheet, paragraph
from dvc.dossiers.backoffice.control_slip import control_steps
from dvc.dossiers.documents.notices import form_header
from dvc.dossiers.models import Dossier
from dvc.formatting import moment_long, moment_short


def control_slip_pdf(dossier: Dossier) -> bytes:
    """Form 06: the steps of handling, with who, when, and early / on time / late."""
    pdf = Sheet()
    form_header(pdf, dossier, "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    paragraph(pdf, 7, f"Thủ tục: {dossier.procedure.name}")
    paragraph(pdf, 7, f"Tiếp nhận lúc: {moment_long(dossier.received_at)} — Hẹn trả: {moment_long(dossier.due_at)}")
    if dossier.paused_days:
        paragraph(pdf, 7, f"Thời gian tạm dừng chờ bổ sung: {dossier.paused_days} ngày làm việc")
    pdf.ln(2)
    widths = (44, 38, 30, 30, 28)
    headings = ("Bước", "Người thực hiện", "Bắt đầu", "Hoàn thành", "Kết quả")
    pdf.set_font("BeVietnamPro", "B", 9)
    for width, heading in zip(widths, headings, strict=True):
        pdf.cell(width, 7, heading, border=1)
    pdf.ln()
    pdf.set_font("BeVietnamPro", "", 9)
    for step in control_steps(dossier):
        cells = (step.name, step.actor, moment_short(step.started), moment_short(step.finished), step.verdict)
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, text[:40], border=1)
        pdf.ln()
    return bytes(pdf.output())
