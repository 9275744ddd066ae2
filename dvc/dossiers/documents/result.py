"""The result document of a procedure: its template filled with the dossier's data, unsigned until approval.

The body follows the procedure's ``result_template`` (``$name`` placeholders for answers and facts); without one,
a general certification of the answers. Pure: builds bytes, writes nothing.
"""

from __future__ import annotations

import string

from django.utils import timezone

from dvc.documents.pdf import Sheet, letterhead, paragraph, shown_answer
from dvc.dossiers.models import Dossier


class _Values(dict[str, str]):
    """Template values; an unknown ``$name`` stays visible rather than failing the whole document."""

    def __missing__(self, key: str) -> str:
        return "$" + key


def result_body(dossier: Dossier) -> str:
    """The body text: the procedure's template filled with the dossier's data, or a general one."""
    schema = dossier.procedure.form_schema or {}
    specs = {spec["name"]: spec for spec in schema.get("fields", [])}
    answers = {
        name: shown_answer(specs[name], value) if name in specs else str(value)
        for name, value in dossier.form_data.items()
        if not isinstance(value, dict | list)
    }
    applicant = dossier.applicant_data
    facts = {
        "ho_ten": applicant.get("full_name", ""),
        "so_dinh_danh": applicant.get("id_number", ""),
        "ma_ho_so": dossier.code or "",
        "co_quan": dossier.agency.name,
        "thu_tuc": dossier.procedure.name,
        "ngay": timezone.localdate().strftime("%d/%m/%Y"),
    }
    template = dossier.procedure.result_template.strip()
    if template:
        return string.Template(template).safe_substitute(_Values({**answers, **facts}))
    lines = [
        f"{dossier.agency.name} xác nhận đã giải quyết thủ tục {dossier.procedure.name} "
        f"(mã hồ sơ {facts['ma_ho_so']}) cho ông/bà {facts['ho_ten']}, số định danh cá nhân {facts['so_dinh_danh']}, "
        "với các thông tin sau:",
    ]
    for name, spec in specs.items():
        value = answers.get(name, "")
        # The facts the agency certifies: not the contact details or the applicant's own declaration box.
        if value and spec.get("type") not in ("address", "person", "group", "checkbox", "phone", "email"):
            lines.append(f"- {spec['label']}: {value}")
    return "\n".join(lines)


def result_pdf(dossier: Dossier) -> bytes:
    """The unsigned result document, ready for the leader to sign."""
    pdf = Sheet()
    letterhead(pdf, dossier.agency.name)
    pdf.set_font("BeVietnamPro", "I", 10)
    paragraph(pdf, 6, f"Số hồ sơ: {dossier.code}", align="R")
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "B", 14)
    paragraph(pdf, 8, (dossier.procedure.result_document or dossier.procedure.name).upper(), align="C")
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "", 11)
    for line in result_body(dossier).splitlines():
        paragraph(pdf, 7, line)
    pdf.ln(6)
    pdf.set_font("BeVietnamPro", "I", 10)
    paragraph(
        pdf, 6, f"Ngày {timezone.localdate():%d} tháng {timezone.localdate():%m} năm {timezone.localdate():%Y}", "R"
    )
    pdf.set_font("BeVietnamPro", "B", 11)
    paragraph(pdf, 6, "THỦ TRƯỞNG CƠ QUAN", align="R")
    return bytes(pdf.output())
