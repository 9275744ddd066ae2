"""Pages and endpoints of the exchange sandbox (outside production only; see ``exchange.sandbox``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dvc.agencies.models import StaffRole
from dvc.exchange import sandbox
from dvc.exchange.envelope import BadMessage
from dvc.exchange.models import SandboxCase

ACTIONS = {"receive", "refuse", "result", "resend"}
STATES = {
    "new": _lazy("Mới nhận"), "received": _lazy("Đã báo tiếp nhận"), "refused": _lazy("Đã báo từ chối"),
    "result_ready": _lazy("Đã trả kết quả"), "withdrawn": _lazy("Người dân đã rút"),
}  # fmt: skip


def tester_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The sandbox's pages act as another agency's officer: for a signed-in officer of the trial installation."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        staff = user.pk is not None and StaffRole.objects.filter(user_id=user.pk, is_active=True).exists()
        if not (getattr(user, "is_superuser", False) or staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@csrf_exempt  # the platform's endpoint: signed messages, not browser forms
@require_POST
def platform(request: HttpRequest) -> HttpResponse:
    if sandbox.take_drop():
        return JsonResponse(
            {"status": "unavailable", "error": _("Trục liên thông tạm thời không nhận tin.")}, status=503
        )
    try:
        case, first = sandbox.receive(json.loads(request.body))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return JsonResponse({"status": "rejected", "error": _("Nội dung không phải JSON.")}, status=400)
    except BadMessage as exc:
        return JsonResponse({"status": "rejected", "error": str(exc)}, status=400)
    return JsonResponse(
        {"status": "accepted" if first else "duplicate", "id": str(case.message_id)}, status=202 if first else 200
    )


@tester_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    found = list(SandboxCase.objects.all()[:50])
    for case in found:
        case.state_label = STATES.get(case.state, case.state)  # type: ignore[attr-defined]
        answers = case.envelope.get("payload", {}).get("answers", {})
        case.answers = [(name, sandbox.shown(value)) for name, value in answers.items()]  # type: ignore[attr-defined]
    return render(request, "exchange/sandbox.html", {"cases": found, "drops": sandbox.drops_pending()})


@tester_required
@require_POST
def case_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(SandboxCase, pk=pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404
    answer = sandbox.act(case, action, note=request.POST.get("note", "").strip()[:500])
    messages.info(request, _("%(code)s: cổng trả lời “%(answer)s”.") % {"code": case.correlation, "answer": answer})
    return redirect("exchange_sandbox:cases")


@tester_required
@require_POST
def lose(request: HttpRequest) -> HttpResponse:
    try:
        count = min(max(int(request.POST.get("count", "1")), 0), 10)
    except ValueError:
        count = 1
    sandbox.drops_set(count)
    messages.info(
        request, _("%(n)s tin tiếp theo từ cổng sẽ bị “mất” (trục trả lỗi 503, cổng phải gửi lại).") % {"n": count}
    )
    return redirect("exchange_sandbox:cases")


@require_GET
def result_file(request: HttpRequest, token: str) -> HttpResponse:
    case = sandbox.case_of_result_token(token)
    if case is None or not case.result:
        raise Http404
    return HttpResponse(bytes(case.result), content_type="application/pdf")
