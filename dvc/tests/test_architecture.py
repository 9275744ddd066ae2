"""The package's shape (STYLE.md 1, 15): no import cycles, no private names taken across modules, no module over
500 lines, and nothing in the domain importing the web layer. An AST walk over ``dvc/``; imports placed inside
functions count like any other."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dvc"
MAX_LINES = 500
# The layers allowed to use the web app's helpers (page cache, template tags): pages and the web app itself.
WEB_USERS = ("views", "urls", "templatetags")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    }


def _is_test(name: str) -> bool:
    return ".tests" in name


def _imports(name: str) -> Iterator[tuple[str, str]]:
    """(module imported, name taken from it) for every ``import``/``from … import`` of a ``dvc`` module."""
    path = _modules()[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{target}.{alias.name}" in _modules():
                    yield f"{target}.{alias.name}", ""
                elif target in _modules():
                    yield target, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in _modules():
                    yield alias.name, ""


def _graph() -> dict[str, set[str]]:
    return {
        name: {target for target, _ in _imports(name) if not _is_test(target)}
        for name in _modules()
        if not _is_test(name)
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_is_no_import_cycle():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_is_taken_from_another_module():
    taken = [
        f"{name} takes {imported}.{symbol}"
        for name in _modules()
        for imported, symbol in _imports(name)
        if symbol.startswith("_") and imported != name
    ]
    assert taken == []


def test_no_module_is_longer_than_500_lines():
    long = {
        name: lines
        for name, path in _modules().items()
        if not _is_test(name) and (lines := path.read_text(encoding="utf-8").count("\n")) > MAX_LINES
    }
    assert long == {}


def test_the_domain_does_not_import_the_web_layer():
    offenders = [
        f"{name} imports {target}"
        for name, targets in _graph().items()
        if not name.startswith("dvc.web") and not name.rsplit(".", 1)[-1].endswith(WEB_USERS)
        for target in targets
        if target.startswith("dvc.web.") and target != "dvc.web.demo"
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "router",
    ["dvc.accounts.api", "dvc.dossiers.citizen.api", "dvc.dossiers.backoffice.api", "dvc.payments.api"],
)
def test_each_api_router_imports_first_in_a_fresh_process(router):
    """Importing a router before ``dvc.api`` used to fail with a partially initialised module."""
    code = f"import django; django.setup(); import {router}; import dvc.api"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dvc.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
