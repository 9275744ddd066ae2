"""Pages of questions and feedback: the public answers (per procedure, per agency, searched), asking, confirming the
phone, one's own questions; and the officers' list and answer page."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvc.accounts.forms import OtpForm
from dvc.accounts.models import User
from dvc.accounts.throttle import client_ip
from dvc.accounts.validators import display_phone, mask_phone, normalize_mobile_phone
from dvc.agencies.models import Agency
from dvc.catalog.models import Procedure
from dvc.errors import DomainError, InvalidInput, add_to_form
from dvc.feedback import selectors, services
from dvc.feedback.models import Question

_PENDING = "dvc_question_pending"


class AskForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Bạn muốn"), choices=Question.Kind.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Gửi tới cơ quan"),
        queryset=Agency.objects.filter(effective_to__isnull=True).order_by("name"),
        empty_label="—",
    )
    subject = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Nội dung"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    dossier_code = forms.CharField(label=gettext_lazy("Mã hồ sơ (nếu hỏi về một hồ sơ)"), max_length=40, required=False)
    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=255)
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại di động"),
        max_length=20,
        help_text=gettext_lazy("Để nhận mã xác nhận và câu trả lời."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        try:
            return normalize_mobile_phone(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


def public_list(request: HttpRequest) -> HttpResponse:
    """Published answers, for everyone: by procedure (?thu_tuc=), by agency (?co_quan=), searched (?q=)."""
    procedure = Procedure.objects.filter(code=request.GET.get("thu_tuc", "")).first()
    agency = Agency.objects.filter(code=request.GET.get("co_quan", "")).first()
    q = request.GET.get("q", "")[:200]
    page = Paginator(selectors.published(agency=agency, procedure=procedure, q=q), 20).get_page(
        request.GET.get("trang")
    )
    context = {
        "page": page, "q": q, "procedure": procedure, "agency": agency,
        "figures": selectors.figures(agency) if agency else None,
    }  # fmt: skip
    return render(request, "feedback/list.html", context)


def ask(request: HttpRequest) -> HttpResponse:
    """ "Gửi câu hỏi, phản ánh": signed in, it goes at once; otherwise the phone gets a code first."""
    user = request.user if isinstance(request.user, User) else None
    procedure = Procedure.objects.filter(code=request.GET.get("thu_tuc", "")).first()
    initial: dict[str, Any] = {"kind": Question.Kind.QUESTION}
    if agency := Agency.objects.filter(code=request.GET.get("co_quan", "")).first():
        initial["agency"] = agency
    form = AskForm(request.POST or None, initial=initial)
    if user is not None and user.phone:  # answered at the account's own confirmed phone: nothing to type
        del form.fields["name"], form.fields["phone"]
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user is not None and user.phone:
            data.update(name=user.full_name, phone=user.phone)
        try:
            question = services.question_ask(
                asker=user, kind=data["kind"], agency=data["agency"], procedure=procedure,
                dossier_code=data["dossier_code"], name=data["name"], phone=data["phone"], subject=data["subject"],
                body=data["body"], ip=client_ip(request),
            )  # fmt: skip
        except DomainError as exc:
            add_to_form(form, exc)
            status = 429 if exc.http_status == 429 else 200
        else:
            if question.status == Question.Status.OPEN:
                messages.success(request, _("Đã gửi. Mã câu hỏi: %(code)s.") % {"code": question.code})
                return redirect("feedback:mine")
            request.session[_PENDING] = str(question.pk)
            request.session[_PENDING + "_phone"] = mask_phone(question.asker_phone)
            return redirect("feedback:confirm")
    phone = display_phone(user.phone) if user is not None and user.phone else ""
    return render(request, "feedback/ask.html", {"form": form, "procedure": procedure, "phone": phone}, status=status)


def confirm(request: HttpRequest) -> HttpResponse:
    """The SMS code that confirms an anonymous question's phone; bound to the browser that asked."""
    pending = request.session.get(_PENDING)
    if not pending:
        return redirect("feedback:ask")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_confirm(question_id=uuid.UUID(pending), code=form.cleaned_data["otp"])
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            request.session.pop(_PENDING, None)
            return render(request, "feedback/received.html", {"question": question})
    return render(
        request, "feedback/confirm.html", {"form": form, "phone": request.session.get(_PENDING + "_phone", "")}
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    questions = Question.objects.filter(asker=request.user.pk).select_related("agency").order_by("-created_at")[:100]
    return render(request, "feedback/mine.html", {"questions": questions})


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    questions = selectors.for_officer(request.user)
    if not questions.exists() and not request.user.staff_roles.filter(is_active=True).exists():  # type: ignore[union-attr]
        raise Http404
    page = Paginator(questions, 50).get_page(request.GET.get("trang"))
    return render(request, "feedback/staff_list.html", {"page": page})


@login_required
def staff_detail(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = get_object_or_404(selectors.for_officer(request.user), pk=question_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        actor = request.user if isinstance(request.user, User) else None
        if actor is None:
            raise Http404
        try:
            if "reject" in request.POST:
                services.question_reject(question=question, actor=actor, reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã ghi không tiếp nhận và báo người gửi."))
            else:
                services.question_answer(
                    question=question, actor=actor, answer=request.POST.get("answer", ""),
                    publish=bool(request.POST.get("publish")),
                    public_question=request.POST.get("public_question", ""),
                    public_answer=request.POST.get("public_answer", ""),
                    public_subject=request.POST.get("public_subject", ""),
                )  # fmt: skip
                messages.success(request, _("Đã lưu câu trả lời."))
            return redirect("feedback:staff_detail", question_id=question.pk)
        except DomainError as exc:
            errors = exc.errors if isinstance(exc, InvalidInput) and exc.errors else {"__all__": [str(exc.message)]}
    suggested = services.redact(question.body, [question.asker_name])
    suggested_subject = services.redact(question.subject, [question.asker_name])
    context = {"question": question, "errors": errors, "suggested": suggested, "suggested_subject": suggested_subject,
               "posted": request.POST}  # fmt: skip
    return render(request, "feedback/staff_detail.html", context)


def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The whole answer, from the link in the answer's SMS (an SMS holds 300 characters): no login, for 90 days."""
    question_id = services.question_of_link(token)
    question = Question.objects.filter(pk=question_id).select_related("agency").first() if question_id else None
    if question is None or question.status not in (Question.Status.ANSWERED, Question.Status.REJECTED):
        raise Http404
    return render(request, "feedback/answer.html", {"question": question})
