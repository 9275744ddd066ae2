"""Answers as people read them, on the citizen's check page and the officer's dossier page (issue 16, part 2;
issue 17: "Nơi cư trú: 01, 00004", "True", ISO dates)."""

import pytest

from dvc.catalog.answers import readable_answers
from dvc.catalog.models import Procedure

pytestmark = pytest.mark.django_db


def test_every_kind_of_answer_reads_as_on_paper():
    schema = Procedure.objects.get(code="1.001193").form_schema
    answers = {
        "nguoi_yeu_cau": {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-12", "id_number": "001085012345"},
        "dien_thoai": "+84912345678",
        "noi_cu_tru": {"province": "01", "commune": "00004", "line": "Số 1 Liễu Giai"},
        "ho_ten_tre": "Nguyễn Minh Khôi",
        "ngay_sinh_tre": "2026-10-01",
        "gioi_tinh": "male",
        "so_ban_sao": 2,
        "cam_doan": True,
    }
    shown = {a.name: (a.label, a.text) for a in readable_answers(schema, answers)}
    assert shown["nguoi_yeu_cau"][1] == "Nguyễn Văn An, sinh ngày 12/03/1985, số định danh 001085012345"
    assert shown["dien_thoai"][1] == "0912345678"
    assert shown["noi_cu_tru"][1] == "Số 1 Liễu Giai, Phường Ba Đình, Thành phố Hà Nội"
    assert shown["ngay_sinh_tre"][1] == "01/10/2026"
    assert shown["gioi_tinh"][1] == "Nam"
    assert shown["so_ban_sao"][1] == "2"
    assert shown["cam_doan"][1] == "Có"
    assert "cha" not in shown  # unanswered questions are left out
    assert list(shown) == [n for n in (s["name"] for s in schema["fields"]) if n in shown]  # the form's order


def test_a_group_lists_one_line_per_row_and_nothing_breaks_on_odd_values():
    schema = {"fields": [
        {"name": "nguoi", "type": "group", "label": "Người cùng thay đổi",
         "fields": [{"name": "ho_ten", "type": "text", "label": "Họ tên"}, {"name": "ngay", "type": "date", "label": "Ngày"}]},
        {"name": "dong_y", "type": "checkbox", "label": "Đồng ý"},
        {"name": "noi_o", "type": "address", "label": "Nơi ở"},
    ]}  # fmt: skip
    answers = {"nguoi": [{"ho_ten": "A", "ngay": "2000-01-02"}, {"ho_ten": "B"}, "x"], "dong_y": False, "noi_o": "x"}
    shown = {a.name: a.text for a in readable_answers(schema, answers)}
    assert shown == {"nguoi": "A, 02/01/2000; B", "dong_y": "Không", "noi_o": "x"}  # odd values shown as stored
    assert readable_answers(None, None) == []
