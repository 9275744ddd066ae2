"""Remote signing, the way Vietnamese remote-signing services work: the portal reserves the signature in the PDF
and computes the document's digest, the holder confirms at the provider (a code it sends, or its app), and the
provider's signature (a CMS made by pyHanko's CSC signer, ``dvc.vault.csc``) is embedded in the reserved place.

Every provider speaks the Cloud Signature Consortium API; outside production the portal's own CSC sandbox
(``dvc.vault.csc_sandbox``) is one of them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfSigner, PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dvc.errors import Conflict, InvalidInput, NotFound
from dvc.vault import csc
from dvc.vault.models import RemoteSigning
from dvc.vault.signing import asn1_certificate

SESSION_MINUTES = 10
_RESERVED = 32768  # bytes kept in the PDF for the CMS (hex): a chain of three or four RSA certificates fits


def remote_signing_start(*, holder: Any, pdf: bytes, ip: str, provider_name: str = "") -> RemoteSigning:
    """Reserve the signature in ``pdf`` with the holder's certificate at the chosen provider, have the provider ask
    the holder (its OTP, or its app), and keep the prepared PDF and digest until confirmation."""
    choices = csc.providers()
    if not choices:
        raise Conflict(_("Cổng chưa kết nối dịch vụ ký số từ xa nào."), code="csc_none")
    chosen = csc.provider_named(provider_name) if provider_name else choices[0]
    credential = csc.find_credential(chosen, holder.id_number)
    chain = credential.chain
    external = signers.ExternalSigner(
        signing_cert=asn1_certificate(chain[0]),
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in chain[1:]]),
        signature_value=bytes(80),
    )
    pdf_signer = PdfSigner(signers.PdfSignatureMetadata(field_name="ChuKyNguoiKhai"), signer=external)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = io.BytesIO()
    prepared, _tbs, _output = asyncio.run(
        pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=_RESERVED, output=output)
    )
    if credential.needs_otp:
        csc.send_otp(chosen, credential.credential_id)
    return RemoteSigning.objects.create(
        owner=holder,
        provider=chosen.name,
        transaction_id=credential.credential_id,
        needs_code=credential.needs_otp,
        prepared_pdf=output.getvalue(),
        document_digest=prepared.document_digest,
        region_start=prepared.reserved_region_start,
        region_end=prepared.reserved_region_end,
        expires_at=timezone.now() + dt.timedelta(minutes=SESSION_MINUTES),
    )


def remote_signing_confirm(*, holder: Any, session_id: uuid.UUID, code: str, ip: str) -> bytes:
    """The signed PDF, once the holder confirmed at the provider."""
    session = RemoteSigning.objects.filter(pk=session_id, owner=holder).first()
    if session is None or session.completed_at is not None:
        raise NotFound(_("Yêu cầu ký số không còn hiệu lực. Vui lòng ký lại."), code="signing_not_found")
    if session.expires_at <= timezone.now():
        raise Conflict(_("Yêu cầu ký số đã hết hạn. Vui lòng ký lại."), code="signing_expired")
    digest = bytes(session.document_digest)
    if session.needs_code and not code.strip():
        message = _("Vui lòng nhập mã xác nhận nhà cung cấp dịch vụ ký số gửi cho bạn.")
        raise InvalidInput({"otp": [message]}, message=message)
    chosen = csc.provider_named(session.provider)
    cms = csc.sign_digest(chosen, session.transaction_id, digest, code.strip())
    output = io.BytesIO(bytes(session.prepared_pdf))
    PdfTBSDocument.finish_signing(
        output, PreparedByteRangeDigest(digest, session.region_start, session.region_end), cms
    )
    with transaction.atomic():
        if not RemoteSigning.objects.filter(pk=session.pk, completed_at__isnull=True).update(
            completed_at=timezone.now()
        ):
            raise Conflict(_("Yêu cầu ký số này đã được dùng."), code="signing_used")
    return output.getvalue()
