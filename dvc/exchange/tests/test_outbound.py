"""Issue 19, part 2: the outbound side of the exchange. A component for an agency outside the portal leaves as a
signed message, through the file adapter or over HTTP; a failed delivery is tried again with back-off and the same
message (same id, same signature); a refusal by the receiver is given up; papers travel by a signed address."""

import hashlib
import json

import pytest
from django.urls import reverse

from conftest import run_tasks
from dvc.exchange import tasks as exchange_tasks
from dvc.exchange.models import OutboundMessage
from dvc.exchange.services import message_queue
from dvc.exchange.tests.test_inbound import OUTSIDE, card  # noqa: F401  (fixture)
from dvc.exchange.transport import DeliveryError

pytestmark = pytest.mark.django_db


def test_the_file_adapter_writes_the_signed_message(card, settings):  # noqa: F811
    run_tasks()
    message = OutboundMessage.objects.get(correlation=card.code)
    assert message.status == "sent" and message.attempts == 1
    written = json.loads((settings.DVC_EXCHANGE_OUTBOX / f"{message.id}.json").read_text(encoding="utf-8"))
    assert written == message.envelope and written["message"]["receiver"] == OUTSIDE


def test_a_failed_delivery_is_tried_again_with_the_same_message(card, settings, monkeypatch):  # noqa: F811
    settings.DVC_EXCHANGE_RETRY_SECONDS = 0  # no waiting in the test
    sent = []

    def flaky(envelope):
        sent.append(json.dumps(envelope, sort_keys=True))
        if len(sent) < 3:
            raise DeliveryError("HTTP 503: trục bận")
        return "accepted"

    monkeypatch.setattr(exchange_tasks, "send", flaky)
    run_tasks()
    message = OutboundMessage.objects.get(correlation=card.code)
    assert message.status == "sent" and message.attempts == 3
    assert len(set(sent)) == 1  # resent unchanged: the receiver recognizes it by its id


def test_a_refusal_by_the_receiver_is_given_up(card, monkeypatch):  # noqa: F811
    def refused(envelope):
        raise DeliveryError("HTTP 400: chữ ký không hợp lệ", final=True)

    monkeypatch.setattr(exchange_tasks, "send", refused)
    run_tasks()
    message = OutboundMessage.objects.get(correlation=card.code)
    assert message.status == "failed" and "chữ ký" in message.last_error


def test_papers_are_downloaded_by_their_signed_address(client, card):  # noqa: F811
    message = OutboundMessage.objects.get(correlation=card.code)
    for reference in message.envelope["message"]["attachments"]:
        path = reference["url"].split("://", 1)[1].split("/", 1)[1]
        answer = client.get("/" + path)
        assert answer.status_code == 200
        assert hashlib.sha256(b"".join(answer.streaming_content)).hexdigest() == reference["sha256"]
    bad = client.get(reverse("exchange:file", args=["khong-hop-le"]))
    assert bad.status_code == 404 and "hết hạn" in bad.json()["error"]


def test_an_unconfigured_platform_in_production_keeps_the_message(card, settings, monkeypatch):  # noqa: F811
    settings.DVC_EXCHANGE_ADAPTER = "http"
    settings.DVC_EXCHANGE_SANDBOX = False
    settings.DVC_EXCHANGE_URL = ""
    settings.DVC_EXCHANGE_RETRY_SECONDS = 3600
    message_queue(receiver=OUTSIDE, service="x", kind="ping", correlation="c", payload={})
    run_tasks()
    pending = OutboundMessage.objects.filter(status="pending")
    assert pending.count() == 2 and all("DVC_EXCHANGE_URL" in m.last_error for m in pending)
