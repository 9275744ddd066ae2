"""The officers' API: queue, one dossier, transitions; scoped to the officer's agencies."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import run_tasks
from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.models import AuditEntry, Dossier
from dvc.dossiers.tests.factories import RESULT_VALUES, DossierFactory, agency_staff, commune_centre

pytestmark = pytest.mark.django_db
BASE = "/api/v1/backoffice/dossiers"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}


@pytest.fixture
def office():
    agency = commune_centre()
    return agency, agency_staff(agency)


def test_the_officer_flow_through_the_api(client, office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(full_name="Nguyễn Văn An"), agency=agency)
    officer, specialist, leader = bearer(staff.officer), bearer(staff.specialist), bearer(staff.leader)
    page = client.get(BASE + "?queue=moi", **officer).json()
    assert page["count"] == 1 and page["results"][0]["code"] == dossier.code
    assert page["results"][0]["applicant_name"] == "Nguyễn Văn An"

    def act(headers, action, **body):
        return client.post(f"{BASE}/{dossier.pk}/{action}", body, content_type="application/json", **headers)

    received = act(officer, "receive")
    assert received.status_code == 200 and received.json()["status"] == "processing"
    assert received.json()["due_at"] is not None
    again = act(officer, "receive")
    assert again.status_code == 409 and "Lê Văn Một Cửa" in again.json()["message"]
    assert act(officer, "assign", specialist=staff.specialist.id_number).json()["stage"] == "appraise"
    assert act(specialist, "propose", decision="approve").status_code == 422  # no draft result yet
    missing = act(specialist, "generate-result")
    assert missing.status_code == 422 and "Tình trạng hôn nhân" in missing.json()["message"]
    assert act(specialist, "generate-result", result_data=RESULT_VALUES).status_code == 200
    assert act(specialist, "propose", decision="approve", note="Đủ điều kiện").json()["stage"] == "approve"
    assert act(specialist, "approve").status_code == 403
    approved = act(leader, "approve").json()  # answered at once; the worker signs (issue 20, part 3)
    assert approved["status"] == "processing" and approved["signing"]["state"] == "queued"
    run_tasks()
    approved = client.get(f"{BASE}/{dossier.pk}", **leader).json()
    assert approved["status"] == "result_ready" and approved["signing"] is None
    returned = act(officer, "return-result", method="counter", note="Nguyễn Văn An").json()
    assert returned["status"] == "returned"
    assert [e["action"] for e in returned["events"]][-6:] == [
        "received", "assigned", "draft_result", "proposed", "result_ready", "returned",
    ]  # fmt: skip


def test_other_agencies_and_citizens_get_403(client, office, submitted_dossier):
    agency, _staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    stranger = bearer(agency_staff(commune_centre(code="000.02.02.H26")).leader)
    citizen = bearer(dossier.applicant)
    for action in ("receive", "request-supplement", "refuse", "suspend", "assign", "propose", "approve",
                   "send-back", "return-result", "extend", "generate-result"):  # fmt: skip
        response = client.post(f"{BASE}/{dossier.pk}/{action}", {"reason": "x"}, content_type="application/json",
                               **stranger)  # fmt: skip
        assert response.status_code == 403, action
        assert client.post(f"{BASE}/{dossier.pk}/{action}", {}, content_type="application/json",
                           **citizen).status_code == 403  # fmt: skip
    assert client.get(f"{BASE}/{dossier.pk}", **stranger).status_code == 403
    assert client.get(BASE + f"?agency={agency.code}", **stranger).status_code == 403
    assert client.get(BASE, **stranger).json()["count"] == 0
    assert client.get(BASE, **citizen).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED


def test_bad_input_is_a_clear_422(client, office, submitted_dossier):
    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    headers = bearer(staff.officer)
    response = client.post(f"{BASE}/{dossier.pk}/refuse", {"reason": ""}, content_type="application/json", **headers)
    assert response.status_code == 422 and response.json()["message"] == "Vui lòng ghi rõ lý do."
    assert client.post(f"{BASE}/{dossier.pk}/fly", {}, content_type="application/json", **headers).status_code == 422
    bad_date = client.post(
        f"{BASE}/{dossier.pk}/extend", {"new_due": "tomorrow"}, content_type="application/json", **headers
    )
    assert bad_date.status_code == 422
    assert client.get(BASE + "?queue=nope", **headers).status_code == 422
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED


@pytest.mark.parametrize("peer", ["", "unknown", "999.1.1.1"])
def test_an_unreadable_client_address_is_audited_as_unknown(client, office, submitted_dossier, peer):
    from dvc.dossiers.models import AuditEntry

    agency, staff = office
    dossier = submitted_dossier(UserFactory(), agency=agency)
    headers = {**bearer(staff.officer), "REMOTE_ADDR": peer}
    assert client.get(f"{BASE}/{dossier.pk}", **headers).status_code == 200
    received = client.post(f"{BASE}/{dossier.pk}/receive", {}, content_type="application/json", **headers)
    assert received.status_code == 200
    assert set(AuditEntry.objects.filter(dossier_id=dossier.pk).values_list("ip", flat=True)) == {None}


def test_every_action_records_the_client_address_in_the_audit_like_the_pages(client, office):
    """The API's request-supplement and extend once stored no client address: one registry now serves both."""
    agency, staff = office
    asked = DossierFactory(submitted=True, agency=agency)
    extended = DossierFactory(processing=True, agency=agency, due_at=timezone.now() + dt.timedelta(days=10))
    headers = {**bearer(staff.officer), "REMOTE_ADDR": "203.0.113.7"}
    new_due = (timezone.localtime(extended.due_at) + dt.timedelta(days=7)).date()
    while new_due.weekday() >= 5:
        new_due += dt.timedelta(days=1)
    supplement = client.post(
        f"{BASE}/{asked.pk}/request-supplement",
        {"note": "Thiếu ảnh mặt sau"},
        content_type="application/json",
        **headers,
    )
    assert supplement.status_code == 200, supplement.json()
    extend = client.post(
        f"{BASE}/{extended.pk}/extend",
        {"reason": "Chờ xác minh", "new_due": new_due.isoformat()},
        content_type="application/json",
        **headers,
    )
    assert extend.status_code == 200, extend.json()
    for dossier, action in ((asked, "request_supplement"), (extended, "extend")):
        assert AuditEntry.objects.get(dossier_id=dossier.pk, action=action).ip == "203.0.113.7"


