import json

import pytest

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure

pytestmark = pytest.mark.django_db
PREVIEW = "/quan-tri/catalog/procedure/preview/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_live_preview_renders_a_schema_being_edited(admin_client):
    schema = {"fields": [{"name": "ho_ten", "type": "text", "label": "Họ và tên", "required": True}]}
    body = admin_client.post(PREVIEW, {"schema": json.dumps(schema)}).json()
    assert body["problems"] == [] and 'name="f-ho_ten"' in body["html"]
    body = admin_client.post(PREVIEW, {"schema": '{"fields": [{"name": "x", "type": "magic", "label": "x"}]}'}).json()
    assert body["html"] == "" and "không được hỗ trợ" in body["problems"][0]
    body = admin_client.post(PREVIEW, {"schema": "{oops"}).json()
    assert "JSON không hợp lệ" in body["problems"][0]


def test_preview_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.post(PREVIEW, {"schema": "{}"}).status_code == 302


def test_change_page_shows_the_live_preview(admin_client):
    procedure = Procedure.objects.get(code="1.004873")
    url = f"/quan-tri/catalog/procedure/{procedure.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "data-eform-preview" in page and 'name="f-muc_dich"' in page
    assert "eform-preview.js" in page


def test_export_action_downloads_json(admin_client):
    ids = list(Procedure.objects.filter(code__in=["1.001193", "1.000894"]).values_list("pk", flat=True))
    response = admin_client.post("/quan-tri/catalog/procedure/", {"action": "export_json", "_selected_action": ids})
    data = json.loads(response.content)
    assert data["format"] == "dvc-catalog"
    assert [p["code"] for p in data["procedures"]] == ["1.000894", "1.001193"]


def test_saving_a_procedure_refreshes_its_search_text(admin_client):
    from dvc.catalog.selectors import Filters, search
    from dvc.catalog.services import procedure_refresh_search

    procedure = Procedure.objects.get(code="2.000635")
    procedure.name = "Cấp bản sao trích lục hộ tịch điện tử"
    procedure.save()
    procedure_refresh_search(procedure=procedure)
    assert [p.code for p in search(Filters(q="trich luc dien tu"))] == ["2.000635"]


def test_admin_form_refuses_a_broken_schema_with_the_reason():
    from django.forms.models import model_to_dict

    from dvc.catalog.admin import ProcedureForm

    procedure = Procedure.objects.get(code="1.004873")
    data = model_to_dict(procedure)
    data["life_events"] = [e.pk for e in data["life_events"]]
    data["agencies"] = []
    data["submission_channels"] = json.dumps(procedure.submission_channels)
    data["result_channels"] = json.dumps(procedure.result_channels)
    data["form_schema"] = json.dumps({"fields": [{"name": "x", "type": "select", "label": "Chọn"}]})
    form = ProcedureForm(data=data, instance=procedure)
    assert not form.is_valid()
    assert "danh sách lựa chọn" in form.errors["form_schema"][0]
    data["form_schema"] = json.dumps(procedure.form_schema)
    data["submission_channels"] = json.dumps(["online", "fax"])
    form = ProcedureForm(data=data, instance=procedure)
    assert not form.is_valid() and "submission_channels" in form.errors


def test_agency_admin_edits_only_the_procedures_of_their_agency(client):
    from dvc.agencies.models import StaffRole
    from dvc.agencies.services import staff_role_grant
    from dvc.agencies.tests.factories import AgencyFactory

    agency = AgencyFactory()
    admin_user = UserFactory()
    staff_role_grant(user=admin_user, agency=agency, role=StaffRole.Role.AGENCY_ADMIN)
    client.force_login(admin_user)
    national = Procedure.objects.get(code="1.001193")
    page = client.get(f"/quan-tri/catalog/procedure/{national.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view only
    own = Procedure.objects.get(code="2.000815")
    own.agencies.add(agency)
    page = client.get(f"/quan-tri/catalog/procedure/{own.pk}/change/")
    assert 'name="_save"' in page.content.decode()


def _agency_admin(client, agency):
    from dvc.agencies.models import StaffRole
    from dvc.agencies.services import staff_role_grant

    user = UserFactory()
    staff_role_grant(user=user, agency=agency, role=StaffRole.Role.AGENCY_ADMIN)
    client.force_login(user)
    return user


def test_one_shared_agency_is_not_enough_to_change_a_procedure(client):
    """Issue 15, finding 8: an agency admin could edit (and re-fee) a procedure that another agency also handles."""
    from dvc.agencies.tests.factories import AgencyFactory

    mine, theirs = AgencyFactory(), AgencyFactory()
    shared = Procedure.objects.get(code="2.000815")
    shared.agencies.add(mine, theirs)
    _agency_admin(client, mine)
    page = client.get(f"/quan-tri/catalog/procedure/{shared.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    answer = client.post(f"/quan-tri/catalog/procedure/{shared.pk}/change/", {"name": "Đổi tên"})
    assert answer.status_code == 403
    shared.refresh_from_db()
    assert shared.name != "Đổi tên" and set(shared.agencies.all()) == {mine, theirs}


def test_an_agency_admin_cannot_change_national_fields(client):
    """Fees and the legal basis are set nationally: an agency admin sees them, only a system administrator edits."""
    from dvc.agencies.tests.factories import AgencyFactory

    mine = AgencyFactory()
    own = Procedure.objects.get(code="2.000815")
    own.agencies.add(mine)
    _agency_admin(client, mine)
    html = client.get(f"/quan-tri/catalog/procedure/{own.pk}/change/").content.decode()
    assert 'name="_save"' in html
    assert (
        'name="legal_basis"' not in html
        and 'name="fees-0-amount"' not in html
        and "Chứng thực bản sao từ bản chính" in html
    )


def test_a_sector_renamed_in_the_admin_shows_at_once_in_the_search_api(admin_client):
    """Review finding (issue 20): the search API answers from the index, which carries the sectors' names."""
    procedure = Procedure.objects.select_related("sector").get(code="1.004873")
    sector = procedure.sector
    assert (
        admin_client.get("/api/v1/procedures", {"q": "1.004873"}).json()["results"][0]["sector"]["name"] == sector.name
    )
    admin_client.post(
        f"/quan-tri/catalog/sector/{sector.pk}/change/", {"code": sector.code, "name": "Hộ tịch (đổi tên)"}
    )
    found = admin_client.get("/api/v1/procedures", {"q": "1.004873"}).json()["results"][0]
    assert found["sector"]["name"] == "Hộ tịch (đổi tên)"
