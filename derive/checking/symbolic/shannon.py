"""Shannon-type inequalities proved with exact certificates.

A *form* Σ_S c_S·H(X_S) (S a nonempty set of variables, c_S rational) is ≥ 0 for every joint
distribution when it equals Σ_e w_e·e + Σ_h μ_h·h with w_e ≥ 0 over the elemental inequalities e
of the variables N,

    H(X_i | X_{N−i}) ≥ 0   and   I(X_i; X_j | X_K) ≥ 0   (i < j, K ⊆ N − {i, j}),

and μ_h of any sign over hypotheses h = 0 (Yeung's framework: every Shannon-type inequality is
such a combination).  The weights come from a sparse linear program solved by HiGHS through
SciPy (its interior point method with crossover to a vertex: on these degenerate programs it is
~10× faster than the dual simplex at 10 variables; from 15 variables on, the dual simplex, since
an interior point iteration then takes seconds and the time limit is only checked between
them); they are rounded to rationals, or re-solved exactly on the program's support, and
checked in exact arithmetic: a float solution alone never proves anything.  With densities
(differential entropies) H(X_i | X_{N−i}) ≥ 0 is false, so only the I(…) ≥ 0 elementals are used;
and a linear inequality in differential entropies that is unbalanced (`unbalanced`) is false
(Chan).

At most `MAX_VARIABLES` variables: the program has n + C(n, 2)·2^(n−2) columns and 2^n − 1 rows,
and HiGHS does not honour its time limit while it sets up a larger one (n = 10 takes a few
seconds; n = 11 no longer fits in 10 s, and n = 15 ran for minutes — benchmarks/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np
from flint import fmpq, fmpq_mat
from scipy.optimize import linprog
from scipy.sparse import csc_matrix

#: Σ_S c_S·H(X_S) over nonempty sets S of variable names, zero coefficients omitted.
Form = dict[frozenset[str], Fraction]

#: The largest number of variables a program is built for (1 966 096 elementals at 16).
MAX_VARIABLES = 10
#: Up to this many variables the interior point method is used, beyond it the dual simplex.
INTERIOR_POINT_VARIABLES = 14
#: LP weights below this are taken as zero.
TOLERANCE = 1e-9
#: The largest denominators tried when rounding the LP's weights to rationals.
DENOMINATORS = (1_000, 1_000_000)
#: The largest support re-solved exactly when rounding fails (the row reduction grows as its
#: cube: about 4 s at 930 columns, 10 variables, on two cores; 25 s at 1900, 11 variables).
EXACT_SUPPORT = 1_200


def variable_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """The sort key of a variable name: natural order (X2 before X10), deterministic."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", name) if part)


def _sorted(names) -> tuple[str, ...]:
    return tuple(sorted(names, key=variable_key))


def _normalized(form: Mapping[frozenset[str], Fraction | int]) -> Form:
    """The form with Fraction coefficients and no zeros; ValueError on an empty set or a float."""
    result: Form = {}
    for subset, coefficient in form.items():
        if not subset:
            raise ValueError("a form has a term H(∅); the entropy of no variables is 0")
        if not isinstance(coefficient, (int, Fraction)):
            raise ValueError(f"a form's coefficient {coefficient!r} is not an exact rational")
        if coefficient:
            result[frozenset(subset)] = Fraction(coefficient)
    return result


