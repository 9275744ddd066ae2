"""Spreadsheets the portal exports (Excel and CSV): a text that a citizen typed stays text.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is a formula to Excel and
LibreOffice; a name such as ``=HYPERLINK("http://…")`` would become a live link in an officer's register. In a
workbook such cells are stored as text; in CSV, where there are no types, they are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook with one sheet named ``title``."""
    book = Workbook()
    sheet = book.create_sheet(title, 0)
    for other in book.sheetnames[1:]:
        del book[other]
    return book, sheet


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row; every string is stored as text, never as a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(value: Any) -> Any:
    """A CSV cell that no spreadsheet reads as a formula (OWASP's advice: a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel reads Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([csv_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode()
