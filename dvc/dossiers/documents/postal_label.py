"""Post (QĐ 45/2016/QĐ-TTg): the shipping label of a dossier's result and the day's hand-over list for the post
office courier. The label carries the dossier code as a Code 39 barcode (drawn by fpdf2) so that the post office
and the counter can scan it, the sender, the recipient, and the fields the post office fills in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dvc.documents.pdf import FONT, Sheet, letterhead, paragraph, place_and_date, signature_pair
from dvc.dossiers.models import Dossier
from dvc.formatting import thousands

DOTS = "…………………………"


def postal_label_pdf(dossier: Dossier, *, address: str, operator: str = "", postage: int = 0) -> bytes:
    """An A6-sized label (on an A4 page: cut along the box); ``postage``, when the citizen paid it with the fees."""
    pdf = Sheet()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.rect(15, 15, 120, 118)
    pdf.set_xy(20, 20)
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(110, 5, "BƯU CHÍNH CÔNG ÍCH — DỊCH VỤ HÀNH CHÍNH CÔNG", new_x="LMARGIN", new_y="NEXT")
    if operator:
        pdf.set_x(20)
        pdf.multi_cell(110, 5, operator.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(20)
    pdf.set_font(FONT, "", 9)
    paragraph(pdf, 5, "Người gửi:")
    pdf.set_x(20)
    pdf.set_font(FONT, "B", 10)
    paragraph(pdf, 5, dossier.agency.name.upper())
    for line in (dossier.agency.address, f"Điện thoại: {dossier.agency.phone}" if dossier.agency.phone else ""):
        if line:
            pdf.set_x(20)
            pdf.set_font(FONT, "", 9)
            paragraph(pdf, 5, line)
    pdf.ln(2)
    pdf.set_x(20)
    pdf.set_font(FONT, "", 9)
    paragraph(pdf, 5, "Người nhận:")
    applicant = dossier.applicant_data
    for size, text in ((13, str(applicant.get("full_name", ""))), (11, str(applicant.get("phone", ""))), (11, address)):
        pdf.set_x(20)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(110, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    code = dossier.code or ""
    if code:
        top = pdf.get_y()
        pdf.code39(f"*{code}*", x=20, y=top, w=0.3, h=12)
        pdf.set_xy(20, top + 13)
    pdf.set_font(FONT, "", 10)
    paragraph(pdf, 6, f"Mã hồ sơ: {code}")
    pdf.set_x(20)
    shown = dossier.return_note if dossier.result_method == Dossier.ResultMethod.POST else ""
    paragraph(pdf, 6, f"Số hiệu bưu gửi: {shown or DOTS}")
    pdf.set_font(FONT, "", 9)
    paid = f"{thousands(postage)} đồng, người nhận đã thanh toán" if postage else DOTS
    for line in (
        "Dịch vụ: Chuyển phát kết quả giải quyết thủ tục hành chính",
        f"Khối lượng: {DOTS} gam    Ngày gửi: {DOTS}",
        f"Cước: {paid}",
    ):
        pdf.set_x(20)
        pdf.multi_cell(110, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def handover_pdf(
    heading: Sequence[str],
    agency_name: str,
    place: str,
    day: dt.date,
    rows: Sequence[Sequence[str]],
    officer: str,
) -> bytes:
    """The day's hand-over list (danh sách giao bưu gửi): each parcel given to the post office courier, signed by
    both sides."""
    pdf = Sheet()
    letterhead(pdf, heading, place_date=place_and_date(place, day))
    pdf.set_font(FONT, "B", 13)
    paragraph(pdf, 8, "DANH SÁCH GIAO BƯU GỬI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", align="C")
    pdf.set_font(FONT, "", 10)
    paragraph(pdf, 6, f"Ngày {day:%d/%m/%Y} — {agency_name} giao cho nhân viên bưu chính {len(rows)} bưu gửi sau:", "C")
    pdf.ln(2)
    widths = (10, 44, 36, 50, 30)
    pdf.set_font(FONT, "B", 9)
    for width, heading in zip(widths, ("STT", "Mã hồ sơ", "Người nhận", "Địa chỉ", "Số hiệu bưu gửi"), strict=True):
        pdf.cell(width, 7, heading, border=1, align="C")
    pdf.ln()
    pdf.set_font(FONT, "", 8)
    for index, row in enumerate(rows, start=1):
        cells = (str(index), *row)
        pairs = list(zip(widths, cells, strict=True))
        lines = max(len(pdf.multi_cell(w, 4.5, t, dry_run=True, output="LINES")) for w, t in pairs)  # type: ignore[arg-type]
        height = max(lines * 4.5, 7)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top, x = pdf.get_y(), pdf.l_margin
        for width, text in zip(widths, cells, strict=True):
            pdf.rect(x, top, width, height)
            pdf.set_xy(x, top + 0.5)
            pdf.multi_cell(width, 4.5, text)
            x += width
        pdf.set_xy(pdf.l_margin, top + height)
    signature_pair(pdf, ("Bên giao (bộ phận một cửa)", officer), ("Bên nhận (nhân viên bưu chính)", ""))
    return bytes(pdf.output())
