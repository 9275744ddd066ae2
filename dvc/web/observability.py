"""Observability (issue 20, part 6): a request id on every log line (and the tasks a request enqueued), Prometheus
metrics on a protected endpoint, and readiness for an orchestrator.

- Request id: taken from ``X-Request-ID`` when a proxy set a sane one, else made; returned in the response header
  and added to every log record (``%(request_id)s``; JSON lines with ``DVC_LOG_FORMAT=json``). A task enqueued
  during the request logs under the same id: the id is kept beside the task in the shared cache (Redis in
  production) and taken up by the worker when the task starts; without a shared cache the worker logs the task's
  own id, which the request's "task enqueued" line names.
- Metrics at ``/metrics`` for ``Authorization: Bearer <DVC_METRICS_TOKEN>`` (from loopback without a token outside
  production): django-prometheus's request latency by view, the database time per request by view, and, read at
  scrape time, the task queue's depth and oldest task age, payments pending, messages failed or waiting, exchange
  messages waiting or given up.
- ``/readyz``: the database, the cache and the file storage answer (503 naming what does not).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_ORIGIN = "dvc:task-origin:"
logger = logging.getLogger("dvc.requests")

DB_SECONDS = Histogram(
    "dvc_db_seconds_per_request",
    "Time spent in the database by one request, by view",
    ["view"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (the request's, the task's, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """First in the stack: the request's id for the logs, and its database time for the metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        token = request_id.set(given if _SANE_ID.match(given) else uuid.uuid4().hex)
        spent = [0.0]

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - start

        try:
            with connection.execute_wrapper(timed):
                response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            DB_SECONDS.labels(view=match.view_name if match and match.view_name else "<unresolved>").observe(spent[0])
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)


def task_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """Within the request: say which task it enqueued, and leave its id for the worker."""
    current = request_id.get()
    if current != "-":
        try:
            cache.set(_ORIGIN + str(task_result.id), current, timeout=7 * 86400)
        except Exception:
            logger.warning("task %s: request id not kept (cache unavailable)", task_result.id)
    logger.info("task enqueued: %s %s", task_result.task.module_path, task_result.id)


def task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """In the worker: the task's log lines carry the request id that enqueued it (or the task's own)."""
    try:
        origin = cache.get(_ORIGIN + str(task_result.id))
    except Exception:
        origin = None
    request_id.set(str(origin) if origin else f"task-{task_result.id}")


def task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    request_id.set("-")


class PortalCollector:
    """Gauges read from the database when Prometheus scrapes (a few indexed counts)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        from dvc.exchange.models import OutboundMessage
        from dvc.notify.models import Message
        from dvc.payments.models import PaymentAttempt

        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        yield _gauge("dvc_tasks_ready", "Tasks ready to run, waiting for a worker", ready.count())
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield _gauge("dvc_tasks_oldest_ready_age_seconds", "Age of the oldest task ready to run", age)
        pending = PaymentAttempt.objects.filter(status=PaymentAttempt.Status.PENDING).count()
        yield _gauge("dvc_payments_pending", "Payments waiting for the gateway's answer", pending)
        messages = GaugeMetricFamily("dvc_messages", "SMS and e-mail messages by status", labels=["status"])
        for status in (Message.Status.PENDING, Message.Status.FAILED):
            messages.add_metric([str(status)], Message.objects.filter(status=status).count())
        yield messages
        exchange = GaugeMetricFamily(
            "dvc_exchange_outbound", "Messages to outside agencies by status", labels=["status"]
        )
        for waiting in (OutboundMessage.Status.PENDING, OutboundMessage.Status.FAILED):
            exchange.add_metric([str(waiting)], OutboundMessage.objects.filter(status=waiting).count())
        yield exchange


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, text, value=value)


def _allowed(request: HttpRequest) -> bool:
    token = settings.DVC_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token:
        return bool(given) and constant_time_compare(given, token)
    return not settings.PRODUCTION and request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1")


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=404)  # not confirmed to exist for those who may not read it
    registry = REGISTRY
    if settings.PROMETHEUS_MULTIPROC_DIR:  # several gunicorn workers: each writes its own file, summed here
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    output = generate_latest(registry) + generate_latest(_portal_registry())
    return HttpResponse(output, content_type="text/plain; version=0.0.4; charset=utf-8")


_PORTAL: list[CollectorRegistry] = []


def _portal_registry() -> CollectorRegistry:
    if not _PORTAL:
        registry = CollectorRegistry()
        registry.register(PortalCollector())
        _PORTAL.append(registry)
    return _PORTAL[0]


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: the database, the cache and the file storage answer."""
    checks: dict[str, str] = {}
    for name, probe in (("database", _database), ("cache", _cache), ("storage", _storage)):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = exc.__class__.__name__
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"dvc:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache")
    cache.delete(key)


def _storage() -> None:
    default_storage.exists("readyz-probe")
