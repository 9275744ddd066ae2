"""The agency's signature on result documents (PAdES), with a visible Vietnamese stamp and a QR code.

The agency's certificate is a PKCS#12 file ``<agency code>.p12`` in ``DVC_SIGNING_PKCS12_DIR`` (password in
``DVC_SIGNING_PKCS12_PASSWORD``). Outside production, an agency without one gets a certificate from the
development CA on first use, kept under ``var/pki/agencies``. The stamp's QR code opens the public verification
page of that document (Luật Giao dịch điện tử 2023: a signature the recipient can verify).
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import QRStampStyle

from dvc.agencies.issuer import issuer_of
from dvc.agencies.models import Agency
from dvc.documents.pdf import FONT_DIR
from dvc.errors import DomainError
from dvc.vault.pki import Identity, dev_ca, issue_signing_identity, write_private
from dvc.vault.signing import simple_signer

SIGNATURE_FIELD = "ChuKyCoQuan"


def _load_p12(path: Path, password: str) -> tuple[Identity, list[x509.Certificate]]:
    key, certificate, extra = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode() or None)
    if key is None or certificate is None:
        raise DomainError(_("Tệp chứng thư số của cơ quan không có khoá ký."), code="agency_certificate")
    return Identity(key=key, certificate=certificate), list(extra or [])  # type: ignore[arg-type]


def agency_identity(agency: Agency) -> tuple[Identity, list[x509.Certificate]]:
    """The agency's signing key and certificate chain."""
    password = settings.DVC_SIGNING_PKCS12_PASSWORD
    if settings.DVC_SIGNING_PKCS12_DIR:
        configured = Path(settings.DVC_SIGNING_PKCS12_DIR) / f"{agency.code}.p12"
        if configured.exists():
            return _load_p12(configured, password)
    if not settings.DVC_TRUST_DEV_CA:
        raise DomainError(
            _("Cơ quan chưa được cấu hình chứng thư số để ký kết quả. Vui lòng liên hệ quản trị hệ thống."),
            code="agency_certificate",
        )
    path = Path(settings.VAR_DIR) / "pki" / "agencies" / f"{agency.code}.p12"
    ca = dev_ca()
    if path.exists():
        identity, chain = _load_p12(path, password)
        names = identity.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if (
            names
            and names[0].value == issuer_of(agency).name[:64]
            and identity.certificate.issuer == ca.certificate.subject
        ):
            return identity, chain or [ca.certificate]
    # None yet, or the agency was renamed: a development certificate is cheap to reissue.
    identity = issue_signing_identity(issuer=ca, common_name=issuer_of(agency).name[:64], serial=agency.code, days=1825)
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    data = pkcs12.serialize_key_and_certificates(
        agency.code.encode(), identity.key, identity.certificate, [ca.certificate], encryption
    )
    write_private(path, data)
    return identity, [ca.certificate]


def with_signature_field(pdf: bytes, page: int, box: tuple[int, int, int, int]) -> bytes:
    """``pdf`` with an empty signature field where the layout put the signature block, for ``sign_result``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=page, box=box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _has_field(pdf: bytes) -> bool:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return any(name == SIGNATURE_FIELD for name, _value, _ref in fields.enumerate_sig_fields(reader))


@cache
def _stamp_font() -> GlyphAccumulatorFactory:
    return GlyphAccumulatorFactory(str(FONT_DIR / "BeVietnamPro-Regular.ttf"), font_size=9)


def sign_result(pdf: bytes, *, agency: Agency, verify_url: str, signer_name: str, when: dt.datetime) -> bytes:
    """A PAdES signature by the agency over the whole document, with a visible Vietnamese stamp and QR code: in the
    signature block's field when the layout left one, else at the foot of the last page (a PDF made elsewhere)."""
    identity, chain = agency_identity(agency)
    pdf_key = simple_signer(identity, chain)
    local = timezone.localtime(when)
    # Short lines at 9 pt, so that pyHanko does not shrink the text to fit the box (the QR code carries the
    # verification address; printed in full it made every line unreadably small).
    lines = [
        *textwrap.wrap(f"Ký bởi: {issuer_of(agency).name}", 28),
        *textwrap.wrap(f"Người ký: {signer_name}", 28),
        f"Thời gian: {local:%H:%M %d/%m/%Y}",
        "Quét mã QR để kiểm tra",
    ]
    style = QRStampStyle(
        stamp_text="\n".join(line.replace("%", "%%") for line in lines),  # pyHanko fills %(name)s
        text_box_style=TextBoxStyle(font=_stamp_font(), font_size=9, leading=11),
        border_width=1,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, reason=_("Ký số văn bản kết quả giải quyết thủ tục hành chính"), location="Việt Nam"
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=pdf_key,
        stamp_style=style,
        new_field_spec=None
        if _has_field(pdf)
        else fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=-1, box=(300, 48, 560, 130)),
    )
    output = pdf_signer.sign_pdf(writer, appearance_text_params={"url": verify_url})
    return bytes(output.getvalue())
