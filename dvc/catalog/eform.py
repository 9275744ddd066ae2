"""E-form schemas (tờ khai điện tử): a small declarative format, its checker, and the one validator of answers.

Format (documented in docs/eform.md)::

    {"version": 1, "fields": [
        {"name": "child_full_name", "type": "text", "label": "Họ, chữ đệm, tên", "required": true,
         "max_length": 100, "help": "Viết in hoa có dấu", "prefill": null},
        {"name": "witnesses", "type": "group", "label": "Người làm chứng", "min_items": 0, "max_items": 2,
         "fields": [...simple fields...]}
    ]}

Types: text, textarea, number, date, select (its ``options``, or an official list named by ``options_from``),
checkbox, email, phone, cccd, address (province → commune), person (full name, birth date, id number) and group
(repeatable rows of simple fields). ``validate_answers`` checks a page's POST and an API's JSON alike.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.validators import display_phone, normalize_mobile_phone, normalize_text, validate_cccd
from dvc.agencies.models import AdminUnit
from dvc.agencies.units import commune_of, current_province, unit_code
from dvc.catalog import reference
from dvc.catalog.bilingual import field_text
from dvc.collation import vi_order

SIMPLE_TYPES = {"text", "textarea", "number", "date", "select", "checkbox", "email", "phone", "cccd"}
COMPOUND_TYPES = {"address", "person"}
FIELD_TYPES = SIMPLE_TYPES | COMPOUND_TYPES | {"group"}
# Profile facts a field may be filled from (NĐ 42/2022: do not ask again for what the user already gave).
PREFILL_SOURCES = {"full_name", "id_number", "birth_date", "sex", "phone", "email", "address", "self"}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_KEYS = {
    "name", "type", "label", "label_en", "required", "help", "help_en", "prefill", "options", "options_from",
    "min", "max", "max_length", "min_items", "max_items", "fields", "pattern", "pattern_message", "integer",
}  # fmt: skip
PERSON_PARTS = ("full_name", "birth_date", "id_number")
ADDRESS_PARTS = ("province", "commune", "line")


def check_schema(schema: Any) -> list[str]:
    """Every problem of a schema, as Vietnamese sentences naming the field; empty when it is usable."""
    if schema in (None, {}):
        return []
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return [_("Tờ khai phải là một đối tượng JSON có danh sách “fields”.")]
    return _check_fields(schema["fields"], prefix="", nested=False)


def _check_fields(fields: list[Any], *, prefix: str, nested: bool) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for index, spec in enumerate(fields, start=1):
        where = f"{prefix}#{index}"
        if not isinstance(spec, dict):
            problems.append(_("Mục %(where)s phải là một đối tượng JSON.") % {"where": where})
            continue
        name, kind = spec.get("name"), spec.get("type")
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(
                _("Mục %(where)s: tên “%(name)s” chỉ gồm chữ thường không dấu, số và “_”.")
                % {"where": where, "name": name}
            )
            continue
        where = f"{prefix}{name}"
        if name in seen:
            problems.append(_("Mục %(where)s bị trùng tên.") % {"where": where})
        seen.add(name)
        if unknown := set(spec) - _KEYS:
            problems.append(
                _("Mục %(where)s có thuộc tính không hỗ trợ: %(keys)s.")
                % {"where": where, "keys": ", ".join(sorted(unknown))}
            )
        if kind not in FIELD_TYPES or (nested and kind not in SIMPLE_TYPES):
            problems.append(
                _("Mục %(where)s: loại “%(type)s” không được hỗ trợ ở đây.") % {"where": where, "type": kind}
            )
            continue
        if not isinstance(spec.get("label"), str) or not spec["label"].strip():
            problems.append(_("Mục %(where)s cần nhãn (label).") % {"where": where})
        prefill = spec.get("prefill")
        if prefill is not None and prefill not in PREFILL_SOURCES:
            problems.append(
                _("Mục %(where)s: nguồn điền sẵn “%(source)s” không có.") % {"where": where, "source": prefill}
            )
        if kind == "select" and spec.get("options_from") is not None:
            if (listed := spec["options_from"]) not in reference.LISTS:
                problems.append(_("Mục %(where)s: danh mục “%(list)s” không có.") % {"where": where, "list": listed})
        elif kind == "select":
            options = spec.get("options")
            if (
                not isinstance(options, list)
                or not options
                or not all(
                    isinstance(o, dict) and isinstance(o.get("value"), str) and isinstance(o.get("label"), str)
                    for o in options
                )
            ):
                problems.append(_("Mục %(where)s cần danh sách lựa chọn {value, label}.") % {"where": where})
        if kind == "group":
            sub = spec.get("fields")
            if not isinstance(sub, list) or not sub:
                problems.append(_("Nhóm %(where)s cần danh sách mục con.") % {"where": where})
            else:
                problems += _check_fields(sub, prefix=f"{where}.", nested=True)
            low, high = spec.get("min_items", 0), spec.get("max_items", 10)
            if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high <= 50):
                problems.append(_("Nhóm %(where)s: số dòng tối thiểu, tối đa không hợp lệ.") % {"where": where})
        for bound in ("min", "max", "max_length"):
            value = spec.get(bound)
            if value is not None and not isinstance(value, int | float) and not (kind == "date" and value == "today"):
                problems.append(_("Mục %(where)s: giới hạn “%(bound)s” phải là số.") % {"where": where, "bound": bound})
        if (pattern := spec.get("pattern")) is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError):
                problems.append(_("Mục %(where)s: biểu thức kiểm tra không hợp lệ.") % {"where": where})
    return problems


@dataclass
class Result:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(str(value).strip(), layout).date()  # noqa: DTZ007 -- a calendar date
        except ValueError:
            continue
    return None


def _bound_date(value: Any) -> dt.date | None:
    return timezone.localdate() if value == "today" else _parse_date(value)


def _simple(spec: dict[str, Any], value: Any, path: str, result: Result) -> Any:
    """Check one simple value; returns the cleaned value (None when blank), errors go into ``result``."""
    kind, label = spec["type"], field_text(spec)
    if kind == "checkbox":
        checked = value in (True, "on", "true", "1", 1)
        if spec.get("required") and not checked:
            result.add(path, _("Vui lòng đánh dấu “%(label)s”.") % {"label": label})
        return checked
    if _blank(value):
        if spec.get("required"):
            asked = _("Vui lòng chọn “%(label)s”.") if kind == "select" else _("Vui lòng nhập “%(label)s”.")
            result.add(path, asked % {"label": label})
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        result.add(path, _("Giá trị của “%(label)s” không hợp lệ.") % {"label": label})
        return None
    text = normalize_text(str(value))
    try:
        if kind in ("text", "textarea"):
            limit = int(spec.get("max_length") or (2000 if kind == "textarea" else 255))
            if len(text) > limit:
                raise ValidationError(_("“%(label)s” dài quá %(n)d ký tự.") % {"label": label, "n": limit})
            if (pattern := spec.get("pattern")) and not re.fullmatch(pattern, text):
                raise ValidationError(
                    spec.get("pattern_message") or _("“%(label)s” không đúng định dạng.") % {"label": label}
                )
            return text
        if kind == "number":
            try:
                number = float(text.replace(",", "."))
            except ValueError as exc:
                raise ValidationError(_("“%(label)s” phải là số.") % {"label": label}) from exc
            if not math.isfinite(number):
                raise ValidationError(_("“%(label)s” phải là số.") % {"label": label})
            if spec.get("integer") and not number.is_integer():
                raise ValidationError(_("“%(label)s” phải là số nguyên.") % {"label": label})
            if spec.get("min") is not None and number < spec["min"]:
                raise ValidationError(_("“%(label)s” không được nhỏ hơn %(n)s.") % {"label": label, "n": spec["min"]})
            if spec.get("max") is not None and number > spec["max"]:
                raise ValidationError(_("“%(label)s” không được lớn hơn %(n)s.") % {"label": label, "n": spec["max"]})
            return int(number) if number.is_integer() else number
        if kind == "date":
            day = _parse_date(text)
            if day is None:
                raise ValidationError(_("“%(label)s” phải là ngày dạng dd/mm/yyyy.") % {"label": label})
            low, high = _bound_date(spec.get("min")), _bound_date(spec.get("max"))
            if low and day < low:
                raise ValidationError(
                    _("“%(label)s” không được trước ngày %(d)s.") % {"label": label, "d": f"{low:%d/%m/%Y}"}
                )
            if high and day > high:
                raise ValidationError(
                    _("“%(label)s” không được sau ngày %(d)s.") % {"label": label, "d": f"{high:%d/%m/%Y}"}
                )
            return day.isoformat()
        if kind == "select":
            text = reference.canonical(spec, text)
            if text not in reference.allowed(spec):
                raise ValidationError(_("Vui lòng chọn “%(label)s” trong danh sách.") % {"label": label})
            return text
        if kind == "email":
            validate_email(text)
            return text.lower()
        if kind == "phone":
            return normalize_mobile_phone(text)
        if kind == "cccd":
            return validate_cccd(text)
    except ValidationError as exc:
        for message in exc.messages:
            result.add(path, message if "“" in message else f"{label}: {message}")
        return None
    return text


def _compound(spec: dict[str, Any], value: Any, path: str, result: Result) -> Any:
    value = value if isinstance(value, dict) else {}
    required = bool(spec.get("required"))
    if spec["type"] == "address":
        province = current_province(str(value.get("province") or ""))  # the map read once per process
        commune = commune_of(province, str(value.get("commune") or ""))
        line = _simple(
            {"type": "text", "label": _("Số nhà, đường, thôn, tổ"), "max_length": 255},
            value.get("line"),
            f"{path}.line",
            result,
        )
        if required and province is None:
            result.add(f"{path}.province", _("Vui lòng chọn tỉnh, thành phố."))
        if (required or province) and commune is None:
            result.add(f"{path}.commune", _("Vui lòng chọn xã, phường thuộc tỉnh, thành phố đã chọn."))
        if province is None and not required:
            return None
        return {
            "province": province.code if province else None,
            "commune": commune.code if commune else None,
            "line": line or "",
        }
    parts: dict[str, dict[str, Any]] = {
        "full_name": {"type": "text", "label": _("Họ và tên"), "required": required, "max_length": 100},
        "birth_date": {"type": "date", "label": _("Ngày sinh"), "max": "today"},
        "id_number": {"type": "cccd", "label": _("Số định danh cá nhân")},
    }
    cleaned = {name: _simple(part, value.get(name), f"{path}.{name}", result) for name, part in parts.items()}
    return cleaned if any(v not in (None, "") for v in cleaned.values()) else None


def validate_answers(schema: dict[str, Any], data: Any) -> Result:
    """Check answers against the schema: cleaned answers plus errors keyed by field path (``a.b.0.c``)."""
    result = Result()
    data = data if isinstance(data, dict) else {}
    for spec in (schema or {}).get("fields", []):
        name, kind = spec["name"], spec["type"]
        raw = data.get(name)
        if kind in SIMPLE_TYPES:
            result.answers[name] = _simple(spec, raw, name, result)
        elif kind in COMPOUND_TYPES:
            result.answers[name] = _compound(spec, raw, name, result)
        else:
            rows = [row for row in (raw if isinstance(raw, list) else []) if isinstance(row, dict)]
            rows = [row for row in rows if not all(_blank(v) or v is False for v in row.values())]
            low, high = spec.get("min_items", 0), spec.get("max_items", 10)
            if len(rows) < low:
                result.add(name, _("“%(label)s” cần ít nhất %(n)d dòng.") % {"label": field_text(spec), "n": low})
            if len(rows) > high:
                result.add(name, _("“%(label)s” có nhiều nhất %(n)d dòng.") % {"label": field_text(spec), "n": high})
                rows = rows[:high]
            result.answers[name] = [
                {
                    sub["name"]: _simple(sub, row.get(sub["name"]), f"{name}.{i}.{sub['name']}", result)
                    for sub in spec["fields"]
                }
                for i, row in enumerate(rows)
            ]
    return result


def draft_answers(schema: dict[str, Any], data: Any) -> dict[str, Any]:
    """A draft keeps each valid answer cleaned, an invalid one as typed (to correct it), nothing off the schema."""
    data = data if isinstance(data, dict) else {}
    checked = validate_answers(schema, data)
    invalid = {path.split(".")[0] for path in checked.errors}
    return {
        name: (_as_typed(data.get(name)) if name in invalid else value)
        for name, value in checked.answers.items()
        if name in invalid or name in data
    }


def _as_typed(value: Any) -> Any:
    """A not-yet-valid answer, kept as text (a number never stays a float, a structure stays a structure)."""
    if isinstance(value, dict | list | str) or value is None:
        return value
    return str(value)


def answers_from_post(schema: dict[str, Any], post: Any, prefix: str = "f") -> dict[str, Any]:
    """Nested answers from a flat HTML form: ``f-name``, ``f-addr.province``, ``f-rows.0.sub``."""
    answers: dict[str, Any] = {}
    for spec in (schema or {}).get("fields", []):
        key = f"{prefix}-{spec['name']}"
        if spec["type"] == "address":
            answers[spec["name"]] = {part: post.get(f"{key}.{part}", "") for part in ADDRESS_PARTS}
        elif spec["type"] == "person":
            answers[spec["name"]] = {part: post.get(f"{key}.{part}", "") for part in PERSON_PARTS}
        elif spec["type"] == "group":
            rows = []
            for index in range(int(spec.get("max_items", 10))):
                row = {sub["name"]: post.get(f"{key}.{index}.{sub['name']}") for sub in spec["fields"]}
                if any(v not in (None, "") for v in row.values()):
                    rows.append(row)
            answers[spec["name"]] = rows
        else:
            answers[spec["name"]] = post.get(key)
    return answers


def prefill_answers(schema: dict[str, Any], user: Any) -> dict[str, Any]:
    """Answers taken from the signed-in person's profile for fields that name a prefill source."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    facts: dict[str, Any] = {
        "full_name": user.full_name,
        "id_number": user.id_number,
        "birth_date": user.birth_date.isoformat() if user.birth_date else None,
        "sex": user.sex,
        "phone": display_phone(user.phone),
        "email": user.email,
        "address": {
            "province": unit_code(user.province_id),
            "commune": unit_code(user.commune_id),
            "line": user.address_line,
        },
    }
    facts["self"] = {
        "full_name": facts["full_name"],
        "birth_date": facts["birth_date"],
        "id_number": facts["id_number"],
    }
    return {
        spec["name"]: facts[spec["prefill"]]
        for spec in (schema or {}).get("fields", [])
        if spec.get("prefill") in facts
    }


