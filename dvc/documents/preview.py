"""Pages of a PDF drawn as PNG images, to read a document inside a page on any browser and phone: no PDF viewer,
no plugin, no script (a PDF served under the download hardening's ``sandbox`` policy cannot be shown inline)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium  # type: ignore[import-untyped]

MAX_PAGES = 30  # a longer document is read by downloading it


class NotAPdf(ValueError):
    """The bytes are not a PDF this renderer can open."""


def page_count(data: bytes) -> int:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NotAPdf(str(exc)) from exc
    try:
        return min(len(document), MAX_PAGES)
    finally:
        document.close()


def page_png(data: bytes, index: int, *, width: int = 1000) -> bytes:
    """Page ``index`` (0-based) as a PNG ``width`` pixels wide; ``IndexError`` past the last page."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NotAPdf(str(exc)) from exc
    try:
        document.init_forms()  # draws form widgets too: the signature stamp is one
        if not 0 <= index < min(len(document), MAX_PAGES):
            raise IndexError(index)
        page = document[index]
        image = page.render(scale=width / page.get_width()).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()
