"""Shared test fixtures: the official administrative units loaded once, a private outbox, the task worker."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from dvc.agencies.services import admin_units_load
from dvc.catalog.services import catalog_import
from dvc.dossiers.citizen.sending import dossier_submit
from dvc.web.demo import DEMO_CATALOG


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Every test database starts with the official administrative units and the demo catalog."""
    with django_db_blocker.unblock():
        admin_units_load()
        catalog_import(data=json.loads(DEMO_CATALOG.read_text(encoding="utf-8")))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "run_last: a transactional test; it empties the database, so it runs at the end")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests flush every table (the loaded reference data too): run them after all others."""
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)


class Outbox:
    """The file outbox of a test: SMS JSON files and e-mail files, as a demo user reads them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def sms(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.path.glob("sms-*.json"))]

    def last_otp(self, phone: str | None = None) -> str:
        """Run pending deliveries, then read the newest code sent (to ``phone`` when given)."""
        run_tasks()
        for message in reversed(self.sms()):
            if phone is None or message["to"] == phone:
                found = re.search(r"\b(\d{6})\b", message["body"])
                if found:
                    return found.group(1)
        raise AssertionError("no OTP in the outbox")


def run_tasks(limit: int = 1000) -> None:
    """Run every task that is due with the real worker's task runner, as `manage.py db_worker --batch` does.

    The command itself closes the database connection between tasks, which would end the test's transaction.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )
    for _ in range(limit):
        task = DBTaskResult.objects.ready().filter(backend_name="default").order_by("enqueued_at").first()
        if task is None:
            return
        task.claim(worker.worker_id)
        worker.run_task(task)
    raise AssertionError(f"more than {limit} tasks: a task keeps re-enqueueing itself")


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    """Each test's database rolls back; the in-memory catalog index must not outlive it, nor the province cache, nor
    a cached page."""
    from django.core.cache import cache

    from dvc.agencies import calendar_held, units
    from dvc.catalog import held, search_index
    from dvc.stats import services as stats_services

    units.forget()
    calendar_held.forget()
    held.forget()
    search_index._index = None
    search_index.forget_version()
    stats_services._provinces.clear()
    cache.clear()


@pytest.fixture(autouse=True)
def _captcha_accepts_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests answer the security code with "PASSED"; one test turns this off to prove the check is real."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.fixture(autouse=True)
def _private_dirs(settings: Any, tmp_path: Path) -> None:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Messages to agencies outside the portal are written to a folder unless a test serves the exchange sandbox.
    settings.DVC_EXCHANGE_ADAPTER = "file"
    settings.DVC_EXCHANGE_OUTBOX = tmp_path / "exchange"


@pytest.fixture
def outbox(settings: Any) -> Outbox:
    return Outbox(Path(settings.OUTBOX_DIR))


@pytest.fixture
def tasks() -> Iterator[Any]:
    yield run_tasks


@pytest.fixture
def submitted_dossier() -> Any:
    """A submitted 1.004873 dossier (xác nhận tình trạng hôn nhân) of the given citizen."""

    from dvc.dossiers.tests.factories import ready_draft

    def make(user: Any, agency: Any = None, key: str = "k1") -> Any:
        dossier = ready_draft(user, agency, notify_sms=True)
        return dossier_submit(dossier=dossier, actor=user, idempotency_key=key)

    return make


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """A loopback port nobody listens on: for a service that is down, or for a test server to bind."""
    return _free_port


@pytest.fixture
def csc_sandbox(live_server: Any, settings: Any) -> str:
    """The portal's own CSC sandbox served by a live server: the portal reaches it over HTTP as `make run` does.

    A test using it is transactional (mark it ``run_last`` and ``django_db(transaction=True)``)."""
    from dvc.dossiers.tests.factories import ensure_catalog

    ensure_catalog()
    settings.SITE_URL = live_server.url
    return str(live_server.url)
