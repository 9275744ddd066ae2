"""Typed helpers that read settings from environment variables.

Every setting of DVC comes from the environment; these helpers keep the parsing in one place and make a
missing or malformed value fail loudly at start-up instead of at the first request.
"""

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean, got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Libraries whose own logging is noise at the portal's level: a refused signature is answered to the citizen, and
# pyHanko's path-building tracebacks say nothing more.
_QUIET = {"django.db.backends": "WARNING", "fontTools": "WARNING", "pikepdf": "WARNING", "pyhanko": "ERROR",
          "pyhanko_certvalidator": "ERROR"}  # fmt: skip


def logging_config(*, level: str, json_lines: bool) -> dict[str, Any]:
    """Console logging with the request id on every line (``dvc.web.observability``); one JSON object per line when
    ``json_lines`` (for a log collector), else plain text."""
    fields = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "dvc.web.observability.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": fields},
            "json": {"()": "pythonjsonlogger.json.JsonFormatter", "format": fields},
        },
        "handlers": {"console": {
            "class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json" if json_lines else "plain",
        }},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {name: {"level": quiet} for name, quiet in _QUIET.items()},
    }  # fmt: skip


def databases(*, url: str, replica_url: str, sqlite_path: str, conn_max_age: int) -> dict[str, Any]:
    """SQLite at ``sqlite_path`` by default; PostgreSQL at ``url``, with persistent connections checked before each
    request reuses one (after a restart or fail-over the next request reconnects instead of failing); a streaming
    replica at ``replica_url`` for public reads (``dvc.db_router``), never migrated, the primary in tests."""
    import dj_database_url

    if not url:
        return {"default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                # Writers queue instead of failing; WAL lets the web server read while the worker writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }}  # fmt: skip
    found = {"default": dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)}
    if replica_url:
        replica = dj_database_url.parse(replica_url, conn_max_age=conn_max_age, conn_health_checks=True)
        # A replica that does not answer, or hangs, must fail fast: the request then reads the primary
        # (dvc.db_router). Public reads take milliseconds; 5 s is a hung replica.
        replica.setdefault("OPTIONS", {}).update(
            connect_timeout=2, options="-c statement_timeout=5000", keepalives=1, keepalives_idle=5
        )
        found["replica"] = {**replica, "TEST": {"MIRROR": "default"}}
    return found
