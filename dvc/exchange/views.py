"""The exchange's endpoints on this portal: the inbound messages, and the files this portal sends by reference."""

from __future__ import annotations

import json

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dvc.exchange.envelope import BadMessage
from dvc.exchange.services import file_of_reference, message_receive
from dvc.vault.models import StoredFile

MAX_BODY_BYTES = 1024 * 1024  # files travel by reference: a message is small


def _refused(text: str, status: int) -> JsonResponse:
    return JsonResponse({"status": "rejected", "error": text}, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # signed by the sender, not a browser form
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    """POST a signed message: 202 ``accepted`` the first time, 200 ``duplicate`` when its id was already received
    (nothing is applied twice), 400 for a message that is malformed, not for us, too old or wrongly signed."""
    if len(request.body) > MAX_BODY_BYTES:
        return _refused(_("Tin quá lớn: tệp đính kèm phải gửi bằng địa chỉ tải."), 413)
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _refused(_("Nội dung không phải JSON."), 400)
    try:
        kept, first = message_receive(body=body)
    except BadMessage as exc:
        return _refused(str(exc), 400)
    return JsonResponse(
        {"status": "accepted" if first else "duplicate", "id": str(kept.message_id)}, status=202 if first else 200
    )


@require_GET
def file_by_reference(request: HttpRequest, token: str) -> HttpResponseBase:
    """A file this portal sent by reference, for the holder of the signed address (30 days)."""
    file_id = file_of_reference(token)
    stored = StoredFile.objects.filter(pk=file_id).first() if file_id else None
    if stored is None:
        return _refused(_("Địa chỉ tải tệp không hợp lệ hoặc đã hết hạn."), 404)
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.sha256[:16]}"'
    response["Cache-Control"] = "private, no-store"
    return response
