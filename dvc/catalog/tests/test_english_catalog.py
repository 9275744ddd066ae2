"""The catalog in English mode (issue 16, part 13): "English mode leaves procedure names, life events and e-form
group labels in Vietnamese inside English forms". Names and labels come from the catalog's English texts; where an
agency wrote none, the Vietnamese text is shown marked "(in Vietnamese)"."""

import json

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.catalog.services import catalog_export, catalog_import
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.tests.factories import commune_centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    settings.DVC_PAGE_CACHE = False
    client.get(reverse("web:language", args=["en"]))
    return client


def test_home_and_procedure_pages_name_things_in_english(english):
    home = english.get("/").content.decode()
    assert "<strong>Having a baby</strong>" in home and "Có con nhỏ" not in home
    page = english.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    assert "<h1>Birth registration</h1>" in page and "Birth certificate from the hospital" in page
    listing = english.get(reverse("catalog:home"), {"q": "birth registration"}).content.decode()
    assert ">Birth registration</a>" in listing  # English names are searched too


def test_the_e_form_labels_options_and_messages_are_in_english(english):
    user = UserFactory()
    english.force_login(user)
    english.get(reverse("web:language", args=["en"]))
    draft = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    page = english.get(reverse("dossiers:section", args=[draft.pk, "to-khai"])).content.decode()
    assert "Child&#x27;s full name" in page or "Child's full name" in page
    assert '<option value="male">Male</option>' in page and "Họ, chữ đệm, tên của trẻ" not in page
    sent = english.post(
        reverse("dossiers:section", args=[draft.pk, "to-khai"]), {"draft": "1", "section": "to-khai", "continue": "1"}
    ).content.decode()
    assert "Child&#x27;s full name:" in sent or "Child's full name:" in sent


def test_a_text_without_english_is_shown_in_vietnamese_with_a_mark(english):
    procedure = Procedure.objects.get(code="1.001193")
    Procedure.objects.filter(pk=procedure.pk).update(name_en="")
    page = english.get(reverse("catalog:detail", args=["1.001193"])).content.decode()
    assert "<h1>Đăng ký khai sinh (in Vietnamese)</h1>" in page


def test_english_texts_travel_through_export_and_import():
    exported = catalog_export(codes=["1.001193"])
    item = exported["procedures"][0]
    assert item["name_en"] == "Birth registration" and item["requirements"][1]["name_en"].startswith(
        "Birth certificate"
    )
    assert exported["sectors"][0]["name_en"] and all("name_en" in e for e in exported["life_events"])
    item["name_en"] = "Registration of a birth"
    catalog_import(data=json.loads(json.dumps(exported)))
    assert Procedure.objects.get(code="1.001193").name_en == "Registration of a birth"


def test_problems_answers_and_conditions_are_in_english_or_marked(english):
    """Review of issue 16: "Not attached yet: Giấy chứng sinh.", "Hoa Kỳ" and the papers' conditions in Vietnamese."""
    user = UserFactory()
    english.force_login(user)
    english.get(reverse("web:language", args=["en"]))
    draft = dossier_start(applicant=user, procedure=Procedure.objects.get(code="1.001193"), agency=commune_centre())
    draft.form_data = {**draft.form_data, "quoc_tich": "Hoa Kỳ"}
    draft.save(update_fields=["form_data"])
    check = english.get(reverse("dossiers:submit", args=[draft.pk])).content.decode()
    assert "Birth certificate from the hospital" in check and "Chưa đính kèm" not in check
    assert "United States" in check and "Hoa Kỳ" not in check
    papers = english.get(reverse("dossiers:section", args=[draft.pk, "giay-to"])).content.decode()
    assert "(in Vietnamese)" in papers  # the conditions have no English text yet, and say so
