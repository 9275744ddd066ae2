"""Lists cost the same few queries however long they are: the citizen's dossiers (page and API) and the officers'
register (form 07)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre, photo_upload
from dvc.vault.services import stored_file_save

pytestmark = pytest.mark.django_db


def queries(request) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured)


def test_the_citizens_list_costs_the_same_for_5_or_15_dossiers(client):
    # Drafts included: the API checks what still stops each draft (it read each one's procedure and applicant).
    citizen = UserFactory()
    token = api_token_create(user=citizen)
    client.force_login(citizen)
    page = lambda: client.get(reverse("dossiers:mine"))  # noqa: E731
    api = lambda: client.get("/api/v1/dossiers", HTTP_AUTHORIZATION=f"Bearer {token}")  # noqa: E731

    def add(count):
        for n in range(count):
            trait = ("submitted", "processing", "result_ready", "refused", "")[n % 5]
            dossier = DossierFactory(applicant=citizen, **({trait: True} if trait else {}))
            dossier.attachments.create(requirement=None, stored_file=_file(citizen))

    add(5)
    api()  # the process reads the procedure once (``catalog.held``), not once per draft
    few = (queries(page), queries(api))
    add(10)
    assert (queries(page), queries(api)) == few
    listed = api().json()
    assert len(listed) == 15 and all([a["name"] for a in d["attachments"]] == ["anh.jpg"] for d in listed)
    assert {d["procedure"] for d in listed} == {"1.004873"} and all(d["agency"] for d in listed)


def test_the_api_lists_what_the_citizens_folders_hold_newest_first(client):
    """The API's list is a statement written out (issue 20): the same dossiers and order as ``dossiers_of``, which
    the citizen's pages use: their own, drafts included; those filed on their behalf once sent; no linked part."""
    import datetime as dt

    from django.utils import timezone

    from dvc.dossiers.citizen.selectors import dossiers_of
    from dvc.dossiers.models import Dossier

    citizen, helper, stranger = UserFactory(), UserFactory(), UserFactory()
    token = api_token_create(user=citizen)
    own = [DossierFactory(applicant=citizen, **({t: True} if t else {})) for t in ("", "submitted", "refused", "")]
    group = DossierFactory(applicant=citizen, submitted=True)
    part = DossierFactory(applicant=citizen, submitted=True, parent=group)  # followed inside its group
    for_me = DossierFactory(applicant=helper, owner=citizen, submitted=True)
    draft_for_me = DossierFactory(applicant=helper, owner=citizen)  # not theirs until it is sent
    others = DossierFactory(applicant=stranger, submitted=True)
    start = timezone.now() - dt.timedelta(days=1)
    for minutes, dossier in enumerate([*own, group, part, for_me, draft_for_me, others]):
        Dossier.objects.filter(pk=dossier.pk).update(updated_at=start + dt.timedelta(minutes=(minutes * 7) % 11))
    expected = [str(d.pk) for d in dossiers_of(citizen)]
    listed = client.get("/api/v1/dossiers", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [d["id"] for d in listed] == expected
    assert set(expected) == {str(d.pk) for d in [*own, group, for_me]} and str(part.pk) not in expected
    sent = client.get("/api/v1/dossiers?status=submitted", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [d["id"] for d in sent] == [str(d.pk) for d in dossiers_of(citizen).filter(status="submitted")]
    assert {d["status"] for d in sent} == {"submitted"} and len(sent) == 3
    assert {d["procedure"] for d in listed} == {"1.004873"} and {d["agency"] for d in listed} == {own[0].agency.code}


def _file(owner):
    return stored_file_save(owner=owner, upload=photo_upload(), allowed=["jpg"], max_bytes=1024 * 1024)


def test_the_register_costs_the_same_for_2_or_12_dossiers(client):
    agency = commune_centre()
    officer = agency_staff(agency).officer
    client.force_login(officer)
    register = lambda: client.get(reverse("staff:register"))  # noqa: E731
    for _ in range(2):
        DossierFactory(processing=True, agency=agency)
    few = queries(register)
    for _ in range(10):
        DossierFactory(processing=True, agency=agency)
    assert queries(register) == few
