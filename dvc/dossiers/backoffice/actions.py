"""One registry of the officers' actions on a dossier, used by the staff pages and the API alike: the same
parsing of the input, the same service, the same audit fields (client address included), the same message."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvc.accounts.models import User
from dvc.catalog.models import DocumentRequirement
from dvc.dossiers.backoffice import appraisal, decision, delivery, intake, signing_queue
from dvc.dossiers.models import Dossier
from dvc.errors import InvalidInput
from dvc.payments import counter
from dvc.payments.models import PaymentAttempt


@dataclass(frozen=True)
class ActionInput:
    """What an officer sends with an action, from a page's form or the API's JSON."""

    note: str = ""
    reason: str = ""
    requirements: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # e-form answers opened by a request for more papers
    specialist: str = ""  # the specialist's id number (API)
    specialist_pk: str = ""  # or their account number (the staff page's list, which shows no id numbers)
    decision: str = ""
    method: str = ""
    operator: str = ""  # the postal operator of a result returned by post
    new_due: dt.date | str | None = None
    upload: UploadedFile | None = None
    attempt: str = ""
    amount: str = ""
    result_data: dict[str, str] = field(default_factory=dict)  # the result template's officer_fields
    final_sha256: str = ""  # the final result the leader has seen and signs
    from_page: bool = False  # the staff page always shows the final result before it is signed


Run = Callable[[Dossier, User, ActionInput, str], object]


@dataclass(frozen=True)
class Action:
    api: str  # the API's name: POST /api/v1/backoffice/dossiers/{id}/{api}
    page: str  # the staff page's slug: POST /can-bo/ho-so/{id}/xu-ly/{page}/
    run: Run
    done: Promise  # what the page says after it
    in_api: bool = True


def _requirements(dossier: Dossier, ids: list[int]) -> list[DocumentRequirement]:
    return list(dossier.procedure.requirements.filter(pk__in=ids))


def _specialist(data: ActionInput) -> User:
    found = None
    if data.specialist_pk.strip().isascii() and data.specialist_pk.strip().isdigit():
        found = User.objects.filter(pk=int(data.specialist_pk)).first()
    elif data.specialist.strip():
        found = User.objects.filter(id_number=data.specialist.strip()).first()
    if found is None:
        raise InvalidInput({"specialist": [_("Vui lòng chọn chuyên viên.")]})
    return found


def _new_due(value: dt.date | str | None) -> dt.date:
    parsed = value if isinstance(value, dt.date) else None
    if isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput({"new_due": [_("Vui lòng nhập ngày hẹn mới (ngày/tháng/năm).")]})
    return parsed


def _upload(data: ActionInput) -> UploadedFile:
    if data.upload is None:
        raise InvalidInput({"file": [_("Vui lòng chọn tệp để tải lên.")]})
    return data.upload


def _refund(dossier: Dossier, officer: User, data: ActionInput, ip: str) -> object:
    try:
        chosen = uuid.UUID(data.attempt)
    except ValueError:
        chosen = None
    attempt = PaymentAttempt.objects.filter(dossier=dossier, pk=chosen).first() if chosen else None
    if attempt is None:
        raise InvalidInput({"attempt": [_("Vui lòng chọn lần thanh toán cần hoàn tiền.")]})
    amount = data.amount.replace(".", "").strip()
    if not amount.isdigit():
        raise InvalidInput({"amount": [_("Số tiền hoàn phải lớn hơn 0 và không quá số đã thu.")]})
    return counter.refund_record(attempt=attempt, officer=officer, amount=int(amount), reason=data.reason, ip=ip)


def _approve(dossier: Dossier, officer: User, data: ActionInput, ip: str) -> object:
    if data.from_page and dossier.proposal == Dossier.Proposal.APPROVE and not data.final_sha256:
        raise InvalidInput({"decision": [_("Vui lòng xem bản cuối của kết quả trước khi ký số.")]})
    return signing_queue.approve_request(dossier=dossier, actor=officer, final_sha256=data.final_sha256, ip=ip)


ACTIONS: list[Action] = [
    Action(
        "receive",
        "tiep-nhan",
        lambda d, u, p, ip: intake.dossier_receive(dossier=d, actor=u, ip=ip),
        gettext_lazy("Đã tiếp nhận hồ sơ. Giấy tiếp nhận và hẹn trả kết quả đã sẵn sàng để in."),
    ),
    Action(
        "request-supplement",
        "yeu-cau-bo-sung",
        lambda d, u, p, ip: appraisal.dossier_request_supplement(
            dossier=d, actor=u, requirements=_requirements(d, p.requirements), note=p.note, fields=p.fields, ip=ip
        ),
        gettext_lazy("Đã gửi yêu cầu bổ sung cho người nộp."),
    ),
    Action(
        "refuse",
        "tu-choi",
        lambda d, u, p, ip: decision.dossier_refuse(dossier=d, actor=u, reason=p.reason or p.note, ip=ip),
        gettext_lazy("Đã từ chối hồ sơ và báo cho người nộp."),
    ),
    Action(
        "suspend",
        "dung",
        lambda d, u, p, ip: decision.dossier_suspend(dossier=d, actor=u, reason=p.reason or p.note, ip=ip),
        gettext_lazy("Đã dừng giải quyết hồ sơ và báo cho người nộp."),
    ),
    Action(
        "assign",
        "giao",
        lambda d, u, p, ip: appraisal.dossier_assign(dossier=d, actor=u, specialist=_specialist(p), ip=ip),
        gettext_lazy("Đã giao hồ sơ cho chuyên viên thụ lý."),
    ),
    Action(
        "generate-result",
        "tao-du-thao",
        lambda d, u, p, ip: appraisal.dossier_generate_result(dossier=d, actor=u, values=p.result_data, ip=ip),
        gettext_lazy("Đã tạo dự thảo kết quả."),
    ),
    Action(
        "upload-result",
        "tai-du-thao",
        lambda d, u, p, ip: appraisal.dossier_upload_result(dossier=d, actor=u, upload=_upload(p), ip=ip),
        gettext_lazy("Đã tải lên dự thảo kết quả."),
        in_api=False,
    ),
    Action(
        "propose",
        "de-xuat",
        lambda d, u, p, ip: appraisal.dossier_propose(dossier=d, actor=u, decision=p.decision, note=p.note, ip=ip),
        gettext_lazy("Đã gửi đề xuất tới lãnh đạo."),
    ),
    Action(
        "send-back",
        "tra-lai",
        lambda d, u, p, ip: appraisal.dossier_send_back(dossier=d, actor=u, note=p.note, ip=ip),
        gettext_lazy("Đã trả lại hồ sơ cho chuyên viên."),
    ),
    Action(
        "prepare-final",
        "xem-ban-cuoi",
        lambda d, u, p, ip: signing_queue.final_request(dossier=d, actor=u, ip=ip),
        gettext_lazy("Đã yêu cầu lập bản cuối của kết quả. Khi bản cuối hiện ra, vui lòng đọc kỹ trước khi ký số."),
    ),
    Action(
        "approve",
        "phe-duyet",
        _approve,
        gettext_lazy(
            "Đã phê duyệt. Kết quả (nếu có) được ký số và gửi vào kho dữ liệu của người nộp (của chủ hồ sơ khi nộp "
            "hộ) trong ít giây; trang này tự cập nhật."
        ),
    ),
    Action(
        "return-result",
        "tra-ket-qua",
        lambda d, u, p, ip: delivery.dossier_return_result(
            dossier=d, actor=u, method=p.method, note=p.note, operator=p.operator, ip=ip
        ),
        gettext_lazy("Đã trả kết quả."),
    ),
    Action(
        "extend",
        "gia-han",
        lambda d, u, p, ip: delivery.dossier_extend(
            dossier=d, actor=u, reason=p.reason or p.note, new_due=_new_due(p.new_due), ip=ip
        ),
        gettext_lazy("Đã gửi văn bản xin lỗi và hẹn lại ngày trả kết quả."),
    ),
    Action(
        "record-cash",
        "tien-mat",
        lambda d, u, p, ip: counter.payment_record_cash(dossier=d, officer=u, ip=ip),
        gettext_lazy("Đã ghi nhận nộp tiền mặt và lập biên lai."),
        in_api=False,
    ),
    Action("refund", "hoan-tien", _refund, gettext_lazy("Đã ghi nhận hoàn tiền."), in_api=False),
    Action(
        "exempt",
        "mien-phi",
        lambda d, u, p, ip: counter.fee_exempt(dossier=d, officer=u, reason=p.reason, ip=ip),
        gettext_lazy("Đã miễn phí, lệ phí cho hồ sơ."),
        in_api=False,
    ),
]
BY_PAGE = {action.page: action for action in ACTIONS}
BY_API = {action.api: action for action in ACTIONS if action.in_api}
