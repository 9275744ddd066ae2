"""The applicant's signature on the e-form: a signed PDF uploaded (USB token), or remote signing confirmed by OTP.

A signature is accepted only when intact, covering the whole file, chained to a trusted root and the applicant's
(Luật Giao dịch điện tử 2023; NĐ 23/2025/NĐ-CP on electronic signatures).
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.issuer import issuer_of
from dvc.catalog import eform
from dvc.catalog.printable import filled_form_pdf
from dvc.dossiers.lifecycle.events import record_event
from dvc.dossiers.lifecycle.states import EDITABLE
from dvc.dossiers.models import Dossier
from dvc.errors import Conflict, InvalidInput
from dvc.vault.inspection import inspect_upload
from dvc.vault.models import RemoteSigning, StoredFile
from dvc.vault.remote_signing import remote_signing_confirm, remote_signing_start
from dvc.vault.services import stored_file_save
from dvc.vault.signing import SignatureReport, holder_id_number, revision_count, verify_signed_pdf


def declaration_pdf(dossier: Dossier) -> bytes:
    """The declaration as the applicant signs it: the e-form filled with the stored answers, rendered the same
    way every time for the same answers ("In biểu mẫu" gives these bytes)."""
    addressee = issuer_of(dossier.agency).name
    return filled_form_pdf(dossier.procedure, dossier.form_data, created=dossier.created_at, addressee=addressee)


def declaration_sha256(dossier: Dossier) -> str:
    return hashlib.sha256(declaration_pdf(dossier)).hexdigest()


def signer_matches(report: SignatureReport, applicant: User) -> bool:
    """The certificate is the applicant's own: it states exactly their id number (a namesake is someone else).

    Luật Giao dịch điện tử 2023: a signature identifies its holder; the name alone identifies nobody.
    """
    stated = {holder_id_number(value) for value in report.signer_ids} - {""}
    return bool(applicant.id_number) and applicant.id_number in stated


def dossier_attach_signed_form(*, dossier: Dossier, actor: User, upload: UploadedFile) -> Dossier:
    """The e-form PDF signed by the applicant with their own certificate (seed 000 step 7).

    Refused unless the signature is intact, covers the whole file, chains to a trusted root and belongs to
    the applicant; nothing is stored for a refused file.
    """
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
    stream = upload.file
    if stream is None:
        raise InvalidInput({"file": [_("Vui lòng chọn tệp để tải lên.")]})
    inspect_upload(stream, name=upload.name or "", allowed=["pdf"], max_bytes=10 * 1024 * 1024)
    stream.seek(0)
    data = stream.read()
    try:
        report = verify_signed_pdf(data)
    except InvalidInput as refused:
        message = _("%(reason)s Vui lòng ký tờ khai bằng chữ ký số của bạn rồi tải lên lại.") % {
            "reason": refused.message
        }
        raise InvalidInput({"file": [message]}, message=message) from refused
    if not signer_matches(report, dossier.applicant):
        message = _("Chữ ký số không phải của người nộp hồ sơ (%(name)s).") % {"name": report.signer_name}
        raise InvalidInput({"file": [message]}, message=message)
    declaration = declaration_pdf(dossier)
    # A PAdES signature is an incremental update: the signed file is the very bytes of the declaration, then the
    # signature as its only revision (anything in between would be signed too, and read as the declaration).
    if not data.startswith(declaration) or revision_count(data) != revision_count(declaration) + 1:
        message = _(
            "Tệp đã ký không phải tờ khai hiện tại của hồ sơ (tờ khai đã được sửa sau khi tải về). Vui lòng bấm "
            "“In biểu mẫu” để tải lại tờ khai, ký số rồi tải lên."
        )
        raise InvalidInput({"file": [message]}, message=message)
    return _keep_signed(dossier=dossier, actor=actor, upload=upload, report=report, declaration=declaration)


def _keep_signed(
    *, dossier: Dossier, actor: User, upload: UploadedFile, report: SignatureReport, declaration: bytes
) -> Dossier:
    stored = stored_file_save(owner=dossier.applicant, upload=upload, allowed=["pdf"], max_bytes=10 * 1024 * 1024)
    return set_signed_form(
        dossier=dossier,
        actor=actor,
        stored=stored,
        report=report,
        content_sha256=hashlib.sha256(declaration).hexdigest(),
    )


def set_signed_form(
    *, dossier: Dossier, actor: User, stored: StoredFile, report: SignatureReport, content_sha256: str
) -> Dossier:
    """Keep the signed declaration with the hash of what was signed: sending checks the answers still render it."""
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(
            signed_form=stored,
            signed_by=report.signer_name,
            signed_content_sha256=content_sha256,
            updated_at=timezone.now(),
        ):
            raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
        record_event(dossier, actor=actor, action="signed", note=report.signer_name)
    dossier.refresh_from_db()
    return dossier


def require_complete_declaration(dossier: Dossier) -> None:
    """A signature covers the declaration as it is: an unfinished one is completed first (walk-through, issue 18)."""
    if eform.validate_answers(dossier.procedure.form_schema or {}, dossier.form_data).errors:
        message = _("Vui lòng điền đủ tờ khai trước khi ký: chữ ký số xác nhận đúng những gì bạn đã khai.")
        raise Conflict(message, code="declaration_incomplete")


def dossier_remote_sign_start(*, dossier: Dossier, actor: User, ip: str, provider: str = "") -> RemoteSigning:
    """Sign the filled e-form at a remote-signing provider (CSC): the holder then confirms (its OTP, or its app)."""
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không sửa được nữa."), code="not_editable")
    require_complete_declaration(dossier)
    return remote_signing_start(holder=dossier.applicant, pdf=declaration_pdf(dossier), ip=ip, provider_name=provider)


def dossier_remote_sign_confirm(*, dossier: Dossier, actor: User, session_id: uuid.UUID, code: str, ip: str) -> Dossier:
    signed = remote_signing_confirm(holder=dossier.applicant, session_id=session_id, code=code, ip=ip)
    report = verify_signed_pdf(signed)
    declaration = declaration_pdf(dossier)
    if not signed.startswith(declaration) or revision_count(signed) != revision_count(declaration) + 1:
        # the answers changed while the signature was being confirmed
        message = _("Tờ khai đã được sửa trong lúc ký. Vui lòng ký lại.")
        raise InvalidInput({"otp": [message]}, message=message)
    upload = SimpleUploadedFile(f"to-khai-{dossier.procedure.code}-da-ky.pdf", signed, content_type="application/pdf")
    return _keep_signed(dossier=dossier, actor=actor, upload=upload, report=report, declaration=declaration)
