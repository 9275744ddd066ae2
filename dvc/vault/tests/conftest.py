"""The independent CSC server (certomancer-csc-dummy) shared by the remote-signing and signature-login tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dvc.vault.tests import csc_dummy


@pytest.fixture(scope="module")
def dummy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[csc_dummy.DummyCsc]:
    with csc_dummy.running(tmp_path_factory.mktemp("csc"), csc_dummy.PEOPLE, revoked=frozenset({"revoked"})) as server:
        yield server


@pytest.fixture
def provider(dummy: csc_dummy.DummyCsc, settings: Any) -> csc_dummy.DummyCsc:
    settings.DVC_CSC_PROVIDERS = [
        {"name": "sandbox", "label": "Thử nghiệm", "url": "", "token": "dvc-csc-sandbox"},
        {"name": "doc-lap", "label": "Nhà cung cấp độc lập", "url": dummy.url, "token": "any"},
    ]
    settings.DVC_TRUST_ROOTS = [str(dummy.root_pem)]
    return dummy
