"""Biên lai điện tử: payer, dossier, fee lines, amount, method, gateway transaction number and time."""

from __future__ import annotations

from django.utils import timezone

from dvc.agencies.issuer import issuer_of, office_heading
from dvc.documents.pdf import FONT, Sheet, letterhead, paragraph, place_and_date, signature_pair
from dvc.formatting import dong_in_words, thousands
from dvc.payments.models import FeeLine, Receipt
from dvc.payments.selectors import fee_summary


def receipt_pdf(receipt: Receipt) -> bytes:
    """The electronic receipt for phí and lệ phí with the elements NĐ 123/2020/NĐ-CP Điều 32 requires: its kind,
    template symbol, series and number, the collecting body's name and tax code, the payer, each charge and the
    amount in figures and in words, the date, and who collected it."""
    dossier, attempt = receipt.dossier, receipt.attempt
    agency = dossier.agency
    paid_at = timezone.localtime(attempt.paid_at or receipt.issued_at)
    pdf = Sheet()
    number = "\n".join(
        line
        for line in (
            f"Ký hiệu mẫu: {agency.receipt_template}" if agency.receipt_template else "",
            f"Ký hiệu: {agency.receipt_series}" if agency.receipt_series else "",
            f"Số: {receipt.number}",
        )
        if line
    )
    letterhead(
        pdf, office_heading(agency), number=number, place_date=place_and_date(issuer_of(agency).place, paid_at.date())
    )
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    paragraph(pdf, 8, "BIÊN LAI THU PHÍ, LỆ PHÍ", align="C")
    pdf.set_font(FONT, "I", 10)
    paragraph(pdf, 6, "(Biên lai điện tử)", align="C")
    pdf.ln(2)
    pdf.set_font(FONT, "", 11)
    rows = [
        ("Tổ chức thu phí, lệ phí", agency.name),
        ("Mã số thuế", agency.tax_code),
        ("Địa chỉ", agency.address),
        ("Người nộp", dossier.applicant_data.get("full_name", "")),
        ("Số định danh cá nhân", dossier.applicant_data.get("id_number", "")),
        ("Mã hồ sơ", dossier.code or ""),
        ("Thủ tục", dossier.procedure.name),
        ("Hình thức thanh toán", attempt.get_method_display()),
    ]
    if attempt.gateway_txn_no:
        rows.append(("Mã giao dịch tại cổng thanh toán", f"{attempt.gateway_txn_no} ({attempt.bank_code})"))
    rows.append(("Thời gian thanh toán", f"{paid_at:%H giờ %M, ngày %d/%m/%Y}"))
    for label, value in rows:
        if value:
            paragraph(pdf, 7, f"{label}: {value}")
    pdf.ln(2)
    # Phí and lệ phí only: the post office's price, collected with them for the post office, is not one of them
    # and is shown apart, outside the receipt's total.
    lines = fee_summary(dossier)["lines"]
    fees = [line for line in lines if line.kind != FeeLine.Kind.POSTAL]
    postage = sum(line.amount for line in lines if line.kind == FeeLine.Kind.POSTAL)
    total = sum(line.amount for line in fees)
    widths = (10, 110, 50)
    pdf.set_font(FONT, "B", 10)
    for width, heading in zip(widths, ("STT", "Tên loại phí, lệ phí", "Số tiền (đồng)"), strict=True):
        pdf.cell(width, 7, heading, border=1, align="C")
    pdf.ln()
    pdf.set_font(FONT, "", 10)
    for index, line in enumerate(fees, start=1):
        quantity = f" × {line.quantity}" if line.quantity > 1 else ""
        pdf.cell(widths[0], 7, str(index), border=1, align="C")
        pdf.cell(widths[1], 7, f"{line.get_kind_display()}: {line.name}{quantity}"[:70], border=1)
        pdf.cell(widths[2], 7, thousands(line.amount), border=1, align="R")
        pdf.ln()
    pdf.set_font(FONT, "B", 10)
    pdf.cell(widths[0] + widths[1], 7, "Tổng cộng", border=1, align="R")
    pdf.cell(widths[2], 7, thousands(total), border=1, align="R")
    pdf.ln(9)
    pdf.set_font(FONT, "", 11)
    paragraph(pdf, 7, f"Số tiền bằng chữ: {dong_in_words(total)}.")
    if postage:
        pdf.set_font(FONT, "I", 10)
        paragraph(
            pdf, 6, f"Thu hộ cước dịch vụ bưu chính (không thuộc phí, lệ phí): {thousands(postage)} đồng. "
            f"Tổng số tiền đã thanh toán: {thousands(receipt.amount)} đồng.",
        )  # fmt: skip
    collector = attempt.recorded_by.full_name if attempt.recorded_by else "Thu qua Cổng Dịch vụ công"
    signature_pair(
        pdf,
        ("Người nộp tiền", str(dossier.applicant_data.get("full_name", ""))),
        ("Người thu tiền", collector),
        space=16,
    )
    pdf.set_font(FONT, "I", 9)
    paragraph(
        pdf, 5, "Biên lai điện tử lập khi nhận được xác nhận thanh toán; tra cứu trên Cổng Dịch vụ công bằng mã hồ sơ."
    )
    return bytes(pdf.output())
