"""`derive eval`: an expression in the field's notation, in one concrete, exact world.

The inputs are exact: `0.1` is 1/10, `1/3` is 1/3, `2.5e-160` is that rational; a Python float is
taken as the decimal it prints as.  Distributions on a finite set (`--dist`), or densities on the
line (`--density`: Gaussian mixtures, uniform densities, histograms), data points (`--data`) and
scalars or free points (`--value`).  The value is computed in ball arithmetic (Arb, through
python-flint), at increasing precision until its enclosure rounds to one float: the result does
not depend on any precision setting of the caller, and is the same from the command line and from
Python.  Conventions, stated and never bent: natural log unless a base is given (`--base b`
changes the unbased log and the quantities; `\\ln` stays natural); n is the number of data points
given, else the length of the vectors; 0 · log 0 = 0; a product with
an exactly zero factor is 0; D_KL = ∞ where q = 0 < p; ∞ − ∞ and 0/0 are undefined, an error;
a probability vector with a negative entry, or one not summing to 1 within 1e-9, is an error that
says so — it is never normalised or clipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from flint import arb, fmpq
from sympy import Expr, Rational, Symbol, preorder_traversal

from derive.algebra.information import is_information
from derive.checking.joint_tables import joint_value
from derive.checking.numeric.balls import (BallEvaluator, Infinite, Uncertain, Undefined, precision,
                                           rational)
from derive.checking.numeric.exact import ExactDensity, ExactHistogram, ExactWorld, GaussianMixture
from derive.checking.numeric.requirements import NotEvaluable, requirements
from derive.core.errors import UsageError
from derive.core.timeouts import OutOfTime, time_limit
from derive.notation.reading import parse_expression
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.distributions import (DATA_INDEX, DATA_SIZE, LABEL_VARIABLE,
                                             SUPPORT_VARIABLE, Conditional, Distribution, Mixture)

SUM_TOLERANCE = Fraction(1, 10**9)
#: Precisions (bits) tried until the value's enclosure rounds to a single float.
PRECISIONS = (64, 128, 256, 1024, 4096)
#: Seconds an evaluation may take (a quadrature of a very narrow density can take minutes).
EVALUATION_SECONDS = 20.0

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:/\d+)?"


def exact_number(text: str, what: str) -> Fraction:
    """A number as typed, exactly: 0.1 is 1/10; 1/3, 2.5e-160 and 3 are read as written."""
    text = text.strip()
    if not re.fullmatch(_NUMBER, text):
        raise UsageError(f"{what}: {_shown(text)} is not a number (write 0.25, 1/4 or 2.5e-3)")
    numerator, _, denominator = text.partition("/")
    value = Fraction(numerator)
    if denominator:
        if int(denominator) == 0:
            raise UsageError(f"{what}: {_shown(text)} divides by zero")
        value /= int(denominator)
    return value


def _python_number(value, what: str) -> Fraction:
    """A number given from Python: ints and Fractions exactly, a float as the decimal it prints
    as (so 0.1 is 1/10, as on the command line), a string as typed."""
    if isinstance(value, str):
        return exact_number(value, what)
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)) and \
            not hasattr(value, "__float__"):
        raise UsageError(f"{what}: give real numbers, not {_shown(repr(value))}")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    number = float(value)
    if not math.isfinite(number):
        raise UsageError(f"{what}: every probability must be a finite number")
    return Fraction(repr(number))


def probabilities(name: str, values: list[Fraction], shown: str) -> tuple[Fraction, ...]:
    """The values, if they are probabilities: ≥ 0, summing to 1 within 1e-9 (as given, never
    normalised)."""
    if not values:
        raise UsageError(f"--dist {name}={shown}: give one probability per point of the support")
    negative = [v for v in values if v < 0]
    if negative:
        raise UsageError(f"--dist {name}={shown}: probability {float(negative[0]):g} is "
                         "negative (nothing is clipped)")
    total = sum(values)
    if abs(total - 1) > SUM_TOLERANCE:
        raise UsageError(f"--dist {name}={shown}: the probabilities sum to {float(total):.12g}, "
                         "not 1 (within 1e-9; nothing is normalised)")
    return tuple(values)


def parse_vector(name: str, spec: str) -> tuple[Fraction, ...]:
    """`0.5,0.5,0` as exact probabilities."""
    pieces = [piece.strip() for piece in spec.split(",")]
    if any(piece.lower() in ("nan", "inf", "+inf", "-inf", "infinity") for piece in pieces):
        raise UsageError(f"--dist {name}={_shown(spec)}: every probability must be a finite "
                         "number")
    try:
        values = [exact_number(piece, f"--dist {name}") for piece in pieces]
    except UsageError:
        raise UsageError(f"--dist {name}={_shown(spec)}: write numbers separated by commas, "
                         f"like {name}=0.5,0.25,0.25 or {name}=1/3,1/3,1/3") from None
    return probabilities(name, values, _shown(spec))


def parse_density(name: str, spec: str) -> ExactDensity:
    """A density as written by derive: `N(0, 1^2)`, `1/2 N(0, 1^2) + 1/2 N(1, (1/2)^2)` (weight,
    mean, standard deviation squared), `U(-1, 1)`, or `hist(-1, 0, 1; 1/4, 3/4)` (edges, then
    heights)."""
    what = f"--density {name}"
    text = spec.replace(" ", "")
    number = f"({_NUMBER})"
    uniform = re.fullmatch(rf"U\({number},{number}\)", text)
    if uniform:
        a, b = (exact_number(v, what) for v in uniform.groups())
        if not a < b:
            raise UsageError(f"{what}: U(a, b) needs a < b")
        return ExactHistogram((a, b), (1 / (b - a),))
    histogram = re.fullmatch(rf"hist\(((?:{_NUMBER},)*{_NUMBER});((?:{_NUMBER},)*{_NUMBER})\)",
                             text)
    if histogram:
        edges = [exact_number(v, what) for v in histogram.group(1).split(",")]
        heights = [exact_number(v, what) for v in histogram.group(2).split(",")]
        if len(edges) != len(heights) + 1 or any(a >= b for a, b in zip(edges, edges[1:])):
            raise UsageError(f"{what}: hist(edges; heights) needs increasing edges and one "
                             "height per piece")
        if any(h < 0 for h in heights):
            raise UsageError(f"{what}: a height is negative")
        mass = sum(h * (b - a) for h, a, b in zip(heights, edges, edges[1:]))
        if abs(mass - 1) > SUM_TOLERANCE:
            raise UsageError(f"{what}: the histogram's mass is {float(mass):.12g}, not 1 "
                             "(nothing is normalised)")
        return ExactHistogram(tuple(edges), tuple(heights))
    component = rf"{number}?N\({number},\(?{number}\)?\^2\)"
    if not re.fullmatch(rf"{component}(?:\+{component})*", text):
        raise UsageError(f"{what}={_shown(spec)}: write N(mean, sd^2), a mixture such as "
                         "1/2 N(0, 1^2) + 1/2 N(1, (1/2)^2), U(a, b) or hist(edges; heights)")
    components = []
    for weight, mean, sd in re.findall(component, text):
        w = exact_number(weight, what) if weight else Fraction(1)
        s = exact_number(sd, what)
        if w <= 0 or s <= 0:
            raise UsageError(f"{what}: weights and standard deviations are positive")
        components.append((w, exact_number(mean, what), s))
    if sum(w for w, _, _ in components) != 1:
        raise UsageError(f"{what}: the weights sum to "
                         f"{sum(w for w, _, _ in components)}, not 1 (nothing is normalised)")
    return GaussianMixture(tuple(components))


#: How each option of `derive eval` is written.
FORMS = {"--dist": "NAME=p1,p2,…, like p=0.5,0.5", "--density": "NAME=SPEC, like p=N(0, 1^2)",
         "--data": "NAME=x1,x2,…, like x=1,2", "--value": "NAME=V, like a=1/2",
         "--joint": "NAME=TABLE, like p=[[1/4, 1/4], [1/2, 0]], or NAME=FILE.csv / FILE.npy"}


def parse_assignment(spec: str, option: str = "--dist") -> tuple[str, str]:
    """`NAME=value` as (name, value)."""
    name, equals, value = spec.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"{option} {_shown(spec)}: write {FORMS[option]}")
    return name.strip(), value


def _shown(text: str, limit: int = 60) -> str:
    """User input quoted in a one-line message: control characters escaped, long text cut."""
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= limit else escaped[:limit] + "…"


def evaluate(expression: str | Expr, *, base: float | str | None = None,
             densities: Mapping[str, str] | None = None,
             data: Mapping[str, Sequence] | None = None,
             values: Mapping[str, object] | None = None,
             joints: Mapping[str, object] | None = None,
             **distributions: Sequence[float] | str) -> float:
    """The value of an expression (LaTeX, or a derive expression) in nats, or in the given log
    base: `evaluate("D_{KL}(p \\\\| q)", p=[.5, .5], q=[.25, .75])`.  `densities` gives densities
    by name (`{"p": "N(0, 1^2)"}`), `data` data points (`{"x": [1, 2]}`), `values` scalars and
    free points (`{"x": 2}`), `joints` joint tables of random variables (`{"p": [[.5, 0],
    [0, .5]]}`, text, or a .csv / .npy path: derive/checking/joint_tables.py)."""
    if isinstance(expression, str):
        expression = parse_expression(expression)
    if is_information(expression) or joints:
        if distributions or densities or data or values:
            raise UsageError("an expression about random variables is evaluated at joint "
                             "tables (--joint) only")
        if not is_information(expression):
            raise UsageError("--joint gives joint tables of random variables; the expression "
                             "has none (write H(X), I(X; Y), …)")
        exact = None if base is None else _base(base)
        try:
            with time_limit(EVALUATION_SECONDS):
                return joint_value(expression, joints or {}, exact)
        except OutOfTime:
            raise UsageError("the value could not be computed within "
                             f"{EVALUATION_SECONDS:g} s") from None
    tables = {name: parse_vector(name, v) if isinstance(v, str) else _given(name, v)
              for name, v in distributions.items()}
    shapes = {name: parse_density(name, spec) for name, spec in (densities or {}).items()}
    exact_base = None if base is None else _base(base)
    world = _world(expression, tables, shapes,
                   {name: [_python_number(v, f"--data {name}") for v in points]
                    for name, points in (data or {}).items()},
                   {name: _python_number(v, f"--value {name}")
                    for name, v in (values or {}).items()})
    _check_weights(expression, world)
    try:
        with time_limit(EVALUATION_SECONDS):
            return _value(expression, world, exact_base)
    except OutOfTime:
        raise UsageError("the value could not be enclosed within "
                         f"{EVALUATION_SECONDS:g} s") from None


def _base(base: float | str) -> Fraction:
    """A logarithm base, exactly: positive and not 1."""
    exact = _python_number(base, "--base") if not isinstance(base, str) else \
        exact_number(base, "--base")
    if exact <= 0 or exact == 1:
        raise UsageError(f"--base {base}: a logarithm base is positive and not 1")
    return exact


def _given(name: str, values) -> tuple[Fraction, ...]:
    """Probabilities given from Python: a sequence of real numbers."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise UsageError(f"{name}: give the probabilities as a sequence of real numbers, "
                         f"not {_shown(repr(values))}")
    try:
        exact = [_python_number(v, f"--dist {name}") for v in values]
    except UsageError as error:
        if "finite" in str(error):
            raise UsageError(f"--dist {name}={_shown(str(list(values)))}: every probability "
                             "must be a finite number") from None
        raise UsageError(f"{name}: give the probabilities as a sequence of real numbers, "
                         f"not {_shown(repr(values))}") from None
    return probabilities(name, exact, _shown(str(list(values))))


