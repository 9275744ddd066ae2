"""Filing on behalf (nộp hộ; seed 004: "người nộp hồ sơ, chủ hồ sơ").

The person who files (the applicant: their account, their answers as "người yêu cầu") may file for someone else, the
dossier's owner: a parent or guardian for a minor or ward, a representative with a letter of authorization, an
employee for their organization with its letter of introduction (Bộ luật Dân sự 2015, Điều 136–138). Both follow the
dossier and get its notices as each chose; its result goes to the owner's vault when the owner has an account; the
letter of authorization is a paper the officer checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.accounts.validators import (
    display_phone,
    normalize_mobile_phone,
    normalize_text,
    validate_cccd,
    validate_tax_code,
)
from dvc.catalog import eform, verified
from dvc.catalog.text import fold
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.models import Dossier, DossierAttachment
from dvc.errors import Conflict, InvalidInput
from dvc.vault.services import stored_file_save

B = Dossier.OwnerBasis
AUTHORIZATION = "authorization"
ADULT_AGE = 18  # Bộ luật Dân sự 2015, Điều 20: đủ mười tám tuổi trở lên là người thành niên
NEEDS_LETTER = (B.AUTHORIZED, B.EMPLOYEE)
UNSIGNED: dict[str, Any] = {"signed_form": None, "signed_by": "", "signed_content_sha256": ""}


def _years_between(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _clean_owner(
    *, basis: str, full_name: str, id_number: str, birth_date: dt.date | None, phone: str
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {"kind": "organization" if basis == B.EMPLOYEE else "person"}
    name = normalize_text(full_name)[:255]
    if not name:
        errors["owner_name"] = [
            _("Vui lòng nhập tên tổ chức.") if basis == B.EMPLOYEE else _("Vui lòng nhập họ và tên chủ hồ sơ.")
        ]
    data["full_name"] = name
    try:
        data["id_number"] = validate_tax_code(id_number) if basis == B.EMPLOYEE else validate_cccd(id_number)
    except ValidationError as exc:
        errors["owner_id_number"] = list(exc.messages)
    if basis != B.EMPLOYEE:
        if birth_date is None:
            errors["owner_birth_date"] = [_("Vui lòng nhập ngày sinh của chủ hồ sơ.")]
        elif birth_date > timezone.localdate():
            errors["owner_birth_date"] = [_("Ngày sinh không được sau hôm nay.")]
        elif basis == B.PARENT and _years_between(birth_date, timezone.localdate()) >= ADULT_AGE:
            errors["owner_birth_date"] = [
                _("Chủ hồ sơ đã đủ 18 tuổi: cha, mẹ không nộp thay theo pháp luật được nữa. Hãy chọn “Người được ủy "
                  "quyền nộp thay” và đính kèm văn bản ủy quyền.")
            ]  # fmt: skip
        data["birth_date"] = birth_date.isoformat() if birth_date else ""
    data["phone"] = ""
    if phone.strip():
        try:
            data["phone"] = normalize_mobile_phone(phone)
        except ValidationError as exc:
            errors["owner_phone"] = list(exc.messages)
    return data, errors


def owner_account(data: dict[str, Any]) -> User | None:
    """The active account that holds the owner's number (a person's id number, an organization's tax code), and
    only when the name (and a person's birth date) given match it: typing someone's number alone does not put a
    dossier in their list."""
    kind = User.Kind.ORGANIZATION if data.get("kind") == "organization" else User.Kind.CITIZEN
    account = User.objects.filter(id_number=data.get("id_number", ""), kind=kind, is_active=True).first()
    if account is None or fold(account.full_name) != fold(str(data.get("full_name", ""))):
        return None
    if kind == User.Kind.CITIZEN and account.birth_date and account.birth_date.isoformat() != data.get("birth_date"):
        return None
    return account


def vouching_user(dossier: Dossier) -> User | None:
    """Whose electronic identity vouches for the e-form's personal fields: the applicant's, unless the dossier is
    filed for someone else (those fields are then the owner's, typed by the filer)."""
    return None if dossier.owner_basis else dossier.applicant


def _owner_answers(dossier: Dossier, data: dict[str, Any], basis: str) -> dict[str, Any]:
    """The e-form with the owner in the requester's place: the fields the profile prefilled (the person, name,
    number, birth date, phone when given) take the owner's details; the filer's address, e-mail and sex are taken
    out, to be answered for the owner. An employee files as the organization's representative: the form stays."""
    answers = dict(dossier.form_data or {})
    if basis == B.EMPLOYEE:
        return answers
    person = {"full_name": data["full_name"], "id_number": data["id_number"], "birth_date": data.get("birth_date")}
    for spec in (dossier.procedure.form_schema or {}).get("fields", []):
        name, source = spec["name"], spec.get("prefill")
        if source == "self":
            answers[name] = person
        elif source in ("full_name", "id_number", "birth_date"):
            answers[name] = person[source]
        elif source == "phone" and data.get("phone"):  # else the filer's stays: someone to call about it
            answers[name] = display_phone(data["phone"])
        elif source in ("address", "email", "sex"):
            answers.pop(name, None)
    return answers


def _filer_answers(dossier: Dossier) -> dict[str, Any]:
    """Filed for oneself again: the prefilled fields are the applicant's own once more."""
    schema = dossier.procedure.form_schema or {}
    return {**(dossier.form_data or {}), **eform.prefill_answers(schema, dossier.applicant)}


def dossier_set_owner(
    *, dossier: Dossier, actor: User, basis: str, full_name: str, id_number: str, birth_date: dt.date | None,
    phone: str, notify_sms: bool,
) -> Dossier:  # fmt: skip
    """Say whom a draft is filed for; a draft filed for oneself is ``basis=""`` (``dossier_clear_owner``)."""
    if dossier.status != Dossier.Status.DRAFT:
        raise Conflict(_("Chỉ khai người được nộp hộ khi hồ sơ chưa gửi."), code="not_draft")
    if basis not in (B.PARENT, B.AUTHORIZED, B.EMPLOYEE):
        raise InvalidInput({"owner_basis": [_("Vui lòng chọn bạn nộp hộ với tư cách nào.")]})
    applicants = fold(dossier.procedure.applicants)
    if basis == B.EMPLOYEE and "to chuc" not in applicants and "doanh nghiep" not in applicants:
        raise InvalidInput({"owner_basis": [_("Thủ tục này dành cho cá nhân: tổ chức không là chủ hồ sơ được.")]})
    data, errors = _clean_owner(
        basis=basis, full_name=full_name, id_number=id_number, birth_date=birth_date, phone=phone
    )
    if not errors and data["id_number"] == actor.id_number:
        errors["owner_id_number"] = [_("Đây là số của chính bạn: hồ sơ nộp cho mình thì không cần khai nộp hộ.")]
    if errors:
        raise InvalidInput(errors, message=_("Thông tin chủ hồ sơ chưa hợp lệ. Vui lòng xem các mục được đánh dấu."))
    account = owner_account(data)
    answers = _owner_answers(dossier, data, basis)
    with transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.DRAFT).update(
            owner_basis=basis, owner_data=data, owner=account, owner_notify_sms=notify_sms and bool(data["phone"]),
            owner_id_number=data["id_number"], owner_name=fold(data["full_name"])[:255],
            form_data=answers, applicant_data={**dossier.applicant_data, "verified_fields": []},
            **(UNSIGNED if answers != dossier.form_data else {}),  # a signature made before covered other answers
            updated_at=timezone.now(),
        )  # fmt: skip
        if basis not in NEEDS_LETTER:  # a letter given for another capacity is no longer the dossier's
            DossierAttachment.objects.filter(dossier=dossier, purpose=AUTHORIZATION, replaced_at__isnull=True).update(
                replaced_at=timezone.now()
            )
        record_event(dossier, actor=actor, action="owner_set", note=f"{data['full_name']} ({B(basis).label})")
    dossier.refresh_from_db()
    return dossier


def dossier_clear_owner(*, dossier: Dossier, actor: User) -> Dossier:
    """The draft is for the applicant after all: the owner and the letter of authorization are taken out."""
    if dossier.status != Dossier.Status.DRAFT:
        raise Conflict(_("Chỉ sửa người được nộp hộ khi hồ sơ chưa gửi."), code="not_draft")
    schema = dossier.procedure.form_schema or {}
    with transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.DRAFT).update(
            owner_basis="", owner_data={}, owner=None, owner_id_number="", owner_name="",
            form_data=_filer_answers(dossier),
            applicant_data={**dossier.applicant_data, "verified_fields": verified.names(schema, dossier.applicant)},
            **UNSIGNED, updated_at=timezone.now(),
        )  # fmt: skip
        DossierAttachment.objects.filter(dossier=dossier, purpose=AUTHORIZATION, replaced_at__isnull=True).update(
            replaced_at=timezone.now()
        )
    dossier.refresh_from_db()
    return dossier


