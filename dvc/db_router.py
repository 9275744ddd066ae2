"""Public reads from a PostgreSQL streaming replica, when one is configured (issue 20, part 4).

``DVC_DATABASE_REPLICA_URL`` names the replica. Only the public, read-only pages and API answers about the catalog,
the agencies and the statistics read it (``ReplicaReadsMiddleware`` marks those requests), and only for the models
of those apps: sessions, accounts and dossiers are always read from the primary. The public lookup stays on the
primary too: its answers are kept in Redis (``dvc.dossiers.public_rows``), and a row read from a lagging replica
could be kept there after the change it missed.

Read-your-writes: any request that writes (POST, PUT, PATCH, DELETE) sets a short-lived cookie, and the client's
reads go to the primary while it lasts (``PRIMARY_AFTER_WRITE`` seconds, well above the replica's lag on a sound
network). A replica that fails is left alone for ``DOWN_SECONDS`` in this process, and the request that met the
failure is answered again from the primary.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
REPLICA_APPS = frozenset({"catalog", "agencies", "stats"})
PRIMARY_AFTER_WRITE = 10  # seconds
DOWN_SECONDS = 15
COOKIE = "dvc_primary_until"
PROBE_SECONDS = 1.0
_probed: tuple[float, bool] = (-PROBE_SECONDS, True)

_reading: ContextVar[bool] = ContextVar("dvc_replica_reads", default=False)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_available() -> bool:
    """A replica is configured and has not failed in this process in the last ``DOWN_SECONDS``."""
    return replica_configured() and time.monotonic() >= _down_until


def replica_failed() -> None:
    """The replica did not answer: read the primary for a while (this process)."""
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    connections[REPLICA].close()


def replica_answers() -> bool:
    """Whether the replica answers a query now (asked after a request that read it failed: the failure may have
    been the primary's or the object store's, and a replica that answers is not left alone)."""
    global _probed
    now = time.monotonic()
    if now - _probed[0] < PROBE_SECONDS:  # asked a moment ago: not a new connection for every failed request
        return _probed[1]
    replica = connections[REPLICA]
    replica.close()  # a connection that failed is not reused
    try:
        with replica.cursor() as cursor:
            cursor.execute("SELECT 1")
        answers = True
    except DatabaseError:
        replica.close()
        answers = False
    _probed = (now, answers)
    return answers


def replica_reading() -> bool:
    return _reading.get()


@contextmanager
def reads_from(replica: bool) -> Iterator[None]:
    token = _reading.set(replica)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading.get() and model._meta.app_label in REPLICA_APPS and replica_available():
            return REPLICA
        return "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"  # an object read from the replica is still written to the primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
