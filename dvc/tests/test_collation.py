"""Vietnamese alphabetical order in every sorted list (issue 16, part 8): code-point order put "Huế" before
"Hà Nội" and every "Đ" after "Y"."""

import re

import pytest
from django.urls import reverse

from dvc.collation import vi_key, vi_sorted

ALPHABET_ORDER = [
    "a", "à", "ả", "ã", "á", "ạ", "an", "ăn", "ân", "bắc", "da", "đa", "e", "ê", "hà nội", "huế", "o", "ô", "ơ",
    "u", "ư", "y",
]  # fmt: skip


def test_letters_follow_the_vietnamese_alphabet_and_tones_come_after_the_letters():
    assert vi_sorted(reversed(ALPHABET_ORDER)) == ALPHABET_ORDER
    # Tones only break a tie of letters: "ả" (hỏi) before "á" (sắc), but "an" after every bare "a".
    assert vi_key("anh") < vi_key("ảnh") < vi_key("ánh") < vi_key("ao")
    assert vi_sorted(["Huế", "Đà Nẵng", "Hà Nội", "Điện Biên", "Bắc Ninh", "Cần Thơ"]) == [
        "Bắc Ninh", "Cần Thơ", "Đà Nẵng", "Điện Biên", "Hà Nội", "Huế",
    ]  # fmt: skip
    assert vi_sorted(["b", "B", "a"]) == ["a", "b", "B"]  # case last
    assert vi_sorted(["Phường 10", "Phường 2", "Phường Bến Thành"])[-1] == "Phường Bến Thành"  # digits first


def _options(html, select_name):
    block = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", block) if label.strip()]


@pytest.mark.django_db
def test_the_province_list_on_registration_is_in_vietnamese_order(client):
    provinces = _options(client.get(reverse("accounts:register")).content.decode(), "province")[1:]  # after "— Chọn —"
    assert len(provinces) == 34
    assert provinces == vi_sorted(provinces)
    assert provinces.index("Thành phố Hà Nội") < provinces.index("Thành phố Huế")


@pytest.mark.django_db
def test_the_database_sorts_as_the_key_does_on_sqlite_and_postgresql():
    from dvc.agencies.models import AdminUnit
    from dvc.collation import vi_order

    names = list(AdminUnit.objects.filter(level="province").order_by(vi_order("name")).values_list("name", flat=True))
    assert names == vi_sorted(names) and names.index("Thành phố Hà Nội") < names.index("Thành phố Huế")
    communes = list(
        AdminUnit.objects.filter(parent__code="01").order_by(vi_order("name")).values_list("name", flat=True)
    )
    assert communes == vi_sorted(communes) and any(n.startswith("Phường Đ") for n in communes)