def dossier_attach_authorization(*, dossier: Dossier, actor: User, upload: UploadedFile) -> DossierAttachment:
    """The letter of authorization (or of introduction), checked by content and size; it replaces an earlier one."""
    if dossier.status not in (Dossier.Status.DRAFT, Dossier.Status.NEEDS_SUPPLEMENT):
        raise Conflict(_("Hồ sơ đã gửi: không thay được giấy tờ."), code="not_editable")
    if dossier.owner_basis not in NEEDS_LETTER:
        raise InvalidInput({"authorization": [_("Chỉ người được ủy quyền hoặc người của tổ chức cần văn bản này.")]})
    with transaction.atomic():
        stored = stored_file_save(
            owner=actor, upload=upload, allowed=["pdf", "jpg", "png"], max_bytes=10 * 1024 * 1024,
            title=_("Văn bản ủy quyền, giấy giới thiệu"),
        )  # fmt: skip
        DossierAttachment.objects.filter(dossier=dossier, purpose=AUTHORIZATION, replaced_at__isnull=True).update(
            replaced_at=timezone.now()
        )
        return DossierAttachment.objects.create(dossier=dossier, stored_file=stored, purpose=AUTHORIZATION)


def authorization_of(dossier: Dossier) -> DossierAttachment | None:
    return (
        DossierAttachment.objects.filter(dossier=dossier, purpose=AUTHORIZATION, replaced_at__isnull=True)
        .select_related("stored_file")
        .first()
    )