def _world(expr: Expr, tables: dict[str, tuple[Fraction, ...]],
           densities: dict[str, ExactDensity], data: dict[str, list[Fraction]],
           values: dict[str, Fraction]) -> ExactWorld:
    """The exact world the options describe, checked against what the expression uses."""
    if tables and densities:
        raise UsageError("give distributions on a finite set (--dist) or densities (--density), "
                         "not both")
    both = set(tables) & set(densities)
    if both:
        raise UsageError(f"{sorted(both)[0]} is given twice")
    setting = Setting.CONTINUOUS if densities else Setting.DISCRETE
    used: dict[str, Distribution] = {}
    for node in preorder_traversal(expr):
        if isinstance(node, Conditional):
            raise UsageError(f"{node} is conditional on data: derive eval takes distributions on "
                             "one support only")
        if isinstance(node, Distribution):
            used[str(node)] = node
    for name in used:
        if name not in tables and name not in densities:
            option = "--density" if densities else "--dist"
            raise UsageError(f"{name} has no value: add {option} {name}=…")
    sizes = {len(v) for v in tables.values()}
    if len(sizes) > 1:
        raise UsageError("all distributions must be on the same support: got sizes "
                         + ", ".join(f"{n}={len(v)}" for n, v in tables.items()))
    data_sizes = {len(v) for v in data.values()}
    if len(data_sizes) > 1:
        raise UsageError("all data must have the same number of points: got "
                         + ", ".join(f"{n}={len(v)}" for n, v in data.items()))
    size = sizes.pop() if sizes else 1
    try:
        req = requirements([expr], Context(setting))
    except NotEvaluable as reason:
        raise UsageError(f"cannot evaluate: {reason}") from None
    exact_data: dict[str, tuple] = {}
    for name, points in data.items():
        if name in req.sequences:  # a_1 … a_n: real numbers
            exact_data[name] = tuple(points)
            continue
        if setting is Setting.DISCRETE and any(p.denominator != 1 or not 1 <= p <= size
                                               for p in points):
            raise UsageError(f"--data {name}: a data point is a category 1 … {size}")
        exact_data[name] = tuple(int(p) if setting is Setting.DISCRETE else p for p in points)
    free_points = {point for point, _ in req.free_points}
    symbols, points = {}, {}
    for name, v in values.items():
        symbol = {"x": SUPPORT_VARIABLE, "y": LABEL_VARIABLE, "i": DATA_INDEX,
                  "n": DATA_SIZE}.get(name, Symbol(name))
        if symbol in free_points:  # x in p(x): a point of the support, as `derive check` reads it
            if setting is Setting.DISCRETE and (v.denominator != 1 or not 1 <= v <= size):
                raise UsageError(f"--value {name}={_shown(str(v))}: a point of the support is "
                                 f"a category 1 … {size}")
            points[symbol] = int(v) if setting is Setting.DISCRETE else v
        else:
            symbols[symbol] = v
    data_size = _number_n(size if req.indexed else None, exact_data, symbols.pop(DATA_SIZE, None))
    if data_size is None and DATA_SIZE in expr.free_symbols:
        raise UsageError("n has no value here: add --value n=… (n is the number of categories "
                         "only where they are indexed, as in p_i, and the number of data points "
                         "where data are given)")
    return ExactWorld(setting, size, 1, data_size or 0,
                      tables={used.get(n, Distribution(n)): t for n, t in tables.items()},
                      densities={used.get(n, Distribution(n)): d for n, d in densities.items()},
                      data=exact_data, symbols=symbols, points=points)


