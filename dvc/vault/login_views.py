"""Pages of the login with a digital signature (SIM ký số, remote signing): number, then approve at the provider."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvc.accounts import validators
from dvc.accounts.forms import AppApprovalForm, CitizenForm, OtpForm
from dvc.accounts.throttle import client_ip
from dvc.errors import DomainError, InvalidInput, add_to_form
from dvc.vault import csc
from dvc.vault.signature_login import signature_login_finish, signature_login_start

_SESSION = "dvc_signature_login"


class SignatureLoginForm(CitizenForm):
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    provider = forms.ChoiceField(label=gettext_lazy("Dịch vụ ký số của bạn"), widget=forms.RadioSelect)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.name, p.label) for p in csc.providers()]
        field = self.fields["provider"]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices
        self.fields["provider"].initial = choices[0][0] if choices else None

    def clean_id_number(self) -> str:
        return validators.validate_cccd(self.cleaned_data["id_number"])


def signature_login(request: HttpRequest) -> HttpResponse:
    """ "Đăng nhập bằng chữ ký số": the personal id number and the provider; the provider then asks the person."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignatureLoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            state = signature_login_start(
                id_number=form.cleaned_data["id_number"],
                provider_name=form.cleaned_data["provider"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_to_form(form, exc)
            status = exc.http_status if exc.http_status == 429 else 200
        else:
            request.session[_SESSION] = state
            return redirect("vault:signature_login_confirm")
    return render(request, "vault/signature_login.html", {"form": form}, status=status)


def signature_login_confirm(request: HttpRequest) -> HttpResponse:
    state = request.session.get(_SESSION)
    if not state:
        messages.error(request, _("Yêu cầu đăng nhập không còn hiệu lực. Vui lòng làm lại."))
        return redirect("vault:signature_login")
    posted = request.POST if request.method == "POST" else None
    form: forms.Form = OtpForm(posted) if state["needs_code"] else AppApprovalForm(posted)
    if request.method == "POST" and form.is_valid():
        try:
            user = signature_login_finish(state=state, code=form.cleaned_data.get("otp", ""))
        except DomainError as exc:
            if not isinstance(exc, InvalidInput):
                request.session.pop(_SESSION, None)  # a refused signature ends the attempt; a mistyped code does not
                messages.error(request, str(exc.message))
                return redirect("vault:signature_login")
            add_to_form(form, exc)
        else:
            request.session.pop(_SESSION, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Đăng nhập bằng chữ ký số thành công. Xin chào %(name)s!") % {"name": user.full_name}
            )
            return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    provider = next((p for p in csc.providers() if p.name == state["provider"]), None)
    return render(request, "vault/signature_login_confirm.html", {"form": form, "state": state, "provider": provider})
