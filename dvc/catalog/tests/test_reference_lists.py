"""Nationality and ethnicity are chosen from the official lists, not typed (issue 16, part 8)."""

import pytest
from django.urls import reverse
from django.utils import translation

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.bilingual import field_text
from dvc.catalog.eform import check_schema, validate_answers
from dvc.catalog.models import Procedure
from dvc.catalog.reference import options_of
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.tests.factories import commune_centre

pytestmark = pytest.mark.django_db
ETHNICITY = {"name": "dan_toc", "type": "select", "label": "Dân tộc", "options_from": "dan_toc"}
NATIONALITY = {"name": "quoc_tich", "type": "select", "label": "Quốc tịch", "options_from": "quoc_tich"}


def test_the_54_ethnic_groups_in_the_official_order():
    groups = [o["value"] for o in options_of(ETHNICITY)]
    assert len(groups) == 54 and groups[:3] == ["Kinh", "Tày", "Thái"] and groups[-1] == "Rơ Măm"


def test_countries_by_their_vietnamese_names_viet_nam_first_then_in_vietnamese_order():
    countries = [o["value"] for o in options_of(NATIONALITY)]
    assert countries[0] == "Việt Nam" and countries[-1] == "Không quốc tịch" and len(countries) > 240
    assert "Hoa Kỳ" in countries and "Đài Loan (Trung Quốc)" in countries
    # Vietnamese alphabetical order: Đ after D, before E (character codes put it last).
    assert countries.index("Đức") > countries.index("Dominica") and countries.index("Đức") < countries.index("Estonia")
    with translation.override("en"):
        labels = {o["value"]: field_text(o) for o in options_of(NATIONALITY)}
    assert labels["Hoa Kỳ"] == "United States" and labels["Việt Nam"] == "Vietnam"


def test_an_answer_outside_the_list_is_refused_with_a_message_naming_the_field():
    schema = {"version": 1, "fields": [{**ETHNICITY, "required": True}, {**NATIONALITY, "required": True}]}
    assert check_schema(schema) == []
    checked = validate_answers(schema, {"dan_toc": "Kinh", "quoc_tich": "Việt Nam"})
    assert checked.errors == {} and checked.answers == {"dan_toc": "Kinh", "quoc_tich": "Việt Nam"}
    refused = validate_answers(schema, {"dan_toc": "Kinh Bắc", "quoc_tich": "Atlantis"})
    assert refused.errors["dan_toc"] == ["Vui lòng chọn “Dân tộc” trong danh sách."] and "quoc_tich" in refused.errors
    assert check_schema({"version": 1, "fields": [{**ETHNICITY, "options_from": "ton_giao"}]}) != []


def test_the_birth_registration_form_offers_the_lists_as_choices(client):
    user = UserFactory()
    client.force_login(user)
    draft = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    page = client.get(reverse("dossiers:section", args=[draft.pk, "to-khai"])).content.decode()
    assert '<select name="f-dan_toc"' in page and '<option value="Mông">Mông</option>' in page
    assert '<select name="f-quoc_tich"' in page and '<option value="Việt Nam">Việt Nam</option>' in page


def test_answers_typed_before_the_lists_still_count():
    """Review of issue 16: "Việt nam" typed when the field was free text blocked a later supplement."""
    schema = {"version": 1, "fields": [{**NATIONALITY, "required": True}, {**ETHNICITY, "required": True}]}
    checked = validate_answers(schema, {"quoc_tich": "Việt nam", "dan_toc": "kinh"})
    assert checked.errors == {} and checked.answers == {"quoc_tich": "Việt Nam", "dan_toc": "Kinh"}
    assert validate_answers(schema, {"quoc_tich": "Vietnam", "dan_toc": "Kinh"}).answers["quoc_tich"] == "Việt Nam"
    assert "quoc_tich" in validate_answers(schema, {"quoc_tich": "Xứ Sở Thần Tiên", "dan_toc": "Kinh"}).errors


@pytest.mark.parametrize("spec", [ETHNICITY, NATIONALITY])
def test_every_item_is_accepted_by_its_name_in_either_language_however_typed(spec):
    """The accepted values and the names typed before the lists, kept per process (issue 20), cover every item."""
    schema = {"version": 1, "fields": [spec]}
    for option in options_of(spec):
        for typed in (option["value"], option["label_en"].upper(), f"  {option['value'].lower()} "):
            checked = validate_answers(schema, {spec["name"]: typed})
            assert checked.errors == {} and checked.answers[spec["name"]] == option["value"], typed


def test_a_form_with_its_own_options_accepts_only_those():
    schema = {"version": 1, "fields": [{"name": "c", "type": "select", "label": "Chọn", "options": [
        {"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}]}  # fmt: skip
    assert validate_answers(schema, {"c": "b"}).answers == {"c": "b"}
    assert "c" in validate_answers(schema, {"c": "Kinh"}).errors
