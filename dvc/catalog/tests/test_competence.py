"""Which agencies receive a procedure (NĐ 118/2025/NĐ-CP): the agency a draft starts at is read with its eligibility
in one statement written out (``agency_for``, issue 20); it must say what the rule's ORM form says for every kind of
agency, in force or not, listed or not."""

import datetime as dt

import pytest
from django.utils import timezone

from dvc.agencies.models import Agency
from dvc.agencies.tests.factories import AgencyFactory, province
from dvc.catalog.competence import agency_for, agency_receives, receiving_agencies_query
from dvc.catalog.models import Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    today = timezone.localdate()
    return {
        "centre": AgencyFactory(code="000.01.01.H26"),
        "committee": AgencyFactory(code="000.01.02.H26", kind=Agency.Kind.COMMUNE_COMMITTEE),
        "closed": AgencyFactory(code="000.01.03.H26", effective_to=today - dt.timedelta(days=1)),
        "future": AgencyFactory(code="000.01.04.H26", effective_from=today + dt.timedelta(days=1)),
        "department": AgencyFactory(
            code="000.00.11.H26", kind=Agency.Kind.DEPARTMENT, level=Agency.Level.PROVINCE, admin_unit=province()
        ),
        "province_centre": AgencyFactory(
            code="000.00.12.H26", kind=Agency.Kind.PROVINCE_CENTRE, level=Agency.Level.PROVINCE, admin_unit=province()
        ),
    }


def _answers(procedure: Procedure, agencies: dict[str, Agency]) -> dict[str, bool]:
    """Each agency's eligibility as ``agency_for`` reads it, checked against the rule's ORM form."""
    rule = set(receiving_agencies_query(procedure).values_list("pk", flat=True))
    answers = {}
    for name, agency in agencies.items():
        found = agency_for(procedure, agency.code)
        assert found is not None and found.pk == agency.pk and found.code == agency.code
        received = bool(getattr(found, "receiving", None))  # what the statement said
        assert received == (agency.pk in rule) == agency_receives(procedure, found), name
        answers[name] = received
    return answers


def test_a_commune_procedure_nobody_is_listed_for_goes_to_every_commune_agency_in_force(agencies):
    procedure = Procedure.objects.get(code="1.004873")
    procedure.agencies.clear()
    assert _answers(procedure, agencies) == {
        "centre": True, "committee": True, "closed": False, "future": False, "department": False,
        "province_centre": False,
    }  # fmt: skip


def test_a_listed_agency_in_force_is_the_only_one_that_receives(agencies):
    procedure = Procedure.objects.get(code="1.004873")
    procedure.agencies.set([agencies["committee"], agencies["department"]])
    assert _answers(procedure, agencies) == {
        "centre": False, "committee": True, "closed": False, "future": False, "department": True,
        "province_centre": False,
    }  # fmt: skip


def test_when_only_agencies_out_of_force_are_listed_the_level_decides(agencies):
    procedure = Procedure.objects.get(code="1.004873")
    procedure.agencies.set([agencies["closed"], agencies["future"]])
    assert _answers(procedure, agencies) == {
        "centre": True, "committee": True, "closed": False, "future": False, "department": False,
        "province_centre": False,
    }  # fmt: skip


def test_a_province_procedure_goes_to_its_departments_and_centre(agencies):
    procedure = Procedure.objects.filter(level=Procedure.Level.PROVINCE).first()
    procedure.agencies.clear()
    assert _answers(procedure, agencies) == {
        "centre": False, "committee": False, "closed": False, "future": False, "department": True,
        "province_centre": True,
    }  # fmt: skip


def test_an_unknown_code_is_no_agency(agencies):
    assert agency_for(Procedure.objects.get(code="1.004873"), "000.99.99.H26") is None
    assert agency_for(Procedure.objects.get(code="1.004873"), "' OR 1=1 --") is None
