"""The shipping label of a dossier that goes by public post (QĐ 45/2016/QĐ-TTg): sender, recipient, dossier code
and the parcel's tracking number, large enough to read on a counter or a parcel."""

from __future__ import annotations

from dvc.documents.pdf import FONT, Sheet, paragraph
from dvc.dossiers.models import Dossier


def postal_label_pdf(dossier: Dossier, *, address: str) -> bytes:
    """An A6-sized label (on an A4 page: cut along the box)."""
    pdf = Sheet()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.rect(15, 15, 120, 95)
    pdf.set_xy(20, 20)
    pdf.set_font(FONT, "B", 9)
    paragraph(pdf, 5, "BƯU CHÍNH CÔNG ÍCH — DỊCH VỤ HÀNH CHÍNH CÔNG")
    pdf.set_x(20)
    pdf.set_font(FONT, "", 9)
    paragraph(pdf, 5, "Người gửi:")
    pdf.set_x(20)
    pdf.set_font(FONT, "B", 10)
    paragraph(pdf, 5, dossier.agency.name.upper())
    if dossier.agency.address:
        pdf.set_x(20)
        pdf.set_font(FONT, "", 9)
        paragraph(pdf, 5, dossier.agency.address)
    pdf.ln(3)
    pdf.set_x(20)
    pdf.set_font(FONT, "", 9)
    paragraph(pdf, 5, "Người nhận:")
    applicant = dossier.applicant_data
    for size, text in ((13, str(applicant.get("full_name", ""))), (11, str(applicant.get("phone", ""))), (11, address)):
        pdf.set_x(20)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(110, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_x(20)
    pdf.set_font(FONT, "", 10)
    paragraph(pdf, 6, f"Mã hồ sơ: {dossier.code}")
    pdf.set_x(20)
    shown = dossier.return_note if dossier.result_method == Dossier.ResultMethod.POST else ""
    paragraph(pdf, 6, f"Số hiệu bưu gửi: {shown or '....................................'}")
    return bytes(pdf.output())
