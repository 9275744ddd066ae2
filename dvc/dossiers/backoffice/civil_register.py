"""The civil-status registers (sổ hộ tịch) an agency keeps: a number taken at approval, voided if the dossier is
refused after all, and the register as a workbook (Luật Hộ tịch 2014 Điều 12; TT 04/2020/TT-BTP).

One book per agency, kind and year. The next number is taken under a row lock on the book, so approvals at the
same moment get distinct consecutive numbers; a number, once taken, is never given again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font

from dvc.catalog.result_form import REGISTERS
from dvc.documents.spreadsheet import append_row, new_sheet, workbook_bytes
from dvc.dossiers.models import Dossier, RegisterBook, RegisterEntry
from dvc.formatting import day_of, moment_short


def register_take(dossier: Dossier, *, kind: str, person: str) -> RegisterEntry:
    """The dossier's entry in this year's ``kind`` register: the one it already has, or the next number."""
    with transaction.atomic():
        entry = RegisterEntry.objects.filter(dossier=dossier, voided_at__isnull=True).select_related("book").first()
        if entry is not None:
            return entry
        now = timezone.now()
        book, _created = RegisterBook.objects.get_or_create(
            agency_id=dossier.agency_id, kind=kind, year=timezone.localdate(now).year, volume=1
        )
        book = RegisterBook.objects.select_for_update().get(pk=book.pk)
        book.last += 1
        book.save(update_fields=["last"])
        return RegisterEntry.objects.create(
            book=book, number=book.last, dossier=dossier, person=person[:255], entered_at=now
        )


def register_void(dossier: Dossier, *, reason: str) -> None:
    """The number a refused or suspended dossier had taken stays in the register, struck out with the reason."""
    RegisterEntry.objects.filter(dossier=dossier, voided_at__isnull=True).update(
        voided_at=timezone.now(), void_reason=reason[:500]
    )


REGISTER_HEADINGS = (
    _("Số"), _("Quyển số"), _("Người được đăng ký"), _("Nội dung đăng ký"), _("Người ký"), _("Ngày ký"),
    _("Mã hồ sơ"), _("Thủ tục"), _("Ghi chú"),
)  # fmt: skip


def register_issue(dossier: Dossier, *, signer: str, details: str) -> None:
    """The paper was signed: its entry records the signer, the day and what was registered."""
    RegisterEntry.objects.filter(dossier=dossier, voided_at__isnull=True).update(
        issued_at=timezone.now(), signer=signer[:255], details=details
    )


def _note(entry: RegisterEntry) -> str:
    if entry.voided_at:
        return str(_("Đã hủy: %(reason)s") % {"reason": entry.void_reason})
    if entry.issued_at is None:
        return str(_("Đã giữ số lúc %(moment)s, chờ lãnh đạo ký") % {"moment": moment_short(entry.entered_at)})
    return ""


def register_rows(agency_id: int, kind: str, year: int) -> list[tuple[str, ...]]:
    entries = (
        RegisterEntry.objects.filter(book__agency_id=agency_id, book__kind=kind, book__year=year)
        .select_related("book", "dossier__procedure")
        .order_by("book__volume", "number")
    )
    return [
        (
            str(entry.number),
            entry.book.label,
            entry.person,
            entry.details,
            entry.signer,
            day_of(entry.issued_at),
            entry.dossier.code or "",
            entry.dossier.procedure.name,
            _note(entry),
        )
        for entry in entries
    ]


def register_workbook(agency_name: str, kind: str, year: int, rows: list[tuple[str, ...]]) -> bytes:
    book, sheet = new_sheet(f"{kind}-{year}")
    append_row(sheet, [f"{REGISTERS[kind].upper()} {year} — {agency_name}"])
    append_row(sheet, [str(heading) for heading in REGISTER_HEADINGS])
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, list(row))
    return workbook_bytes(book)
