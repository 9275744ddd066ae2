"""Issue 19, acceptance (parts 1 and 2): the newborn group with the health-insurance card's agency outside the portal.
The card goes out through the exchange to the portal's own exchange sandbox over HTTP (a live server); the first
delivery is lost and the worker sends it again; the outside agency's answers come back signed over HTTP, a duplicate
status is ignored, and its signed result lands in the citizen's one dossier with the other two."""

import pytest

from conftest import run_tasks
from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.models import Dossier, DossierEvent, IssuedResult
from dvc.dossiers.tests.factories import agency_staff
from dvc.dossiers.tests.test_linked_procedures import CHILD_ID, ba_dinh_agencies, file_newborn_group, resolve
from dvc.exchange import sandbox
from dvc.exchange.models import OutboundMessage, SandboxCase

S = Dossier.Status


@pytest.fixture
def exchange_sandbox(csc_sandbox, settings, tmp_path):
    """The exchange sandbox served by the live server, reached over HTTP as `make run` reaches it."""
    settings.DVC_EXCHANGE_ADAPTER = "http"
    settings.DVC_EXCHANGE_SANDBOX = True
    settings.DVC_EXCHANGE_URL = ""
    settings.DVC_EXCHANGE_RETRY_SECONDS = 0
    settings.VAR_DIR = tmp_path
    return csc_sandbox


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_a_component_outside_the_portal_goes_and_comes_back_through_the_exchange(exchange_sandbox):
    agencies = ba_dinh_agencies(insurance_outside=True)
    citizen = UserFactory(full_name="Nguyễn Văn An", id_number="001085012345", phone="0912345678")
    parent = file_newborn_group(citizen, agencies["centre"])
    resolve(parent.components.get(), agency_staff(agencies["centre"]), values={"so_dinh_danh_tre": CHILD_ID})
    card = parent.components.get(component_key="the_bhyt")

    sandbox.drops_set(1)  # the platform loses the first delivery
    run_tasks()
    message = OutboundMessage.objects.get(correlation=card.code)
    assert message.status == "sent" and message.attempts == 2
    case = SandboxCase.objects.get(correlation=card.code)
    assert case.envelope["payload"]["answers"]["so_dinh_danh_tre"] == CHILD_ID

    assert sandbox.act(case, "receive") == "accepted"
    assert sandbox.act(case, "resend") == "duplicate"  # the same status again: ignored
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.PROCESSING
    assert DossierEvent.objects.filter(dossier=card, action="received").count() == 1

    assert sandbox.act(case, "result", note="Đã cấp thẻ") == "accepted"
    run_tasks()
    card.refresh_from_db()
    assert card.status == S.RESULT_READY and card.result_file is not None
    issued = IssuedResult.objects.get(dossier=card)
    assert issued.agency_name == "Bảo hiểm xã hội khu vực I" and issued.signer_name

    resolve(parent.components.get(component_key="thuong_tru"), agency_staff(agencies["police"]))
    parent.refresh_from_db()
    assert parent.status == S.RESULT_READY
    assert parent.components.filter(status=S.RESULT_READY).count() == 3
