"""Serving stored files: only through a view that asks the file's owner app who may read it."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from dvc.vault.models import StoredFile


def download_name(stored: StoredFile) -> str:
    """The name a download is given: the uploader's name without its extensions, then the extension of the content
    the portal checked (``x.pdf.html`` holding a PDF downloads as ``x.pdf``; a dossier code's dots are kept:
    ``ket-qua-000.01.01.H26-261206-0004.pdf``)."""
    stem = (stored.original_name or "tep").strip()
    while True:
        base, dot, extension = stem.rpartition(".")
        if not (dot and base and extension.isascii() and extension.isalnum() and len(extension) <= 5):
            break
        stem = base
    stem = stem.strip() or "tep"
    return f"{stem[:80]}.{stored.kind}"


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    response = FileResponse(stored.file.open("rb"), as_attachment=not inline, filename=download_name(stored))
    response["Content-Type"] = stored.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_vault(request: HttpRequest) -> HttpResponse:
    """Kho dữ liệu cá nhân: the papers this person gave before, ready to be used again."""
    newest_first = StoredFile.objects.filter(owner=request.user.pk).exclude(document_type="").order_by("-created_at")
    # The same paper given to two dossiers is one paper to its owner (issue 16: the vault listed one file twice).
    documents, seen = [], set()
    for stored in newest_first[:400]:
        if (stored.document_type, stored.sha256) not in seen:
            seen.add((stored.document_type, stored.sha256))
            documents.append(stored)
    return render(request, "vault/mine.html", {"documents": documents[:200]})


@login_required
def download(request: HttpRequest, file_id: uuid.UUID) -> HttpResponseBase:
    stored = StoredFile.objects.filter(owner=request.user.pk, pk=file_id).first()
    if stored is None:
        raise Http404
    return file_response(stored)
