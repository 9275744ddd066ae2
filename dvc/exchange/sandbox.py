"""The exchange sandbox (outside production only): the data-exchange platform and every agency outside the portal,
played on this machine, so that a linked procedure with such an agency can be followed end to end with ``make run``.

It receives the portal's messages as the platform would (signature checked with the portal's public key), keeps
each dossier as the outside agency's case, and lets a tester act as that agency's officer: receive, refuse, or
issue a signed result. Each answer is a signed message posted over HTTP to the portal's inbound endpoint, the same
path a real agency's answers take. To exercise the worker's retries, the next deliveries can be made to fail
("lose" them), and the last status can be sent again unchanged (a duplicate the portal must ignore).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.core import signing
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.agencies.models import Agency
from dvc.documents.pdf import FONT, Sheet, letterhead, paragraph, place_and_date
from dvc.exchange import envelope
from dvc.exchange.models import SandboxCase
from dvc.exchange.services import sandbox_key_file
from dvc.vault.agency_signing import sign_result

_RESULT_SALT = "dvc.exchange.sandbox-result"


def _drops_file() -> Path:
    return Path(settings.VAR_DIR) / "exchange" / "sandbox-drop"


def drops_pending() -> int:
    try:
        return max(int(_drops_file().read_text()), 0)
    except (OSError, ValueError):
        return 0


def drops_set(count: int) -> None:
    _drops_file().parent.mkdir(parents=True, exist_ok=True)
    _drops_file().write_text(str(max(count, 0)))


def take_drop() -> bool:
    """Whether this delivery is to be "lost" (answered 503): one fewer to lose next time."""
    pending = drops_pending()
    if pending:
        drops_set(pending - 1)
    return pending > 0


def receive(body: Any) -> tuple[SandboxCase, bool]:
    """A message from the portal, as the platform takes it (raises envelope.BadMessage)."""
    portal_public = envelope.portal_key().public_key()
    message = body.get("message") if isinstance(body, dict) else None
    receiver = message.get("receiver", "") if isinstance(message, dict) else ""

    def keys_for(sender: str) -> list[Any]:
        return [portal_public] if sender == settings.DVC_EXCHANGE_ID else []

    opened = envelope.open_envelope(
        body, receiver=str(receiver), keys_for=keys_for, max_age=dt.timedelta(days=settings.DVC_EXCHANGE_MAX_AGE_DAYS)
    )
    if opened["kind"] == "dossier_withdrawn":  # the citizen took the dossier back: the agency stops
        case = SandboxCase.objects.filter(correlation=opened["correlation"], receiver=opened["receiver"]).first()
        if case is None:
            raise envelope.BadMessage(_("Không có hồ sơ này ở cơ quan nhận."))
        first = case.state != "withdrawn"
        if first:
            case.state = "withdrawn"
            case.save(update_fields=["state"])
        return case, first
    known = SandboxCase.objects.filter(message_id=opened["id"]).first()
    if known is not None:
        return known, False
    try:
        return SandboxCase.objects.create(
            message_id=opened["id"], receiver=opened["receiver"], sender=opened["sender"],
            correlation=opened["correlation"], envelope=opened,
        ), True  # fmt: skip
    except IntegrityError:
        return SandboxCase.objects.get(message_id=opened["id"]), False


def _result_pdf(case: SandboxCase, agency: Agency) -> bytes:
    payload = case.envelope["payload"]
    answers = payload.get("answers") or {}
    today = timezone.localdate()
    pdf = Sheet()
    place = agency.admin_unit.name if agency.admin_unit else "Hà Nội"
    letterhead(pdf, [agency.name], number=f"Số: {case.correlation}", place_date=place_and_date(place, today))
    pdf.set_font(FONT, "B", 13)
    paragraph(pdf, 8, str(payload.get("procedure", {}).get("name", "")).upper(), align="C")
    pdf.set_font(FONT, "", 11)
    deceased = (answers.get("nguoi_chet") or {}).get("full_name")
    lines = [f"Hồ sơ: {case.correlation} (hồ sơ liên thông {payload.get('group', '')})"]
    if deceased:  # survivors' allowance: paid to the survivor who asked, for the person who died
        lines += [f"Người hưởng chế độ: {payload['applicant']['full_name']}", f"Người đã chết: {deceased}"]
        if answers.get("tai_khoan"):
            lines.append(f"Chuyển khoản vào: {answers['tai_khoan']}")
    else:
        lines.append(f"Người được cấp thẻ: {answers.get('ho_ten_tre') or payload['applicant']['full_name']}")
    if answers.get("so_dinh_danh_tre"):
        lines.append(f"Số định danh cá nhân: {answers['so_dinh_danh_tre']}")
        lines.append(f"Mã số bảo hiểm xã hội (mã thẻ): {answers['so_dinh_danh_tre'][-10:]}")
        lines.append(f"Nơi đăng ký khám bệnh, chữa bệnh ban đầu: {answers.get('noi_kcb', '')}")
        lines.append(f"Giá trị sử dụng: từ {today:%d/%m/%Y} đến ngày trẻ đủ 72 tháng tuổi")
    if not deceased:
        lines.append(f"Người yêu cầu: {payload['applicant']['full_name']}")
    for line in lines:
        paragraph(pdf, 7, line)
    return bytes(pdf.output())


def sandbox_key() -> Any:
    return envelope.load_or_create_key(sandbox_key_file())


def result_token(case: SandboxCase) -> str:
    return signing.dumps({"c": case.pk}, salt=_RESULT_SALT)


def case_of_result_token(token: str) -> SandboxCase | None:
    try:
        pk = int(signing.loads(token, salt=_RESULT_SALT, max_age=30 * 86400)["c"])
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return None
    return SandboxCase.objects.filter(pk=pk).exclude(result=None).first()


def _status_envelope(case: SandboxCase, status: str, note: str) -> dict[str, Any]:
    attachments: list[dict[str, Any]] = []
    payload: dict[str, Any] = {"status": status, "note": note}
    if status == "result_ready" and case.result:
        content = bytes(case.result)
        attachments.append({
            "name": f"ket-qua-{case.correlation}.pdf", "content_type": "application/pdf", "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "url": f"{settings.SITE_URL}/lien-thong-thu-nghiem/tep/{result_token(case)}/",
            "document_type": "the_bhyt" if case.envelope.get("service") == "1.011426" else "",
        })  # fmt: skip
        payload["title"] = case.envelope["payload"].get("procedure", {}).get("name", "")
    return envelope.build(
        key=sandbox_key(), sender=case.receiver, receiver=case.sender, service=case.envelope.get("service", ""),
        kind="dossier_status", correlation=case.correlation, payload=payload, attachments=attachments,
        message_id=uuid.uuid4(),
    )  # fmt: skip


def post(signed: dict[str, Any]) -> str:
    """Post a signed status to the portal's inbound endpoint: its answer, or what went wrong."""
    try:
        response = requests.post(f"{settings.SITE_URL}/lien-thong/v1/messages", json=signed, timeout=20)
    except requests.RequestException as exc:
        return _("không gửi được: %(e)s") % {"e": exc.__class__.__name__}
    try:
        answer = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(answer.get("status") or answer.get("error") or response.status_code)


