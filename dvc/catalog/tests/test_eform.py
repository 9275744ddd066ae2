import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog import eform

pytestmark = pytest.mark.django_db

SCHEMA = {
    "version": 1,
    "fields": [
        {"name": "ho_ten", "type": "text", "label": "Họ và tên", "required": True, "max_length": 20, "prefill": "full_name"},
        {"name": "so_ban", "type": "number", "label": "Số bản", "min": 1, "max": 5},
        {"name": "ngay", "type": "date", "label": "Ngày sinh", "required": True, "max": "today"},
        {"name": "gioi_tinh", "type": "select", "label": "Giới tính", "options": [{"value": "male", "label": "Nam"}]},
        {"name": "dong_y", "type": "checkbox", "label": "Cam đoan", "required": True},
        {"name": "email", "type": "email", "label": "Thư điện tử", "prefill": "email"},
        {"name": "dt", "type": "phone", "label": "Điện thoại", "prefill": "phone"},
        {"name": "cccd", "type": "cccd", "label": "Số CCCD", "prefill": "id_number"},
        {"name": "dia_chi", "type": "address", "label": "Địa chỉ", "required": True, "prefill": "address"},
        {"name": "cha", "type": "person", "label": "Người cha"},
        {"name": "nhan_chung", "type": "group", "label": "Người làm chứng", "min_items": 1, "max_items": 2,
         "fields": [{"name": "ten", "type": "text", "label": "Tên", "required": True}]},
    ],
}  # fmt: skip

GOOD = {
    "ho_ten": " Nguyễn Văn An ",
    "so_ban": "2",
    "ngay": "12/03/1985",
    "gioi_tinh": "male",
    "dong_y": True,
    "email": "An@Example.vn",
    "dt": "0912345678",
    "cccd": "001085012345",
    "dia_chi": {"province": "01", "commune": "00004", "line": "Số 1"},
    "cha": {"full_name": "Nguyễn Văn Bố", "birth_date": "1960-01-01", "id_number": ""},
    "nhan_chung": [{"ten": "Trần B"}],
}


def test_the_schema_of_every_demo_procedure_is_valid():
    from dvc.catalog.models import Procedure

    for procedure in Procedure.objects.all():
        assert eform.check_schema(procedure.form_schema) == [], procedure.code


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"fields": "x"}, "danh sách “fields”"),
        ({"fields": [{"name": "A b", "type": "text", "label": "x"}]}, "chữ thường không dấu"),
        ({"fields": [{"name": "a", "type": "magic", "label": "x"}]}, "không được hỗ trợ"),
        ({"fields": [{"name": "a", "type": "text", "label": "x"}, {"name": "a", "type": "text", "label": "y"}]}, "trùng tên"),
        ({"fields": [{"name": "a", "type": "select", "label": "x"}]}, "danh sách lựa chọn"),
        ({"fields": [{"name": "a", "type": "text", "label": "x", "prefill": "salary"}]}, "nguồn điền sẵn"),
        ({"fields": [{"name": "a", "type": "group", "label": "x", "fields": [{"name": "b", "type": "group", "label": "y", "fields": []}]}]}, "không được hỗ trợ"),
        ({"fields": [{"name": "a", "type": "text", "label": "x", "pattern": "("}]}, "biểu thức"),
        ({"fields": [{"name": "a", "type": "text", "label": "x", "colour": "red"}]}, "không hỗ trợ: colour"),
    ],
)  # fmt: skip
def test_bad_schemas_are_explained(schema, expected):
    problems = eform.check_schema(schema)
    assert any(expected in problem for problem in problems), problems


