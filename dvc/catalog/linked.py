"""Linked procedures (liên thông, NĐ 63/2024/NĐ-CP): one filing, several component procedures.

A group procedure lists its components in the catalog (``Procedure.components``); each names the component
procedure, the kind of agency competent for it (blank: the agency that received the group), its internal deadline
in working days, the components whose results it waits for, and how its answers and papers come from the filing:

- ``answers``: component field → where its value comes from. A string is a path in the group's answers
  (``"noi_thuong_tru"``, ``"me.full_name"``), ``"@khai_sinh.so_dinh_danh_tre"`` a value of an earlier component
  (its answers, then what the officer added to its result), ``"=text {ho_ten_tre}"`` a text with paths in braces;
  a dict or a list is built field by field. ``copy_answers`` first copies every answer whose name the component's
  own e-form has.
- ``papers``: component requirement position → the group requirement position whose file it takes;
  ``results``: component requirement position (-1: none, a paper of its own) → the earlier component whose signed
  result it takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"


class ComponentIn(BaseModel):
    """One component of a linked procedure, as the catalog file writes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str = Field(pattern=KEY_PATTERN)
    procedure: str = Field(min_length=1, max_length=24)
    agency_kind: str = Field(default="", max_length=32)
    days: int = Field(ge=0, le=60)
    after: list[str] = Field(default_factory=list)
    copy_answers: bool = False
    answers: dict[str, Any] = Field(default_factory=dict)
    papers: dict[int, int] = Field(default_factory=dict)
    results: dict[int, str] = Field(default_factory=dict)
    # The vault type of the result an agency outside the portal returns (e.g. "the_bhyt"); "" keeps it untyped.
    document_type: str = Field(default="", max_length=64, pattern=r"^[a-z0-9_]*$")


@dataclass(frozen=True)
class Component:
    key: str
    procedure: str
    agency_kind: str
    days: int
    after: tuple[str, ...]
    copy_answers: bool
    answers: dict[str, Any]
    papers: dict[int, int]
    results: dict[int, str]
    document_type: str = ""


@dataclass(frozen=True)
class Group:
    components: tuple[Component, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.components)

    def get(self, key: str) -> Component | None:
        return next((c for c in self.components if c.key == key), None)

    def critical_days(self) -> int:
        """The longest chain of internal deadlines: what the group's own deadline must cover."""
        longest: dict[str, int] = {}
        for component in self.components:  # checked: every ``after`` names an earlier component
            longest[component.key] = component.days + max((longest[k] for k in component.after), default=0)
        return max(longest.values(), default=0)


def check_components(items: list[ComponentIn]) -> list[str]:
    """What is wrong in a group's list (keys repeated, waiting for a later or unknown component); [] when fine."""
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            problems.append(f"thành phần “{item.key}” bị lặp")
        unknown = [k for k in item.after if k not in seen]
        if unknown:
            problems.append(f"thành phần “{item.key}” chờ thành phần chưa khai báo trước nó: {', '.join(unknown)}")
        bad_results = [k for k in item.results.values() if k not in item.after]
        if bad_results:
            problems.append(
                f"thành phần “{item.key}” lấy kết quả của thành phần không đứng trước nó: {', '.join(bad_results)}"
            )
        seen.add(item.key)
    return problems


def parse(raw: Any) -> Group:
    """The group a procedure's ``components`` describe (an empty group for a single procedure)."""
    if not isinstance(raw, list) or not raw:
        return Group()
    items = [ComponentIn.model_validate(item) for item in raw]
    return Group(
        tuple(
            Component(
                key=i.key, procedure=i.procedure, agency_kind=i.agency_kind, days=i.days, after=tuple(i.after),
                copy_answers=i.copy_answers, answers=i.answers, papers=dict(i.papers), results=dict(i.results),
                document_type=i.document_type,
            )
            for i in items
        )
    )  # fmt: skip


_BRACES = re.compile(r"\{([^{}]+)\}")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _written(value: Any) -> str:
    """A value inside a sentence: a date as Vietnamese write it (01/11/2026), not as stored."""
    text = "" if value is None else str(value)
    day = _ISO_DAY.match(text)
    return f"{day.group(3)}/{day.group(2)}/{day.group(1)}" if day else text


def _lookup(path: str, answers: dict[str, Any], earlier: dict[str, dict[str, Any]]) -> Any:
    if path.startswith("@"):
        key, _dot, rest = path[1:].partition(".")
        value: Any = earlier.get(key, {})
        path = rest
    else:
        value = answers
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _resolve(spec: Any, answers: dict[str, Any], earlier: dict[str, dict[str, Any]]) -> Any:
    if isinstance(spec, dict):
        built = {name: _resolve(inner, answers, earlier) for name, inner in spec.items()}
        return {name: value for name, value in built.items() if value not in (None, "")}
    if isinstance(spec, list):
        return [_resolve(inner, answers, earlier) for inner in spec]
    if isinstance(spec, str) and spec.startswith("="):
        return _BRACES.sub(lambda m: _written(_lookup(m.group(1), answers, earlier)), spec[1:])
    if isinstance(spec, str):
        return _lookup(spec, answers, earlier)
    return spec


def component_answers(
    component: Component, *, schema: dict[str, Any], answers: dict[str, Any], earlier: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The component's answers, built from the group's answers and the earlier components' answers and results."""
    built: dict[str, Any] = {}
    if component.copy_answers:
        names = {spec.get("name") for spec in (schema or {}).get("fields", [])}
        built.update({name: value for name, value in answers.items() if name in names})
    for name, spec in component.answers.items():
        value = _resolve(spec, answers, earlier)
        if value not in (None, ""):
            built[name] = value
    return built
