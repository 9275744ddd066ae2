"""The civil-status register's numbers under load: approvals at the same moment take distinct consecutive numbers
(Luật Hộ tịch 2014 Điều 12: a register whose numbers follow each other without gap or repeat)."""

import queue

import pytest
from django.db import connection

from dvc.agencies.models import StaffRole
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.models import Dossier, RegisterEntry
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre, ensure_catalog
from dvc.tests.parallel import in_parallel


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_ten_approvals_at_once_take_ten_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL; SQLite serialises every writer")
    ensure_catalog()
    agency = commune_centre()
    staff = agency_staff(agency)
    StaffRole.objects.filter(user=staff.leader).update(title="Chủ tịch")
    procedure = Procedure.objects.get(code="1.004873")
    waiting: queue.Queue[Dossier] = queue.Queue()
    for _ in range(10):
        dossier = DossierFactory(processing=True, agency=agency, procedure=procedure, assigned_to=staff.specialist)
        dossier = dossier_generate_result(
            dossier=dossier, actor=staff.specialist, values={"tinh_trang_hon_nhan": "Chưa đăng ký kết hôn với ai."}
        )
        waiting.put(dossier_propose(dossier=dossier, actor=staff.specialist, decision="approve", note="Được."))

    outcomes = in_parallel(lambda: dossier_approve(dossier=waiting.get_nowait(), actor=staff.leader), 10)

    assert all(isinstance(o, Dossier) for o in outcomes), outcomes
    numbers = sorted(RegisterEntry.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 11))
    issued = sorted(
        int(r.split("/")[0]) for d in outcomes for r in d.issued_results.values_list("register_number", flat=True)
    )
    assert issued == list(range(1, 11))
