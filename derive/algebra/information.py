r"""The canonical form of an expression in information measures: a linear combination of the
atoms E_e[log r(x_S)] — the expected log of the marginal on S of a joint distribution r, under
the joint distribution e — plus a constant.

Every measure is unfolded by its definition (derive/vocabulary/information.py); then

* E is linear, and E_{e(x_V)}[f(x_S)] = E_{e(x_S)}[f(x_S)] for S ⊆ V (marginalising the rest);
* log r(x_S | x_T) = log r(x_S, x_T) − log r(x_T), and log of a product is the sum of logs —
  on the support of e every value of e is positive; a value of another distribution r must be
  positive there too, which is a condition of the result (absolute continuity);
* E_{e(x_W)}[D_KL(e(x_V | x_C) ∥ Q)] = E_{e(x_W, x_V)}[log e(x_V | x_C) − log Q] for C ⊆ W.

Joint entropies are the atoms of one distribution: H(X_S) = −E_p[log p(x_S)].  Two expressions
with the same canonical form are equal wherever the conditions hold; in the discrete reading
every atom is finite, in the continuous one the differential entropies must be.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from sympy import Add, Expr, Mul, Pow, Rational, S, log, preorder_traversal

from derive.core.errors import UsageError
from derive.notation.printing import text
from derive.vocabulary.information import (InformationMeasure, JointExpectation, JointKL,
                                           JointValue, RandomVariable, factors, ordered)

#: E_e[log r(x_S)]: (e, r, S) with S a set of variable names.
Atom = tuple[str, str, frozenset[str]]

#: Σ_S c_S H(X_S): joint entropies of one distribution by variable names.
EntropyForm = dict[frozenset[str], Fraction]

_INFORMATION = (InformationMeasure, JointExpectation, JointKL, JointValue, RandomVariable)
#: What may not be divided by or raised to a power: measures and expectations (values may).
_MEASURES = (InformationMeasure, JointExpectation, JointKL)


class NotInformation(UsageError):
    """The expression is not a linear combination of information measures (one line)."""


def is_information(expr: Expr) -> bool:
    """Whether the expression speaks of random variables."""
    return any(isinstance(node, _INFORMATION) for node in preorder_traversal(expr))


@dataclass
class InformationForm:
    """Σ c_a·atom_a + constant, with the conditions the moves needed (LaTeX)."""

    atoms: dict[Atom, Rational] = field(default_factory=lambda: defaultdict(lambda: S.Zero))
    constant: Expr = S.Zero
    conditions: dict[str, None] = field(default_factory=dict)

    def add(self, other: InformationForm, scale: Expr = S.One) -> None:
        for atom, c in other.atoms.items():
            self.atoms[atom] += scale * c
        self.constant += scale * other.constant
        self.conditions.update(other.conditions)

    def nonzero(self) -> dict[Atom, Rational]:
        return {a: c for a, c in self.atoms.items() if c != 0}

    def minus(self, other: InformationForm) -> InformationForm:
        result = InformationForm()
        result.add(self)
        result.add(other, S.NegativeOne)
        return result

    def is_zero(self) -> bool:
        return not self.nonzero() and (self.constant == 0 or
                                       (self.constant.expand(log=True, force=True) == 0))

    def entropies(self) -> EntropyForm | None:
        """Σ c_S H(X_S) when every atom is of one distribution p under itself, every coefficient
        is rational and there is no constant; else None."""
        atoms = self.nonzero()
        if self.constant != 0 or any(e != "p" or r != "p" or not c.is_Rational
                                     for (e, r, _), c in atoms.items()):
            return None
        return {s: -Fraction(int(c.p), int(c.q)) for (_, _, s), c in atoms.items()}


def information_form(expr: Expr, continuous: bool = False) -> InformationForm:
    """The canonical form of `expr`; NotInformation says (in one line) what it cannot read."""
    for node in preorder_traversal(expr):
        if isinstance(node, Pow) and node.exp != 1 and any(
                isinstance(n, _MEASURES) for n in preorder_traversal(node.base)):
            raise NotInformation(f"{text(node)}: a measure divided by or raised to a power — "
                                 "statements about random variables are linear in their "
                                 "measures")
    form = InformationForm()
    for term in Add.make_args(expr.expand()):
        coefficient, rest = _split(term)
        if rest == 1:
            form.constant += coefficient
            continue
        form.add(_term(rest, continuous), coefficient)
    return form


def _split(term: Expr) -> tuple[Expr, Expr]:
    """term = number × rest."""
    numbers = [f for f in Mul.make_args(term) if f.is_number]
    rest = [f for f in Mul.make_args(term) if not f.is_number]
    return Mul(*numbers), Mul(*rest)


def _term(term: Expr, continuous: bool) -> InformationForm:
    if isinstance(term, InformationMeasure):
        return _term(term.definition(), continuous)
    if isinstance(term, JointKL):
        if any(v.given for v in factors(term.first)):
            raise NotInformation(f"{term} depends on the condition's value: take its "
                                 "expectation over it")
        return _kl(term, (), continuous)
    if isinstance(term, JointExpectation):
        return _expectation(term, continuous)
    raise NotInformation(f"{term} is not an information measure, an expectation or a number "
                         "(statements about random variables are linear in their measures)")


def _expectation(node: JointExpectation, continuous: bool) -> InformationForm:
    form = InformationForm()
    over = {v.name for v in node.over}
    for term in Add.make_args(node.body.expand()):
        coefficient, rest = _split(term)
        if rest == 1:
            form.constant += coefficient
        elif isinstance(rest, log):
            form.add(_log(rest.args[0], node.distribution, over, continuous), coefficient)
        elif isinstance(rest, JointKL):
            form.add(_kl(rest, over, continuous, node.distribution), coefficient)
        else:
            raise NotInformation(f"{rest} inside an expectation: its body must be a combination "
                                 "of logarithms of values (and of KL divergences)")
    return form


def _log(argument: Expr, under: str, over: set[str], continuous: bool) -> InformationForm:
    """E_under[log argument] for a product of powers of values and positive numbers."""
    form = InformationForm()
    for factor in Mul.make_args(argument):
        base, exponent = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, 1)
        exponent = S(exponent)
        if not exponent.is_Rational:
            raise NotInformation(f"{factor}: only rational powers of values are read")
        if base.is_number:
            if not base.is_positive:
                raise NotInformation(f"log of {argument}: {base} is not positive")
            form.constant += exponent * log(base)
        elif isinstance(base, JointValue):
            form.add(_value(base, under, over, continuous), exponent)
        else:
            raise NotInformation(f"log of {argument}: {base} is not a value of a joint "
                                 "distribution")
    return form


def _value(value: JointValue, under: str, over: set[str], continuous: bool) -> InformationForm:
    """E_under[log r(x_S | x_T)] = E[log r(x_{S∪T})] − E[log r(x_T)]."""
    names = {v.name for v in value.of + value.given}
    if not names <= over:
        missing = ", ".join(sorted(names - over))
        raise NotInformation(f"{value} inside an expectation that does not average over "
                             f"{missing}")
    form = InformationForm()
    whole = frozenset(names)
    form.atoms[(under, value.distribution, whole)] += 1
    _state(form, under, value.distribution, whole, continuous)
    if value.given:
        given = frozenset(v.name for v in value.given)
        form.atoms[(under, value.distribution, given)] -= 1
        _state(form, under, value.distribution, given, continuous)
    return form


def _state(form: InformationForm, under: str, of: str, names: frozenset[str],
           continuous: bool) -> None:
    """The condition an atom needs: a value of another distribution positive on the support,
    and, for densities, a finite expectation."""
    points = ", ".join(v.point for v in ordered(RandomVariable(n) for n in names))
    if of != under:
        form.conditions[rf"{of}({points}) > 0 \text{{ where }} {under}({points}) > 0"] = None
    if continuous:
        form.conditions[rf"\mathbb{{E}}_{{{under}}} \lvert \log {of}({points}) \rvert "
                        r"< \infty"] = None


def _kl(node: JointKL, over: tuple | set, continuous: bool,
        under: str | None = None) -> InformationForm:
    """D_KL(P ∥ Q) (P = under's value of x_V given x_C), inside an expectation over `over` ⊇ C
    when C is not empty."""
    values = factors(node.first)
    owner = {v.distribution for v in values}
    if len(owner) != 1 or (under is not None and owner != {under}):
        raise NotInformation(f"the first argument of {node} must be values of the "
                             "distribution its expectation is under")
    (name,) = owner
    known: set = set()
    condition = set(values[0].given) if values else set()
    for v in values:  # P must be name's own conditional: each factor given C and those before
        if set(v.given) != condition | known:
            raise NotInformation(f"{node.first} is not {name}'s conditional distribution "
                                 "(each factor must condition on everything before it)")
        known |= set(v.of)
    names = {v.name for v in known | condition}
    over_names = {getattr(v, "name", v) for v in over}
    if {v.name for v in condition} - over_names:
        raise NotInformation(f"{node} depends on the condition's value: take its expectation "
                             "over it")
    if {v.name for v in known} & over_names:
        raise NotInformation(f"{node} inside an expectation over its own variables")
    return _log(node.first / node.second, name, names | over_names, continuous)
