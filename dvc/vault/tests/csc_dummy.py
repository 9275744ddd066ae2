"""An independent CSC server for tests: PyPI's certomancer-csc-dummy (by pyHanko's author) on loopback.

Its PKI is a Certomancer architecture made here: a root CA, a signing certificate for a citizen whose subject
serialNumber states "CCCD:<id number>" (as Vietnamese certificates do), another person's, and an OCSP responder
(Certomancer's own, served beside the CSC API) named in the certificates' AIA extension.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from asn1crypto import pem
from certomancer import registry
from certomancer.integrations.aiohttp_animator import build_animator_app
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams  # type: ignore[import-untyped]

ARCH = "dvc"
AN = "001085012345"
PEOPLE = {
    "an": ("Nguyễn Văn An", f"CCCD:{AN}"),
    "namesake": ("Nguyễn Văn An", "CCCD:001085099999"),  # same name, another person
    "revoked": ("Trần Văn Thu Hồi", "CCCD:001080000444"),
}


@dataclass
class DummyCsc:
    url: str
    root_pem: Path
    config: Any

    def credential(self, label: str) -> str:
        return f"{ARCH}/{label}"


def _key(folder: Path, name: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    (folder / f"{name}.key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _config(folder: Path, people: dict[str, tuple[str, str]], url: str, revoked: set[str]) -> dict[str, Any]:
    for name in ("root", "ocsp", *people):
        _key(folder, name)
    validity = {"valid-from": "2024-01-01T00:00:00+0000", "valid-to": "2050-01-01T00:00:00+0000"}
    signer_extensions = [
        {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage",
                                                              "params": ["digital_signature", "non_repudiation"]}},
        {"id": "authority_information_access",
         "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["root-ocsp"]}}},
    ]  # fmt: skip
    certs: dict[str, Any] = {
        "root": {"subject": "root", "issuer": "root", "validity": validity, "extensions": [
            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
            {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage",
                                                                  "params": ["key_cert_sign", "crl_sign"]}},
        ]},
        "ocsp": {"subject": "ocsp", "issuer": "root", "validity": validity, "extensions": [
            {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage",
                                                                  "params": ["digital_signature"]}},
            {"id": "extended_key_usage", "value": ["ocsp_signing"]},
            {"id": "ocsp_no_check"},
        ]},
    }  # fmt: skip
    for name in people:
        certs[name] = {"subject": name, "issuer": "root", "validity": validity, "extensions": signer_extensions}
        if name in revoked:
            certs[name]["revocation"] = {"revoked-since": "2025-01-01T00:00:00+0000", "reason": "key_compromise"}
    entities: dict[str, Any] = {"root": {"common-name": "CA thử nghiệm độc lập"}, "ocsp": {"common-name": "OCSP"}}
    for name, (full_name, serial) in people.items():
        entities[name] = {"common-name": full_name, "serial-number": serial}
    return {
        "external-url-prefix": url,
        "keysets": {"dvc": {"path-prefix": str(folder), "keys": {n: {"path": f"{n}.key.pem"} for n in ("root", "ocsp",
                                                                                                       *people)}}},
        "pki-architectures": {
            ARCH: {
                "keyset": "dvc",
                "entity-defaults": {"country-name": "VN"},
                "entities": entities,
                "certs": certs,
                "services": {"ocsp": {"root-ocsp": {"for-issuer": "root", "responder-cert": "ocsp",
                                                    "signing-key": "ocsp"}}},
            }
        },
    }  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(
    folder: Path, people: dict[str, tuple[str, str]], revoked: frozenset[str] = frozenset()
) -> Iterator[DummyCsc]:
    """Start the dummy CSC server (and Certomancer's OCSP responder) on a free loopback port."""
    loop = asyncio.new_event_loop()
    runner_box: dict[str, Any] = {}
    started = threading.Event()

    async def start() -> None:
        port, services_port = _free_port(), _free_port()
        url, services_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{services_port}"
        spec = _config(folder, people, services_url, set(revoked))
        config = registry.CertomancerConfig(spec, key_search_dir=str(folder))
        csc = CSCWithCertomancer(config, service_params=DummyServiceParams(hash_pinning_required=True))
        csc.register_routes()
        runners = []
        for app, at in ((csc.app, port), (build_animator_app(config.pki_archs, with_web_ui=False), services_port)):
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", at).start()
            runners.append(runner)
        runner_box.update(runners=runners, url=url, config=config)
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    started.wait(20)
    config = runner_box["config"]
    root = config.get_pki_arch(registry.ArchLabel(ARCH)).get_cert(registry.CertLabel("root"))
    root_pem = folder / "root.cert.pem"
    root_pem.write_bytes(pem.armor("CERTIFICATE", root.dump()))
    try:
        yield DummyCsc(url=runner_box["url"], root_pem=root_pem, config=config)
    finally:
        for runner in runner_box["runners"]:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
