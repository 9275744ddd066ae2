"""Form 01 of TT 03/2025/TT-VPCP (giấy tiếp nhận hồ sơ và hẹn trả kết quả), the receipt of a submitted dossier.

Code, applicant, procedure, papers received, time received, expected return date, how the result comes back,
and a QR code that opens the public lookup page for this code.
"""

from __future__ import annotations

import io

import segno
from django.utils import timezone

from dvc.catalog.models import Procedure
from dvc.documents.pdf import Sheet, paragraph, signature_pair
from dvc.dossiers.documents.notices import form_header
from dvc.dossiers.lifecycle.linked import competent_agency, group_of
from dvc.dossiers.models import Dossier


def receipt_pdf(dossier: Dossier, *, lookup_url: str, claim_code: str = "") -> bytes:
    """Form 01; ``claim_code``, for a walk-in citizen without an account, printed with how to use it."""
    pdf = Sheet()
    form_header(pdf, dossier, "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    qr = io.BytesIO()
    segno.make(lookup_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 20 - 30, y=pdf.get_y() + 2, w=30, h=30)
    pdf.ln(2)
    applicant = dossier.applicant_data
    submitted = timezone.localtime(dossier.submitted_at) if dossier.submitted_at else None
    received = timezone.localtime(dossier.received_at) if dossier.received_at else None
    due = timezone.localtime(dossier.due_at) if dossier.due_at else None
    rows = [
        ("Người nộp", applicant.get("full_name", "")),
        ("Số định danh", applicant.get("id_number", "")),
        ("Số điện thoại", applicant.get("phone", "")),
    ]
    if dossier.owner_basis:  # filed on behalf: whose dossier it is, and in what capacity it was filed
        owner = dossier.owner_data or {}
        id_label = "Mã số thuế" if owner.get("kind") == "organization" else "Số định danh"
        rows += [
            ("Chủ hồ sơ", str(owner.get("full_name", ""))),
            (f"{id_label} chủ hồ sơ", str(owner.get("id_number", ""))),
            ("Nộp hộ với tư cách", dossier.get_owner_basis_display()),
        ]
    rows += [
        ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Nộp hồ sơ lúc", f"{submitted:%H giờ %M, ngày %d/%m/%Y}" if submitted else ""),
    ]
    if received is not None:  # form 01 proper: the clock started at receipt
        rows += [
            ("Tiếp nhận lúc", f"{received:%H giờ %M, ngày %d/%m/%Y}"),
            *([("Cán bộ tiếp nhận", dossier.received_by.full_name)] if dossier.received_by else []),
            ("Hẹn trả kết quả", f"{due:%H giờ %M, ngày %d/%m/%Y}" if due else ""),
        ]
    else:
        rows.append(("Hẹn trả kết quả (dự kiến)", f"{due:%H giờ %M, ngày %d/%m/%Y}" if due else ""))
    if dossier.is_group:  # NĐ 63/2024/NĐ-CP: each part and the agency that resolves it
        parts = group_of(dossier.procedure).components
        names = dict(Procedure.objects.filter(code__in=[c.procedure for c in parts]).values_list("code", "name"))
        rows += [
            (f"Phần {n}", f"{names.get(c.procedure, c.procedure)} — {agency.name if agency else ''}")
            for n, c in enumerate(parts, start=1)
            for agency in [competent_agency(dossier.agency, c.agency_kind)]
        ]
    rows += [
        ("Cách nhận kết quả", dossier.get_result_method_display()),
        ("Tình trạng phí, lệ phí", dossier.get_fee_status_display()),
    ]
    if dossier.security_code:
        rows.append(("Mã bảo mật (tra cứu, thanh toán)", dossier.security_code))
    pdf.set_font("BeVietnamPro", "", 11)
    for label, value in rows:
        pdf.set_x(20)
        pdf.multi_cell(pdf.w - 20 - 20 - 35, 7, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "B", 11)
    paragraph(pdf, 7, "Giấy tờ đã nộp:")
    pdf.set_font("BeVietnamPro", "", 11)
    attachments = dossier.attachments.filter(replaced_at__isnull=True).select_related("requirement", "stored_file")
    for number, attachment in enumerate(attachments, start=1):
        name = (
            attachment.requirement.name if attachment.requirement
            else "Văn bản ủy quyền, giấy giới thiệu (nộp hộ)" if attachment.purpose == "authorization"
            else attachment.stored_file.original_name
        )  # fmt: skip
        paragraph(pdf, 7, f"{number}. {name} (tệp {attachment.stored_file.original_name})")
    if not attachments:
        paragraph(pdf, 7, "Tờ khai điện tử.")
    if claim_code:
        pdf.ln(2)
        pdf.set_font("BeVietnamPro", "B", 11)
        paragraph(pdf, 7, f"Mã nhận tài khoản: {claim_code}")
        pdf.set_font("BeVietnamPro", "", 10)
        paragraph(
            pdf, 6, "Để theo dõi hồ sơ và nhận kết quả trực tuyến, đăng ký tài khoản trên Cổng Dịch vụ công với số "
            "định danh của bạn và mã này (dùng được một lần, trong 90 ngày). Không đưa mã cho người khác.",
        )  # fmt: skip
    pdf.ln(3)
    pdf.set_font("BeVietnamPro", "I", 10)
    estimate = "" if received else "Ngày hẹn trả được tính lại khi cán bộ tiếp nhận kiểm tra hồ sơ hợp lệ. "
    paragraph(pdf, 6, f"{estimate}Tra cứu tình trạng hồ sơ bằng cách quét mã QR hoặc mở {lookup_url}")
    officer = dossier.received_by.full_name if dossier.received_by else ""
    signature_pair(pdf, ("Người nộp hồ sơ", str(applicant.get("full_name", ""))), ("Người tiếp nhận hồ sơ", officer))
    return bytes(pdf.output())
