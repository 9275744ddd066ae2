import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dvc.accounts import validators as v


@pytest.mark.parametrize("value", ["001085012345", "001 085 012 345", "024192004321"])
def test_the_12_digit_personal_id_number_is_accepted(value):
    assert v.validate_cccd(value) == value.replace(" ", "")


def test_a_9_digit_cmnd_is_refused_for_anything_new_and_read_on_old_records():
    """Luật Căn cước 2023 Điều 46: the CMND lost its validity on 1/1/2025 (issue 16, part 9)."""
    with pytest.raises(ValidationError, match="hết giá trị từ 01/01/2025"):
        v.validate_cccd("123456789")
    assert v.validate_cccd("123 456 789", legacy=True) == "123456789"


@pytest.mark.parametrize("value", ["12345", "00108501234A", "0010850123456", ""])
def test_cccd_with_wrong_length_or_letters_is_refused(value):
    with pytest.raises(ValidationError, match="12 chữ số"):
        v.validate_cccd(value)


def test_cccd_with_unknown_province_code_is_refused():
    # 003 is not one of the 63 pre-2025 province codes (Hà Giang is 002, Cao Bằng 004).
    with pytest.raises(ValidationError, match="mã tỉnh"):
        v.validate_cccd("003085012345")


def test_century_digit_must_agree_with_birth_year_and_sex():
    assert v.check_cccd_matches_person("001085012345", birth_date=dt.date(1985, 3, 12), sex="male") == []
    assert v.check_cccd_matches_person("001305012345", birth_date=dt.date(2005, 1, 1), sex="female") == []
    born_2005 = v.check_cccd_matches_person("001085012345", birth_date=dt.date(2005, 3, 12), sex="male")
    assert born_2005 and "năm sinh 2005" in born_2005[0]
    wrong_sex = v.check_cccd_matches_person("001085012345", birth_date=dt.date(1985, 3, 12), sex="female")
    assert wrong_sex and "giới tính" in wrong_sex[0]
    assert v.check_cccd_matches_person("123456789", birth_date=dt.date(1960, 1, 1), sex="male") == []


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("0912345678", "+84912345678"), ("+84 912 345 678", "+84912345678"), ("0868.123.456", "+84868123456")],
)
def test_mobile_phone_is_stored_in_e164(raw, e164):
    assert v.normalize_mobile_phone(raw) == e164


@pytest.mark.parametrize("raw", ["0123", "0241234567", "+14155550123", "abc", "0" * 30])
def test_non_vietnamese_mobile_numbers_are_refused(raw):
    for _again in range(2):  # the check of a number is kept per process: a refusal stays a refusal
        with pytest.raises(ValidationError, match="Số điện thoại di động không hợp lệ"):
            v.normalize_mobile_phone(raw)


def test_phone_is_masked_for_display():
    assert v.mask_phone("+84820000088") == "082****088"


@pytest.mark.parametrize("value", ["0100109106", "0100109106-001", "0100109106001"])
def test_valid_tax_codes(value):
    assert v.validate_tax_code(value) in {"0100109106", "0100109106001"}


@pytest.mark.parametrize("value", ["0100109107", "12345", "01001091060"])
def test_invalid_tax_codes(value):
    with pytest.raises(ValidationError, match="Mã số thuế không hợp lệ"):
        v.validate_tax_code(value)


@pytest.mark.parametrize(
    ("password", "missing"),
    [("short1!A", None), ("alllower1!", "chữ in hoa"), ("NoDigits!!", "chữ số"), ("NoSpecial12", "ký tự đặc biệt")],
)
def test_password_rule_from_seed_001(password, missing):
    validator = v.PasswordComplexityValidator()
    if missing is None:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError, match=missing):
            validator.validate(password)
