"""HTTP answers carrying a generated document."""

from __future__ import annotations

from django.http import HttpResponse


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """A generated PDF, shown in the browser (or downloaded), never kept by a shared cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
