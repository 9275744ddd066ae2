"""Serving stored files: only through a view that asks the file's owner app who may read it."""

from __future__ import annotations

from django.http import FileResponse

from dvc.vault.models import StoredFile


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    response = FileResponse(stored.file.open("rb"), as_attachment=not inline, filename=stored.original_name)
    response["Content-Type"] = stored.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
