import datetime as dt

import pytest
from django.urls import reverse

from dvc.agencies.models import Agency
from dvc.agencies.services import office_hours_set
from dvc.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    root = AgencyFactory(
        code="000.00.00.H26", name="Ủy ban nhân dân Thành phố Hà Nội", kind=Agency.Kind.PROVINCE_COMMITTEE
    )
    child = AgencyFactory(code="000.01.01.H26", name="Trung tâm PVHCC phường Ba Đình", parent=root)
    AgencyFactory(code="000.09.09.H26", name="Cơ quan đã giải thể", effective_to=dt.date(2025, 6, 30))
    office_hours_set(agency=child, periods={5: [(dt.time(7, 30), dt.time(11, 30))]})
    return root, child


def test_directory_lists_agencies_in_force(client, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = client.get(reverse("agencies:list")).content.decode()
    assert "Ủy ban nhân dân Thành phố Hà Nội" in html and "Trung tâm PVHCC phường Ba Đình" in html
    assert "Cơ quan đã giải thể" not in html


def test_agency_page_shows_hours_and_parent(client, tree):
    html = client.get(reverse("agencies:detail", args=["000.01.01.H26"])).content.decode()
    assert "07:30–11:30" in html and "Thứ Bảy" in html
    assert "Ủy ban nhân dân Thành phố Hà Nội" in html


def test_unknown_agency_is_a_404_page_in_vietnamese(client):
    response = client.get(reverse("agencies:detail", args=["999.99.99.Z99"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_api_lists_agencies_and_children(client, tree):
    top = client.get("/api/v1/agencies").json()
    assert [a["code"] for a in top] == ["000.00.00.H26"]
    children = client.get("/api/v1/agencies?parent=000.00.00.H26").json()
    assert children[0]["parent_code"] == "000.00.00.H26"


def test_api_lists_communes_of_a_province(client):
    communes = client.get("/api/v1/admin-units?parent=01").json()
    assert len(communes) == 126
    assert all(c["parent_code"] == "01" for c in communes)
    assert len(client.get("/api/v1/admin-units").json()) == 34
    assert client.get("/api/v1/admin-units?parent=' OR 1=1 --").json() == []


def test_agency_code_must_follow_qcvn_102():
    from django.core.exceptions import ValidationError

    agency = Agency(code="H26-01", name="Sai mã", kind=Agency.Kind.DEPARTMENT, level=Agency.Level.PROVINCE)
    with pytest.raises(ValidationError, match="QCVN 102:2016"):
        agency.full_clean()
