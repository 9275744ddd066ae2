"""How messages leave and how referenced files are fetched: the outbound adapters.

- ``http`` (default): POST the signed envelope as JSON to the platform's endpoint (``DVC_EXCHANGE_URL``; outside
  production, without one, the portal's own exchange sandbox). 200/202 with ``{"status": "accepted"|"duplicate"}``
  is delivered; a 4xx other than 408/429 is refused for good; anything else is tried again later.
- ``file``: write the envelope to ``DVC_EXCHANGE_OUTBOX/<id>.json`` (written to a temporary name, then renamed),
  for a platform agent that collects files, and for tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

MAX_FETCH_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20
FETCH_SECONDS = 60  # the whole download, however slowly the bytes come


class DeliveryError(Exception):
    def __init__(self, message: str, *, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


def endpoint() -> str:
    if settings.DVC_EXCHANGE_URL:
        return str(settings.DVC_EXCHANGE_URL)
    if settings.DVC_EXCHANGE_SANDBOX:
        return f"{settings.SITE_URL}/lien-thong-thu-nghiem/v1/messages"
    return ""


def send(envelope: dict[str, Any]) -> str:
    """Deliver one envelope; the receiver's answer ("accepted", "duplicate", "written"), else DeliveryError."""
    if settings.DVC_EXCHANGE_ADAPTER == "file":
        folder = Path(settings.DVC_EXCHANGE_OUTBOX)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{envelope['message']['id']}.json"
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(envelope, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, target)
        return "written"
    url = endpoint()
    if not url:
        raise DeliveryError("DVC_EXCHANGE_URL chưa được cấu hình.")
    try:
        response = requests.post(url, json=envelope, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise DeliveryError(f"Không kết nối được trục liên thông: {exc.__class__.__name__}") from exc
    if response.status_code in (200, 202):
        try:
            return str(response.json().get("status", "accepted"))
        except ValueError:
            return "accepted"
    final = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
    raise DeliveryError(f"HTTP {response.status_code}: {response.text[:300]}", final=final)


def file_hosts() -> set[str]:
    """Where files sent by reference may be fetched from: the platform (or, outside production, the exchange
    sandbox) and the hosts named in ``DVC_EXCHANGE_FILE_HOSTS``; never an address a message alone names."""
    hosts = {host.lower() for host in settings.DVC_EXCHANGE_FILE_HOSTS}
    for url in (settings.DVC_EXCHANGE_URL, endpoint()):
        if url:
            hosts.add((urlsplit(url).hostname or "").lower())
    return hosts - {""}


def fetch(reference: dict[str, Any]) -> bytes:
    """The bytes of a file sent by reference (``url``, ``sha256``) from an allowed host (no redirects, 20 MB,
    60 s in all), checked against its digest."""
    url, digest = reference.get("url"), reference.get("sha256")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or not isinstance(digest, str):
        raise DeliveryError("Tệp đính kèm không có địa chỉ hoặc mã băm hợp lệ.", final=True)
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError as exc:  # "http://[::1" and the like
        raise DeliveryError("Địa chỉ tải tệp không hợp lệ.", final=True) from exc
    if host not in file_hosts():
        raise DeliveryError("Địa chỉ tải tệp không thuộc nền tảng liên thông: không tải.", final=True)
    deadline = time.monotonic() + FETCH_SECONDS
    try:
        with requests.get(url, timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False) as response:
            if response.status_code != 200:
                raise DeliveryError(f"Không tải được tệp đính kèm: HTTP {response.status_code}")
            content = b""
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > MAX_FETCH_BYTES:
                    raise DeliveryError("Tệp đính kèm quá lớn.", final=True)
                if time.monotonic() > deadline:
                    raise DeliveryError("Tải tệp đính kèm quá lâu.")
    except requests.RequestException as exc:
        raise DeliveryError(f"Không tải được tệp đính kèm: {exc.__class__.__name__}") from exc
    if hashlib.sha256(content).hexdigest() != digest.lower():
        raise DeliveryError("Tệp đính kèm không khớp mã băm đã ký.", final=True)
    return content