@dataclass
class Widget:
    """One field ready for the template: its HTML name and id, current value and errors."""

    spec: dict[str, Any]
    html_name: str
    value: Any = None
    errors: list[str] = field(default_factory=list)
    parts: list[Widget] = field(default_factory=list)
    rows: list[list[Widget]] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    verified: bool = False  # vouched for by the electronic identity: shown read-only (dvc.catalog.verified)

    @property
    def html_id(self) -> str:
        return "id_" + re.sub(r"[^a-zA-Z0-9_-]", "_", self.html_name)

    @property
    def label(self) -> str:
        return field_text(self.spec)

    @property
    def kind(self) -> str:
        return str(self.spec["type"])

    @property
    def required(self) -> bool:
        return bool(self.spec.get("required"))

    @property
    def help(self) -> str:
        return field_text(self.spec, "help")

    @property
    def input_type(self) -> str:
        return {"number": "text", "email": "email", "phone": "tel", "date": "text", "cccd": "text"}.get(
            self.kind, "text"
        )

    @property
    def inputmode(self) -> str:
        return {"number": "decimal", "phone": "tel", "cccd": "numeric"}.get(self.kind, "")

    @property
    def display_value(self) -> str:
        if self.kind == "date" and isinstance(self.value, str) and (day := _parse_date(self.value)):
            return f"{day:%d/%m/%Y}"
        return "" if self.value in (None, False) else str(self.value)