def owner_problems(dossier: Dossier) -> list[str]:
    """What stops a dossier filed on behalf from being sent: the letter the officer must check."""
    if dossier.owner_basis in NEEDS_LETTER and authorization_of(dossier) is None:
        return [
            _("Chưa đính kèm giấy giới thiệu hoặc văn bản ủy quyền của tổ chức.")
            if dossier.owner_basis == B.EMPLOYEE
            else _("Chưa đính kèm văn bản ủy quyền của chủ hồ sơ.")
        ]
    return []


def dossier_owner_notifications(*, dossier: Dossier, actor: User, sms: bool, email: bool) -> Dossier:
    """The owner chooses how they are told of the dossier's steps (on its page)."""
    if dossier.owner_id != actor.pk:
        raise Conflict(_("Chỉ chủ hồ sơ chọn cách nhận thông báo của mình."), code="not_owner")
    phone = dossier.owner_data.get("phone") or actor.phone
    Dossier.objects.filter(pk=dossier.pk).update(
        owner_notify_sms=sms and bool(phone), owner_notify_email=email and bool(actor.email)
    )
    dossier.refresh_from_db()
    return dossier


def owner_line(dossier: Dossier) -> str:
    """ "Nguyễn Minh Khôi, số định danh …, nộp hộ: cha, mẹ …" for documents and officer pages."""
    data = dossier.owner_data or {}
    number = _("mã số thuế") if data.get("kind") == "organization" else _("số định danh cá nhân")
    phone = f", {display_phone(data['phone'])}" if data.get("phone") else ""
    return f"{data.get('full_name', '')}, {number} {data.get('id_number', '')}{phone}"