def test_good_answers_are_cleaned():
    result = eform.validate_answers(SCHEMA, GOOD)
    assert result.errors == {}
    answers = result.answers
    assert answers["ho_ten"] == "Nguyễn Văn An"
    assert answers["so_ban"] == 2
    assert answers["ngay"] == "1985-03-12"
    assert answers["email"] == "an@example.vn"
    assert answers["dt"] == "+84912345678"
    assert answers["dia_chi"] == {"province": "01", "commune": "00004", "line": "Số 1"}
    assert answers["nhan_chung"] == [{"ten": "Trần B"}]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"ho_ten": ""}, "ho_ten", "Vui lòng nhập “Họ và tên”"),
        ({"ho_ten": "x" * 21}, "ho_ten", "dài quá 20 ký tự"),
        ({"so_ban": "9"}, "so_ban", "không được lớn hơn 5"),
        ({"so_ban": "hai"}, "so_ban", "phải là số"),
        ({"ngay": "31/02/1985"}, "ngay", "dd/mm/yyyy"),
        ({"ngay": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}, "ngay", "không được sau ngày"),
        ({"gioi_tinh": "other"}, "gioi_tinh", "trong danh sách"),
        ({"dong_y": False}, "dong_y", "Vui lòng đánh dấu"),
        ({"email": "not-an-email"}, "email", "Thư điện tử"),
        ({"dt": "0123"}, "dt", "Số điện thoại di động không hợp lệ"),
        ({"cccd": "003085012345"}, "cccd", "mã tỉnh"),
        ({"dia_chi": {"province": "24", "commune": "00004"}}, "dia_chi.commune", "thuộc tỉnh"),
        ({"cha": {"full_name": "A", "birth_date": "2099-01-01"}}, "cha.birth_date", "không được sau ngày"),
        ({"nhan_chung": []}, "nhan_chung", "ít nhất 1 dòng"),
        ({"nhan_chung": [{"ten": "a"}, {"ten": "b"}, {"ten": "c"}]}, "nhan_chung", "nhiều nhất 2 dòng"),
        ({"ho_ten": {"nested": 1}}, "ho_ten", "không hợp lệ"),
    ],
)
def test_bad_answers_get_a_vietnamese_message_by_field(change, path, message):
    result = eform.validate_answers(SCHEMA, {**GOOD, **change})
    assert any(message in text for text in result.errors.get(path, [])), result.errors


def test_answers_from_a_flat_html_form_validate_the_same_way():
    post = QueryDict(mutable=True)
    post.update({
        "f-ho_ten": "Nguyễn Văn An", "f-so_ban": "2", "f-ngay": "12/03/1985", "f-gioi_tinh": "male", "f-dong_y": "on",
        "f-email": "an@example.vn", "f-dt": "0912345678", "f-cccd": "001085012345", "f-dia_chi.province": "01",
        "f-dia_chi.commune": "00004", "f-dia_chi.line": "Số 1", "f-cha.full_name": "Nguyễn Văn Bố",
        "f-nhan_chung.0.ten": "Trần B", "f-nhan_chung.1.ten": "",
    })  # fmt: skip
    result = eform.validate_answers(SCHEMA, eform.answers_from_post(SCHEMA, post))
    assert result.errors == {}
    assert result.answers["nhan_chung"] == [{"ten": "Trần B"}]


def test_prefill_from_the_profile():
    user = UserFactory(full_name="Nguyễn Văn An", email="an@example.vn", phone="+84912345678", address_line="Số 1")
    answers = eform.prefill_answers(SCHEMA, user)
    assert answers["ho_ten"] == "Nguyễn Văn An"
    assert answers["dt"] == "0912345678"
    assert answers["cccd"] == user.id_number
    assert answers["dia_chi"] == {"province": "01", "commune": "00004", "line": "Số 1"}


def test_rendered_form_is_accessible_and_shows_errors():
    from django.template.loader import render_to_string

    result = eform.validate_answers(SCHEMA, {**GOOD, "ho_ten": ""})
    html = render_to_string("catalog/eform/form.html", {"widgets": eform.layout(SCHEMA, result.answers, result.errors)})
    assert '<label for="id_f-ho_ten">Họ và tên' in html
    assert 'aria-invalid="true"' in html and "Vui lòng nhập “Họ và tên”" in html
    assert 'name="f-dia_chi.commune"' in html and "Phường Ba Đình" in html
    assert 'name="f-nhan_chung.1.ten"' in html  # one empty row to add another witness without JavaScript
