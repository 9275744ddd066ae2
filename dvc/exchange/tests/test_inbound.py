"""Issue 19, part 2: the inbound endpoint of the exchange. A status update from an agency outside the portal is
applied once: its signature is checked, a message sent again (same id) is answered "duplicate" and changes nothing,
and a message that is not for us, too old, tampered with, or about another agency's dossier is refused."""

import base64
import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import run_tasks
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.models import Dossier, DossierEvent, IssuedResult
from dvc.dossiers.tests.factories import agency_staff
from dvc.dossiers.tests.test_linked_procedures import CHILD_ID, ba_dinh_agencies, file_newborn_group, resolve
from dvc.exchange import envelope
from dvc.exchange.models import InboundMessage, OutboundMessage
from dvc.exchange.services import sandbox_key_file

pytestmark = pytest.mark.django_db
S = Dossier.Status
OUTSIDE = "bhxh.vn:khu-vuc-1"


@pytest.fixture
def card():
    """A newborn group whose health-insurance card went to social insurance outside the portal."""
    agencies = ba_dinh_agencies(insurance_outside=True)
    citizen = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="0912345678")
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), agency_staff(agencies["centre"]), values={"so_dinh_danh_tre": CHILD_ID})
    return parent.components.get(component_key="the_bhyt")


def status(component, state, *, sender=OUTSIDE, receiver=None, message_id=None, attachments=None, key=None):
    from django.conf import settings

    return envelope.build(
        key=key or envelope.load_or_create_key(sandbox_key_file()), sender=sender,
        receiver=receiver or settings.DVC_EXCHANGE_ID, service="1.011426", kind="dossier_status",
        correlation=component.code, payload={"status": state, "note": "Đã kiểm tra"}, attachments=attachments,
        message_id=message_id,
    )  # fmt: skip


def post(client, body):
    return client.post(reverse("exchange:inbound"), body, content_type="application/json")


def test_a_signed_status_is_applied_once(client, card):
    assert card.status == S.SUBMITTED
    body = status(card, "received")
    first = post(client, body)
    assert first.status_code == 202 and first.json()["status"] == "accepted"
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.PROCESSING and card.received_at is not None
    again = post(client, body)  # the agency's platform delivered it twice
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    run_tasks()
    assert DossierEvent.objects.filter(dossier=card, action="received").count() == 1


def test_the_same_status_under_a_new_id_changes_nothing(client, card):
    post(client, status(card, "received"))
    post(client, status(card, "received"))
    run_tasks()
    assert DossierEvent.objects.filter(dossier=card, action="received").count() == 1
    assert InboundMessage.objects.filter(outcome="ignored").count() == 1


@pytest.mark.parametrize(
    "spoil, said",
    [
        (lambda b: b["message"]["payload"].update(status="refused"), "Chữ ký"),
        (lambda b: b["signature"].update(value="AAAA"), "Chữ ký"),
        (lambda b: b.pop("signature"), "định dạng"),
        (lambda b: b["message"].update(extra=1), "định dạng"),
    ],
)
def test_a_tampered_or_malformed_message_is_refused(client, card, spoil, said):
    body = status(card, "received")
    spoil(body)
    answer = post(client, body)
    assert answer.status_code == 400 and said in answer.json()["error"]
    assert not InboundMessage.objects.exists()


def test_a_message_signed_with_an_unknown_key_is_refused(client, card, tmp_path):
    stranger = envelope.load_or_create_key(tmp_path / "stranger.key")
    answer = post(client, status(card, "received", key=stranger))
    assert answer.status_code == 400 and "Chữ ký" in answer.json()["error"]


def test_a_message_for_another_receiver_or_too_old_is_refused(client, card):
    answer = post(client, status(card, "received", receiver="cong-khac"))
    assert answer.status_code == 400 and "không gửi cho cổng này" in answer.json()["error"]
    old = status(card, "received")
    old["message"]["sent_at"] = (
        (timezone.now() - dt.timedelta(days=8)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    value = envelope.load_or_create_key(sandbox_key_file()).sign(envelope.canonical(old["message"]))
    old["signature"]["value"] = base64.urlsafe_b64encode(value).rstrip(b"=").decode()  # signed, but old
    answer = post(client, old)
    assert answer.status_code == 400 and "quá cũ" in answer.json()["error"]


def test_another_agency_cannot_report_on_this_dossier(client, card):
    post(client, status(card, "refused", sender="bhxh.vn:khu-vuc-khac"))
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.SUBMITTED
    assert InboundMessage.objects.get().outcome == "ignored"


def test_not_json_is_a_clear_refusal(client):
    answer = client.post(reverse("exchange:inbound"), b"\xff\x00", content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"] == "Nội dung không phải JSON."


def test_a_result_whose_file_cannot_be_fetched_is_tried_again_and_nothing_is_kept(client, card):
    post(client, status(card, "received"))
    attachments = [{"name": "the.pdf", "sha256": hashlib.sha256(b"other").hexdigest(), "url": "http://127.0.0.1:9/x"}]
    post(client, status(card, "result_ready", attachments=attachments))
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.PROCESSING and not IssuedResult.objects.filter(dossier=card).exists()
    kept = InboundMessage.objects.get(kind="dossier_status", outcome="pending")
    assert "Không tải được tệp đính kèm" in kept.note


def test_the_component_went_out_as_a_signed_message(card):
    from django.conf import settings

    message = OutboundMessage.objects.get(correlation=card.code)
    assert message.receiver == OUTSIDE and message.kind == "dossier"
    public = envelope.portal_key().public_key()
    opened = envelope.open_envelope(
        message.envelope, receiver=OUTSIDE, keys_for=lambda s: [public] if s == settings.DVC_EXCHANGE_ID else [],
        max_age=dt.timedelta(days=1),
    )  # fmt: skip
    assert opened["payload"]["answers"]["so_dinh_danh_tre"] == CHILD_ID
    assert len(opened["attachments"]) == 2  # the declaration and the signed birth certificate, by reference
