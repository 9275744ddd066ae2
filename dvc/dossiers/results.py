"""Result documents: generated from the procedure's template, signed by the agency (PAdES), verified by anyone.

The agency's certificate is a PKCS#12 file ``<agency code>.p12`` in ``DVC_SIGNING_PKCS12_DIR`` (password in
``DVC_SIGNING_PKCS12_PASSWORD``). Outside production, an agency without one gets a certificate from the
development CA on first use, kept under ``var/pki/agencies``. The signature carries a visible stamp in Vietnamese
with a QR code to the public verification page of that document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import string
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import QRStampStyle

from dvc.agencies.models import Agency
from dvc.catalog.printable import FONT_DIR, _Blank, _para, _shown, letterhead
from dvc.dossiers.models import Dossier
from dvc.errors import DomainError
from dvc.vault.pki import Identity, _write_private, dev_ca, issue_signing_identity
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
        if names and names[0].value == agency.name[:64] and identity.certificate.issuer == ca.certificate.subject:
            return identity, chain or [ca.certificate]
    # None yet, or the agency was renamed: a development certificate is cheap to reissue.
    identity = issue_signing_identity(issuer=ca, common_name=agency.name[:64], serial=agency.code, days=1825)
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    data = pkcs12.serialize_key_and_certificates(
        agency.code.encode(), identity.key, identity.certificate, [ca.certificate], encryption
    )
    _write_private(path, data)
    return identity, [ca.certificate]


class _Values(dict[str, str]):
    """Template values; an unknown ``$name`` stays visible rather than failing the whole document."""

    def __missing__(self, key: str) -> str:
        return "$" + key


def result_body(dossier: Dossier) -> str:
    """The body text: the procedure's template filled with the dossier's data, or a general one."""
    schema = dossier.procedure.form_schema or {}
    specs = {spec["name"]: spec for spec in schema.get("fields", [])}
    answers = {
        name: _shown(specs[name], value) if name in specs else str(value)
        for name, value in dossier.form_data.items()
        if not isinstance(value, dict | list)
    }
    applicant = dossier.applicant_data
    facts = {
        "ho_ten": applicant.get("full_name", ""),
        "so_dinh_danh": applicant.get("id_number", ""),
        "ma_ho_so": dossier.code or "",
        "co_quan": dossier.agency.name,
        "thu_tuc": dossier.procedure.name,
        "ngay": timezone.localdate().strftime("%d/%m/%Y"),
    }
    template = dossier.procedure.result_template.strip()
    if template:
        return string.Template(template).safe_substitute(_Values({**answers, **facts}))
    lines = [
        f"{dossier.agency.name} xác nhận đã giải quyết thủ tục {dossier.procedure.name} "
        f"(mã hồ sơ {facts['ma_ho_so']}) cho ông/bà {facts['ho_ten']}, số định danh cá nhân {facts['so_dinh_danh']}, "
        "với các thông tin sau:",
    ]
    for name, spec in specs.items():
        value = answers.get(name, "")
        # The facts the agency certifies: not the contact details or the applicant's own declaration box.
        if value and spec.get("type") not in ("address", "person", "group", "checkbox", "phone", "email"):
            lines.append(f"- {spec['label']}: {value}")
    return "\n".join(lines)


def result_pdf(dossier: Dossier) -> bytes:
    """The unsigned result document, ready for the leader to sign."""
    pdf = _Blank()
    letterhead(pdf, dossier.agency.name)
    pdf.set_font("BeVietnamPro", "I", 10)
    _para(pdf, 6, f"Số hồ sơ: {dossier.code}", align="R")
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "B", 14)
    _para(pdf, 8, (dossier.procedure.result_document or dossier.procedure.name).upper(), align="C")
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "", 11)
    for paragraph in result_body(dossier).splitlines():
        _para(pdf, 7, paragraph)
    pdf.ln(6)
    pdf.set_font("BeVietnamPro", "I", 10)
    _para(pdf, 6, f"Ngày {timezone.localdate():%d} tháng {timezone.localdate():%m} năm {timezone.localdate():%Y}", "R")
    pdf.set_font("BeVietnamPro", "B", 11)
    _para(pdf, 6, "THỦ TRƯỞNG CƠ QUAN", align="R")
    return bytes(pdf.output())


@cache
def _stamp_font() -> GlyphAccumulatorFactory:
    return GlyphAccumulatorFactory(str(FONT_DIR / "BeVietnamPro-Regular.ttf"), font_size=7)


def sign_result(pdf: bytes, *, agency: Agency, verify_url: str, signer_name: str, when: dt.datetime) -> bytes:
    """A PAdES signature by the agency over the whole document, with a visible Vietnamese stamp and QR code."""
    identity, chain = agency_identity(agency)
    pdf_key = simple_signer(identity, chain)
    local = timezone.localtime(when)
    agency_name, signer = agency.name.replace("%", "%%"), signer_name.replace("%", "%%")  # pyHanko fills %(url)s
    style = QRStampStyle(
        stamp_text=(
            f"Ký bởi: {agency_name}\nNgười ký: {signer}\nThời gian ký: {local:%H:%M %d/%m/%Y}\n"
            "Kiểm tra văn bản: quét mã QR hoặc mở\n%(url)s"
        ),
        text_box_style=TextBoxStyle(font=_stamp_font()),
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
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=-1, box=(300, 48, 560, 118)),
    )
    output = pdf_signer.sign_pdf(writer, appearance_text_params={"url": verify_url})
    return bytes(output.getvalue())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verification_facts(issued: Any) -> dict[str, Any]:
    """What the public verification page may show: issuing agency, date, dossier code; no personal data."""
    return {
        "agency": issued.agency_name,
        "agency_code": issued.agency_code,
        "document": issued.document_title,
        "signed_at": issued.signed_at,
        "code": issued.dossier.code,
    }
