"""Validators for the identifiers citizens type: CCCD/CMND, mobile phone, tax code, password.

Each takes the raw text, returns the normalized value, and raises ``ValidationError`` with a Vietnamese
message a citizen can act on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.vn import mst

from dvc.agencies.reference import legacy_province_codes

_DIGITS = re.compile(r"^\d+$")


def normalize_text(value: str) -> str:
    """NFC-normalize and trim user text, so that the same Vietnamese word is always stored the same way."""
    return unicodedata.normalize("NFC", value).strip()


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def normalize_id_number(value: str) -> str:
    """An identification number without spaces, dots or dashes, as stored and used to log in."""
    return _compact(value).upper()


def validate_cccd(value: str, *, legacy: bool = False) -> str:
    """A 12-digit personal id number (TT 07/2016/TT-BCA Điều 7); returns the digits.

    Luật Căn cước 2023 Điều 46: the 9-digit CMND was valid until 31/12/2024 at the latest, so nothing new takes
    one; ``legacy=True`` reads one on an old record. Structure: 3 digits province-of-birth code (one of the 63
    pre-2025 provinces), 1 digit century and sex, 2 digits year of birth, 6 random digits.
    """
    digits = _compact(value)
    if legacy and _DIGITS.match(digits) and len(digits) == 9:
        return digits
    if _DIGITS.match(digits) and len(digits) == 9:
        raise ValidationError(
            _(
                "Chứng minh nhân dân 9 số đã hết giá trị từ 01/01/2025. Hãy nhập số định danh cá nhân 12 chữ số "
                "(in trên thẻ căn cước, căn cước công dân hoặc trong ứng dụng VNeID)."
            ),
            code="cmnd_expired",
        )
    if not _DIGITS.match(digits) or len(digits) != 12:
        raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="cccd_format")
    if len(digits) == 12 and digits[:3] not in legacy_province_codes():
        raise ValidationError(
            _("Ba chữ số đầu của số CCCD (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.")
            % {"code": digits[:3]},
            code="cccd_province",
        )
    return digits


def cccd_birth_facts(cccd: str) -> tuple[int, int, str] | None:
    """(first year of century, two-digit birth year, sex) encoded in a 12-digit CCCD, or None for a CMND."""
    if len(cccd) != 12:
        return None
    marker = int(cccd[3])
    century_start = 1900 + (marker // 2) * 100
    sex = "male" if marker % 2 == 0 else "female"
    return century_start, int(cccd[4:6]), sex


def check_cccd_matches_person(cccd: str, *, birth_date: dt.date | None, sex: str | None) -> list[str]:
    """Messages for every contradiction between a CCCD's century/sex digit and year and the declared facts."""
    facts = cccd_birth_facts(cccd)
    if facts is None:
        return []
    century_start, year_in_century, encoded_sex = facts
    problems = []
    in_century = birth_date is not None and century_start <= birth_date.year < century_start + 100
    if birth_date is not None and (not in_century or birth_date.year % 100 != year_in_century):
        problems.append(
            _("Số CCCD không khớp với năm sinh %(year)s: chữ số thứ 4 (thế kỷ) hoặc thứ 5–6 (năm sinh) sai.")
            % {"year": birth_date.year}
        )
    if sex in ("male", "female") and sex != encoded_sex:
        problems.append(_("Số CCCD không khớp với giới tính đã khai (chữ số thứ 4 mã hoá giới tính)."))
    return problems


def normalize_mobile_phone(value: str) -> str:
    """A Vietnamese mobile number in E.164 (+849...), from forms like 0912 345 678 or +84 912 345 678."""
    raw = (value or "").strip()
    e164 = _mobile_e164(raw) if raw and len(raw) <= 20 else None
    if e164 is None:
        raise ValidationError(
            _("Số điện thoại di động không hợp lệ. Vui lòng nhập số di động Việt Nam, ví dụ 0912345678."),
            code="phone_invalid",
        )
    return e164


@lru_cache(maxsize=4096)
def _mobile_e164(raw: str) -> str | None:
    """The number in E.164 when it is a Vietnamese mobile one, else None (kept per process: an e-form's check asks
    for each phone answer, and parsing one took longer than the rest of the answer's check; issue 20)."""
    try:
        parsed = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if (
        parsed.country_code != 84
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE
    ):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """0912345678 for +84912345678: how Vietnamese people write their own number."""
    if e164.startswith("+84"):
        return "0" + e164[3:]
    return e164


def mask_phone(e164: str) -> str:
    """091****678: enough for the owner to recognise, not enough to reuse (seed 001 shows 082****088)."""
    local = display_phone(e164)
    if len(local) < 7:
        return "*" * len(local)
    return local[:3] + "*" * (len(local) - 6) + local[-3:]


def validate_tax_code(value: str) -> str:
    """A tax code (mã số thuế) of 10 digits, or 13 for a branch (10 + 3), with its check digit."""
    compact = _compact(value)
    if not _DIGITS.match(compact) or len(compact) not in (10, 13) or not mst.is_valid(compact):
        raise ValidationError(
            _("Mã số thuế không hợp lệ: cần 10 chữ số (hoặc 13 chữ số với đơn vị phụ thuộc) và đúng chữ số kiểm tra."),
            code="tax_code_invalid",
        )
    return compact


class PasswordComplexityValidator:
    """At least 8 characters with lower case, upper case, a digit and a special character (seed 001)."""

    min_length = 8

    def validate(self, password: str, user: Any = None) -> None:
        missing = []
        if len(password) < self.min_length:
            missing.append(_("ít nhất %(n)d ký tự") % {"n": self.min_length})
        if not any(ch.islower() for ch in password):
            missing.append(_("chữ thường"))
        if not any(ch.isupper() for ch in password):
            missing.append(_("chữ in hoa"))
        if not any(ch.isdigit() for ch in password):
            missing.append(_("chữ số"))
        if not any(not ch.isalnum() and not ch.isspace() for ch in password):
            missing.append(_("ký tự đặc biệt"))
        if missing:
            raise ValidationError(
                _("Mật khẩu chưa đủ mạnh, còn thiếu: %(missing)s.") % {"missing": ", ".join(missing)},
                code="password_weak",
            )
        id_number = str(getattr(user, "id_number", "") or "")
        if len(id_number) >= 9 and id_number in "".join(ch for ch in password if ch.isdigit()):
            # The id number is printed on every receipt and card: a password built on it is guessed first.
            raise ValidationError(_("Mật khẩu không được chứa số định danh của bạn."), code="password_has_id_number")

    def get_help_text(self) -> str:
        return _("Sử dụng 8 ký tự trở lên bao gồm chữ thường, chữ in hoa, số và ký tự đặc biệt.")
