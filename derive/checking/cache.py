"""A persistent cache of step checks: the same claim, checked the same way, gets the same verdict.

A check is stored under a hash of everything its result depends on: the two expressions, the
definitions of every quantity in them (followed down to the built-in ones), the context, the
seed, derive's own source code and the versions of SymPy, NumPy and python-flint.  Change any of them
and the step is checked afresh.  Entries are JSON (never pickle): reading the cache cannot run
code.  The folder is $DERIVE_CACHE_DIR, else ~/.cache/derive; `derive prove --no-cache` ignores it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import flint
import numpy
import sympy
from sympy import Basic, Expr, Symbol, preorder_traversal
from sympy.core.symbol import Str

from derive.core.files import write_atomic
from derive.results.model import StepCheck
from derive.vocabulary.context import Context, OneHot
from derive.vocabulary.quantities import Quantity

#: Whether checks are read from and written to the cache (the CLI's --no-cache turns it off).
ENABLED = True


def folder() -> Path:
    return Path(os.environ.get("DERIVE_CACHE_DIR") or Path.home() / ".cache" / "derive")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of derive's source and of the libraries its results depend on."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for library in (sympy, numpy, flint):
        digest.update(f"{library.__name__} {library.__version__}".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=100_000)
def structure(e: Basic) -> str:
    """The exact structure of an expression as text: class names, symbols with their
    assumptions, numbers, names (what SymPy's srepr says, much faster)."""
    if isinstance(e, Symbol):
        return f"{type(e).__name__}({e.name}|{sorted(e.assumptions0.items())})"
    if isinstance(e, Str):
        return f"Str({e.name})"
    if e.is_Number:
        return f"{type(e).__name__}({e})"
    return f"{type(e).__name__}({','.join(structure(a) for a in e.args)})"


def _definitions(expressions: tuple[Expr, ...]) -> list[str]:
    """The definitions of every quantity the expressions use, followed to the built-in ones."""
    seen: dict[str, str] = {}
    pending = list(expressions)
    while pending:
        for node in preorder_traversal(pending.pop()):
            if isinstance(node, Quantity) and node.name not in seen:
                definition = node.definition()
                seen[node.name] = structure(definition)
                pending.append(definition)
    return [f"{name}={seen[name]}" for name in sorted(seen)]


def key(kind: str, expressions: tuple[Expr, ...], context: Context, seed: int) -> str:
    assumptions = [f"{type(a).__name__}:{structure(a.distribution)}:{a.labels}"
                   if isinstance(a, OneHot) else f"{type(a).__name__}:{a}"
                   for a in context.assumptions]
    parts = [code_fingerprint(), kind, context.setting.value, *assumptions, str(seed),
             *(structure(e) for e in expressions), *_definitions(expressions)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached(kind: str, expressions: tuple[Expr, ...], context: Context, seed: int,
           compute: Callable[[], StepCheck]) -> StepCheck:
    """The stored check for this claim, or `compute()` — stored for next time."""
    if not ENABLED:
        return compute()
    name = key(kind, expressions, context, seed)
    path = folder() / name[:2] / f"{name}.json"
    try:
        return StepCheck.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    check = compute()
    try:
        write_atomic(path, json.dumps(check.to_json()))
    except OSError:
        pass   # a read-only or full disk costs speed, never a result
    return check
