r"""The symbolic verdict on a relation between expressions about random variables: the same
canonical form (derive/algebra/information.py), or an exact certificate from the Shannon-type
prover (derive/checking/symbolic/shannon.py) — in the continuous reading from the densities'
elemental inequalities only, and never for an unbalanced difference."""

from __future__ import annotations

from fractions import Fraction

from sympy import Expr

from derive.algebra.information import EntropyForm, NotInformation, information_form
from derive.checking.symbolic import shannon
from derive.notation.printing import text
from derive.results.model import SymbolicResult
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.information import Hypothesis

#: Seconds the linear program may take.
LP_SECONDS = 10.0


def flip(relation: str) -> str:
    """The relation the difference of the sides has with 0."""
    return {"<=": ">=", "<": ">", ">=": ">=", ">": ">", "=": "="}[relation]


def difference(lhs: Expr, relation: str, rhs: Expr) -> Expr:
    """The expression the relation states to be ≥ 0, > 0 or = 0."""
    return rhs - lhs if relation in ("<=", "<") else lhs - rhs


def hypothesis_forms(hypotheses: tuple[Hypothesis, ...], continuous: bool
                     ) -> list[EntropyForm]:
    """Each hypothesis as combinations of joint entropies, each = 0."""
    forms: list[EntropyForm] = []
    for hypothesis in hypotheses:
        for measure in hypothesis.measures():
            found = information_form(measure, continuous).entropies()
            if found is None:
                raise NotInformation(f"the hypothesis {hypothesis} is not a combination of "
                                     "entropies of the joint distribution p")
            forms.append(found)
    return forms


def prove(lhs: Expr, relation: str, rhs: Expr, context: Context) -> SymbolicResult:
    """The symbolic verdict: same canonical form, or an exact Shannon-type certificate."""
    continuous = context.setting is Setting.CONTINUOUS
    try:
        form = information_form(difference(lhs, relation, rhs), continuous)
        hypotheses = hypothesis_forms(context.hypotheses, continuous)
    except NotInformation as error:
        return SymbolicResult(False, f"not proved: {error}")
    conditions = tuple(form.conditions)
    if relation == "=" and form.is_zero():
        return SymbolicResult(True, "both sides have the same canonical form", conditions)
    if relation in ("<", ">"):
        return SymbolicResult(False, "not proved: a strict inequality between information "
                                     "measures is not proved by a certificate (it fails "
                                     "wherever they meet)")
    entropies = form.entropies()
    if entropies is None:
        return SymbolicResult(False, "not proved: the difference of the sides is not a "
                                     "combination of joint entropies of p")
    if continuous and shannon.unbalanced(entropies):
        names = ", ".join(shannon.unbalanced(entropies))
        return SymbolicResult(False, f"not proved: unbalanced in {names} — false for densities, "
                                     "since scaling a variable moves the difference without bound")
    try:
        found = (shannon.prove_equal_zero(entropies, hypotheses, densities=continuous,
                                          seconds=LP_SECONDS) if relation == "="
                 else shannon.prove_nonnegative(entropies, hypotheses, densities=continuous,
                                                seconds=LP_SECONDS))
    except ValueError as error:
        return SymbolicResult(False, f"not proved: {error}")
    if found is None:
        kind = "densities' " if continuous else ""
        return SymbolicResult(False, "not proved: no nonnegative combination of the "
                                     f"{kind}elemental inequalities"
                                     f"{' and the hypotheses' if hypotheses else ''} gives it "
                                     "(it is not Shannon-type, or it is false)")
    certificates = found if isinstance(found, tuple) else (found,)
    detail = "; ".join(certificate_text(c, context.hypotheses) for c in certificates)
    if len(certificates) == 2:
        detail = ("≥ from " + certificate_text(certificates[0], context.hypotheses) +
                  "; ≤ from " + certificate_text(certificates[1], context.hypotheses))
    return SymbolicResult(True, f"an exact certificate: {detail}", conditions)


def certificate_text(certificate: shannon.Certificate,
                     hypotheses: tuple[Hypothesis, ...]) -> str:
    """`difference = 1·I(X; Y | Z) + 2·H(X | Y) + (−1)·[X → Y → Z] ≥ 0`, in one line."""
    terms = [f"{_weight(w)}[{e.text.removesuffix(' ≥ 0')}]" for e, w in certificate.elementals]
    measures = [m for h in hypotheses for m in h.measures()]
    terms += [f"{_weight(w)}[{text(measures[k])} = 0]" for k, w in certificate.hypotheses]
    return " + ".join(terms) if terms else "the difference is 0"


def _weight(w: Fraction) -> str:
    return "" if w == 1 else f"({w})·"
