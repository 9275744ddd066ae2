"""Certificates: the trust roots signatures are checked against, and the development CA.

In development a CA is created on first use under ``var/pki`` (key kept with 0600 permissions); it issues the
certificates of the built-in remote-signing provider. In production the trust roots are the PEM files named by
``DVC_TRUST_ROOTS`` (the national root CA and licensed signing-service CAs); the development CA is not trusted
unless ``DVC_TRUST_DEV_CA`` is set.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

_lock = threading.Lock()


@dataclass(frozen=True)
class Identity:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name(common_name: str, serial: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if serial:
        parts.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(parts)


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def _pki_dir() -> Path:
    return Path(settings.VAR_DIR) / "pki"


def dev_ca() -> Identity:
    """The development CA, created on first use (10 years, EC P-256)."""
    folder = _pki_dir()
    key_path, cert_path = folder / "dev-ca.key.pem", folder / "dev-ca.cert.pem"
    with _lock:
        if not cert_path.exists():
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name("DVC Development CA (không dùng cho giao dịch thật)")
            certificate = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(_now() - dt.timedelta(days=1))
                .not_valid_after(_now() + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
                )
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256())
            )
            write_private(
                key_path,
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                ),
            )
            cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path} is not the EC key of the development CA")
    return Identity(key=loaded, certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()))


def issue_signing_identity(*, issuer: Identity, common_name: str, serial: str, days: int = 730) -> Identity:
    """A signing certificate for a person (digital signature, non-repudiation, document signing)."""
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, serial))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(minutes=5))
        .not_valid_after(_now() + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Identity(key=key, certificate=certificate)


@cache
def _configured_roots(paths: tuple[str, ...]) -> tuple[x509.Certificate, ...]:
    roots: list[x509.Certificate] = []
    for path in paths:
        roots.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    return tuple(roots)


def trust_roots() -> list[x509.Certificate]:
    roots = list(_configured_roots(tuple(settings.DVC_TRUST_ROOTS)))
    if settings.DVC_TRUST_DEV_CA:
        roots.append(dev_ca().certificate)
    return roots
