"""Issue 19, part 2: the inbound endpoint of the exchange. A status update from an agency outside the portal is
applied once: its signature is checked, a message sent again (same id) is answered "duplicate" and changes nothing,
and a message that is not for us, too old, tampered with, or about another agency's dossier is refused."""

import base64
import datetime as dt
import hashlib
import json

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


@pytest.mark.parametrize("body", [b"[" * 50000, None], ids=["deeply-nested", "lone-surrogate"])
def test_hostile_bodies_are_refused_not_a_server_error(client, card, body):
    if body is None:  # a character with no UTF-8 form: nothing can have been signed over it
        message = status(card, "received")
        message["message"]["payload"]["note"] = "\ud800"
        body = json.dumps(message).encode()
    answer = client.post(reverse("exchange:inbound"), body, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["status"] == "rejected"


def test_a_result_at_an_address_outside_the_platform_is_never_fetched(client, card, monkeypatch):
    import requests

    def forbidden(*args, **kwargs):
        raise AssertionError("fetched an address a message named")

    monkeypatch.setattr(requests, "get", forbidden)
    post(client, status(card, "received"))
    inside = [{"name": "x.pdf", "sha256": "0" * 64, "url": "http://169.254.169.254/latest/meta-data/"}]
    post(client, status(card, "result_ready", attachments=inside))
    run_tasks()
    failed = InboundMessage.objects.get(outcome="failed")
    assert "không thuộc nền tảng liên thông" in failed.note
    card.refresh_from_db()
    assert card.status == S.PROCESSING


def test_a_result_signed_by_a_person_is_not_the_agencys(client, card, monkeypatch):
    from dvc.dossiers.citizen.signing import declaration_pdf
    from dvc.dossiers.lifecycle import outside
    from dvc.dossiers.tests.factories import sign_as

    forged = sign_as(UserFactory(full_name="Kẻ Giả Mạo", id_number="001090000777"), declaration_pdf(card))
    monkeypatch.setattr(outside, "fetch", lambda reference: forged)
    post(client, status(card, "received"))
    reference = [{"name": "the.pdf", "sha256": hashlib.sha256(forged).hexdigest(), "url": "http://127.0.0.1/x",
                  "document_type": "cccd"}]  # fmt: skip
    post(client, status(card, "result_ready", attachments=reference))
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.PROCESSING and not IssuedResult.objects.filter(dossier=card).exists()
    assert "không phải chữ ký số của Bảo hiểm xã hội khu vực I" in InboundMessage.objects.get(outcome="failed").note


def test_the_agencys_own_result_is_kept_typed_by_the_catalog_not_the_sender(client, card, monkeypatch):
    from dvc.dossiers.citizen.signing import declaration_pdf
    from dvc.dossiers.lifecycle import outside
    from dvc.vault.agency_signing import sign_result

    signed = sign_result(declaration_pdf(card), agency=card.agency, verify_url="http://x/", signer_name="Lãnh đạo",
                         when=timezone.now())  # fmt: skip
    monkeypatch.setattr(outside, "fetch", lambda reference: signed)
    reference = [{"name": "the.pdf", "sha256": hashlib.sha256(signed).hexdigest(), "url": "http://127.0.0.1/x",
                  "document_type": "cccd"}]  # fmt: skip
    post(client, status(card, "result_ready", attachments=reference))
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.RESULT_READY and card.result_file.document_type == "the_bhyt"


def test_a_part_taken_back_tells_the_agency_outside_to_stop(client, card):
    client.force_login(card.applicant)
    client.post(reverse("dossiers:withdraw", args=[card.pk]), {"reason": "Đã có thẻ"})
    stop = OutboundMessage.objects.get(correlation=card.code, kind="dossier_withdrawn")
    assert stop.receiver == OUTSIDE and stop.envelope["message"]["payload"]["status"] == "withdrawn"


def test_the_sandbox_pages_are_for_signed_in_officers(client, card):
    page = reverse("exchange_sandbox:cases")
    assert client.get(page).status_code == 302  # to the login
    client.force_login(card.applicant)
    assert client.get(page).status_code == 403
    client.force_login(agency_staff(card.agency).officer)
    assert client.get(page).status_code == 200


def test_a_malformed_result_address_is_refused_not_a_stuck_task(client, card):
    post(client, status(card, "received"))
    broken = [{"name": "x.pdf", "sha256": "0" * 64, "url": "http://[::1/x"}]
    post(client, status(card, "result_ready", attachments=broken))
    run_tasks()
    assert "Địa chỉ tải tệp không hợp lệ" in InboundMessage.objects.get(outcome="failed").note
