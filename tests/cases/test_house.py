"""Where the case rules live (issue 9, item 6): thin views in cases/views.py, and the
gate's reads in cases/gate.py, pure and used by the selectors (and so by the services)."""

import ast
from pathlib import Path

import cases

CASES = Path(cases.__file__).parent
MAX_VIEW_LINES = 30


def _module(name: str) -> ast.Module:
    return ast.parse((CASES / name).read_text())


def _imported_modules(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_every_case_view_is_under_thirty_lines():
    """Counted from `def` to the last line, decorators left out; helpers too."""
    too_long = {
        node.name: node.end_lineno - node.lineno + 1
        for node in _module("views.py").body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
        and node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    }
    assert too_long == {}


def test_the_gate_is_pure_and_read_through_the_selectors():
    imported = _imported_modules(_module("gate.py"))
    assert not {m for m in imported if m.endswith(".models") or m.startswith("django.db")}
    assert "cases.gate" in _imported_modules(_module("selectors.py"))
    assert "cases.selectors" in _imported_modules(_module("services.py"))
