"""Extracts asked for with a civil-status registration ("bản sao trích lục", charged per copy in the catalog's
fees): each is its own paper, drawn from the same register entry as the paper itself, signed by the agency and
issued into the applicant's vault with its own verification page."""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

from django.conf import settings

from dvc.accounts.models import User
from dvc.agencies.issuer import issuer_of
from dvc.catalog.result_form import ResultForm
from dvc.dossiers.documents.result import Signing, result_pdf
from dvc.dossiers.models import Dossier, IssuedResult, RegisterEntry
from dvc.vault.agency_signing import sign_result
from dvc.vault.models import StoredFile
from dvc.vault.services import stored_file_from_bytes

MAX_COPIES = 10  # the e-form's own ceiling for "Số bản sao trích lục cần cấp"


@dataclass(frozen=True)
class SignedCopy:
    issued_id: uuid.UUID
    number: int
    content: bytes


def copies_asked(dossier: Dossier, form: ResultForm | None) -> int:
    if form is None or form.copies is None or not dossier.draft_generated:
        return 0
    asked = (dossier.form_data or {}).get(form.copies.field)
    return max(0, min(int(asked), MAX_COPIES)) if isinstance(asked, int | float) else 0


def sign_copies(
    dossier: Dossier, *, form: ResultForm, signing: Signing, actor: User, when: dt.datetime
) -> list[SignedCopy]:
    """The extracts, drawn and signed before anything is written (signing is the slow part)."""
    total = copies_asked(dossier, form)
    signed = []
    for number in range(1, total + 1):
        issued_id = uuid.uuid4()
        content = sign_result(
            result_pdf(dossier, signing, copy=(number, total)),
            agency=dossier.agency,
            verify_url=f"{settings.SITE_URL}/xac-minh/{issued_id}/",
            signer_name=actor.full_name,
            when=when,
        )
        signed.append(SignedCopy(issued_id, number, content))
    return signed


def issue_copies(
    stack: ExitStack,
    dossier: Dossier,
    copies: list[SignedCopy],
    *,
    form: ResultForm,
    entry: RegisterEntry | None,
    signer_name: str,
    when: dt.datetime,
    valid_until: dt.date | None,
) -> None:
    """Keep each extract in the applicant's vault, inside the approval's transaction."""
    if form.copies is None:
        return
    title = f"{form.copies.title} (bản sao)"
    for copy in copies:
        stored = stack.enter_context(
            stored_file_from_bytes(
                owner=dossier.applicant,
                content=copy.content,
                name=f"ban-sao-trich-luc-{dossier.code}-{copy.number}.pdf",
                document_type=form.document_type or "ket_qua",  # a certified extract stands in for the paper
                title=title,
            )
        )
        if valid_until:
            StoredFile.objects.filter(pk=stored.pk).update(valid_until=valid_until)
        IssuedResult.objects.create(
            id=copy.issued_id,
            dossier=dossier,
            stored_file=stored,
            agency_name=issuer_of(dossier.agency).name,
            agency_code=dossier.agency.code,
            document_title=title[:255],
            signer_name=signer_name,
            signed_at=when,
            sha256=stored.sha256,
            register_number=f"{entry.number}/{entry.book.label}" if entry else "",
            valid_until=valid_until,
            copy_number=copy.number,
        )
