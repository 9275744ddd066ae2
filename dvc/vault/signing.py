"""PAdES signatures: verify a PDF the citizen signed, and sign with an identity (built-in remote signer).

Verification (pyHanko) requires the signature to be cryptographically intact, to cover the whole file (nothing
added after signing), and to chain to one of the configured trust roots. Each failure has its own message.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dvc.errors import InvalidInput
from dvc.vault.pki import Identity, trust_roots


@dataclass(frozen=True)
class SignatureReport:
    signer_name: str
    signer_serial: str
    signed_at: str
    # What the certificate says identifies its holder: the subject's serialNumber and UID values. Vietnamese
    # certificates carry the personal id number there, often prefixed ("CCCD:001085012345", "CMND:…").
    signer_ids: tuple[str, ...] = ()


def holder_id_number(value: str) -> str:
    """The id number a certificate's serialNumber or UID states: "CCCD:001085012345", "CMND: 012345678" or the
    bare number; "" for anything else (a tax code "MST:…", a number with other digits around it)."""
    text = "".join(value.split()).upper()
    for prefix in ("CCCD:", "CMND:", "CCCD", "CMND"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text if text.isdigit() and len(text) in (9, 12) else ""


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": [message]}, message=message)


def verify_signed_pdf(data: bytes) -> SignatureReport:
    """Check the last signature of ``data``; raises ``InvalidInput`` saying what is wrong."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise _refuse(_("Tệp PDF bị hỏng, không đọc được chữ ký.")) from exc
    if not signatures:
        raise _refuse(_("Tệp PDF chưa có chữ ký số."))
    roots = [asn1_certificate(root) for root in trust_roots()]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except (SigningError, ValueError, KeyError, TypeError) as exc:
        raise _refuse(_("Không kiểm tra được chữ ký số trong tệp.")) from exc
    if not status.intact or not status.valid:
        raise _refuse(_("Chữ ký số không hợp lệ: nội dung tệp đã bị sửa sau khi ký."))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise _refuse(_("Tệp đã bị thêm nội dung sau khi ký. Vui lòng tải lên đúng tệp vừa ký."))
    if not status.trusted:
        raise _refuse(_("Chứng thư số của người ký không do tổ chức cung cấp dịch vụ chứng thực được công nhận cấp."))
    subject = status.signing_cert.subject.native
    ids = [subject.get("serial_number"), subject.get("user_id")]
    return SignatureReport(
        signer_name=str(subject.get("common_name", "")),
        signer_serial=str(subject.get("serial_number", "")),
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else "",
        signer_ids=tuple(str(value) for value in ids if value),
    )


def revision_count(data: bytes) -> int:
    """How many revisions a PDF has: the original, then one per incremental update (a signature is one)."""
    try:
        return int(PdfFileReader(io.BytesIO(data), strict=False).xrefs.total_revisions)
    except (PdfReadError, ValueError, KeyError, TypeError):
        return 0


def simple_signer(identity: Identity, chain: list[x509.Certificate]) -> signers.SimpleSigner:
    """pyHanko's signer for a key held here, with its certificate chain embedded in each signature."""
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            identity.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in chain]),
    )


def sign_pdf(data: bytes, *, identity: Identity, chain: list[x509.Certificate], reason: str = "") -> bytes:
    """A PAdES signature over the whole of ``data`` with ``identity`` (its certificate chain embedded)."""
    signer = simple_signer(identity, chain)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="ChuKyNguoiKhai", reason=reason or None, subfilter=None)
    output = signers.sign_pdf(writer, meta, signer=signer)
    return output.getvalue()
