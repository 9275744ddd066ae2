import threading

import pytest
from django.db import close_old_connections, connection

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_save_draft, dossier_start
from dvc.dossiers.citizen.sending import dossier_submit
from dvc.dossiers.models import Dossier
from dvc.dossiers.tests.factories import commune_centre, ensure_catalog, ready_draft
from dvc.errors import Conflict, InvalidInput
from dvc.tests.parallel import in_parallel

pytestmark = pytest.mark.django_db


def test_the_same_idempotency_key_returns_the_first_dossier(submitted_dossier):
    user = UserFactory()
    first = submitted_dossier(user, key="same-key")
    again = dossier_submit(dossier=first, actor=user, idempotency_key="same-key")
    assert again.pk == first.pk and Dossier.objects.filter(code__isnull=False).count() == 1
    # A second draft sent with a key already used is refused (issue 15: it used to answer with the other dossier).
    other = dossier_start(applicant=user, procedure=first.procedure, agency=first.agency)
    with pytest.raises(Conflict, match="hồ sơ khác"):
        dossier_submit(dossier=other, actor=user, idempotency_key="same-key")
    other.refresh_from_db()
    assert other.status == Dossier.Status.DRAFT and other.code is None


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_six_sends_of_one_dossier_with_one_key_at_once_all_get_the_same_answer(submitted_dossier):
    """Issue 15 (low): parallel submits with one key gave one 200 and five 409."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    user = UserFactory()
    draft = ready_draft(user, commune_centre())
    answers = in_parallel(
        lambda: dossier_submit(dossier=Dossier.objects.get(pk=draft.pk), actor=user, idempotency_key="k6"), 6
    )
    assert all(isinstance(a, Dossier) for a in answers) and len({a.code for a in answers}) == 1


def test_a_sent_dossier_cannot_be_sent_again_or_edited(submitted_dossier):
    user = UserFactory()
    dossier = submitted_dossier(user)
    with pytest.raises(Conflict):
        dossier_submit(dossier=dossier, actor=user, idempotency_key="another")
    with pytest.raises(Conflict):
        dossier_save_draft(
            dossier=dossier, actor=user, form_data={}, submission_method="online", result_method="online",
            delivery_address={}, notify_sms=True, notify_email=False,
        )  # fmt: skip


def test_an_incomplete_draft_is_not_sent():
    user = UserFactory()
    dossier = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.004873"), agency=commune_centre())
    with pytest.raises(InvalidInput) as refused:
        dossier_submit(dossier=dossier, actor=user, idempotency_key="k")
    assert "muc_dich" in refused.value.errors
    assert any(key.startswith("requirement-") for key in refused.value.errors)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DRAFT and dossier.code is None


def test_codes_follow_the_agency_and_day_sequence(submitted_dossier):
    agency = commune_centre()
    codes = [submitted_dossier(UserFactory(), agency=agency, key=f"k{n}").code for n in range(3)]
    assert [code[-4:] for code in codes] == ["0001", "0002", "0003"]
    assert len({code[:-5] for code in codes}) == 1


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_50_concurrent_submissions_get_50_consecutive_codes():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    agency = commune_centre()
    drafts = []
    for _ in range(50):
        user = UserFactory()
        drafts.append((user, ready_draft(user, agency)))
    barrier = threading.Barrier(len(drafts))
    errors = []

    def send(user, dossier):
        try:
            barrier.wait(timeout=30)
            dossier_submit(dossier=dossier, actor=user, idempotency_key=str(dossier.pk))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(int(code[-4:]) for code in Dossier.objects.filter(agency=agency).values_list("code", flat=True))
    assert numbers == list(range(1, 51))


def test_the_ten_thousandth_dossier_of_a_day_keeps_all_its_digits(submitted_dossier):
    """The day's number is taken in the statement that sends the dossier on PostgreSQL (issue 20, part 2): past 9999
    it is written whole, as ``next_code`` writes it elsewhere, and the code stays unique."""
    from django.utils import timezone

    from dvc.dossiers.models import DailySequence

    agency = commune_centre()
    DailySequence.objects.create(agency=agency, day=timezone.localdate(), last=9998)
    codes = [submitted_dossier(UserFactory(), agency=agency, key=f"k{n}").code for n in range(2)]
    assert [code.rsplit("-", 1)[1] for code in codes] == ["9999", "10000"]
    assert DailySequence.objects.get(agency=agency).last == 10000


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_a_dossier_sent_by_two_requests_at_once_takes_one_number():
    """The losing request's number is given back with its transaction: the next dossier takes the next one."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    agency = commune_centre()
    user = UserFactory()
    dossier = ready_draft(user, agency)

    def send():
        return dossier_submit(dossier=Dossier.objects.get(pk=dossier.pk), actor=user, idempotency_key="once-only-key")

    outcomes = in_parallel(send, 4)
    assert {o.code for o in outcomes if isinstance(o, Dossier)} == {Dossier.objects.get(pk=dossier.pk).code}
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="submitted").count() == 1
    other = ready_draft(user, agency)
    sent = dossier_submit(dossier=other, actor=user, idempotency_key="the-next-one")
    assert sent.code.endswith("-0002")