@dataclass(frozen=True)
class Elemental:
    """H(first | given) ≥ 0 when `second` is None (given = all other variables), else
    I(first; second | given) ≥ 0; first < second and `given` sorted by `variable_key`."""

    first: str
    second: str | None
    given: tuple[str, ...]

    def __post_init__(self) -> None:
        named = (self.first,) if self.second is None else (self.first, self.second)
        if len(set(named + self.given)) != len(named) + len(self.given):
            raise ValueError("an elemental inequality repeats a variable")
        if _sorted(named) != named or _sorted(self.given) != self.given:
            raise ValueError("an elemental inequality lists its variables out of order")

    def form(self) -> Form:
        """H(iK) − H(K), or H(iK) + H(jK) − H(ijK) − H(K), with H(∅) = 0 omitted."""
        given = frozenset(self.given)
        result: Form = {given | {self.first}: Fraction(1)}
        if self.second is not None:
            result[given | {self.second}] = Fraction(1)
            result[given | {self.first, self.second}] = Fraction(-1)
        if given:
            result[given] = Fraction(-1)
        return result

    def _written(self, bar: str, geq: str) -> str:
        given = f" {bar} " + ", ".join(self.given) if self.given else ""
        if self.second is None:
            return f"H({self.first}{given}) {geq} 0"
        return f"I({self.first}; {self.second}{given}) {geq} 0"

    @property
    def text(self) -> str:
        return self._written("|", "≥")

    @property
    def latex(self) -> str:
        return self._written(r"\mid", r"\ge")


def _check_size(count: int) -> None:
    if count > MAX_VARIABLES:
        raise ValueError(f"a Shannon-type proof is limited to {MAX_VARIABLES} random variables "
                         f"(this statement has {count})")


def elemental_inequalities(variables: Sequence[str], densities: bool = False) -> list[Elemental]:
    """All elemental inequalities of the variables (only the I(…) ≥ 0 ones with densities)."""
    names = _sorted(set(variables))
    _check_size(len(names))
    kinds, firsts, seconds, masks = _elemental_columns(len(names), densities)
    return [_elemental(names, int(kind), int(i), int(j), int(mask))
            for kind, i, j, mask in zip(kinds, firsts, seconds, masks)]


def _elemental_columns(n: int, densities: bool) -> tuple[np.ndarray, ...]:
    """The elementals of n variables (bit i = the i-th): kind (0 for H, 1 for I), i, j and the
    bitmask of K (for H(X_i | rest), the rest), in a fixed order."""
    full = (1 << n) - 1
    kinds, firsts, seconds, masks = [], [], [], []
    if not densities:
        indices = np.arange(n, dtype=np.int64)
        kinds.append(np.zeros(n, dtype=np.int64))
        firsts.append(indices)
        seconds.append(indices)
        masks.append(full ^ (1 << indices))
    every = np.arange(1 << n, dtype=np.int64)
    for i, j in combinations(range(n), 2):
        given = every[(every & ((1 << i) | (1 << j))) == 0]
        kinds.append(np.ones(len(given), dtype=np.int64))
        firsts.append(np.full(len(given), i, dtype=np.int64))
        seconds.append(np.full(len(given), j, dtype=np.int64))
        masks.append(given)
    if not kinds:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(4))
    return tuple(np.concatenate(parts) for parts in (kinds, firsts, seconds, masks))


def _elemental(names: tuple[str, ...], kind: int, i: int, j: int, mask: int) -> Elemental:
    given = tuple(name for bit, name in enumerate(names) if mask >> bit & 1)
    return Elemental(names[i], names[j] if kind else None, given)


@dataclass(frozen=True)
class Certificate:
    """target = Σ w_e·e.form() + Σ μ_h·hypotheses[h] with every w_e > 0: then target ≥ 0 wherever
    the elementals hold and the hypotheses are 0."""

    elementals: tuple[tuple[Elemental, Fraction], ...]
    hypotheses: tuple[tuple[int, Fraction], ...]

    def verify(self, target: Mapping[frozenset[str], Fraction | int],
               hypotheses: Sequence[Mapping[frozenset[str], Fraction | int]] = (),
               densities: bool = False) -> bool:
        """Whether the identity holds exactly in rationals, every w_e > 0 and every μ_h ≠ 0
        (and, with densities, no H(X_i | rest) ≥ 0 is used)."""
        total: dict[frozenset[str], Fraction] = {}
        for elemental, weight in self.elementals:
            if not isinstance(weight, Fraction) or weight <= 0:
                return False
            if densities and elemental.second is None:
                return False
            _accumulate(total, elemental.form(), weight)
        for index, weight in self.hypotheses:
            if not isinstance(weight, Fraction) or weight == 0 or not 0 <= index < len(hypotheses):
                return False
            _accumulate(total, _normalized(hypotheses[index]), weight)
        return {s: c for s, c in total.items() if c} == _normalized(target)


