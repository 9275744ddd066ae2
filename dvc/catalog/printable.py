"""A printable blank of a procedure's e-form (PDF), for people who fill it by hand at the counter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dvc.agencies.models import AdminUnit
from dvc.catalog.models import Procedure
from dvc.documents.pdf import Sheet, paragraph, shown_answer


def _line(pdf: Sheet, label: str, required: bool, lines: int = 1, value: str = "") -> None:
    pdf.set_font("BeVietnamPro", "", 11)
    if value:
        paragraph(pdf, 7, f"{label}: {value}")
        return
    paragraph(pdf, 7, f"{label}{' (*)' if required else ''}: " + "." * 60)
    for _ in range(lines - 1):
        paragraph(pdf, 7, "." * 110)


def _fields(pdf: Sheet, fields: list[dict[str, Any]], answers: dict[str, Any]) -> None:

    names = dict(AdminUnit.objects.values_list("code", "name")) if answers else {}
    for spec in fields:
        kind, label, required = spec["type"], spec["label"], bool(spec.get("required"))
        value = answers.get(spec["name"])
        if kind in ("address", "person", "group"):
            pdf.set_font("BeVietnamPro", "B", 11)
            paragraph(pdf, 8, label + (" (*)" if required else ""))
            value = value if isinstance(value, dict | list) else {}
            if kind == "address" and isinstance(value, dict):
                address_parts = [
                    ("line", "Số nhà, đường, thôn, tổ"),
                    ("commune", "Xã, phường, đặc khu"),
                    ("province", "Tỉnh, thành phố"),
                ]
                for key, part in address_parts:
                    shown = str(value.get(key) or "")
                    _line(pdf, "   " + part, required, value=names.get(shown, shown))
            elif kind == "person" and isinstance(value, dict):
                parts = [
                    ("full_name", "Họ và tên", "text"),
                    ("birth_date", "Ngày sinh", "date"),
                    ("id_number", "Số định danh cá nhân", "text"),
                ]
                for key, part, part_kind in parts:
                    shown = shown_answer({"type": part_kind}, value.get(key))
                    _line(pdf, "   " + part, required and key == "full_name", value=shown)
            else:
                rows = (
                    value
                    if isinstance(value, list) and value
                    else [{} for _ in range(min(int(spec.get("max_items", 3)), 3))]
                )
                for row_number, row in enumerate(rows, start=1):
                    for sub in spec["fields"]:
                        _line(
                            pdf,
                            f"   {row_number}. {sub['label']}",
                            False,
                            value=shown_answer(sub, row.get(sub["name"])),
                        )
        elif kind == "checkbox":
            pdf.set_font("BeVietnamPro", "", 11)
            paragraph(pdf, 7, f"[ {'x' if value else ' '} ]  {label}")
        elif kind == "select" and not value and "options" in spec:  # a reference list is written in, not ticked
            choices = "   ".join(f"[  ] {o['label']}" for o in spec["options"])
            pdf.set_font("BeVietnamPro", "", 11)
            paragraph(pdf, 7, f"{label}{' (*)' if required else ''}:  {choices}")
        else:
            _line(pdf, label, required, 3 if kind == "textarea" else 1, value=shown_answer(spec, value))


def blank_form_pdf(procedure: Procedure) -> bytes:
    return filled_form_pdf(procedure, {})


def filled_form_pdf(
    procedure: Procedure, answers: dict[str, Any], *, created: dt.datetime | None = None, addressee: str = ""
) -> bytes:
    """The e-form on paper: blank lines to fill by hand, or the answers given so far ("In biểu mẫu"), addressed
    to ``addressee`` (the body that decides on the dossier) once the applicant has chosen where to file.

    With ``created`` the bytes depend on the procedure, the answers and the addressee alone: the declaration a
    citizen signs can be rendered again and compared, byte for byte, with the one inside the signed file.
    """
    pdf = Sheet()
    if created is not None:
        pdf.set_creation_date(created)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("BeVietnamPro", "B", 11)
    paragraph(pdf, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    paragraph(pdf, 6, "Độc lập - Tự do - Hạnh phúc", align="C")
    pdf.ln(6)
    pdf.set_font("BeVietnamPro", "B", 14)
    paragraph(pdf, 8, f"TỜ KHAI: {procedure.name.upper()}", align="C")
    if not answers:  # a note for the person filling it by hand, not part of a filled declaration
        pdf.set_font("BeVietnamPro", "I", 9)
        paragraph(pdf, 6, f"Mã thủ tục {procedure.code}. Mục có (*) là bắt buộc.", align="C")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "", 11)
    paragraph(pdf, 7, f"Kính gửi: {addressee or procedure.implementing_body}")
    pdf.ln(2)
    fields = (procedure.form_schema or {}).get("fields", [])
    _fields(pdf, fields[:-1], answers or {})
    # The last answer, the declaration and the signer's block stay together on one page (never a page holding
    # only the signature).
    with pdf.unbreakable() as block:
        _fields(block, fields[-1:], answers or {})  # type: ignore[arg-type]
        block.ln(4)
        block.set_font("BeVietnamPro", "", 11)
        paragraph(block, 7, "Tôi xin chịu trách nhiệm trước pháp luật về lời khai trên.")  # type: ignore[arg-type]
        block.ln(2)
        block.set_font("BeVietnamPro", "I", 11)
        paragraph(block, 7, "......, ngày ...... tháng ...... năm ......", align="R")  # type: ignore[arg-type]
        block.set_font("BeVietnamPro", "B", 11)
        paragraph(block, 7, "NGƯỜI KHAI", align="R")  # type: ignore[arg-type]
        block.set_font("BeVietnamPro", "I", 9)
        paragraph(block, 6, "(Ký, ghi rõ họ tên)", align="R")  # type: ignore[arg-type]
        block.ln(14)
        person = (answers or {}).get("nguoi_yeu_cau")
        name = str(person.get("full_name") or "") if isinstance(person, dict) else ""
        block.set_font("BeVietnamPro", "B", 11)
        paragraph(block, 7, name, align="R")  # type: ignore[arg-type]
    return bytes(pdf.output())
