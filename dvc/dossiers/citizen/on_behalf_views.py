"""The "Nộp hộ" page of a draft (whom it is filed for), and the owner's own notification choice on a dossier."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.accounts.models import User
from dvc.dossiers.citizen import forms, selectors
from dvc.dossiers.citizen import on_behalf as service
from dvc.dossiers.models import Dossier
from dvc.errors import DomainError, InvalidInput, add_to_form

FIELD_OF = {"owner_basis": "basis"}


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _initial(dossier: Dossier) -> dict[str, object]:
    data = dossier.owner_data or {}
    born = data.get("birth_date") or ""
    return {
        "basis": dossier.owner_basis,
        "owner_name": data.get("full_name", ""),
        "owner_id_number": data.get("id_number", ""),
        "owner_birth_date": "/".join(reversed(str(born).split("-"))) if born else "",
        "owner_phone": data.get("phone", ""),
        "owner_notify_sms": dossier.owner_notify_sms if dossier.owner_basis else True,
    }


@login_required
def on_behalf(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.dossier_of(request.user, dossier_id)
    supplementing = dossier.status == Dossier.Status.NEEDS_SUPPLEMENT and dossier.owner_basis in service.NEEDS_LETTER
    if dossier.status != Dossier.Status.DRAFT and not supplementing:
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    form = forms.OnBehalfForm(request.POST or None, request.FILES or None, initial=_initial(dossier))
    if supplementing:  # only the letter may change once sent (the officer may ask for a clearer or valid one)
        if request.method == "POST" and form.is_valid() and form.cleaned_data.get("authorization"):
            try:
                service.dossier_attach_authorization(
                    dossier=dossier, actor=_user(request), upload=form.cleaned_data["authorization"]
                )
            except DomainError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Đã thay văn bản ủy quyền. Vào “Kiểm tra và gửi” để gửi bổ sung."))
                return redirect("dossiers:edit", dossier_id=dossier.pk)
        elif request.method == "POST" and form.is_valid():
            form.add_error("authorization", _("Vui lòng chọn tệp văn bản ủy quyền."))
        context = {"dossier": dossier, "form": form, "authorization": service.authorization_of(dossier),
                   "supplementing": True}  # fmt: skip
        return render(request, "dossiers/on_behalf.html", context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = _user(request)
        try:
            if not data["basis"]:
                service.dossier_clear_owner(dossier=dossier, actor=actor)
                messages.success(request, _("Hồ sơ được nộp cho chính bạn."))
                return redirect("dossiers:edit", dossier_id=dossier.pk)
            dossier = service.dossier_set_owner(
                dossier=dossier, actor=actor, basis=data["basis"], full_name=data["owner_name"],
                id_number=data["owner_id_number"], birth_date=data["owner_birth_date"], phone=data["owner_phone"],
                notify_sms=data["owner_notify_sms"],
            )  # fmt: skip
            if data.get("authorization"):
                service.dossier_attach_authorization(dossier=dossier, actor=actor, upload=data["authorization"])
        except InvalidInput as exc:
            errors = {FIELD_OF.get(k, k): v for k, v in exc.errors.items()}
            errors = {("authorization" if k == "file" else k): v for k, v in errors.items()}
            add_to_form(form, InvalidInput(errors, message=exc.message))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            problems = service.owner_problems(dossier)
            if problems:
                form.add_error("authorization", problems[0])
            else:
                messages.success(request, _("Đã lưu thông tin chủ hồ sơ."))
                return redirect("dossiers:edit", dossier_id=dossier.pk)
    context = {
        "dossier": dossier,
        "form": form,
        "authorization": service.authorization_of(dossier),
    }
    return render(request, "dossiers/on_behalf.html", context)


@login_required
@require_POST
def owner_notifications(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    dossier = selectors.readable_dossier(request.user, dossier_id)
    try:
        service.dossier_owner_notifications(
            dossier=dossier, actor=_user(request), sms=request.POST.get("sms") == "on",
            email=request.POST.get("email") == "on",
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu cách bạn nhận thông báo của hồ sơ này."))
        if request.POST.get("email") == "on" and not _user(request).email:
            messages.warning(
                request, _("Tài khoản của bạn chưa có thư điện tử: thêm trong mục Tài khoản để nhận thông báo qua thư.")
            )
    return redirect("dossiers:detail", dossier_id=dossier.pk)
