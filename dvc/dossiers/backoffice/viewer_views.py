"""Reading a dossier's papers inside the officer's page: a PDF's pages as images, a photo as itself.

The file itself keeps its download hardening (``sandbox`` policy, ``nosniff``, no-store); what is shown inline is
an image the portal drew from it, so no script or active content in an uploaded file ever runs in the portal's
origin. Every view is scoped to the officer's agencies and written to the audit log.
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dvc.accounts.throttle import client_ip
from dvc.documents.preview import NotAPdf, TooHeavy, page_png
from dvc.dossiers.backoffice import queues
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.views import officer_of, read_stored, staff_required
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_pages

DOCUMENTS = {
    "to-khai-ky-so": ("signed_form", _("Tờ khai đã ký số")),
    "du-thao": ("draft_result", _("Dự thảo kết quả")),
    "ban-cuoi": ("final_result", _("Bản cuối chờ ký")),
    "ket-qua": ("result_file", _("Kết quả đã ký số")),
}


def _document(dossier: Dossier, name: str) -> StoredFile:
    field = DOCUMENTS.get(name)
    stored = getattr(dossier, field[0]) if field else None
    if stored is None:
        raise Http404
    return stored


def _attachment(dossier: Dossier, attachment_id: int) -> StoredFile:
    found = DossierAttachment.objects.select_related("stored_file").filter(pk=attachment_id, dossier=dossier).first()
    if found is None:
        raise Http404
    return found.stored_file


SHOWN_PAGES = 30  # an attachment longer than this is read by downloading it; the page says so


def _png(stored: StoredFile, page: int) -> HttpResponse:
    try:
        image = page_png(read_stored(stored), page - 1)
    except (IndexError, NotAPdf) as exc:
        raise Http404 from exc
    except TooHeavy:
        return HttpResponse(status=422)  # the <img> shows its text; the file can still be downloaded
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
def document_page(request: HttpRequest, dossier_id: uuid.UUID, name: str, page: int) -> HttpResponse:
    dossier = queues.staff_dossier(request.user, dossier_id)
    stored = _document(dossier, name)
    audit(officer_of(request), "view_document_page", dossier, ip=client_ip(request), detail=f"{name} {page}")
    return _png(stored, page)


@staff_required
def attachment_page(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int, page: int) -> HttpResponse:
    dossier = queues.staff_dossier(request.user, dossier_id)
    stored = _attachment(dossier, attachment_id)
    audit(
        officer_of(request), "view_file_page", dossier, ip=client_ip(request), detail=f"{stored.original_name} {page}"
    )
    return _png(stored, page)


@staff_required
def view_document(request: HttpRequest, dossier_id: uuid.UUID, name: str) -> HttpResponse:
    dossier = queues.staff_dossier(request.user, dossier_id)
    stored = _document(dossier, name)
    audit(officer_of(request), "view_document", dossier, ip=client_ip(request), detail=name)
    total = stored_pages(stored)
    images = [reverse("staff:document_page", args=[dossier.pk, name, n]) for n in range(1, min(total, SHOWN_PAGES) + 1)]
    download = reverse("staff:document", args=[dossier.pk, name])
    return _viewer(request, dossier, str(DOCUMENTS[name][1]), images, download, total)


@staff_required
def view_attachment(request: HttpRequest, dossier_id: uuid.UUID, attachment_id: int) -> HttpResponse:
    dossier = queues.staff_dossier(request.user, dossier_id)
    stored = _attachment(dossier, attachment_id)
    audit(officer_of(request), "view_file", dossier, ip=client_ip(request), detail=stored.original_name)
    download = reverse("staff:attachment", args=[dossier.pk, attachment_id])
    total = 1
    if stored.kind == StoredFile.Kind.PDF:
        total = stored_pages(stored)
        images = [
            reverse("staff:attachment_page", args=[dossier.pk, attachment_id, n])
            for n in range(1, min(total, SHOWN_PAGES) + 1)
        ]
    else:
        images = [download]
    return _viewer(request, dossier, stored.title or stored.original_name, images, download, total)


def _viewer(
    request: HttpRequest, dossier: Dossier, title: str, images: list[str], download: str, total: int
) -> HttpResponse:
    context = {"dossier": dossier, "title": title, "images": images, "download": download, "total": total}
    return render(request, "dossiers/staff/viewer.html", context)
