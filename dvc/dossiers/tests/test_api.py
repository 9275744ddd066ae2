import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.models import Agency
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import dossier_request_supplement
from dvc.dossiers.models import DailySequence, Dossier, DossierAttachment
from dvc.dossiers.tests.factories import (
    MARITAL_ANSWERS,
    DossierFactory,
    agency_staff,
    commune_centre,
    pdf_upload,
    photo_upload,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def create_draft(client, headers, procedure, agency_code):
    return client.post(
        f"{API}/dossiers",
        {"procedure": procedure, "agency": agency_code},
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def auth():
    user = UserFactory(full_name="Nguyễn Văn An")
    return user, {"Authorization": f"Bearer {api_token_create(user=user)}"}


def test_the_whole_journey_through_the_api(client, auth):
    _user, headers = auth
    agency = commune_centre()
    created = create_draft(client, headers, "1.004873", agency.code)
    assert created.status_code == 201, created.json()
    body = created.json()
    dossier_id = body["id"]
    assert body["status"] == "draft" and body["form_data"]["nguoi_yeu_cau"]["full_name"] == "Nguyễn Văn An"
    assert "muc_dich" in body["problems"]
    patched = client.patch(
        f"{API}/dossiers/{dossier_id}", {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers
    )
    assert patched.status_code == 200 and "muc_dich" not in patched.json()["problems"]
    identity = Procedure.objects.get(code="1.004873").requirements.get(name__startswith="Giấy tờ tùy thân")
    attached = client.post(
        f"{API}/dossiers/{dossier_id}/attachments",
        {"requirement": identity.pk, "file": photo_upload()},
        headers=headers,
    )
    assert attached.status_code == 201 and attached.json()["kind"] == "jpg"
    sent = client.post(
        f"{API}/dossiers/{dossier_id}/submit",
        {"idempotency_key": "api-key-0001"},
        content_type="application/json",
        headers=headers,
    )
    assert sent.status_code == 200, sent.json()
    code = sent.json()["code"]
    assert code.startswith(agency.code + "-")
    again = client.post(
        f"{API}/dossiers/{dossier_id}/submit",
        {"idempotency_key": "api-key-0001"},
        content_type="application/json",
        headers=headers,
    )
    assert again.json()["code"] == code
    receipt = client.get(f"{API}/dossiers/{dossier_id}/receipt", headers=headers)
    assert code in "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.content)).pages)
    history = client.get(f"{API}/dossiers/{dossier_id}/history", headers=headers).json()
    assert [e["action"] for e in history] == ["created", "submitted"]
    public = client.get(f"{API}/lookup/{code}").json()
    assert public["applicant"] == "" and public["procedure"] == "" and "id_number" not in public
    security = client.get(f"{API}/dossiers/{dossier_id}", headers=headers).json()["security_code"]
    public = client.get(f"{API}/lookup/{code}?security_code={security}").json()
    assert public["applicant"] == "Nguyễn V*** A" and "id_number" not in public
    listed = client.get(f"{API}/dossiers?status=submitted", headers=headers).json()
    assert [d["code"] for d in listed] == [code]


def test_bad_uploads_through_the_api_keep_the_draft(client, auth):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _user, headers = auth
    created = create_draft(client, headers, "1.001193", commune_centre().code).json()
    requirement = Procedure.objects.get(code="1.001193").requirements.get(name="Giấy chứng sinh")
    url = f"{API}/dossiers/{created['id']}/attachments"
    assert client.post(url, {"requirement": requirement.pk, "file": pdf_upload()}, headers=headers).status_code == 201
    bad = client.post(
        url, {"requirement": requirement.pk, "file": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 40)}, headers=headers
    )
    assert bad.status_code == 422 and "không phải là tệp" in bad.json()["errors"]["file"][0]
    assert client.post(url, {"requirement": 999999, "file": pdf_upload()}, headers=headers).status_code == 422
    detail = client.get(f"{API}/dossiers/{created['id']}", headers=headers).json()
    assert [a["name"] for a in detail["attachments"]] == ["giay-chung-sinh.pdf"]


def test_another_citizen_gets_404_through_the_api(client, auth, submitted_dossier):
    owner = UserFactory()
    dossier = submitted_dossier(owner)
    _user, headers = auth
    for method, url in [
        ("get", f"{API}/dossiers/{dossier.pk}"),
        ("get", f"{API}/dossiers/{dossier.pk}/history"),
        ("get", f"{API}/dossiers/{dossier.pk}/receipt"),
        ("patch", f"{API}/dossiers/{dossier.pk}"),
        ("post", f"{API}/dossiers/{dossier.pk}/withdraw"),
    ]:
        response = getattr(client, method)(url, {"reason": "x"}, content_type="application/json", headers=headers)
        assert response.status_code == 404, url
    assert client.get(f"{API}/dossiers/{dossier.pk}").status_code == 401
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.SUBMITTED


def test_an_incomplete_draft_is_refused_with_the_reasons(client, auth):
    _user, headers = auth
    created = create_draft(client, headers, "1.004873", commune_centre().code).json()
    response = client.post(
        f"{API}/dossiers/{created['id']}/submit",
        {"idempotency_key": "abcdefgh"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422 and "muc_dich" in response.json()["errors"]


def test_unknown_procedure_or_agency(client, auth):
    _user, headers = auth
    response = client.post(
        f"{API}/dossiers", {"procedure": "9.999999", "agency": "x"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422 and "procedure" in response.json()["errors"]
    assert client.get(f"{API}/lookup/000.01.01.H26-260101-9999").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"submission_method": "fax"},
        {"result_method": "pigeon"},
        {"delivery_address": {"province": "01", "commune": "07210"}},
        {"delivery_address": {"province": ["x"], "commune": None}},
        {"form_data": []},
    ],
)
def test_bad_draft_changes_are_refused_and_nothing_changes(client, auth, change):
    _user, headers = auth
    created = create_draft(client, headers, "1.004873", commune_centre().code).json()
    response = client.patch(f"{API}/dossiers/{created['id']}", change, content_type="application/json", headers=headers)
    assert response.status_code == 422, response.content
    assert set(response.json()) >= {"code", "message"}
    after = Dossier.objects.get(pk=created["id"])
    assert after.submission_method == "online" and after.delivery_address == {}


def test_supplement_rating_and_result_through_the_api(client, submitted_dossier):
    citizen, officer = UserFactory(), agency_staff(commune_centre()).officer
    headers = {"Authorization": f"Bearer {api_token_create(user=citizen)}"}
    dossier = submitted_dossier(citizen)
    dossier_request_supplement(dossier=dossier, actor=officer, requirements=[], note="Thiếu mục đích sử dụng rõ ràng.")
    asked = client.get(f"{API}/dossiers/{dossier.pk}/supplement", headers=headers).json()
    assert asked["note"] == "Thiếu mục đích sử dụng rõ ràng."
    sent = client.post(f"{API}/dossiers/{dossier.pk}/supplement", headers=headers)
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert client.get(f"{API}/dossiers/{dossier.pk}/result", headers=headers).status_code == 404
    ready = DossierFactory(result_ready=True, applicant=citizen)
    assert client.get(f"{API}/dossiers/{ready.pk}/result", headers=headers)["Content-Type"] == "application/pdf"
    dossier = ready
    body = {"overall": 5, "timeliness": 5, "attitude": 4, "publicity": 4, "trips": 0}
    assert (
        client.post(
            f"{API}/dossiers/{dossier.pk}/rating", body, content_type="application/json", headers=headers
        ).status_code
        == 201
    )
    again = client.post(f"{API}/dossiers/{dossier.pk}/rating", body, content_type="application/json", headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    bad = client.post(
        f"{API}/dossiers/{dossier.pk}/rating", {**body, "overall": 9}, content_type="application/json", headers=headers
    )
    assert bad.status_code == 422


def test_an_idempotency_key_of_another_dossier_is_refused_with_409(client, auth, submitted_dossier):
    user, headers = auth
    first = submitted_dossier(user, key="shared-key-1")
    other = create_draft(client, headers, "1.004873", first.agency.code).json()
    answer = client.post(
        f"{API}/dossiers/{other['id']}/submit", {"idempotency_key": "shared-key-1"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert answer.status_code == 409 and answer.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.get(pk=other["id"]).status == Dossier.Status.DRAFT


def test_a_draft_starts_only_at_an_agency_that_receives_the_procedure(client, auth):
    """The agency is read with its eligibility in one query; one that does not receive the procedure (a department
    for a commune procedure), or no agency of that code, is refused in Vietnamese and no draft is made."""
    from dvc.agencies.tests.factories import AgencyFactory, province

    _user, headers = auth
    department = AgencyFactory(kind=Agency.Kind.DEPARTMENT, level=Agency.Level.PROVINCE, admin_unit=province())
    for code, message in ((department.code, "không tiếp nhận"), ("000.99.99.H26", "Không có cơ quan")):
        refused = create_draft(client, headers, "1.004873", code)
        assert refused.status_code == 422 and message in refused.json()["errors"]["agency"][0], refused.json()
    assert not Dossier.objects.exists()
    assert create_draft(client, headers, "1.004873", commune_centre().code).status_code == 201


def test_a_complete_draft_sent_with_another_dossiers_key_is_refused_and_stays_a_draft(client, auth, submitted_dossier):
    """The key's reuse is found by the database's unique constraint when the draft is sent (no query beforehand):
    the same 409, nothing sent, no number of the day used up."""

    user, headers = auth
    first = submitted_dossier(user, key="shared-key-2")
    other = create_draft(client, headers, "1.004873", first.agency.code).json()
    url = f"{API}/dossiers/{other['id']}"
    client.patch(url, {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers)
    identity = Procedure.objects.get(code="1.004873").requirements.get(name__startswith="Giấy tờ tùy thân")
    client.post(f"{url}/attachments", {"requirement": identity.pk, "file": pdf_upload()}, headers=headers)
    numbers = list(DailySequence.objects.values_list("agency_id", "day", "last"))
    answer = client.post(
        f"{url}/submit", {"idempotency_key": "shared-key-2"}, content_type="application/json", headers=headers
    )
    assert answer.status_code == 409 and answer.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.get(pk=other["id"]).status == Dossier.Status.DRAFT
    assert list(DailySequence.objects.values_list("agency_id", "day", "last")) == numbers
    sent = client.post(f"{url}/submit", {"idempotency_key": "own-key-0003"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert sent.status_code == 200 and sent.json()["code"]


def test_saving_answers_reads_back_nothing_it_just_wrote(client, auth, django_assert_max_num_queries):
    """Issue 20, part 2: the answer to a save is built from what was written; the procedure and agency already read
    are not read again (15 queries before, 10 now: token, dossier, the address check, the update, the answer)."""
    _user, headers = auth
    dossier_id = create_draft(client, headers, "1.004873", commune_centre().code).json()["id"]
    with django_assert_max_num_queries(10):
        patched = client.patch(
            f"{API}/dossiers/{dossier_id}", {"form_data": MARITAL_ANSWERS, "notify_email": True},
            content_type="application/json", headers=headers,
        )  # fmt: skip
    body = patched.json()
    assert patched.status_code == 200 and body["notify_email"] is True and "muc_dich" not in body["problems"]
    assert body["form_data"]["muc_dich"] == MARITAL_ANSWERS["muc_dich"]
    stored = Dossier.objects.get(pk=dossier_id)
    assert stored.notify_email is True and stored.form_data == body["form_data"]


def test_another_citizens_draft_cannot_be_written_through_the_api(client, auth):
    """The dossier read as one statement written out keeps the applicant's scope (issue 20): a stranger's save, paper
    and send on someone's draft answer 404 and leave it as it was."""
    from dvc.dossiers.citizen.drafting import dossier_start

    owner = UserFactory()
    procedure = Procedure.objects.get(code="1.004873")
    draft = dossier_start(applicant=owner, procedure=procedure, agency=commune_centre())
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    _user, headers = auth
    url = f"{API}/dossiers/{draft.pk}"
    saved = client.patch(url, {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers)
    attached = client.post(f"{url}/attachments", {"requirement": identity.pk, "file": pdf_upload()}, headers=headers)
    sent = client.post(f"{url}/submit", {"idempotency_key": "not-my-dossier"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert (saved.status_code, attached.status_code, sent.status_code) == (404, 404, 404)
    kept = Dossier.objects.get(pk=draft.pk)
    assert kept.status == Dossier.Status.DRAFT and kept.form_data == draft.form_data
    assert not DossierAttachment.objects.filter(dossier=draft).exists()


def test_the_citizens_dossier_read_written_out_is_the_orms_read(auth, submitted_dossier):
    """``dossier_of`` reads with one statement written out (issue 20): every field of the dossier and its agency,
    converted as the ORM converts it on this database, and nothing else left on the instance."""
    from dvc.dossiers.citizen import selectors

    user, _headers = auth
    dossier = submitted_dossier(user)
    Dossier.objects.filter(pk=dossier.pk).update(is_group=True, due_at=timezone.now() + dt.timedelta(days=3))
    read = selectors.dossier_of(user, str(dossier.pk))
    orm = Dossier.objects.select_related("agency").get(pk=dossier.pk)
    for model, mine, theirs in ((Dossier, read, orm), (Agency, read.agency, orm.agency)):
        for field in model._meta.concrete_fields:
            ours, expected = getattr(mine, field.attname), getattr(theirs, field.attname)
            assert (ours, type(ours)) == (expected, type(expected)), field.name
    assert (read._state.db, read._state.adding, read.agency._state.adding) == (orm._state.db, False, False)
    assert not [name for name in vars(read) if name.startswith("agency__") or name == "papers"]
    assert read.get_deferred_fields() == set()


def test_a_save_answers_with_every_paper_as_the_dossier_shows_them(client, auth):
    """The papers a save and a send answer with are read with the dossier (one JSON column): the same list, current
    and replaced, in the same order and with the same times, as the dossier's own answer reads them."""
    _user, headers = auth
    dossier_id = create_draft(client, headers, "1.004873", commune_centre().code).json()["id"]
    url = f"{API}/dossiers/{dossier_id}"
    identity = Procedure.objects.get(code="1.004873").requirements.get(name__startswith="Giấy tờ tùy thân")
    for name in ("truoc.pdf", "sau.pdf"):
        client.post(f"{url}/attachments", {"requirement": identity.pk, "file": pdf_upload(name)}, headers=headers)
    saved = client.patch(url, {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers).json()
    shown = client.get(url, headers=headers).json()
    assert saved["attachments"] == shown["attachments"]
    assert [(a["name"], a["replaced_at"] is not None) for a in saved["attachments"]] == [
        ("truoc.pdf", True),
        ("sau.pdf", False),
    ]
    assert saved["problems"] == shown["problems"] and f"requirement-{identity.pk}" not in saved["problems"]
    # Listed by when each was given, whatever order the database keeps the rows in.
    DossierAttachment.objects.filter(stored_file__original_name="truoc.pdf").update(
        created_at=timezone.now() + dt.timedelta(minutes=1)
    )
    saved = client.patch(url, {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers).json()
    shown = client.get(url, headers=headers).json()
    assert [a["name"] for a in saved["attachments"]] == ["sau.pdf", "truoc.pdf"]
    assert saved["attachments"] == shown["attachments"]
    sent = client.post(f"{url}/submit", {"idempotency_key": "papers-key-01"}, content_type="application/json",
                       headers=headers).json()  # fmt: skip
    assert sent["attachments"] == shown["attachments"] and sent["code"]


def _submit_counted(client, headers, agency_code, identity_pk, key):
    """One complete submission over the API; the queries of each of its four requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with CaptureQueriesContext(connection) as done:
        dossier_id = create_draft(client, headers, "1.004873", agency_code).json()["id"]
    counts["create"] = len(done)
    url = f"{API}/dossiers/{dossier_id}"
    with CaptureQueriesContext(connection) as done:
        client.patch(url, {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers)
    counts["answers"] = len(done)
    with CaptureQueriesContext(connection) as done:
        client.post(f"{url}/attachments", {"requirement": identity_pk, "file": pdf_upload()}, headers=headers)
    counts["attach"] = len(done)
    with CaptureQueriesContext(connection) as done:
        sent = client.post(f"{url}/submit", {"idempotency_key": key}, content_type="application/json", headers=headers)
    counts["send"] = len(done)
    assert sent.status_code == 200 and sent.json()["code"], sent.json()
    return counts


def test_a_complete_submission_reads_its_procedure_and_the_map_once_per_process(client, auth):
    """Issue 20, part 2: 61 queries over the four requests at the start, 18 now (PostgreSQL, BEGIN and COMMIT
    counted): the procedure with its papers and fees, the administrative units and the agency's calendar are held
    by the process; the agency is read with its eligibility; a new draft's answer reads no papers; a save and a send
    read the papers with the dossier; sending leaves a reused key to the unique constraint and removes no fee lines
    from a draft. Writes go together in one statement on PostgreSQL: a draft with its history row; the file's row,
    the replaced paper and the new one; the day's number, the sent dossier and its history row; the notice with the
    SMS and the SMS's task row."""
    _user, headers = auth
    agency = commune_centre()
    identity = Procedure.objects.get(code="1.004873").requirements.get(name__startswith="Giấy tờ tùy thân")
    _submit_counted(client, headers, agency.code, identity.pk, "warm-up-key-0001")  # the first one reads what is held
    counts = _submit_counted(client, headers, agency.code, identity.pk, "counted-key-0002")
    if connection.vendor == "postgresql":
        assert counts == {"create": 3, "answers": 3, "attach": 6, "send": 6}, counts
    else:  # one statement per write (SQLite has no data-modifying WITH)
        assert counts == {"create": 4, "answers": 3, "attach": 8, "send": 10}, counts


def test_a_catalog_change_reaches_a_draft_at_once_in_this_process_and_soon_in_others(client, auth, monkeypatch):
    """The held procedure is never older than the catalog's version: a paper made required through the catalog's
    services shows at once; a change made by another process (the version row changed) within its read interval."""
    from dvc.catalog import search_index
    from dvc.catalog.models import CatalogState, DocumentRequirement
    from dvc.catalog.services import catalog_changed

    _user, headers = auth
    dossier_id = create_draft(client, headers, "1.004873", commune_centre().code).json()["id"]
    url = f"{API}/dossiers/{dossier_id}"

    def problems():  # the draft's check as a save answers it (the applicant's own dossier, its procedure held)
        saved = client.patch(url, {"form_data": MARITAL_ANSWERS}, content_type="application/json", headers=headers)
        return saved.json()["problems"]

    problems()
    procedure = Procedure.objects.get(code="1.004873")
    optional = procedure.requirements.filter(required=False).first() or DocumentRequirement.objects.create(
        procedure=procedure, position=99, name="Giấy tờ thêm", required=False
    )
    key = f"requirement-{optional.pk}"
    assert key not in problems()
    DocumentRequirement.objects.filter(pk=optional.pk).update(required=True)  # no signal: as another process would
    catalog_changed()
    assert key in problems()
    DocumentRequirement.objects.filter(pk=optional.pk).update(required=False)
    CatalogState.objects.filter(pk=1).update(version=12345)  # another process's change
    assert key in problems()  # within the interval this process trusts the version it read
    monkeypatch.setattr(search_index, "VERSION_SECONDS", 0.0)  # the interval has passed
    assert key not in problems()


def test_a_paper_taken_out_of_the_catalog_meanwhile_is_refused_with_a_message(client, auth):
    """Reviewer's check: another process's import removed a paper while this process still held the procedure with
    it; attaching to it failed the foreign key at commit (a 500). Now a 409 that says to reload; the file stays
    in the applicant's vault."""
    from django.db.models.signals import post_delete

    from dvc.catalog import held
    from dvc.catalog.models import DocumentRequirement
    from dvc.vault.models import StoredFile

    user, headers = auth
    dossier_id = create_draft(client, headers, "1.004873", commune_centre().code).json()["id"]
    procedure = Procedure.objects.get(code="1.004873")
    paper = DocumentRequirement.objects.create(procedure=procedure, position=98, name="Giấy tờ sắp bỏ", required=False)
    held.forget()
    assert held.requirement_of(held.held_procedure(procedure.pk), paper.pk) is not None  # held here
    uid = "held-DocumentRequirement-delete"
    post_delete.disconnect(sender=DocumentRequirement, dispatch_uid=uid)  # removed by another process
    try:
        DocumentRequirement.objects.filter(pk=paper.pk).delete()
    finally:
        post_delete.connect(held._changed, sender=DocumentRequirement, dispatch_uid=uid)
    answer = client.post(
        f"{API}/dossiers/{dossier_id}/attachments", {"requirement": paper.pk, "file": pdf_upload()}, headers=headers
    )
    assert answer.status_code == 409 and answer.json()["code"] == "catalog_changed"
    assert "tải lại trang" in answer.json()["message"]
    assert StoredFile.objects.filter(owner=user).exists()  # the upload is kept


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_a_paper_taken_out_of_the_catalog_while_it_is_added_is_refused_and_the_file_kept(client):
    """Review of issue 20: the file's row is written with the paper's. An import that takes the paper out of the
    catalog after the check, before the COMMIT, fails the foreign key there: a 500, and the upload was lost. Now the
    same 409 as above, and the file stays in the applicant's vault (PostgreSQL: another connection deletes)."""
    import threading

    from django.db import connection as default_connection
    from django.db.models.signals import post_delete

    from dvc.catalog import held
    from dvc.catalog.models import DocumentRequirement
    from dvc.dossiers.citizen import papers
    from dvc.dossiers.tests.factories import ensure_catalog
    from dvc.vault.models import StoredFile

    if default_connection.vendor != "postgresql":
        pytest.skip("two connections at once are proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()  # a transactional test starts from an empty database
    user = UserFactory()
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}"}
    dossier_id = create_draft(client, headers, "1.004873", commune_centre().code).json()["id"]
    procedure = Procedure.objects.get(code="1.004873")
    paper = DocumentRequirement.objects.create(procedure=procedure, position=98, name="Giấy tờ sắp bỏ", required=False)
    real = papers.writes_together

    def import_meanwhile(writes, **kwargs):  # after the check in the guard, before the paper's statement
        def remove():
            try:
                DocumentRequirement.objects.filter(pk=paper.pk).delete()
            finally:
                default_connection.close()

        remover = threading.Thread(target=remove)
        remover.start()
        remover.join(timeout=10)
        return real(writes, **kwargs)

    uid = "held-DocumentRequirement-delete"
    post_delete.disconnect(sender=DocumentRequirement, dispatch_uid=uid)  # removed by another process
    papers.writes_together = import_meanwhile
    try:
        answer = client.post(
            f"{API}/dossiers/{dossier_id}/attachments", {"requirement": paper.pk, "file": pdf_upload()}, headers=headers
        )
    finally:
        papers.writes_together = real
        post_delete.connect(held._changed, sender=DocumentRequirement, dispatch_uid=uid)
        held.forget()
    assert not DocumentRequirement.objects.filter(pk=paper.pk).exists()
    assert answer.status_code == 409 and answer.json()["code"] == "catalog_changed", answer.content
    kept = StoredFile.objects.get(owner=user)  # the upload is kept in the vault, bytes and row
    assert kept.file.storage.exists(kept.file.name)
    assert not DossierAttachment.objects.filter(dossier_id=dossier_id).exists()