def _accumulate(total: dict[frozenset[str], Fraction], form: Form, weight: Fraction) -> None:
    for subset, coefficient in form.items():
        total[subset] = total.get(subset, Fraction(0)) + weight * coefficient


def unbalanced(form: Mapping[frozenset[str], Fraction | int]) -> tuple[str, ...]:
    """The variables i with Σ_{S ∋ i} c_S ≠ 0.  Scaling X_i by a shifts Σ c_S·h(X_S) by
    (Σ_{S ∋ i} c_S)·log|a|, so an inequality in differential entropies with such an i is false."""
    normal = _normalized(form)
    names = _sorted(set().union(*normal))
    return tuple(name for name in names if sum(c for s, c in normal.items() if name in s) != 0)


def prove_nonnegative(target: Mapping[frozenset[str], Fraction | int],
                      hypotheses: Sequence[Mapping[frozenset[str], Fraction | int]] = (),
                      densities: bool = False, seconds: float = 10.0) -> Certificate | None:
    """A certificate, checked exactly, that target ≥ 0 follows from the elemental inequalities
    of its and the hypotheses' variables and hypotheses = 0; None when none is found (the
    program is infeasible, out of time, or its solution cannot be made exact).  The program:
    w ≥ 0, μ free, Eᵀw + Hypᵀμ = target, minimizing Σ w (a sparse certificate)."""
    goal = _normalized(target)
    conditions = [_normalized(h) for h in hypotheses]
    if not goal:
        return Certificate((), ())
    names = _sorted({name for form in (goal, *conditions) for s in form for name in s})
    _check_size(len(names))
    bit = {name: 1 << index for index, name in enumerate(names)}
    kinds, firsts, others, masks = _elemental_columns(len(names), densities)
    count = len(kinds)
    if not count + len(conditions):
        return None
    b = np.zeros((1 << len(names)) - 1)
    for subset, coefficient in goal.items():
        b[_mask(subset, bit) - 1] = float(coefficient)
    cost = np.concatenate([np.ones(count), np.zeros(len(conditions))])
    bounds = np.empty((count + len(conditions), 2))
    bounds[:count] = (0.0, np.inf)
    bounds[count:] = (-np.inf, np.inf)
    matrix = _program_matrix(len(names), (kinds, firsts, others, masks), conditions, bit)
    method = "highs-ipm" if len(names) <= INTERIOR_POINT_VARIABLES else "highs-ds"
    result = linprog(cost, A_eq=matrix, b_eq=b, bounds=bounds, method=method,
                     options={"time_limit": seconds})
    if result.status != 0:  # infeasible, unbounded, or out of time
        return None

    def column(c: int) -> Elemental:
        return _elemental(names, int(kinds[c]), int(firsts[c]), int(others[c]), int(masks[c]))

    def certificate(values: dict[int, Fraction]) -> Certificate:
        chosen = sorted((c, w) for c, w in values.items() if w)
        return Certificate(tuple((column(c), w) for c, w in chosen if c < count),
                           tuple((c - count, w) for c, w in chosen if c >= count))

    for denominator in DENOMINATORS:
        found = certificate({c: Fraction(float(x)).limit_denominator(denominator)
                             for c, x in enumerate(result.x) if abs(x) >= TOLERANCE})
        if found.verify(goal, conditions, densities):
            return found
    support = [c for c in range(count) if result.x[c] > TOLERANCE]
    support += range(count, count + len(conditions))
    if len(support) > EXACT_SUPPORT:
        return None
    forms = [column(c).form() if c < count else conditions[c - count] for c in support]
    exact = _solve_exactly(forms, goal)
    if exact is None:
        return None
    found = certificate({support[k]: w for k, w in exact.items()})
    return found if found.verify(goal, conditions, densities) else None


