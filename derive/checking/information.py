r"""Checking statements and steps about random variables, in the discrete reading (tables on
finite product supports) and the continuous one (joint densities), each on its own.

Symbolically, both sides are put in the canonical form of derive/algebra/information.py.  An
equality whose sides have the same form is proved (under the form's conditions).  Otherwise —
and for every inequality — the difference must be a combination of joint entropies, and the
Shannon-type prover (derive/checking/symbolic/shannon.py) looks for an exact certificate: a
nonnegative rational combination of elemental inequalities plus multiples of the hypotheses that
equals it.  For densities only the elemental inequalities I(X_i; X_j | X_K) ≥ 0 hold (H(X | Y)
can be negative), so only they are used, and an unbalanced inequality is false (scaling one
variable shifts it without bound).

Numerically, both sides are evaluated from their meaning (derive/checking/numeric/information.py)
at seeded random tables or Gaussian vectors; a counterexample is only ever a world where the
relation's failure is certified: exact values of joint entropies (discrete, one distribution) or
Arb balls computed from exact inputs.
"""

from __future__ import annotations

import itertools

from flint import ctx
from sympy import Expr

from derive.algebra.information import NotInformation, information_form
from derive.checking.numeric import joints
from derive.checking.numeric.certify import enclosure
from derive.checking.numeric.information import (Gaussian, Structure, Table, Unevaluable, World,
                                                 draws, from_joint, from_vector,
                                                 evaluate, form_is_zero, hypotheses_hold,
                                                 variables_and_distributions)
from derive.checking.symbolic.information import difference, flip, hypothesis_forms, prove
from derive.results.model import Counterexample, NumericResult, Reading, StepCheck, StepReport
from derive.results.outcome import Outcome
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.information import (ConditionalEntropy, Hypothesis, Independence,
                                           MarkovChain, MutualInformation)

#: Seeded draws a step or statement is spot-checked on.
DRAWS = 100
#: Draws tried, under hypotheses, to find DRAWS where they hold.
ATTEMPTS = 1_000
#: Working precision of the balls that certify a counterexample, in bits.
PRECISION_BITS = 128


def spot_check(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int
               ) -> NumericResult:
    """Evaluate both sides at seeded random worlds; a certified failure is a counterexample."""
    continuous = context.setting is Setting.CONTINUOUS
    measures = [m for hypothesis in context.hypotheses for m in hypothesis.measures()]
    variables, distributions = variables_and_distributions(lhs, rhs, *measures)
    if not variables:
        return NumericResult(0, None, notes=("no random variable to draw",))
    worst, agreed, skipped = 0.0, 0, 0
    kind = "Gaussian vectors" if continuous else "joint distributions"
    structure = _structure(variables, context.hypotheses) if context.hypotheses else None
    forms = hypothesis_forms(context.hypotheses, continuous)
    worlds = draws(variables, distributions, continuous, seed, structure)
    for world in itertools.islice(worlds, ATTEMPTS if structure else DRAWS):
        if agreed + skipped >= DRAWS:
            break
        if forms and not hypotheses_hold(forms, world["p"]):
            continue  # not a draw of the statement: its hypotheses fail here
        try:
            left, right = evaluate(lhs, world), evaluate(rhs, world)
        except (Unevaluable, ValueError, ZeroDivisionError, OverflowError):
            skipped += 1
            continue
        value = right - left if relation in ("<=", "<") else left - right
        tolerance = 1e-9 * (1 + abs(left) + abs(right))
        holds = {"=": abs(value) <= tolerance, ">=": value >= -tolerance,
                 ">": value > tolerance}[flip(relation)]
        if relation == "=":
            worst = max(worst, abs(value))
        if holds:
            agreed += 1
            continue
        example = certify(lhs, relation, rhs, world, seed)
        if example is not None:
            return NumericResult(agreed, worst, example, skipped, kind)
        skipped += 1
    return NumericResult(agreed, worst if relation == "=" else None, None, skipped, kind)


def _structure(variables: tuple[str, ...], hypotheses: tuple[Hypothesis, ...]) -> Structure:
    """A chain of conditionals in which the hypotheses can hold: a Markov chain's links follow
    it; an independence's (or a vanishing I's) two groups depend only on its condition; a
    vanishing H(S | T) makes S a function of T; every other variable depends on all the ones
    before it."""
    parents: dict[str, tuple[str, ...]] = {}
    functions: set[str] = set()

    def independent(first, second, given) -> None:
        for v in given:
            parents.setdefault(v.name, ())
        for v in first + second:
            parents.setdefault(v.name, tuple(u.name for u in given))

    for hypothesis in hypotheses:
        if isinstance(hypothesis, MarkovChain):
            for k, v in enumerate(hypothesis.chain):
                parents.setdefault(v.name, (hypothesis.chain[k - 1].name,) if k else ())
        elif isinstance(hypothesis, Independence):
            independent(hypothesis.first, hypothesis.second, hypothesis.given)
        elif hypothesis.rhs == 0 and isinstance(hypothesis.lhs, MutualInformation):
            independent(hypothesis.lhs.first, hypothesis.lhs.second, hypothesis.lhs.given)
        elif hypothesis.rhs == 0 and isinstance(hypothesis.lhs, ConditionalEntropy):
            for v in hypothesis.lhs.given:
                parents.setdefault(v.name, ())
            for v in hypothesis.lhs.of:
                parents.setdefault(v.name, tuple(u.name for u in hypothesis.lhs.given))
                functions.add(v.name)
    for v in variables:
        parents.setdefault(v, tuple(parents))
    return Structure(parents, frozenset(functions))


