"""The administrative units held by each process (issue 20, part 2): an address answer is checked against the map
without a query, and the map a process holds follows a change: at once in the process that made it, within the
hold's time in the others."""

import pytest

from dvc.accounts.services import api_token_create
from dvc.accounts.tests.factories import UserFactory
from dvc.agencies import units
from dvc.agencies.models import AdminUnit
from dvc.agencies.tests.factories import province
from dvc.dossiers.tests.factories import MARITAL_ANSWERS, commune_centre

pytestmark = pytest.mark.django_db


def _save_address(client, headers, url, commune_code):
    answers = {**MARITAL_ANSWERS, "noi_cu_tru": {"province": "01", "commune": commune_code, "line": "Số 2"}}
    saved = client.patch(url, {"form_data": answers}, content_type="application/json", headers=headers).json()
    return saved["problems"].get("noi_cu_tru.commune")


def test_an_address_follows_the_map_as_it_changes(client, monkeypatch):
    headers = {"Authorization": f"Bearer {api_token_create(user=UserFactory())}"}
    created = client.post(
        "/api/v1/dossiers", {"procedure": "1.004873", "agency": commune_centre().code}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    url = f"/api/v1/dossiers/{created.json()['id']}"
    assert _save_address(client, headers, url, "00004") is None  # the map is now held
    assert _save_address(client, headers, url, "99990") is not None  # no such commune
    AdminUnit.objects.create(  # a new commune saved in this process: known at once
        level=AdminUnit.Level.COMMUNE, code="99990", name="Phường Mới", division_type="Phường", parent=province("01")
    )
    assert _save_address(client, headers, url, "99990") is None
    # Moved to another province by another process (no signal here): this process still holds the old map...
    AdminUnit.objects.filter(code="99990").update(parent=province("79"))
    assert _save_address(client, headers, url, "99990") is None
    monkeypatch.setattr(units, "TTL", 0.0)  # ...until its hold runs out
    assert _save_address(client, headers, url, "99990") is not None


def test_a_unit_made_by_another_process_is_found_by_its_id(monkeypatch):
    """Review finding: an agency whose unit another process had just imported had no province in this process's
    map, so the filing-area rule was skipped for it. A unit the map does not hold is read afresh (at most once a
    second)."""
    assert units.unit_by_id(province("01").pk) is not None  # the map is held
    AdminUnit.objects.bulk_create(  # no signal: as another process's import
        [
            AdminUnit(
                level=AdminUnit.Level.COMMUNE, code="99991", name="Xã Mới", division_type="Xã", parent=province("01")
            )
        ]
    )
    made = AdminUnit.objects.get(code="99991")
    held = units._units
    monkeypatch.setattr(units, "_units", units._Units(held.by_id, held.by_code, held.loaded - 2.0))
    found = units.unit_by_id(made.pk)
    assert found is not None and found.code == "99991" and found.parent.code == "01"
