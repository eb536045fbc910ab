"""`derive eval`: an expression in the field's notation, on concrete distributions over a finite set.

Conventions, stated and never bent: natural log unless a base is given; 0 · log 0 = 0;
D_KL = ∞ where q = 0 < p; a vector with a negative entry, or one not summing to 1 within 1e-9, is
an error that says so — it is never normalised or clipped.  The value is computed in 50-digit
arithmetic, so neither 1e-320 nor 0.5 / 1e-320 over- or underflows on the way; only the result
is rounded to a float.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sympy import Expr, preorder_traversal

from derive.context import Context, Setting
from derive.distributions import Distribution
from derive.errors import UsageError
from derive.numeric.arithmetic import PRECISE, precise_context, precise_in_base
from derive.numeric.evaluate import Evaluator
from derive.numeric.requirements import NotEvaluable, requirements
from derive.numeric.worlds import Table, World

SUM_TOLERANCE = 1e-9


def parse_vector(name: str, spec: str) -> np.ndarray:
    """`0.5,0.5,0` as probabilities (checked by `probabilities`)."""
    try:
        values = np.array([float(v) for v in spec.split(",")], dtype=float)
    except ValueError:
        raise UsageError(f"--dist {name}={_shown(spec)}: write numbers separated by commas, "
                         f"like {name}=0.5,0.25,0.25") from None
    return probabilities(name, values, _shown(spec))


def probabilities(name: str, values: np.ndarray, shown: str) -> np.ndarray:
    """The values, if they are probabilities: finite, ≥ 0, summing to 1 within 1e-9."""
    if values.ndim != 1 or not len(values):
        raise UsageError(f"--dist {name}={shown}: give one probability per point of the support")
    if not np.isfinite(values).all():
        raise UsageError(f"--dist {name}={shown}: every probability must be a finite number")
    if (values < 0).any():
        raise UsageError(f"--dist {name}={shown}: probability {values[values < 0][0]:g} is "
                         "negative (nothing is clipped)")
    total = float(values.sum())
    if abs(total - 1) > SUM_TOLERANCE:
        raise UsageError(f"--dist {name}={shown}: the probabilities sum to {total:.12g}, not 1 "
                         "(within 1e-9; nothing is normalised)")
    return values


def parse_assignment(spec: str) -> tuple[str, np.ndarray]:
    """`p=0.5,0.5` as (name, probabilities)."""
    name, equals, values = spec.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"--dist {_shown(spec)}: write NAME=p1,p2,…, like p=0.5,0.5")
    return name.strip(), parse_vector(name.strip(), values)


def evaluate(expression: str | Expr, *, base: float | None = None,
             **distributions: Sequence[float] | str) -> float:
    """The value of an expression (LaTeX, or a derive expression) for the given distributions,
    in nats, or in the given log base: `evaluate("D_{KL}(p \\\\| q)", p=[.5, .5], q=[.25, .75])`."""
    if isinstance(expression, str):
        from derive.notation import parse_expression
        expression = parse_expression(expression)
    vectors = {name: parse_vector(name, v) if isinstance(v, str) else _given(name, v)
               for name, v in distributions.items()}
    if base is not None and (not math.isfinite(base) or base <= 0 or base == 1):
        raise UsageError(f"--base {base:g}: a logarithm base is positive and not 1")
    return _value(expression, vectors, base)


def _given(name: str, values) -> np.ndarray:
    """Probabilities given from Python: a sequence of real numbers."""
    try:
        array = np.asarray(values)
        if array.dtype.kind not in "iuf" or array.ndim != 1:
            raise TypeError
        return probabilities(name, array.astype(float), _shown(str(list(values))))
    except (TypeError, ValueError):
        raise UsageError(f"{name}: give the probabilities as a sequence of real numbers, "
                         f"not {_shown(repr(values))}") from None


def _shown(text: str, limit: int = 60) -> str:
    """User input quoted in a one-line message: control characters escaped, long text cut."""
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= limit else escaped[:limit] + "…"


def _value(expr: Expr, vectors: dict[str, np.ndarray], base: float | None) -> float:
    used = {d.name: d for d in preorder_traversal(expr) if isinstance(d, Distribution)}
    for name, d in used.items():
        if d.parameters:
            raise UsageError(f"{name}_{{{', '.join(map(str, d.parameters))}}} is a model: "
                             "derive eval evaluates concrete distributions only")
        if name not in vectors:
            raise UsageError(f"{name} has no value: add --dist {name}=p1,p2,…")
    sizes = {len(v) for v in vectors.values()}
    if len(sizes) > 1:
        raise UsageError("all distributions must be on the same support: got sizes "
                         + ", ".join(f"{n}={len(v)}" for n, v in vectors.items()))
    size = sizes.pop() if sizes else 1
    try:
        req = requirements([expr], Context(Setting.DISCRETE))
    except NotEvaluable as reason:
        raise UsageError(f"cannot evaluate: {reason}") from None
    if req.uses_data or req.conditional or req.symbols:
        missing = ", ".join([*sorted(req.points | req.labels | req.inputs),
                             *(str(s) for s in req.symbols)])
        raise UsageError(f"derive eval needs concrete values, and {missing or 'a model'} has "
                         "none: use distributions given with --dist")
    world = World(Setting.DISCRETE, 1, size, size, 1,
                  {used[n]: Table(v[None, :]) for n, v in vectors.items() if n in used}, {}, {})
    arithmetic = PRECISE if base is None else precise_in_base(base)
    try:
        with precise_context():
            value = float(Evaluator(world, arithmetic).value(expr)[0])
    except NotEvaluable as reason:
        raise UsageError(f"cannot evaluate: {reason}") from None
    if math.isnan(value):
        raise UsageError("the value is undefined here (∞ − ∞, or the log of a negative number)")
    return value
