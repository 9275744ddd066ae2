import copy
import json

import pytest
from django.core.management import CommandError, call_command

from dvc.catalog.models import Procedure
from dvc.catalog.services import CatalogRejected, catalog_export, catalog_import
from dvc.web.demo import DEMO_CATALOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))


def test_demo_catalog_has_at_least_25_real_procedures(demo):
    codes = {p["code"] for p in demo["procedures"]}
    assert len(codes) >= 25
    assert {"1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000908", "2.000815", "1.004884"} <= codes
    assert Procedure.objects.count() == len(codes)


def test_importing_the_same_file_twice_changes_nothing(demo):
    before = {p.code: p.updated_at for p in Procedure.objects.all()}
    report = catalog_import(data=demo)
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == len(demo["procedures"])
    assert {p.code: p.updated_at for p in Procedure.objects.all()} == before


def test_export_then_import_round_trips(demo):
    exported = catalog_export()
    assert {p["code"] for p in exported["procedures"]} == {p["code"] for p in demo["procedures"]}
    report = catalog_import(data=exported)
    assert report.updated == [] and report.created == []


def test_one_broken_record_imports_nothing_and_names_the_record_and_field(demo):
    data = copy.deepcopy(demo)
    data["procedures"][0]["name"] = "Tên mới sẽ không được lưu"
    data["procedures"].append({**copy.deepcopy(demo["procedures"][1]), "code": "9.999999"})
    broken = next(p for p in data["procedures"] if p["code"] == "2.000815")
    broken["fees"][0]["amount"] = -5
    broken["processing_days"] = "năm ngày"
    with pytest.raises(CatalogRejected) as rejected:
        catalog_import(data=data)
    problems = [(p.record, p.field) for p in rejected.value.problems]
    assert ("thủ tục 2.000815", "fees[0].amount") in problems
    assert ("thủ tục 2.000815", "processing_days") in problems
    assert not Procedure.objects.filter(code="9.999999").exists()
    assert Procedure.objects.get(code=demo["procedures"][0]["code"]).name == demo["procedures"][0]["name"]


def test_cross_record_checks(demo):
    data = copy.deepcopy(demo)
    data["procedures"][0]["sector"] = "khong-co"
    data["procedures"][1]["form_schema"] = {"fields": [{"name": "x", "type": "magic", "label": "x"}]}
    data["procedures"][2]["agencies"] = ["999.99.99.Z99"]
    data["procedures"][3]["code"] = data["procedures"][4]["code"]
    with pytest.raises(CatalogRejected) as rejected:
        catalog_import(data=data)
    fields = {p.field for p in rejected.value.problems}
    assert {"sector", "form_schema", "agencies", "code"} <= fields


def test_a_valid_change_updates_by_code(demo):
    data = copy.deepcopy(demo)
    item = next(p for p in data["procedures"] if p["code"] == "2.000635")
    item["processing_days"] = 1
    item["fees"][0]["amount"] = 9000
    report = catalog_import(data=data)
    assert report.updated == ["2.000635"]
    procedure = Procedure.objects.get(code="2.000635")
    assert procedure.processing_days == 1 and procedure.fees.get().amount == 9000


@pytest.mark.parametrize("data", [[], {"format": "other", "version": 1}, {"format": "dvc-catalog", "version": 2}, "x"])
def test_files_of_another_shape_are_rejected(data):
    with pytest.raises(CatalogRejected):
        catalog_import(data=data)


def test_management_commands(tmp_path, demo, capsys):
    good = tmp_path / "good.json"
    call_command("catalog_export", "--output", str(good))
    call_command("catalog_import", str(good))
    assert "0 created, 0 updated" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    data = copy.deepcopy(demo)
    data["procedures"][0]["level"] = "district"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("catalog_import", str(bad))
    assert "level" in capsys.readouterr().err
    (tmp_path / "notjson.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("catalog_import", str(tmp_path / "notjson.json"))


def test_a_sector_renamed_by_an_import_reaches_every_process(client, demo):
    """Review finding: an import that only renamed a sector left the catalog's version alone, so other processes kept
    the old name in their search index and held procedures. The procedure page and the API show the new name."""
    from dvc.catalog.models import CatalogState

    before = CatalogState.objects.get(pk=1).version
    data = copy.deepcopy(demo)
    sector = next(s for s in data["sectors"] if s["code"] == Procedure.objects.get(code="1.004873").sector.code)
    sector["name"] = "Hộ tịch (đã đổi tên)"
    report = catalog_import(data=data)
    assert report.created == [] and report.updated == []  # no procedure changed
    assert CatalogState.objects.get(pk=1).version != before
    assert client.get("/api/v1/procedures/1.004873").json()["sector"]["name"] == "Hộ tịch (đã đổi tên)"
