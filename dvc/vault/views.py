"""Serving stored files: only through a view that asks the file's owner app who may read it."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dvc.accounts.models import User
from dvc.errors import DomainError, add_to_form
from dvc.vault import services
from dvc.vault.document_types import DOCUMENT_TYPES
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


class AddForm(forms.Form):
    document_type = forms.ChoiceField(label=gettext_lazy("Loại giấy tờ"))
    file = forms.FileField(label=gettext_lazy("Tệp (PDF, JPG hoặc PNG, tối đa 10 MB)"))
    valid_until = forms.DateField(
        label=gettext_lazy("Có giá trị đến (nếu giấy tờ ghi thời hạn)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document_type"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", "—"), *((code, str(label)) for code, label in DOCUMENT_TYPES.items())]


@login_required
def my_vault(request: HttpRequest) -> HttpResponse:
    """Kho dữ liệu cá nhân: the papers this person gave before, or added here, ready to be used again."""
    form = AddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vault_add(
                owner=_owner(request),
                upload=form.cleaned_data["file"],
                document_type=form.cleaned_data["document_type"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Đã thêm giấy tờ vào kho. Khi hồ sơ cần loại giấy tờ này, bạn chọn lại từ kho.")
            )
            return redirect("vault:mine")
    newest_first = StoredFile.objects.filter(owner=request.user.pk).exclude(document_type="").order_by("-created_at")
    # The same paper given to two dossiers is one paper to its owner (issue 16: the vault listed one file twice).
    documents, seen = [], set()
    for stored in newest_first[:400]:
        if (stored.document_type, stored.sha256) not in seen:
            seen.add((stored.document_type, stored.sha256))
            documents.append(stored)
    return render(request, "vault/mine.html", {"documents": documents[:200], "form": form})


@login_required
@require_POST
def remove(request: HttpRequest, file_id: uuid.UUID) -> HttpResponse:
    stored = StoredFile.objects.filter(owner=request.user.pk, pk=file_id).exclude(document_type="").first()
    if stored is None:
        raise Http404
    if services.vault_remove(owner=_owner(request), stored=stored):
        messages.success(request, _("Đã xoá giấy tờ khỏi kho."))
    else:
        messages.success(
            request,
            _("Đã bỏ giấy tờ khỏi kho. Giấy tờ vẫn được giữ cùng hồ sơ đã dùng nó (hoặc là kết quả đã được cấp)."),
        )
    return redirect("vault:mine")


def _owner(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@login_required
def download(request: HttpRequest, file_id: uuid.UUID) -> HttpResponseBase:
    stored = StoredFile.objects.filter(owner=request.user.pk, pk=file_id).first()
    if stored is None:
        raise Http404
    return file_response(stored)
