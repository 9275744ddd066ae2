"""The layout around a public page's content, rendered once per process for a visitor (issue 20, part 1).

A public page such as the lookup by code is the same layout for every visitor who is not signed in and has no
message waiting: the head, the header, the footer. Rendering it was a fifth of the page's time. ``render_page``
renders the page's own blocks for the request and puts its content into a layout kept per process for that
language, that portal and those blocks (the title, the description, the head's extras): byte for byte what
``render`` writes (a test compares both). A signed-in person, or a visitor with a message to show, gets ``render``.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.base import Template
from django.template.context import make_context
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from dvc.web.context_processors import portal

CONTENT = "\x00dvc-content\x00"
PATH = "\x00dvc-path\x00"  # the page's own address, as the footer's language links carry it (quoted)
QUOTED_PATH = quote(PATH, safe="/")
LAYOUT_BLOCKS = ("title", "description", "head", "scripts")
MAX_LAYOUTS = 256

_lock = threading.Lock()
_layouts: dict[tuple[Any, ...], tuple[str, str]] = {}


class _MarkedRequest:
    """The request as the layout sees it: its address replaced by a marker filled in per request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def get_full_path(self) -> str:
        return PATH

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


def _visitor(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return not getattr(user, "is_authenticated", False) and not len(get_messages(request))


def render_page(
    request: HttpRequest, template_name: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """``render(request, template_name, context, status=status)``, the layout kept per process for a visitor."""
    if not _visitor(request):
        return render(request, template_name, context, status=status)
    page: Template = get_template(template_name).template  # type: ignore[attr-defined]
    extends = next((node for node in page.nodelist if isinstance(node, ExtendsNode)), None)
    if extends is None:  # not a page of the layout
        return render(request, template_name, context, status=status)
    bound = make_context(context, request)
    with bound.render_context.push_state(page), bound.bind_template(page):
        blocks = {name: block.nodelist.render(bound) for name, block in extends.blocks.items()}
    before, after = _layout(request, {name: blocks[name] for name in LAYOUT_BLOCKS if name in blocks})
    path = quote(request.get_full_path(), safe="/")
    html = before.replace(QUOTED_PATH, path) + blocks.get("content", "") + after.replace(QUOTED_PATH, path)
    return HttpResponse(html, status=status)


def _layout(request: HttpRequest, blocks: dict[str, str]) -> tuple[str, str]:
    """The layout before and after the content, for this language, portal and set of page blocks."""
    key = (translation.get_language(), tuple(sorted(portal(request)["PORTAL"].items())), tuple(sorted(blocks.items())))
    found = _layouts.get(key)
    if found is None:
        source = '{% extends "base.html" %}' + "".join(
            f"{{% block {name} %}}{{{{ blocks.{name} }}}}{{% endblock %}}" for name in blocks
        )
        source += "{% block content %}{{ content }}{% endblock %}"
        shell = engines["django"].from_string(source)
        marked = {"request": _MarkedRequest(request), "blocks": _safe(blocks), "content": CONTENT}
        before, _content, after = shell.render(marked, request).partition(CONTENT)
        found = (before, after)
        with _lock:
            if len(_layouts) >= MAX_LAYOUTS:
                _layouts.clear()
            _layouts[key] = found
    return found


def _safe(blocks: dict[str, str]) -> dict[str, SafeString]:
    return {name: mark_safe(text) for name, text in blocks.items()}  # noqa: S308 - rendered by the template engine


def forget() -> None:
    _layouts.clear()
