"""Remote signing, the way Vietnamese remote-signing services work: the portal sends the document's hash,
the holder confirms, the provider returns the signature (a CMS object) which the portal embeds in the PDF.

``RemoteSigningProvider`` is the interface a real service's adapter implements. ``DevelopmentProvider`` is the
built-in one: its certificates come from the development CA and the holder confirms with an SMS OTP.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfSigner, PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dvc.accounts.models import OtpChallenge
from dvc.accounts.services import otp_issue, sign_confirm
from dvc.errors import Conflict, NotFound
from dvc.vault import pki
from dvc.vault.models import RemoteSigning
from dvc.vault.signing import asn1_certificate

SESSION_MINUTES = 10
_RESERVED = 16384  # bytes kept in the PDF for the CMS (hex), ample for a certificate chain of two


class RemoteSigningProvider(Protocol):
    name: str

    def certificate_chain(self, *, holder: Any) -> list[x509.Certificate]:
        """The holder's signing certificate first, then its issuers."""
        ...

    def request(self, *, holder: Any, document_digest: bytes, ip: str) -> str:
        """Ask the holder to confirm signing ``document_digest``; returns the provider's transaction id."""
        ...

    def confirm(self, *, holder: Any, transaction_id: str, code: str, document_digest: bytes, ip: str) -> bytes:
        """The CMS signature (DER) once the holder has confirmed; raises a domain error otherwise."""
        ...


class DevelopmentProvider:
    """Built-in provider for development and demos: a key per person, certified by the development CA."""

    name = "dev"

    def _identity(self, holder: Any) -> pki.Identity:
        folder = Path(settings.VAR_DIR) / "pki" / "remote" / str(holder.pk)
        key_path, cert_path = folder / "key.pem", folder / "cert.pem"
        if not cert_path.exists():
            identity = pki.issue_signing_identity(
                issuer=pki.dev_ca(), common_name=holder.full_name, serial=f"CCCD:{holder.id_number}"
            )
            pki.write_private(
                key_path,
                identity.key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                ),
            )
            cert_path.write_bytes(identity.certificate.public_bytes(serialization.Encoding.PEM))
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("unexpected key type for the development signer")
        return pki.Identity(key=key, certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()))

    def certificate_chain(self, *, holder: Any) -> list[x509.Certificate]:
        return [self._identity(holder).certificate, pki.dev_ca().certificate]

    def request(self, *, holder: Any, document_digest: bytes, ip: str) -> str:
        challenge = otp_issue(user=holder, purpose=OtpChallenge.Purpose.SIGN, phone=holder.phone, ip=ip)
        return str(challenge.pk)

    def confirm(self, *, holder: Any, transaction_id: str, code: str, document_digest: bytes, ip: str) -> bytes:
        sign_confirm(challenge_id=uuid.UUID(transaction_id), user=holder, code=code, ip=ip)
        identity = self._identity(holder)
        signer = signers.SimpleSigner(
            signing_cert=asn1_certificate(identity.certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                identity.key.private_bytes(
                    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            ),
            cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(pki.dev_ca().certificate)]),
        )
        cms = asyncio.run(signer.async_sign(document_digest, "sha256", use_pades=True))
        return bytes(cms.dump())


def provider() -> RemoteSigningProvider:
    return DevelopmentProvider()


def remote_signing_start(*, holder: Any, pdf: bytes, ip: str) -> RemoteSigning:
    """Reserve the signature in ``pdf``, send its digest to the provider, keep the state until confirmation."""
    chosen = provider()
    chain = chosen.certificate_chain(holder=holder)
    external = signers.ExternalSigner(
        signing_cert=asn1_certificate(chain[0]),
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in chain[1:]]),
        signature_value=bytes(80),
    )
    pdf_signer = PdfSigner(signers.PdfSignatureMetadata(field_name="ChuKyNguoiKhai"), signer=external)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = io.BytesIO()
    prepared, _tbs, _ = asyncio.run(
        pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=_RESERVED, output=output)
    )
    transaction_id = chosen.request(holder=holder, document_digest=prepared.document_digest, ip=ip)
    return RemoteSigning.objects.create(
        owner=holder,
        provider=chosen.name,
        transaction_id=transaction_id,
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
    cms = provider().confirm(
        holder=holder, transaction_id=session.transaction_id, code=code, document_digest=digest, ip=ip
    )
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