def test_names_and_id_numbers_are_searched_in_the_body_not_the_address(client, office, submitted_dossier):
    """Issue 15 (low): ``?q=<CCCD>`` put personal id numbers in access logs; the API takes them in a POST body."""
    agency, staff = office
    an = submitted_dossier(UserFactory(full_name="Nguyễn Văn An", id_number="001085012345"), agency=agency, key="1")
    binh = submitted_dossier(UserFactory(full_name="Trần Thị Bình"), agency=agency, key="2")
    officer = bearer(staff.officer)
    for query in ("001085012345", "văn an", an.code):
        found = client.post(f"{BASE}/search", {"q": query}, content_type="application/json", **officer)
        assert found.status_code == 200 and [r["code"] for r in found.json()["results"]] == [an.code]
    assert [r["code"] for r in client.get(BASE, {"q": binh.code}, **officer).json()["results"]] == [binh.code]
    refused = client.get(BASE, {"q": "001085012345"}, **officer)
    assert refused.status_code == 422 and "POST" in refused.json()["errors"]["q"][0]
    stranger = bearer(agency_staff(commune_centre(code="000.02.02.H26")).leader)
    assert (
        client.post(f"{BASE}/search", {"q": "001085012345"}, content_type="application/json", **stranger).json()[
            "results"
        ]
        == []
    )


def test_a_receipt_counts_its_figures_in_one_statement_and_reads_nothing_back(client, office, submitted_dossier):
    """Issue 20, part 2: a receipt over the API was 30 queries (the dossier read back, then its procedure, agency and
    applicant again for the notice; seven counters, seven UPDATEs). Now 12 on PostgreSQL, with the same figures: the
    officer's agencies are read once for the request, not again for the dossier and its answer; the agency's
    calendar is held by the process; the conditional update, its history row and the audit line are one statement,
    and so are the notice, the SMS and its delivery task."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dvc.stats.models import DailyFigure, OpenDossiers

    agency, staff = office
    officer = bearer(staff.officer)
    warm = submitted_dossier(UserFactory(), agency=agency)  # the day's figure rows exist after the first receipt
    client.post(f"{BASE}/{warm.pk}/receive", {}, content_type="application/json", **officer)
    dossier = submitted_dossier(UserFactory(), agency=agency)
    with CaptureQueriesContext(connection) as done:
        received = client.post(f"{BASE}/{dossier.pk}/receive", {}, content_type="application/json", **officer)
    assert received.status_code == 200 and received.json()["status"] == "processing"
    limit = 12 if connection.vendor == "postgresql" else 22
    assert len(done) <= limit, [q["sql"][:80] for q in done.captured_queries]
    today = DailyFigure.objects.get(agency=agency, day=timezone.localdate())
    assert today.received_online == 2
    assert sum(OpenDossiers.objects.filter(agency=agency).values_list("count", flat=True)) == 2
