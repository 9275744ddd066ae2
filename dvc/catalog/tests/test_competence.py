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


COMMUNE_AGENCIES = {"centre", "committee"}


@pytest.mark.parametrize(
    ("level", "listed", "receiving"),
    [
        # A commune procedure nobody is listed for goes to every commune agency in force.
        (Procedure.Level.COMMUNE, [], COMMUNE_AGENCIES),
        # A listed agency in force is the only one that receives it, whatever its level.
        (Procedure.Level.COMMUNE, ["committee", "department"], {"committee", "department"}),
        # When only agencies out of force are listed, the level decides.
        (Procedure.Level.COMMUNE, ["closed", "future"], COMMUNE_AGENCIES),
        # A province procedure goes to its departments and centre.
        (Procedure.Level.PROVINCE, [], {"department", "province_centre"}),
    ],
)
def test_the_statement_says_what_the_rule_says(agencies, level, listed, receiving):
    procedure = Procedure.objects.filter(level=level).order_by("code").first()
    procedure.agencies.set([agencies[name] for name in listed])
    answers = _answers(procedure, agencies)
    assert {name for name, received in answers.items() if received} == receiving


def test_an_unknown_code_is_no_agency(agencies):
    assert agency_for(Procedure.objects.get(code="1.004873"), "000.99.99.H26") is None
    assert agency_for(Procedure.objects.get(code="1.004873"), "' OR 1=1 --") is None
