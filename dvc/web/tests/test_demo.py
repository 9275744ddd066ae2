"""The demo data `make run` loads: accounts that can act, and a back office with work in it."""

import pytest
from django.urls import reverse

from dvc.accounts.models import User
from dvc.dossiers.models import Dossier
from dvc.web.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates_and_fills_the_officer_queue(client):
    logins = load_demo()
    load_demo()
    assert len(logins) == 16 and User.objects.get(id_number="001085012345").check_password(DEMO_PASSWORD)
    dossiers = Dossier.objects.filter(applicant__id_number="001085012345")
    assert sorted(dossiers.values_list("status", flat=True)) == ["processing", "submitted", "submitted"]
    assert dossiers.filter(fee_status="unpaid", result_method="post").count() == 1  # postage to pay online
    client.force_login(User.objects.get(id_number="001193000021"))  # one-stop officer, phường Ba Đình
    queue = client.get(reverse("staff:queue") + "?hang=tat-ca").content.decode()
    assert all(d.code in queue for d in dossiers)
    client.force_login(User.objects.get(id_number="001088000022"))  # the specialist has one to appraise
    assigned = client.get(reverse("staff:queue") + "?hang=duoc-giao").content.decode()
    assert dossiers.get(status="processing").code in assigned


def test_demo_agencies_name_their_province_as_the_official_2025_list_does():
    """Issue 16, part 8: the province list said "Thành phố Bắc Ninh", the agency "tỉnh Bắc Ninh"."""
    from dvc.agencies.models import Agency

    load_demo()
    # Regional bodies (Bảo hiểm xã hội khu vực I) are named by region, not by province.
    named_by_province = Agency.objects.filter(level="province").exclude(kind=Agency.Kind.SOCIAL_INSURANCE)
    for agency in named_by_province.select_related("admin_unit"):
        assert agency.name.endswith(agency.admin_unit.name), (agency.name, agency.admin_unit.name)
