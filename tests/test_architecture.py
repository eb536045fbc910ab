"""The shape of the package: layers whose imports only point down (the import-linter contract in
pyproject.toml), no hidden imports inside functions, modules small enough to read, and one name per
rule."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import derive.rules
from derive.rules import Rule

PACKAGE = Path(__file__).resolve().parents[1] / "derive"
#: Above this many lines a module says at its top why it is one module.
LONG_MODULE = 400


def test_the_layers_import_only_downwards():
    from importlinter.cli import lint_imports  # the test's own tool, not the package's
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = lint_imports(config_filename=str(PACKAGE.parent / "pyproject.toml"),
                            no_cache=True, no_logo=True)
    assert code == 0, output.getvalue()
    assert "BROKEN" not in output.getvalue() and "KEPT" in output.getvalue()


def _function_level_imports(source: str) -> list[tuple[int, str]]:
    """Imports of derive's own modules inside a function body, by line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("derive"):
                    found.append((inner.lineno, inner.module))
                elif isinstance(inner, ast.Import) and any(
                        a.name.startswith("derive") for a in inner.names):
                    found.append((inner.lineno, inner.names[0].name))
    return found


def test_no_module_imports_derive_inside_a_function_without_saying_why():
    """A comment on the import, or on the line above it, says why it waits."""
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text().splitlines()
        for lineno, module in _function_level_imports(path.read_text()):
            if "#" not in lines[lineno - 1] and "#" not in lines[lineno - 2]:
                unexplained.append(f"{path.relative_to(PACKAGE.parent)}:{lineno} imports {module}")
    assert not unexplained, unexplained


def test_the_check_finds_a_function_level_import():
    source = "def f():\n    from derive.rules import log_div\n    return log_div\n"
    assert _function_level_imports(source) == [(2, "derive.rules")]


def test_long_modules_say_why_at_their_top():
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if text.count("\n") > LONG_MODULE and not re.search(r"\bOne module\b", docstring):
            unexplained.append(f"{path.relative_to(PACKAGE.parent)}: {text.count(chr(10))} lines")
    assert not unexplained, unexplained


def test_every_rule_is_listed_under_the_name_it_is_imported_by():
    rules = {name: getattr(derive.rules, name) for name in derive.rules.__all__}
    named = {name: rule for name, rule in rules.items() if isinstance(rule, Rule)}
    assert len(named) >= 25
    assert {name: rule.name for name, rule in named.items()} == {name: name for name in named}


def test_the_tree_shows_the_layers():
    layers = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert layers == {"core", "vocabulary", "notation", "algebra", "rules", "results",
                      "checking", "proofs", "rendering"}
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == {"__init__.py", "__main__.py", "cli.py", "commands.py"}
