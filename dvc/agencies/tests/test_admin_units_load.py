import pytest
from django.core.management import call_command

from dvc.agencies.models import AdminUnit
from dvc.agencies.services import admin_units_load

pytestmark = pytest.mark.django_db


def test_official_list_has_34_provinces_and_3321_communes():
    result = admin_units_load()
    assert (result.provinces, result.communes) == (34, 3321)
    assert AdminUnit.objects.get(level="commune", code="00004").parent.name == "Thành phố Hà Nội"


def test_loading_again_changes_nothing(capsys):
    before = AdminUnit.objects.count()
    call_command("load_admin_units")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert AdminUnit.objects.count() == before


def test_loading_restores_a_changed_name():
    AdminUnit.objects.filter(level="province", code="01").update(name="Hà Nội cũ")
    result = admin_units_load()
    assert result.updated == 1
    assert AdminUnit.objects.get(level="province", code="01").name == "Thành phố Hà Nội"