def certify(lhs: Expr, relation: str, rhs: Expr, world: World, seed: int | None
            ) -> Counterexample | None:
    """A counterexample when Arb balls at the exact world certify that the relation fails —
    or, for a strict inequality, when its two sides are exactly equal there."""
    try:
        with ctx.workprec(PRECISION_BITS):
            left = evaluate(lhs, world, ball=True)
            right = evaluate(rhs, world, ball=True)
    except (Unevaluable, ValueError, ZeroDivisionError):
        return None
    gap = right - left if relation in ("<=", "<") else left - right
    fails = {"=": not gap.contains(0), ">=": gap < 0, ">": gap < 0}[flip(relation)]
    if fails:
        return counterexample(world, {"lhs": left, "rhs": right}, seed)
    if relation in ("<", ">") and gap.contains(0) and _exactly_equal(lhs, rhs, world):
        return counterexample(world, {"lhs": left, "rhs": right}, seed,
                              "the two sides are exactly equal here (exact values of the "
                              "joint entropies)")
    return None


def _exactly_equal(lhs: Expr, rhs: Expr, world: World) -> bool:
    """Whether lhs − rhs, a combination of joint entropies of p, is exactly 0 in the world."""
    continuous = isinstance(world["p"], Gaussian)
    try:
        form = information_form(lhs - rhs, continuous).entropies()
    except NotInformation:
        return False
    return form is not None and set(world) == {"p"} and form_is_zero(form, world["p"])


def counterexample(world: World, sides: dict, seed: int | None,
                   certified: str = "the enclosures are apart") -> Counterexample:
    """The model's counterexample for a world of tables or Gaussians."""
    values: dict[str, str] = {}
    data: dict = {}
    for name, item in world.items():
        if isinstance(item, Table):
            values[name] = "; ".join(item.rows()).replace("p(", f"{name}(")
            data[name] = {"variables": list(item.variables),
                          "table": [[list(o), str(p)] for o, p in
                                    sorted(item.probabilities.items())]}
        else:
            values[name] = (f"Gaussian, mean 0, covariance of ({', '.join(item.variables)}) = "
                            + str([[str(x) for x in row] for row in item.covariance]))
            data[name] = {"variables": list(item.variables),
                          "covariance": [[str(x) for x in row] for row in item.covariance]}
    setting = "continuous" if any(isinstance(i, Gaussian) for i in world.values()) \
        else "discrete"
    return Counterexample(setting, values, data,
                          {name: enclosure(ball) for name, ball in sides.items()}, seed,
                          certified=certified)


def check_step(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int) -> StepCheck:
    """A step (or a whole statement) about random variables: symbolic and numeric, apart."""
    return StepCheck(prove(lhs, relation, rhs, context),
                     spot_check(lhs, relation, rhs, context, seed))


def information_reading(lhs: Expr, relation: str, rhs: Expr, context: Context,
                        seed: int) -> Reading:
    """The verdict of a statement about random variables in one reading: refuted by a
    certified counterexample (seeded draws, then the structured search of
    derive/checking/numeric/joints.py), proved by its canonical form or a certificate and
    agreeing draws, else undecided with the reason."""
    setting = context.setting
    check = check_step(lhs, relation, rhs, context, seed)
    example = check.numeric.counterexample or _search(lhs, relation, rhs, context, seed)
    if example is not None:
        return Reading(setting, Outcome.REFUTED, "a certified counterexample", (), example)
    step = StepReport(1, lhs, rhs, "Shannon-type certificate"
                      if check.symbolic.detail.startswith("an exact") else "canonical form",
                      check, relation=relation)
    if step.verdict is Outcome.PROVED:
        return Reading(setting, Outcome.PROVED, check.symbolic.detail, (step,),
                       conditions=check.symbolic.conditions)
    reason = check.reason()
    if not check.symbolic.proved and "not Shannon-type" in check.symbolic.detail:
        reason += "; no counterexample was found either"
    return Reading(setting, Outcome.UNDECIDED, reason, (step,))


def _search(lhs: Expr, relation: str, rhs: Expr, context: Context, seed: int
            ) -> Counterexample | None:
    """The structured search for a joint table (or Gaussian vector) where a statement in joint
    entropies of p fails under its hypotheses — certified again here on the statement itself."""
    continuous = context.setting is Setting.CONTINUOUS
    try:
        form = information_form(difference(lhs, relation, rhs), continuous).entropies()
        hypotheses = hypothesis_forms(context.hypotheses, continuous)
    except NotInformation:
        return None
    if not form:
        return None
    wanted = {"=": "==", "<=": ">=", ">=": ">=", "<": ">", ">": ">"}[relation]
    if continuous:
        vector = joints.find_gaussian_counterexample(form, wanted, hypotheses, seed=seed)
        world: World | None = None if vector is None else {"p": from_vector(vector)}
    else:
        table = joints.find_counterexample(form, wanted, hypotheses, seed=seed)
        world = None if table is None else {"p": from_joint(table)}
    return None if world is None else certify(lhs, relation, rhs, world, seed)
