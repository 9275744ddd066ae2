"""Race tests: the same work from several threads at once, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def in_parallel(work: Callable[[], Any], times: int, timeout: float = 60) -> list[Any]:
    """Run ``work`` in ``times`` threads released together; what each returned, or the exception it raised."""
    barrier = threading.Barrier(times)
    outcomes: list[Any] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(work())
        except Exception as exc:  # collected for the test to assert on
            outcomes.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
