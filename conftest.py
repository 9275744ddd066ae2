"""Shared test fixtures: the official administrative units loaded once, a private outbox, the task worker."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dvc.agencies.services import admin_units_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Every test database starts with the 34 provinces and 3,321 communes, as a deployed one does."""
    with django_db_blocker.unblock():
        admin_units_load()


class Outbox:
    """The file outbox of a test: SMS JSON files and e-mail files, as a demo user reads them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def sms(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.path.glob("sms-*.json"))]

    def emails(self) -> list[str]:
        if not self.path.exists():
            return []
        return [p.read_text(encoding="utf-8") for p in sorted(self.path.glob("*.log"))]

    def last_otp(self, phone: str | None = None) -> str:
        """Run pending deliveries, then read the newest code sent (to ``phone`` when given)."""
        run_tasks()
        for message in reversed(self.sms()):
            if phone is None or message["to"] == phone:
                found = re.search(r"\b(\d{6})\b", message["body"])
                if found:
                    return found.group(1)
        raise AssertionError("no OTP in the outbox")


def run_tasks() -> None:
    """Run every task that is due, as `manage.py db_worker` does, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.fixture(autouse=True)
def _private_dirs(settings: Any, tmp_path: Path) -> None:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def outbox(settings: Any) -> Outbox:
    return Outbox(Path(settings.OUTBOX_DIR))


@pytest.fixture
def tasks() -> Iterator[Any]:
    yield run_tasks