def _check_weights(expression: Expr, world: ExactWorld) -> None:
    """A mixture's weights in parameters (1 − ε) must be positive at the values given."""
    given = {s: Rational(v.numerator, v.denominator) for s, v in world.symbols.items()}
    for node in preorder_traversal(expression):
        if isinstance(node, Mixture):
            for weight, _ in node.components:
                value = weight.xreplace(given)
                if not weight.is_Rational and value.is_Rational and value <= 0:
                    raise UsageError(f"the mixture weight {weight} is {value} here: a weight "
                                     "is positive")


def _number_n(categories: int | None, data: dict[str, tuple], given: Fraction | None
              ) -> int | None:
    """n: the number of indexed categories, of data points, or the value given — which must
    agree where there are several; None where there is none."""
    counts = {}
    if categories is not None:
        counts["categories"] = categories
    if data:
        counts["data points"] = len(next(iter(data.values())))
    if given is not None:
        if given.denominator != 1 or given < 0:
            raise UsageError(f"--value n={given}: n is a whole number ≥ 0")
        counts["--value n"] = int(given)
    if len(set(counts.values())) > 1:
        raise UsageError("n is " + " and ".join(f"{count} ({what})" for what, count in
                                                 counts.items()) + ": give them one value")
    return next(iter(counts.values()), None)


def _value(expr: Expr, world: ExactWorld, base: Fraction | None) -> float:
    """The value, as the float its enclosure rounds to."""
    last = None
    for bits in PRECISIONS:
        with precision(bits):
            evaluator = BallEvaluator(world, None if base is None else rational(base))
            try:
                value = evaluator.value(expr)
            except Undefined as reason:
                raise UsageError(f"the value is undefined here ({reason})") from None
            except NotEvaluable as reason:
                raise UsageError(f"cannot evaluate: {reason}") from None
            except Uncertain:
                continue
            if isinstance(value, Infinite):
                return math.inf * value.sign
            if isinstance(value, fmpq):
                return int(value.p) / int(value.q) if abs(value) < 2 ** 1000 else float(arb(value))
            ball = value if isinstance(value, arb) else value.real
            lower, upper = float(ball.lower()), float(ball.upper())
            if lower == upper:
                return lower + 0.0
            last = ball
    if last is None or not last.is_finite():  # e^{e^{e^{10}}}: Arb's exponent range is exceeded
        raise UsageError("the value could not be enclosed at the highest precision tried")
    return float(last.mid())
