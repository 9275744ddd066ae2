"""The form renderer: Django's templates, with the plain widgets (inputs, selects, text areas) written directly.

Issue 20: rendering a text box through Django's widget templates (input.html including attrs.html, a template and
a context per widget) was a third of the lookup page's rendering, and a select renders one template per option.
These widgets' markup is small and fixed, so it is built here exactly as Django's templates build it (a test
compares the two for every widget the portal uses); every other template goes through Django's renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "email", "number", "password", "tel", "url", "search", "hidden", "checkbox", "date",
        "datetime", "time", "color", "file",
    )
}  # fmt: skip


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescaping."""
    return str(conditional_escape(value if isinstance(value, SafeString) else str(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(
                f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
            )
    return "".join(out)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _option(option: dict[str, Any]) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    groups: Iterable[tuple[Any, list[dict[str, Any]], int]] = widget["optgroups"]
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(f"\n  {_option(option)}\n" for option in options)  # the option template ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _plain_options(widget: dict[str, Any]) -> bool:
    """Whether a select's options all use Django's own option template (a custom one goes through templates)."""
    return all(
        option["template_name"] == "django/forms/widgets/select_option.html"
        for _name, options, _index in widget.get("optgroups", ())
        for option in options
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        written: Callable[[dict[str, Any]], str] | None = (
            _input if template_name in INPUTS
            else {"django/forms/widgets/select.html": _select, "django/forms/widgets/textarea.html": _textarea}.get(
                template_name
            )
        )  # fmt: skip
        if written is None or "widget" not in context or not _plain_options(context["widget"]):
            return super().render(template_name, context, request)
        return mark_safe(written(context["widget"]).strip())  # noqa: S308 - every value above is escaped