def layout(
    schema: dict[str, Any],
    answers: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    prefix: str = "f",
) -> list[Widget]:
    """Widgets for rendering ``schema`` with ``answers`` and ``errors`` (paths as from ``validate_answers``)."""
    answers, errors = answers or {}, errors or {}
    provinces = [
        (u.code, u.name)
        for u in AdminUnit.objects.filter(level="province", effective_to__isnull=True).order_by(vi_order("name"))
    ]
    widgets = []
    for spec in (schema or {}).get("fields", []):
        name, key = spec["name"], f"{prefix}-{spec['name']}"
        value = answers.get(name)
        widget = Widget(spec, key, value, errors.get(name, []))
        if spec["type"] == "select":
            widget.value = reference.canonical(spec, value)
            widget.options = [(o["value"], field_text(o)) for o in reference.options_of(spec)]
        elif spec["type"] == "address":
            value = value if isinstance(value, dict) else {}
            communes = AdminUnit.objects.filter(level="commune", parent__code=value.get("province") or "-").order_by(
                vi_order("name")
            )
            choices = {"province": provinces, "commune": [(c.code, c.name) for c in communes], "line": []}
            labels = {
                "province": _("Tỉnh, thành phố"),
                "commune": _("Xã, phường, đặc khu"),
                "line": _("Số nhà, đường, thôn, tổ"),
            }
            widget.parts = [
                Widget(
                    spec={
                        "type": "text" if part == "line" else "select",
                        "label": labels[part],
                        "required": widget.required and part != "line",
                    },
                    html_name=f"{key}.{part}",
                    value=value.get(part),
                    errors=errors.get(f"{name}.{part}", []),
                    options=choices[part],
                )
                for part in ADDRESS_PARTS
            ]
        elif spec["type"] == "person":
            value = value if isinstance(value, dict) else {}
            labels = {"full_name": _("Họ và tên"), "birth_date": _("Ngày sinh"), "id_number": _("Số định danh cá nhân")}
            kinds = {"full_name": "text", "birth_date": "date", "id_number": "cccd"}
            widget.parts = [
                Widget(
                    spec={
                        "type": kinds[part],
                        "label": labels[part],
                        "required": widget.required and part == "full_name",
                    },
                    html_name=f"{key}.{part}",
                    value=value.get(part),
                    errors=errors.get(f"{name}.{part}", []),
                )
                for part in PERSON_PARTS
            ]
        elif spec["type"] == "group":
            rows = value if isinstance(value, list) else []
            count = min(max(len(rows) + 1, spec.get("min_items", 0), 1), spec.get("max_items", 10))
            for index in range(count):
                row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
                widget.rows.append(
                    [
                        Widget(
                            spec=sub,
                            html_name=f"{key}.{index}.{sub['name']}",
                            value=row.get(sub["name"]),
                            errors=errors.get(f"{name}.{index}.{sub['name']}", []),
                            options=[(o["value"], field_text(o)) for o in reference.options_of(sub)],
                        )
                        for sub in spec["fields"]
                    ]
                )
        widgets.append(widget)
    return widgets
