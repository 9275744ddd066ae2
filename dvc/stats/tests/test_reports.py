"""Staff reports per agency and period (screen, Excel, CSV) and the leader's view of workload and lateness."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.backoffice.appraisal import dossier_assign, dossier_generate_result, dossier_propose
from dvc.dossiers.backoffice.decision import dossier_approve
from dvc.dossiers.backoffice.intake import dossier_receive
from dvc.dossiers.tests.factories import RESULT_VALUES, agency_staff, commune_centre
from dvc.stats.services import counts_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(submitted_dossier):
    agency = commune_centre()
    staff = agency_staff(agency)
    done = dossier_receive(dossier=submitted_dossier(UserFactory(), agency=agency), actor=staff.officer)
    done = dossier_assign(dossier=done, actor=staff.officer, specialist=staff.specialist)
    done = dossier_generate_result(dossier=done, actor=staff.specialist, values=RESULT_VALUES)
    done = dossier_propose(dossier=done, actor=staff.specialist, decision="approve", note="")
    dossier_approve(dossier=done, actor=staff.leader)
    waiting = dossier_receive(dossier=submitted_dossier(UserFactory(), agency=agency, key="k2"), actor=staff.officer)
    dossier_assign(dossier=waiting, actor=staff.officer, specialist=staff.specialist)
    return agency, staff


def test_the_report_on_screen_in_excel_and_csv(client, office):
    _agency, staff = office
    client.force_login(staff.officer)
    page = client.get(reverse("stats:report")).content.decode()
    assert "1.004873" in page and "Khối lượng và độ trễ" not in page  # the officer is not a leader
    book = load_workbook(io.BytesIO(client.get(reverse("stats:report") + "?xuat=xlsx").content))
    sheet = book.active
    header, row = [c.value for c in sheet[2]], [c.value for c in sheet[3]]
    assert header[4] == "Đã xử lý" and row[0] == "1.004873" and row[4] == 1 and row[9] == 1
    csv_text = client.get(reverse("stats:report") + "?xuat=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Mã thủ tục,Thủ tục") and "1.004873" in csv_text


def test_the_leader_sees_each_specialists_load(client, office):
    _agency, staff = office
    client.force_login(staff.leader)
    page = client.get(reverse("stats:report")).content.decode()
    assert "Khối lượng và độ trễ theo chuyên viên" in page and "Phạm Thị Chuyên Viên" in page
    row = page.split("Phạm Thị Chuyên Viên</th>")[1].split("</tr>")[0]
    assert row.count("<td>") == 4 and "<td>1</td><td>0</td><td>1</td><td>0</td>" in row.replace("\n", "")


def test_reports_are_for_staff_of_the_agency_only(client, office):
    agency, _staff = office
    stranger = agency_staff(commune_centre(code="000.02.02.H26")).leader
    client.force_login(stranger)
    page = client.get(reverse("stats:report") + f"?co_quan={agency.pk}").content.decode()
    assert "1.004873" not in page  # falls back to the stranger's own agency
    client.force_login(UserFactory())
    assert client.get(reverse("stats:report")).status_code == 403


def test_the_report_costs_the_same_for_one_or_many_procedures(client, office):
    """The leader's report (figures per procedure, workload per specialist) reads a constant number of times."""
    agency, staff = office
    client.force_login(staff.leader)

    def cost():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("stats:report")).status_code == 200
        return len(captured)

    one = cost()
    for procedure in Procedure.objects.exclude(code="1.004873")[:5]:
        counts_add(timezone.localdate(), agency.pk, procedure.pk, received_online=2, processed=1, on_time=1)
    assert cost() == one


def test_report_exports_write_formula_like_names_as_text(client, office):
    _agency, staff = office
    Procedure.objects.filter(code="1.004873").update(name='=HYPERLINK("http://x.example","Mở")')
    client.force_login(staff.officer)
    text = client.get(reverse("stats:report") + "?xuat=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    book = load_workbook(io.BytesIO(client.get(reverse("stats:report") + "?xuat=xlsx").content))
    assert all(c.data_type != "f" for row in book.active for c in row)
