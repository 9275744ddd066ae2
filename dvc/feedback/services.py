"""Every write of questions and feedback: ask (signed in, or with an SMS-confirmed phone), answer, publish, refuse.

NĐ 20/2008/NĐ-CP Điều 11: the agency answers within its deadline (``Agency.question_days`` working days, counted
on its calendar); the answer goes to the asker, and may be published with the personal data taken out.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
import uuid

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from unidecode import unidecode

from dvc.accounts import throttle
from dvc.accounts.models import User
from dvc.agencies.calendar import due_moment
from dvc.agencies.models import Agency, StaffRole
from dvc.catalog.models import Procedure
from dvc.catalog.text import fold
from dvc.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RateLimited
from dvc.feedback.models import Question
from dvc.jobs.services import job_run_claim
from dvc.notify.models import Message
from dvc.notify.services import message_send, notice_post

_HOUR = dt.timedelta(hours=1)
PER_PHONE_HOUR, PER_CLIENT_HOUR, CONFIRM_ATTEMPTS = 3, 10, 5
_HIDDEN = "[đã ẩn]"
# What identifies a person in a citizen's text: e-mail addresses (also written "at"), dossier codes, passport numbers,
# and any run of 9 or more digits however it is broken up (phones, identity and tax numbers: "001 085 012 345",
# "(091) 2345001", "0084 912 345 678").
_PERSONAL = [
    re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\))\s*[\w-]+)+", re.IGNORECASE),
    re.compile(r"\b\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}\b"),
    re.compile(r"\b[A-Z]\d{7,8}\b"),
    re.compile(r"(?<![\d\w])\+?(?:\d[\s.\-()]{0,3}){8,14}\d(?![\d\w])"),
]


def redact(text: str, names: list[str] | None = None) -> str:
    """A citizen's text with personal data replaced (the asker's name too, with or without accents, any case):
    what may be published. Officers' answers are not passed through it (their own hotline must stay)."""
    text = unicodedata.normalize("NFC", text)
    for pattern in _PERSONAL:
        text = pattern.sub(_HIDDEN, text)
    for name in names or []:
        name = " ".join(unicodedata.normalize("NFC", name).split())
        for form in {name, unidecode(name)}:
            if len(form) > 3:
                spaced = r"\s+".join(re.escape(part) for part in form.split())
                text = re.sub(spaced, _HIDDEN, text, flags=re.IGNORECASE)
    return text


def _limits(*, phone: str, ip: str) -> None:
    for scope, ident, cap in (("question-phone", phone, PER_PHONE_HOUR), ("question-ip", ip, PER_CLIENT_HOUR)):
        window = throttle.hit(throttle.make_key(scope, ident), window=_HOUR)
        if window.count > cap:
            raise RateLimited(
                _("Bạn đã gửi nhiều câu hỏi trong một giờ. Vui lòng thử lại sau."), retry_after=window.retry_after()
            )


def _confirm_hash(question_id: uuid.UUID, code: str) -> str:
    return salted_hmac("dvc.feedback.confirm", f"{question_id}:{code}", algorithm="sha256").hexdigest()