def shown(value: Any) -> str:
    """An answer as the outside agency's officer reads it: a person or address by its parts, a list by its rows."""
    if isinstance(value, dict):
        return ", ".join(shown(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value)
    if value is True:
        return "Có"
    return "" if value is None else str(value)


def act(case: SandboxCase, action: str, note: str = "") -> str:
    """The outside agency's officer acts on a case; the portal's answer to the status message sent."""
    if case.state in ("result_ready", "refused", "withdrawn") and action in ("receive", "refuse", "result"):
        return _("hồ sơ đã kết thúc, không gửi thêm trạng thái")
    if action == "resend":
        if not case.last_status:
            return _("chưa có tin trạng thái nào để gửi lại")
        return post(case.last_status)
    if action == "result":
        agency = Agency.objects.filter(exchange_address=case.receiver).first()
        if agency is None:
            return _("không có cơ quan với địa chỉ này")
        when = timezone.now()
        case.result = sign_result(
            _result_pdf(case, agency), agency=agency, verify_url=f"{settings.SITE_URL}/tra-cuu/?ma={case.correlation}",
            signer_name=f"Lãnh đạo {agency.name}", when=when,
        )  # fmt: skip
    status = {"receive": "received", "refuse": "refused", "result": "result_ready"}[action]
    signed = _status_envelope(case, status, note)
    case.last_status, case.state = signed, status
    case.save(update_fields=["last_status", "state", "result"])
    return post(signed)
