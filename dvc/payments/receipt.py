"""Biên lai điện tử: payer, dossier, fee lines, amount, method, gateway transaction number and time."""

from __future__ import annotations

from django.utils import timezone

from dvc.documents.pdf import Sheet, letterhead, paragraph
from dvc.formatting import dong, dong_in_words
from dvc.payments.models import Receipt
from dvc.payments.selectors import fee_summary


def receipt_pdf(receipt: Receipt) -> bytes:
    dossier, attempt = receipt.dossier, receipt.attempt
    pdf = Sheet()
    letterhead(pdf, dossier.agency.name)
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "B", 14)
    paragraph(pdf, 8, "BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)", align="C")
    pdf.set_font("BeVietnamPro", "", 11)
    paragraph(pdf, 7, f"Số: {receipt.number}", align="C")
    pdf.ln(2)
    paid_at = timezone.localtime(attempt.paid_at or receipt.issued_at)
    rows = [
        ("Người nộp", dossier.applicant_data.get("full_name", "")),
        ("Số định danh", dossier.applicant_data.get("id_number", "")),
        ("Mã hồ sơ", dossier.code or ""),
        ("Thủ tục", dossier.procedure.name),
        ("Hình thức thanh toán", attempt.get_method_display()),
    ]
    if attempt.gateway_txn_no:
        rows.append(("Mã giao dịch tại cổng thanh toán", f"{attempt.gateway_txn_no} ({attempt.bank_code})"))
    rows.append(("Thời gian thanh toán", f"{paid_at:%H giờ %M, ngày %d/%m/%Y}"))
    for label, value in rows:
        paragraph(pdf, 7, f"{label}: {value}")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "B", 11)
    paragraph(pdf, 7, "Các khoản thu:")
    pdf.set_font("BeVietnamPro", "", 11)
    for line in fee_summary(dossier)["lines"]:
        quantity = f" × {line.quantity}" if line.quantity > 1 else ""
        paragraph(pdf, 7, f"- {line.get_kind_display()}: {line.name}{quantity}: {dong(line.amount)}")
    pdf.set_font("BeVietnamPro", "B", 12)
    paragraph(pdf, 8, f"Tổng cộng: {dong(receipt.amount)}")
    pdf.set_font("BeVietnamPro", "", 11)
    paragraph(pdf, 7, f"Số tiền bằng chữ: {dong_in_words(receipt.amount)}.")
    pdf.set_font("BeVietnamPro", "I", 10)
    paragraph(pdf, 6, "Biên lai điện tử do Cổng Dịch vụ công lập khi nhận được xác nhận thanh toán.")
    return bytes(pdf.output())
