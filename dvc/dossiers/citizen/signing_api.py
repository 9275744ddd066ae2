"""Signing a dossier's declaration through the API (issue 18, part 6): upload a declaration signed elsewhere (a USB
token, a signing application), or sign it remotely through the remote-signing provider (start, poll, confirm),
so that an API client can file every procedure, those requiring a signature included. The same services as the
pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from dvc.accounts.auth import authed_user, bearer
from dvc.accounts.throttle import client_ip
from dvc.documents.responses import pdf_response
from dvc.dossiers.citizen import selectors, signing
from dvc.errors import NotFound
from dvc.vault import csc
from dvc.vault.models import RemoteSigning

router = Router(tags=["Hồ sơ"])
_ERRORS: dict[int, type[dict[str, object]]] = {400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class SignedFormOut(Schema):
    signed_by: str = Field(description="Người ký, theo chứng thư số")
    signed_form_id: uuid.UUID = Field(description="Tệp tờ khai đã ký trong kho dữ liệu")


class RemoteSigningOut(Schema):
    session_id: uuid.UUID
    status: str = Field(description="pending: chờ người ký xác nhận; completed; expired")
    provider: str = Field(description="Nhà cung cấp dịch vụ ký số từ xa (CSC)")
    needs_code: bool = Field(description="true: nhập mã OTP nhà cung cấp gửi; false: người ký đồng ý trên ứng dụng")
    expires_at: dt.datetime


class ProviderOut(Schema):
    name: str
    label: str


class ConfirmIn(Schema):
    code: str = Field(
        default="", max_length=16, description="Mã xác nhận từ nhà cung cấp (để trống khi đã đồng ý trên ứng dụng)"
    )


def _signed(dossier_id: uuid.UUID, request: HttpRequest) -> SignedFormOut:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    if dossier.signed_form_id is None:
        raise NotFound(code="not_signed")
    return SignedFormOut(signed_by=dossier.signed_by, signed_form_id=dossier.signed_form_id)


def _session_out(session: RemoteSigning) -> RemoteSigningOut:
    status = "completed" if session.completed_at else ("expired" if session.expires_at <= timezone.now() else "pending")
    return RemoteSigningOut(
        session_id=session.pk,
        status=status,
        provider=session.provider,
        needs_code=session.needs_code,
        expires_at=session.expires_at,
    )


@router.get(
    "/signing-providers", auth=bearer, response={200: list[ProviderOut], 401: dict}, summary="Dịch vụ ký số từ xa"
)
def signing_providers(request: HttpRequest) -> list[ProviderOut]:
    """The remote-signing providers (Cloud Signature Consortium API) connected to the portal."""
    return [ProviderOut(name=p.name, label=p.label) for p in csc.providers()]


@router.get(
    "/dossiers/{dossier_id}/declaration",
    auth=bearer,
    response={200: None, 401: dict, 404: dict},
    summary="Tờ khai (PDF) để ký số",
)
def declaration(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The declaration exactly as it is to be signed (the current answers); sign it and upload it to
    ``…/signed-form``."""
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    return pdf_response(signing.declaration_pdf(dossier), f"to-khai-{dossier.procedure.code}.pdf", download=True)


@router.post(
    "/dossiers/{dossier_id}/signed-form",
    auth=bearer,
    response={201: SignedFormOut, **_ERRORS},
    summary="Tải lên tờ khai đã ký số",
)
def upload_signed_form(request: HttpRequest, dossier_id: uuid.UUID, file: File[UploadedFile]) -> Status[SignedFormOut]:
    """The declaration (``GET …/form.pdf``) signed with the applicant's own certificate: the signature must be
    intact, cover the whole file, chain to a trusted root, belong to the applicant and sign the current answers."""
    user = authed_user(request)
    dossier = selectors.dossier_of(user, dossier_id)
    signing.dossier_attach_signed_form(dossier=dossier, actor=user, upload=file)
    return Status(201, _signed(dossier_id, request))


@router.post(
    "/dossiers/{dossier_id}/remote-signing",
    auth=bearer,
    response={201: RemoteSigningOut, **_ERRORS},
    summary="Ký số từ xa: bắt đầu",
)
def remote_signing_start(
    request: HttpRequest,
    dossier_id: uuid.UUID,
    provider: str = Query("", max_length=32, description="Tên nhà cung cấp (GET /signing-providers)"),
) -> Status[RemoteSigningOut]:
    """Prepares the declaration with the applicant's certificate at the provider (the first one unless named); the
    signer then receives the provider's code (``needs_code``) or approves in its app; then ``…/confirm``."""
    user = authed_user(request)
    dossier = selectors.dossier_of(user, dossier_id)
    session = signing.dossier_remote_sign_start(dossier=dossier, actor=user, ip=client_ip(request), provider=provider)
    return Status(201, _session_out(session))


@router.get(
    "/dossiers/{dossier_id}/remote-signing/{session_id}",
    auth=bearer,
    response={200: RemoteSigningOut, 401: dict, 404: dict},
    summary="Ký số từ xa: trạng thái",
)
def remote_signing_status(request: HttpRequest, dossier_id: uuid.UUID, session_id: uuid.UUID) -> RemoteSigningOut:
    user = authed_user(request)
    selectors.dossier_of(user, dossier_id)
    session = RemoteSigning.objects.filter(pk=session_id, owner=user).first()
    if session is None:
        raise NotFound(code="signing_not_found")
    return _session_out(session)


@router.post(
    "/dossiers/{dossier_id}/remote-signing/{session_id}/confirm",
    auth=bearer,
    response={200: SignedFormOut, **_ERRORS},
    summary="Ký số từ xa: xác nhận",
)
def remote_signing_confirm(
    request: HttpRequest, dossier_id: uuid.UUID, session_id: uuid.UUID, payload: ConfirmIn
) -> SignedFormOut:
    user = authed_user(request)
    dossier = selectors.dossier_of(user, dossier_id)
    signing.dossier_remote_sign_confirm(
        dossier=dossier, actor=user, session_id=session_id, code=payload.code.strip(), ip=client_ip(request)
    )
    return _signed(dossier_id, request)
