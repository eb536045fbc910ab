r"""Joint distributions given by hand: a table as nested brackets (`[[1/4, 1/4], [1/2, 0]]`), a
CSV file (two variables: rows are X's values, columns Y's) or a NumPy `.npy` array, and the value
of an expression about random variables at them (`derive eval 'I(X; Y)' --joint p=…`).

The table's entries must sum to exactly 1 (write 1/3, not 0.3333): a table that is not a
distribution could give a negative mutual information.  The table's axes are the expression's random variables in their fixed order X, Y, Z, W, U, V
(then by index): axis 0 is the first of them that the expression uses.  A table with more axes
than the expression has variables is a joint of X, Y, Z, … in that order (`H(X)` of a table of
X and Y is the entropy of the marginal of X).  Entries are exact
(`0.1` is 1/10); a negative entry, a ragged table, or one that does not sum to 1 within 1e-9 is
an error that says so — a table is never normalised.  The value is enclosed in Arb balls at
increasing precision until the enclosure rounds to one float.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

import numpy
from flint import ctx
from sympy import Expr, Rational, log

from derive.checking.numeric.information import Table, Unevaluable, evaluate
from derive.core.errors import UsageError
from derive.vocabulary.information import (VARIABLE_LETTERS, JointValue, RandomVariable,
                                           ordered)

_TOKEN = re.compile(r"\s*(\[|\]|,|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:/\d+)?)")
PRECISIONS = (64, 128, 256, 1024, 4096)
#: The largest table read, in entries; the deepest nesting of brackets; the longest number.
MAX_ENTRIES = 10_000
MAX_DEPTH = 16
MAX_DIGITS = 100


def _number(text: str, where: str) -> Fraction:
    if len(text) > MAX_DIGITS or re.search(r"[eE][-+]?\d{4,}", text):
        raise UsageError(f"{where}: {text[:20]}… is too long or too large for a probability")
    numerator, _, denominator = text.partition("/")
    if denominator and int(denominator) == 0:
        raise UsageError(f"{where}: {text} divides by zero")
    return Fraction(numerator) / (int(denominator) if denominator else 1)


def parse_nested(name: str, text: str) -> list:
    """`[[0.25, 0.25], [0.5, 0]]` as nested lists of exact numbers (never evaluated as code)."""
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None:
            shown = text[position:position + 10].strip()
            raise UsageError(f"--joint {name}: unexpected {shown!r} at column {position}; write "
                             "the table as nested brackets of numbers, as in [[1/4, 1/4], [1/2, 0]]")
        tokens.append((match.group(1), match.start(1)))
        position = match.end()
    stack: list[list] = []
    result = None
    expect_item = True
    for token, column in tokens:
        if token == "[":
            if not expect_item:
                raise UsageError(f"--joint {name}: missing comma at column {column}")
            if len(stack) == MAX_DEPTH:
                raise UsageError(f"--joint {name}: brackets nested deeper than {MAX_DEPTH} at "
                                 f"column {column}")
            stack.append([])
        elif token == "]":
            if not stack:
                raise UsageError(f"--joint {name}: unmatched ] at column {column}")
            done = stack.pop()
            if stack:
                stack[-1].append(done)
            else:
                result = done
            expect_item = False
        elif token == ",":
            if expect_item or not stack:
                raise UsageError(f"--joint {name}: misplaced comma at column {column}")
            expect_item = True
        else:
            if not stack or not expect_item:
                raise UsageError(f"--joint {name}: a number outside brackets or without a comma "
                                 f"at column {column}")
            stack[-1].append(_number(token, f"--joint {name}"))
            expect_item = False
    if stack or result is None or len(tokens) == 0:
        raise UsageError(f"--joint {name}: unbalanced brackets")
    return result


def load(name: str, spec: str | Sequence | numpy.ndarray) -> numpy.ndarray:
    """The table given as text, a `.csv` or `.npy` path, or a nested sequence / array."""
    if isinstance(spec, str) and spec.strip().endswith((".csv", ".npy")):
        path = Path(spec.strip())
        if not path.is_file():
            raise UsageError(f"--joint {name}: no file {path}")
        if path.suffix == ".npy":
            try:
                array = numpy.load(path, allow_pickle=False)
            except (ValueError, OSError) as error:
                raise UsageError(f"--joint {name}: {path} is not a NumPy array ({error})") \
                    from None
            return _exact(name, array.tolist())
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = [row for row in csv.reader(handle) if row]
        except (UnicodeDecodeError, csv.Error) as error:
            raise UsageError(f"--joint {name}: {path} is not a CSV file of numbers ({error})") \
                from None
        return _exact(name, [[_cell(cell, f"--joint {name} ({path})") for cell in row]
                             for row in rows])
    if isinstance(spec, str):
        return _exact(name, parse_nested(name, spec))
    return _exact(name, spec.tolist() if isinstance(spec, numpy.ndarray) else spec)


def _cell(text: str, where: str) -> Fraction:
    """A CSV cell as an exact number."""
    cell = text.strip()
    if not _TOKEN.fullmatch(" " + cell) or cell in ("[", "]", ","):
        raise UsageError(f"{where}: {cell[:20]!r} is not a number")
    return _number(cell, where)


def _exact(name: str, nested) -> numpy.ndarray:
    """A rectangular object array of Fractions (floats as the decimals they print as)."""
    def convert(item):
        if isinstance(item, (list, tuple)):
            return [convert(i) for i in item]
        if isinstance(item, bool) or not isinstance(item, (int, float, Fraction)):
            raise UsageError(f"--joint {name}: {item!r} is not a number")
        if isinstance(item, float):
            if not math.isfinite(item):
                raise UsageError(f"--joint {name}: every entry must be a finite number")
            return Fraction(repr(item))
        if isinstance(item, int) and abs(item) > 1:
            raise UsageError(f"--joint {name}: an entry is larger than 1")
        return Fraction(item)
    converted = convert(nested)
    try:
        array = numpy.array(converted, dtype=object)
        shape_ok = all(isinstance(x, Fraction) for x in array.flat)
    except ValueError:
        shape_ok = False
    if not shape_ok:
        raise UsageError(f"--joint {name}: the table is ragged (every row needs as many "
                         "entries)")
    if array.size > MAX_ENTRIES:
        raise UsageError(f"--joint {name}: {array.size} entries; at most {MAX_ENTRIES} are read")
    return array


def axes(array: numpy.ndarray, used: tuple[str, ...]) -> tuple[str, ...]:
    """The variable of each axis: the ones used, or X, Y, Z, … for a table with more axes."""
    if array.ndim > len(used):
        letters = tuple(VARIABLE_LETTERS[:array.ndim])
        if set(used) <= set(letters):
            return letters
    return used


def table(name: str, array: numpy.ndarray, variables: tuple[str, ...]) -> Table:
    """The array as a joint table of `variables` (axis k is variables[k]), if it is one."""
    if array.ndim != len(variables):
        raise UsageError(f"--joint {name}: the table has {array.ndim} axes, but the expression "
                         f"uses {len(variables)} random variables ({', '.join(variables)}): one "
                         "axis each, in that order")
    if any(x < 0 for x in array.flat):
        raise UsageError(f"--joint {name}: an entry is negative")
    if any(x > 1 for x in array.flat):
        raise UsageError(f"--joint {name}: an entry is larger than 1")
    total = sum(array.flat, Fraction(0))
    if total != 1:
        raise UsageError(f"--joint {name}: the entries sum to {float(total):.12g}, not exactly "
                         "1 (a table is never normalised; write 1/3, not 0.3333)")
    outcomes = itertools.product(*(range(k) for k in array.shape))
    return Table(variables, {o: array[o] for o in outcomes})


def joint_value(expr: Expr, joints: Mapping[str, str | Sequence | numpy.ndarray],
                base: Fraction | None = None) -> float:
    """The value of an expression about random variables at the given joint tables."""
    variables = tuple(v.name for v in ordered(expr.atoms(RandomVariable)))
    needed = {v.distribution for v in expr.atoms(JointValue)} | {"p"}
    missing = sorted(needed - set(joints))
    if missing:
        raise UsageError(f"give the joint distribution {missing[0]}: --joint {missing[0]}=…")
    arrays = {name: load(name, spec) for name, spec in joints.items()}
    world = {name: table(name, array, axes(array, variables)) for name, array in arrays.items()}
    if len({array.shape for array in arrays.values()}) > 1:
        raise UsageError("the joint tables have different shapes")
    for bits in PRECISIONS:
        with ctx.workprec(bits):
            try:
                value = evaluate(expr, world, ball=True)
            except Unevaluable as reason:
                raise UsageError(f"the value is undefined here ({reason})") from None
            if base is not None:
                value = value / evaluate(log(Rational(base.numerator, base.denominator)), world,
                                         ball=True)
            if not value.is_finite():
                if value > 0 or value < 0:
                    return math.copysign(math.inf, float(value.mid()))
                raise UsageError("the value is undefined here (∞ − ∞)")
            lower, upper = float(value.lower()), float(value.upper())
            if math.isinf(lower) or math.isinf(upper):
                raise UsageError("the value is finite but beyond the range of a float")
            if lower == upper:
                return lower + 0.0
    raise UsageError("the value could not be enclosed at the highest precision tried")

