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


def filled_form_pdf(procedure: Procedure, answers: dict[str, Any], *, created: dt.datetime | None = None) -> bytes:
    """The e-form on paper: blank lines to fill by hand, or the answers given so far ("In biểu mẫu").

    With ``created`` the bytes depend on the procedure and the answers alone: the declaration a citizen signs can
    be rendered again and compared, byte for byte, with the one inside the signed file.
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
    pdf.set_font("BeVietnamPro", "I", 9)
    paragraph(pdf, 6, f"Mã thủ tục {procedure.code}. Mục có (*) là bắt buộc.", align="C")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "", 11)
    paragraph(pdf, 7, f"Kính gửi: {procedure.implementing_body}")
    pdf.ln(2)
    _fields(pdf, (procedure.form_schema or {}).get("fields", []), answers or {})
    pdf.ln(4)
    paragraph(pdf, 7, "Tôi xin chịu trách nhiệm trước pháp luật về lời khai trên.")
    pdf.ln(2)
    pdf.set_font("BeVietnamPro", "I", 11)
    paragraph(pdf, 7, "......, ngày ...... tháng ...... năm ......", align="R")
    pdf.set_font("BeVietnamPro", "B", 11)
    paragraph(pdf, 7, "NGƯỜI KHAI", align="R")
    pdf.set_font("BeVietnamPro", "I", 9)
    paragraph(pdf, 6, "(Ký, ghi rõ họ tên)", align="R")
    return bytes(pdf.output())
