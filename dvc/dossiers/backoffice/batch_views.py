"""Several dossiers at once from a queue: receive the new ones, or hand them to a specialist. Each dossier goes
through the same action as on its own page (scoped, audited, told to the applicant); one that cannot be handled
is named with the reason and the others still go through."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dvc.accounts.throttle import client_ip
from dvc.dossiers.backoffice import queues
from dvc.dossiers.backoffice.actions import BY_PAGE, ActionInput
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.backoffice.views import officer_of, staff_required
from dvc.errors import DomainError, InvalidInput

BATCH_ACTIONS = {"tiep-nhan": gettext_lazy("tiếp nhận"), "giao": gettext_lazy("giao thụ lý")}
MAX_BATCH = 100


@staff_required
@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request)
    action = request.POST.get("action", "")
    back = request.POST.get("hang", "")
    target = redirect(reverse("staff:queue") + (f"?hang={back}" if back in queues.QUEUE_SLUGS else ""))
    ids = []
    for value in request.POST.getlist("dossier")[:MAX_BATCH]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    if action not in BATCH_ACTIONS or not ids:
        messages.error(request, _("Vui lòng chọn ít nhất một hồ sơ và thao tác cần thực hiện."))
        return target
    data = ActionInput(specialist_pk=request.POST.get("specialist", ""), from_page=True)
    done: list[str] = []
    failed: list[str] = []
    mine = staff_agencies(officer)  # read once for the batch; each action checks the roles it needs as they stand
    for dossier_id in ids:
        try:
            dossier = queues.staff_dossier(officer, dossier_id, agencies=mine)
        except (Http404, DomainError):
            failed.append(str(_("một hồ sơ không có trong hàng đợi của bạn")))
            continue
        try:
            BY_PAGE[action].run(dossier, officer, data, client_ip(request))
            done.append(dossier.code or "")
        except InvalidInput as exc:
            text = " ".join(t for texts in exc.errors.values() for t in texts) or str(exc.message)
            failed.append(f"{dossier.code}: {text}")
        except DomainError as exc:
            failed.append(f"{dossier.code}: {exc.message}")
    if done:
        messages.success(
            request,
            _("Đã %(action)s %(n)d hồ sơ: %(codes)s.")
            % {"action": BATCH_ACTIONS[action], "n": len(done), "codes": ", ".join(done)},
        )
    if failed:
        messages.error(request, _("Không thực hiện được: %(list)s") % {"list": "; ".join(failed)})
    return target
