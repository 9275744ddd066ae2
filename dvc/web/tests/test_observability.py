"""Issue 20, part 6: observability. Every response names its request id and every log line carries it (the tasks a
request enqueued too); /metrics answers only the holder of the token, with request latency by view, database time
and the portal's own gauges; /readyz says whether the database, the cache and the storage answer."""

import logging

import pytest
from django.urls import reverse

from conftest import run_tasks
from dvc.accounts.tests.factories import PASSWORD, UserFactory
from dvc.web import observability

pytestmark = pytest.mark.django_db
TOKEN = "s3cret-metrics-token"


def test_each_response_names_its_request_id_and_keeps_a_sane_one_from_the_proxy(client):
    made = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "edge-1234abcd"})["X-Request-ID"] == "edge-1234abcd"
    assert client.get("/healthz", headers={"X-Request-ID": "bad id\nx"})["X-Request-ID"] != "bad id\nx"


def test_a_task_logs_under_the_request_that_enqueued_it(client, caplog):
    """The login code is sent by the worker: its log lines carry the id of the login request."""
    from dvc.notify.models import Message

    user = UserFactory()
    with caplog.at_level(logging.INFO):
        client.post(reverse("accounts:login"), {"id_number": user.id_number, "password": PASSWORD},
                    headers={"X-Request-ID": "req-0000feedbeef"})  # fmt: skip
        assert Message.objects.filter(recipient=user.phone, template="otp").exists()
        caplog.clear()
        run_tasks()
    worker_lines = [r for r in caplog.records if r.name.startswith(("django_tasks", "dvc"))]
    assert len(worker_lines) >= 2  # the task's start and end
    assert {getattr(r, "request_id", None) for r in worker_lines} == {"req-0000feedbeef"}
    assert observability.request_id.get() == "-"  # not carried on to what the worker does next


def test_metrics_only_for_the_token_holder(client, settings):
    settings.DVC_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    client.get("/healthz")
    client.get(reverse("catalog:home"))
    page = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="catalog:home"}' in text
    assert 'dvc_db_seconds_per_request_count{view="catalog:home"}' in text
    for gauge in ("dvc_tasks_ready", "dvc_tasks_oldest_ready_age_seconds", "dvc_payments_pending",
                  'dvc_messages{status="failed"}', 'dvc_exchange_outbound{status="pending"}'):  # fmt: skip
        assert gauge in text


def test_readyz_names_what_does_not_answer(client, monkeypatch):
    answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}

    def broken() -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(observability, "_cache", broken)
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["checks"]["cache"] == "ConnectionError"


def test_the_sample_dashboard_reads_metrics_the_portal_exports(client, settings):
    import json
    import re
    from pathlib import Path

    settings.DVC_METRICS_TOKEN = TOKEN
    client.get(reverse("catalog:home"))
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content.decode()
    dashboard = json.loads((Path(settings.BASE_DIR) / "docs" / "grafana" / "dvc-dashboard.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            for name in re.findall(r"\b(?:django|dvc)_[a-z_]+", target["expr"]):
                assert re.search(rf"^{name}[{{ ]", text, re.M), name