def _mask(subset: frozenset[str], bit: dict[str, int]) -> int:
    return sum(bit[name] for name in subset)


def _program_matrix(n: int, elementals: tuple[np.ndarray, ...], conditions: list[Form],
                    bit: dict[str, int]) -> csc_matrix:
    """Rows: the nonempty subsets (bitmask − 1); columns: the elementals' forms (H(X_i | rest):
    H(all) − H(rest); I(X_i; X_j | X_K): H(iK) + H(jK) − H(ijK) − H(K)), then the hypotheses'."""
    kinds, firsts, others, masks = elementals
    column = np.arange(len(kinds), dtype=np.int64)
    i_bits, j_bits = np.left_shift(1, firsts), np.left_shift(1, others)
    mutual = kinds == 1
    parts = [(np.where(mutual, masks | i_bits, (1 << n) - 1), column, 1.0),
             ((masks | j_bits)[mutual], column[mutual], 1.0),
             ((masks | i_bits | j_bits)[mutual], column[mutual], -1.0),
             (masks, column, -1.0)]
    rows, cols, values = [], [], []
    for subsets, where, value in parts:
        keep = subsets != 0
        rows.append(subsets[keep] - 1)
        cols.append(where[keep])
        values.append(np.full(int(keep.sum()), value))
    for index, form in enumerate(conditions):
        rows.append(np.array([_mask(subset, bit) - 1 for subset in form], dtype=np.int64))
        cols.append(np.full(len(form), len(kinds) + index, dtype=np.int64))
        values.append(np.array([float(c) for c in form.values()]))
    return csc_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
                      shape=((1 << n) - 1, len(kinds) + len(conditions)))


def _solve_exactly(forms: list[Form], goal: Form) -> dict[int, Fraction] | None:
    """Rationals x_k with Σ x_k·forms[k] = goal, by an exact row reduction (the free unknowns set
    to 0); None when the equations are inconsistent."""
    subsets = sorted({s for form in forms for s in form} | set(goal), key=sorted)
    row = {subset: index for index, subset in enumerate(subsets)}
    width = len(forms) + 1
    augmented = fmpq_mat(len(subsets), width)
    for k, form in enumerate(forms):
        for subset, coefficient in form.items():
            augmented[row[subset], k] = fmpq(coefficient.numerator, coefficient.denominator)
    for subset, coefficient in goal.items():
        augmented[row[subset], width - 1] = fmpq(coefficient.numerator, coefficient.denominator)
    reduced, rank = augmented.rref()
    solution: dict[int, Fraction] = {}
    for r in range(rank):
        pivot = next(c for c in range(width) if reduced[r, c] != 0)
        if pivot == width - 1:
            return None
        value = reduced[r, width - 1]
        solution[pivot] = Fraction(int(value.p), int(value.q))
    return solution


def prove_equal_zero(target: Mapping[frozenset[str], Fraction | int],
                     hypotheses: Sequence[Mapping[frozenset[str], Fraction | int]] = (),
                     densities: bool = False,
                     seconds: float = 10.0) -> tuple[Certificate, Certificate] | None:
    """Certificates of target ≥ 0 and −target ≥ 0 (so target = 0), or None unless both exist."""
    upper = prove_nonnegative(target, hypotheses, densities, seconds)
    if upper is None:
        return None
    negated = {subset: -Fraction(c) for subset, c in target.items()}
    lower = prove_nonnegative(negated, hypotheses, densities, seconds)
    return None if lower is None else (upper, lower)
