"""The one-stop notices of TT 03/2025/TT-VPCP as PDFs: 02 supplement, 03 refusal, 04 apology and extension,
05 suspension. Form 01 is ``receipt.py``, 06 ``control_slip.py``, 07 ``register.py``.
"""

from __future__ import annotations

from django.utils import timezone

from dvc.agencies.issuer import issuer_of, office_heading
from dvc.documents.pdf import Sheet, letterhead, paragraph, place_and_date, signature_block
from dvc.dossiers.models import Dossier, Extension, SupplementRequest
from dvc.formatting import day_of, moment_long


def form_header(pdf: Sheet, dossier: Dossier, form: str, title: str) -> None:
    """The one-stop forms' heading (TT 03/2025/TT-VPCP): the office and the national motto side by side, the form's
    number (the dossier code), place and date."""
    letterhead(
        pdf,
        office_heading(dossier.agency),
        number=f"Số: {dossier.code or '……'}",
        place_date=place_and_date(issuer_of(dossier.agency).place, timezone.localdate()),
        form_note=f"Mẫu số {form} — Thông tư 03/2025/TT-VPCP",
    )
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "B", 14)
    paragraph(pdf, 8, title, align="C")
    pdf.set_font("BeVietnamPro", "", 11)
    paragraph(pdf, 7, f"Mã hồ sơ: {dossier.code}", align="C")
    pdf.ln(2)


def _addressee(pdf: Sheet, dossier: Dossier) -> None:
    applicant = dossier.applicant_data
    paragraph(
        pdf, 7, f"Kính gửi: Ông/Bà {applicant.get('full_name', '')} (số định danh {applicant.get('id_number', '')})"
    )
    paragraph(pdf, 7, f"Thủ tục: {dossier.procedure.name} ({dossier.procedure.code})")
    paragraph(pdf, 7, f"Hồ sơ nộp lúc: {moment_long(dossier.submitted_at)}")


def _signature(pdf: Sheet, officer: str) -> None:
    signature_block(pdf, ["NGƯỜI LẬP PHIẾU"], officer, height=20)


def supplement_pdf(dossier: Dossier, request: SupplementRequest) -> bytes:
    """Form 02: one complete list of what to add or correct, and why."""
    pdf = Sheet()
    form_header(pdf, dossier, "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    paragraph(pdf, 7, "Sau khi kiểm tra, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    for number, requirement in enumerate(request.requirements.all(), start=1):
        paragraph(pdf, 7, f"{number}. {requirement.name}")
    paragraph(pdf, 7, f"Lý do, nội dung cụ thể: {request.note}")
    if request.pauses_clock:
        paragraph(pdf, 7, "Thời gian chờ bổ sung không tính vào thời hạn giải quyết hồ sơ.")
    paragraph(pdf, 7, "Ông/Bà bổ sung trực tuyến tại mục “Hồ sơ của tôi” hoặc tại Bộ phận Một cửa.")
    _signature(pdf, request.requested_by.full_name)
    return bytes(pdf.output())


def refusal_pdf(dossier: Dossier, officer: str) -> bytes:
    """Form 03: refusal, with the reason."""
    pdf = Sheet()
    form_header(pdf, dossier, "03", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    paragraph(pdf, 7, "Cơ quan không tiếp nhận, giải quyết hồ sơ của Ông/Bà với lý do sau:")
    paragraph(pdf, 7, dossier.decision_note)
    paragraph(pdf, 7, f"Thời điểm: {moment_long(dossier.decided_at)}")
    _signature(pdf, officer)
    return bytes(pdf.output())


def extension_pdf(dossier: Dossier, extension: Extension) -> bytes:
    """Form 04: apology and new appointment."""
    pdf = Sheet()
    form_header(pdf, dossier, "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    paragraph(
        pdf,
        7,
        f"Ngày hẹn trả kết quả là {day_of(extension.previous_due_at)}, nhưng đến nay cơ quan chưa giải quyết xong "
        f"hồ sơ của Ông/Bà. Lý do: {extension.reason}",
    )
    paragraph(
        pdf,
        7,
        f"Cơ quan thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào {moment_long(extension.new_due_at)}.",
    )
    _signature(pdf, extension.issued_by.full_name)
    return bytes(pdf.output())


def suspension_pdf(dossier: Dossier, officer: str) -> bytes:
    """Form 05: notice that processing has stopped, with the reason."""
    pdf = Sheet()
    form_header(pdf, dossier, "05", "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ")
    _addressee(pdf, dossier)
    pdf.ln(2)
    paragraph(
        pdf, 7, f"Cơ quan dừng giải quyết hồ sơ kể từ {moment_long(dossier.decided_at)}. Lý do: {dossier.decision_note}"
    )
    _signature(pdf, officer)
    return bytes(pdf.output())