def question_ask(
    *,
    asker: User | None,
    kind: str,
    agency: Agency,
    procedure: Procedure | None,
    dossier_code: str,
    name: str,
    phone: str,
    subject: str,
    body: str,
    ip: str,
) -> Question:
    """File a question. Signed in: received at once. Otherwise the phone is confirmed first by an SMS code."""
    if kind not in Question.Kind.values:
        raise InvalidInput({"kind": [_("Vui lòng chọn loại câu hỏi.")]})
    _limits(phone=phone, ip=ip)
    question = Question(
        kind=kind, agency=agency, procedure=procedure, dossier_code=dossier_code[:40], asker=asker,
        asker_name=name[:255], asker_phone=phone, subject=subject[:200], body=body[:4000],
    )  # fmt: skip
    with transaction.atomic():
        if asker is not None:
            _receive(question)
            return question
        code = f"{secrets.randbelow(10**6):06d}"
        question.confirm_hash = _confirm_hash(question.id, code)
        question.save(force_insert=True)
        message_send(
            channel=Message.Channel.SMS, recipient=phone, template="otp", sensitive=True,
            context={"code": code, "purpose": "gửi phản ánh, kiến nghị", "minutes": settings.DVC_OTP_TTL_SECONDS // 60},
            expires_at=timezone.now() + dt.timedelta(seconds=settings.DVC_OTP_TTL_SECONDS),
        )  # fmt: skip
    return question


def question_confirm(*, question_id: uuid.UUID, code: str) -> Question:
    """The SMS code of an anonymous question: right, the question is received; 5 wrong tries end it."""
    question = Question.objects.filter(pk=question_id, status=Question.Status.UNCONFIRMED).first()
    if question is None:
        raise NotFound(_("Câu hỏi không còn chờ xác nhận."), code="question_not_found")
    if timezone.now() - question.created_at > dt.timedelta(seconds=settings.DVC_OTP_TTL_SECONDS):
        raise DomainError(_("Mã xác nhận đã hết hạn. Vui lòng gửi lại câu hỏi."), code="otp_expired", field="otp")
    counted = Question.objects.filter(pk=question.pk, confirm_attempts__lt=CONFIRM_ATTEMPTS).update(
        confirm_attempts=F("confirm_attempts") + 1
    )
    if not counted:
        raise DomainError(_("Đã nhập sai quá nhiều lần. Vui lòng gửi lại câu hỏi."), code="otp_locked", field="otp")
    if not constant_time_compare(_confirm_hash(question.pk, "".join(code.split())), question.confirm_hash):
        raise InvalidInput({"otp": [_("Mã xác nhận không đúng.")]}, message=_("Mã xác nhận không đúng."))
    with transaction.atomic():
        if not Question.objects.filter(pk=question.pk, status=Question.Status.UNCONFIRMED).update(confirm_hash=""):
            raise Conflict(_("Câu hỏi đã được xác nhận."), code="question_confirmed")
        _receive(question)
    return question


def _receive(question: Question) -> None:
    """Received: a code, a deadline on the agency's calendar, a notice to the asker."""
    now = timezone.now()
    question.status, question.received_at = Question.Status.OPEN, now
    question.due_at = due_moment(agency=question.agency, received_at=now, working_days=question.agency.question_days)
    for _attempt in range(5):
        question.code = f"PAKN-{now:%y%m%d}-{secrets.token_hex(3).upper()}"
        try:
            with transaction.atomic():
                question.save()
            break
        except IntegrityError:
            continue
    _tell(question, "question_received")


_ANSWER_SALT, ANSWER_LINK_DAYS = "dvc.feedback.answer-link", 90


def answer_link(question: Question) -> str:
    """Where the asker reads the whole answer without logging in (the SMS carries its first 300 characters)."""
    token = signing.dumps(str(question.pk), salt=_ANSWER_SALT)
    return f"{settings.SITE_URL}/phan-anh-kien-nghi/tra-loi/{token}/"


def question_of_link(token: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(signing.loads(token, salt=_ANSWER_SALT, max_age=ANSWER_LINK_DAYS * 86400)))
    except (signing.BadSignature, ValueError):
        return None


def _tell(question: Question, template: str) -> None:
    context = {
        "code": question.code, "subject": question.subject, "agency": question.agency.name,
        "due": timezone.localtime(question.due_at).strftime("%H:%M %d/%m/%Y") if question.due_at else "",
        "answer": question.answer, "reason": question.reject_reason,
        "link": answer_link(question) if template in ("question_answered", "question_rejected") else "",
    }  # fmt: skip
    message_send(channel=Message.Channel.SMS, recipient=question.asker_phone, template=template, context=context)
    if question.asker_id:
        notice_post(user=question.asker, template=template, context=context, link="/phan-anh-kien-nghi/cua-toi/")


def _require_staff(actor: User, question: Question) -> None:
    if not StaffRole.objects.filter(user=actor, agency_id=question.agency_id, is_active=True).exists():
        raise Forbidden(_("Câu hỏi này gửi tới cơ quan khác."))


def question_answer(
    *,
    question: Question,
    actor: User,
    answer: str,
    publish: bool,
    public_question: str,
    public_answer: str,
    public_subject: str = "",
) -> Question:
    """Answer (or edit the published texts of an answered question); the asker is told of the first answer."""
    _require_staff(actor, question)
    answer = answer.strip()
    if not answer:
        raise InvalidInput({"answer": [_("Vui lòng nhập nội dung trả lời.")]})
    if question.status not in (Question.Status.OPEN, Question.Status.ANSWERED):
        raise Conflict(_("Câu hỏi này không còn mở."), code="question_closed")
    first = question.status == Question.Status.OPEN
    names = [question.asker_name]
    shown_subject = redact(public_subject.strip() or question.subject, names)[:200] if publish else ""
    shown_question = redact(public_question.strip() or question.body, names) if publish else ""
    shown_answer = (public_answer.strip() or answer) if publish else ""
    now = timezone.now()
    with transaction.atomic():
        changed = Question.objects.filter(pk=question.pk, status=question.status).update(
            status=Question.Status.ANSWERED, answer=answer, answered_at=question.answered_at or now,
            answered_by=question.answered_by or actor, published=publish, public_subject=shown_subject,
            public_question=shown_question, public_answer=shown_answer,
            search_text=fold(f"{shown_subject} {shown_question} {shown_answer}") if publish else "",
        )  # fmt: skip
        if not changed:
            raise Conflict(_("Câu hỏi vừa được người khác xử lý. Vui lòng tải lại trang."), code="question_changed")
        question.refresh_from_db()
        if first:
            _tell(question, "question_answered")
    return question


def question_reject(*, question: Question, actor: User, reason: str) -> Question:
    """Moderation: not received (abuse, advertising, not this agency's), with the reason told to the asker."""
    _require_staff(actor, question)
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [_("Vui lòng ghi lý do.")]})
    with transaction.atomic():
        if not Question.objects.filter(pk=question.pk, status=Question.Status.OPEN).update(
            status=Question.Status.REJECTED, reject_reason=reason[:500], answered_by=actor, published=False
        ):
            raise Conflict(_("Câu hỏi này không còn mở."), code="question_closed")
        question.refresh_from_db()
        _tell(question, "question_rejected")
    return question


