"""The citizen's papers: upload a file for a requirement, reuse one from the personal vault, remove one.

NĐ 45/2020/NĐ-CP: a paper the applicant already gave (in the vault, still valid) is not asked for again.
"""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.catalog.models import DocumentRequirement
from dvc.dossiers.lifecycle.states import EDITABLE
from dvc.dossiers.lifecycle.supplement_scope import require_paper_in_scope
from dvc.dossiers.models import Dossier, DossierAttachment, IssuedResult
from dvc.errors import Conflict, InvalidInput
from dvc.together import Insert, Update, writes_together
from dvc.vault.combine import paper_limit_mb
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_file_discard, stored_file_put
from dvc.vault.signing import verify_signed_pdf


def dossier_attach(
    *, dossier: Dossier, actor: User, requirement: DocumentRequirement, upload: UploadedFile, pages: int = 1
) -> DossierAttachment:
    """Add a file for one requirement after checking it; an earlier file for it is kept as replaced. ``pages`` > 1:
    the PDF combined from that many files (``vault.combine``), allowed the size of a whole paper."""
    if requirement.procedure_id != dossier.procedure_id:
        raise InvalidInput({"requirement": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
    require_paper_in_scope(dossier, requirement.pk)
    stored = stored_file_put(  # its row is written with the paper's (attach_stored)
        owner=dossier.applicant,
        upload=upload,
        allowed=list(requirement.accepted_types) or ["pdf", "jpg", "png"],
        max_bytes=(paper_limit_mb(requirement.max_size_mb) if pages > 1 else requirement.max_size_mb) << 20,
        document_type=requirement.vault_document_type,
        title=requirement.name,
    )
    return attach_stored(dossier=dossier, requirement=requirement, stored=stored)


def vault_choices(*, dossier: Dossier, requirement: DocumentRequirement) -> list[StoredFile]:
    """Documents in the applicant's vault that may stand in for ``requirement`` (same type, still valid); the same
    paper given to several dossiers is offered once, its newest copy (a walk-through found "Dùng cccd.jpg" three
    times)."""
    if not requirement.vault_document_type:
        return []
    today = timezone.localdate()
    found = StoredFile.objects.filter(
        owner=dossier.applicant,
        document_type=requirement.vault_document_type,
        kind__in=requirement.accepted_types or ["pdf", "jpg", "png"],
    ).exclude(valid_until__lt=today)
    offered: dict[str, StoredFile] = {}
    for stored in found.order_by("-created_at")[:50]:
        offered.setdefault(stored.sha256, stored)
    return list(offered.values())[:5]


def dossier_attach_from_vault(
    *, dossier: Dossier, actor: User, requirement: DocumentRequirement, stored: StoredFile
) -> DossierAttachment:
    """Use a document already in the applicant's vault: no paper is asked for twice (NĐ 45/2020)."""
    if requirement.procedure_id != dossier.procedure_id:
        raise InvalidInput({"requirement": [_("Giấy tờ này không thuộc thủ tục của hồ sơ.")]})
    require_paper_in_scope(dossier, requirement.pk)
    if stored.pk not in {s.pk for s in vault_choices(dossier=dossier, requirement=requirement)}:
        raise InvalidInput({"file": [_("Giấy tờ trong kho không dùng được cho mục này.")]})
    issued = IssuedResult.objects.filter(stored_file=stored).first()
    if issued is not None:  # a paper an agency issued here: its bytes must still be those signed, and valid
        with stored.file.open("rb") as handle:
            content = handle.read()
        try:
            intact = hashlib.sha256(content).hexdigest() == issued.sha256 and bool(verify_signed_pdf(content))
        except InvalidInput:
            intact = False
        if not intact:
            raise InvalidInput(
                {"file": [_("Giấy tờ này không còn nguyên như khi được cấp. Vui lòng tải lên bản khác.")]}
            )
    return attach_stored(dossier=dossier, requirement=requirement, stored=stored)


def attach_stored(*, dossier: Dossier, requirement: DocumentRequirement, stored: StoredFile) -> DossierAttachment:
    """Give ``stored`` as the dossier's paper for ``requirement``, the earlier one kept as replaced. A file just put
    in storage (``stored_file_put``) has its row written with the paper's, in one statement. When the paper is
    refused (the dossier sent meanwhile, the paper taken out of the catalog, even as the paper was being added),
    the file is still kept in the applicant's vault. When the database fails, its bytes are removed: the page says
    the upload did not go through."""
    new = stored._state.adding
    try:
        return _attach(dossier=dossier, requirement=requirement, stored=stored, new=new)
    except Conflict:
        if new:
            _keep(stored)
        raise
    except BaseException:
        if new:
            stored_file_discard(stored)
        raise


def _keep(stored: StoredFile) -> None:
    try:
        stored.save()
    except BaseException:
        stored_file_discard(stored)
        raise


def _attach(*, dossier: Dossier, requirement: DocumentRequirement, stored: StoredFile, new: bool) -> DossierAttachment:
    if dossier.status not in EDITABLE:
        raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
    try:
        with transaction.atomic():
            # The paper must still be in the catalog (another process's import may have taken it out while this one
            # held the procedure): checked in the same statement that marks the dossier changed.
            # The status is checked on the row being updated (a filter through the procedure's papers made a join,
            # and PostgreSQL then re-checked the status of the subquery's copy after waiting on a send's lock).
            in_catalog = DocumentRequirement.objects.filter(pk=requirement.pk, procedure_id=OuterRef("procedure_id"))
            current = Dossier.objects.filter(Exists(in_catalog), pk=dossier.pk, status__in=EDITABLE)
            if not current.update(updated_at=timezone.now()):
                if Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).exists():
                    raise _catalog_changed()
                raise Conflict(_("Hồ sơ đã được gửi, không thêm tệp được nữa."), code="not_editable")
            # The file's row, the earlier paper replaced and the new one added, in one statement on PostgreSQL
            # (issue 20, part 2). It starts after the update above has locked the dossier, so it sees a paper
            # another request attached first.
            attachment = DossierAttachment(dossier=dossier, requirement=requirement, stored_file=stored)
            earlier = DossierAttachment.objects.filter(
                dossier=dossier, requirement=requirement, replaced_at__isnull=True
            )
            file_row = [Insert(stored)] if new else []
            writes_together([*file_row, Update(earlier, {"replaced_at": timezone.now()}), Insert(attachment)])
    except IntegrityError as exc:
        # Foreign keys are checked at COMMIT: a paper an import took out of the catalog after the check above
        # fails there.
        if not DocumentRequirement.objects.filter(pk=requirement.pk).exists():
            raise _catalog_changed() from exc
        raise
    return attachment


def _catalog_changed() -> Conflict:
    return Conflict(
        _("Danh sách giấy tờ của thủ tục vừa được cập nhật. Vui lòng tải lại trang rồi đính kèm lại."),
        code="catalog_changed",
    )


def dossier_remove_attachment(*, dossier: Dossier, actor: User, attachment: DossierAttachment) -> None:
    require_paper_in_scope(dossier, attachment.requirement_id)
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(updated_at=timezone.now()):
            raise Conflict(_("Hồ sơ đã được gửi, không sửa được nữa."), code="not_editable")
        DossierAttachment.objects.filter(pk=attachment.pk, dossier=dossier, replaced_at__isnull=True).update(
            replaced_at=timezone.now()
        )