def question_reminders_send(*, day: dt.date | None = None) -> int:
    """Each morning, every officer and leader of an agency with questions overdue or due by tomorrow gets a notice
    (once a day: the run's record is claimed first). Returns how many notices were posted."""
    now = timezone.now()
    day = day or timezone.localdate(now)
    with transaction.atomic():
        if not job_run_claim(job="question_reminders", period=day.isoformat()):
            return 0
        waiting = Question.objects.filter(status=Question.Status.OPEN, due_at__lt=now + dt.timedelta(days=1))
        by_agency: dict[int, list[Question]] = {}
        for question in waiting.select_related("agency").order_by("due_at")[:2000]:
            by_agency.setdefault(question.agency_id, []).append(question)
        posted = 0
        roles = StaffRole.objects.filter(
            agency_id__in=by_agency, is_active=True, role__in=[StaffRole.Role.ONE_STOP_OFFICER, StaffRole.Role.LEADER]
        ).select_related("user")
        for role in roles:
            questions = by_agency[role.agency_id]
            context = {
                "agency": questions[0].agency.name,
                "overdue": sum(1 for q in questions if q.due_at and q.due_at < now),
                "soon": sum(1 for q in questions if q.due_at and q.due_at >= now),
            }
            notice_post(
                user=role.user, template="question_reminder", context=context, link="/can-bo/phan-anh-kien-nghi/"
            )
            posted += 1
    return posted
