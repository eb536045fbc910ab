r"""Rules for random variables: values of the joint distribution (a conditional is a ratio of
marginals, a joint factors into a marginal and a conditional), marginalising an expectation,
the measures read back from their expectation form, written in joint entropies, and the
hypotheses of a derivation (X ⊥ Y, Markov chains) used where they apply."""

from __future__ import annotations

from sympy import Add, Expr, Integer, Mul, S, log

from derive.notation.printing import latex
from derive.rules.rule import Rule
from derive.vocabulary.context import Context
from derive.vocabulary.information import (ConditionalEntropy, Equality, Independence,
                                           InformationMeasure, JointEntropy, JointExpectation,
                                           JointKL, JointValue, MarkovChain, MutualInformation,
                                           RandomVariable, ordered)


def joint_expectation_linear(node: Expr, context: Context) -> Expr | None:
    """E[c_1 f_1 + c_2 f_2] → c_1 E[f_1] + c_2 E[f_2] for numbers c_k."""
    if not isinstance(node, JointExpectation):
        return None
    pieces = []
    for term in Add.make_args(node.body.expand(mul=True, log=False, power_base=False,
                                               power_exp=False, multinomial=False)):
        numbers = Mul(*(f for f in Mul.make_args(term) if f.is_number))
        rest = Mul(*(f for f in Mul.make_args(term) if not f.is_number))
        pieces.append(numbers * (S.One if rest == 1 else
                                 JointExpectation(rest, node.over, node.distribution)))
    result = Add(*pieces)
    return None if result == node else result


def _variables_of(body: Expr) -> set[RandomVariable]:
    """The random variables whose values the body depends on."""
    found: set[RandomVariable] = set()
    for value in body.atoms(JointValue):
        found |= set(value.of) | set(value.given)
    for kl in body.atoms(JointKL):  # a conditional KL depends on its condition only
        for value in kl.atoms(JointValue):
            found -= set(value.of)
            found |= set(value.given)
    return found


def _marginalise(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, JointExpectation):
        return None
    used = _variables_of(node.body)
    kept = tuple(v for v in node.over if v in used)
    if not kept or len(kept) == len(node.over):
        return None
    return JointExpectation(node.body, kept, node.distribution)


marginalise = Rule(
    "marginalise",
    r"\mathbb{E}_{p(x, y)}\left[f(x)\right] = \mathbb{E}_{p(x)}\left[f(x)\right]",
    _marginalise, r"p(x) = \sum_y p(x, y) \text{ (or } \int p(x, y) \, dy\text{)}",
    "an expectation of a function of x alone needs only x's marginal")


def _conditional_as_ratio(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, JointValue) and node.given):
        return None
    both = ordered(node.of + node.given)
    return JointValue(node.distribution, both) / JointValue(node.distribution, node.given)


conditional_as_ratio = Rule(
    "conditional_as_ratio", r"p(y \mid x) = \frac{p(x, y)}{p(x)}", _conditional_as_ratio,
    "p(x) > 0", "a conditional is the joint over the marginal")


def factor_joint(*first: RandomVariable) -> Rule:
    """p(x_S | x_T) = p(x_A | x_T) p(x_{S−A} | x_A, x_T) for the variables A = `first` ⊊ S —
    `factor_joint(X)`, named as it is called."""
    chosen = set(first)

    def rewrite(node: Expr, context: Context) -> Expr | None:
        if not (isinstance(node, JointValue) and chosen < set(node.of)):
            return None
        rest = tuple(v for v in node.of if v not in chosen)
        ahead = tuple(v for v in node.of if v in chosen)
        return (JointValue(node.distribution, ahead, node.given)
                * JointValue(node.distribution, rest, ordered(ahead + node.given)))
    names = ", ".join(v.name for v in first)
    return Rule(f"factor_joint({names})", r"p(x, y) = p(x) p(y \mid x)", rewrite,
                "p(x) > 0", f"the joint factors through the marginal of {names}")


def _recognise(node: Expr) -> Expr | None:
    """The measure a `c E[log …]` term writes, if it writes one (with S ⊆ the variables
    averaged over: the rest is marginalised)."""
    if not isinstance(node, JointExpectation) or node.distribution != "p":
        return None
    sign, rest = node.body.as_coeff_Mul()
    if not isinstance(rest, log) or sign not in (1, -1):
        return None
    argument = rest.args[0]
    numerator, denominator = argument.as_numer_denom()
    over = set(node.over)
    if isinstance(argument, JointValue) and set(argument.of + argument.given) <= over:
        value = argument
        measure = (ConditionalEntropy(value.of, value.given) if value.given
                   else JointEntropy(value.of))
        return -sign * measure
    if isinstance(numerator, JointValue) and isinstance(denominator, Mul) and \
            len(denominator.args) == 2 and all(isinstance(f, JointValue)
                                               for f in denominator.args):
        a, b = sorted(denominator.args, key=lambda v: [x.name for x in v.of])
        given = numerator.given
        if a.given == given and b.given == given and \
                set(numerator.of) == set(a.of) | set(b.of) and not set(a.of) & set(b.of) and \
                set(numerator.of + given) <= over:
            return sign * MutualInformation(a.of, b.of, given)
    return None


def _fold_measures(node: Expr, context: Context) -> Expr | None:
    return _recognise(node)


def _kl_fold(node: Expr, context: Context) -> Expr | None:
    """E_{p(x_V)}[log P / Q] → D_KL(P ∥ Q) when P = p(x_V); E_{p(x_V, x_C)}[log P / Q] →
    E_{p(x_C)}[D_KL(P ∥ Q)] when P = p(x_V | x_C)."""
    if not isinstance(node, JointExpectation) or not isinstance(node.body, log):
        return None
    numerator, denominator = node.body.args[0].as_numer_denom()
    if not (isinstance(numerator, JointValue) and denominator != 1 and
            set(numerator.of + numerator.given) == set(node.over) and
            numerator.distribution == node.distribution):
        return None
    try:
        kl = JointKL(numerator, denominator)
    except ValueError:
        return None
    if not numerator.given:
        return kl
    return JointExpectation(kl, numerator.given, node.distribution)


def _combine_logs(node: Expr, context: Context) -> Expr | None:
    """c E[log a] − c E[log b] → c E[log (a / b)] (c > 0) for two expectations under the
    same distribution over the same variables (the first such pair)."""
    if not isinstance(node, Add):
        return None
    terms = [t.as_coeff_Mul() for t in node.args]
    for i, (c, first) in enumerate(terms):
        if not (c > 0 and isinstance(first, JointExpectation) and isinstance(first.body, log)):
            continue
        for j, (d, second) in enumerate(terms):
            if j != i and d == -c and isinstance(second, JointExpectation) and \
                    isinstance(second.body, log) and second.over == first.over and \
                    second.distribution == first.distribution:
                ratio = log(first.body.args[0] / second.body.args[0])
                rest = [k * t for n, (k, t) in enumerate(terms) if n not in (i, j)]
                return Add(c * JointExpectation(ratio, first.over, first.distribution), *rest)
    return None


combine_logs = Rule(
    "combine_logs",
    r"\mathbb{E}\left[\log a\right] - \mathbb{E}\left[\log b\right] = "
    r"\mathbb{E}\left[\log \frac{a}{b}\right]", _combine_logs, "a, b > 0",
    "two expectations of logs, under one distribution, as one")


#: The recognisers `fold` uses for the measures of random variables.
FOLDS = {JointEntropy: _fold_measures, ConditionalEntropy: _fold_measures,
         MutualInformation: _fold_measures, JointKL: _kl_fold}


def _chain_rule(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, JointEntropy) and len(node.of) > 1):
        return None
    return JointEntropy(node.of[:1]) + ConditionalEntropy(node.of[1:], node.of[:1])


entropy_chain_rule = Rule(
    "entropy_chain_rule", r"H(X, Y) = H(X) + H(Y \mid X)", _chain_rule, "",
    "chain rule of entropy")


def _as_entropies(node: Expr, context: Context) -> Expr | None:
    if isinstance(node, ConditionalEntropy):
        return JointEntropy(ordered(node.of + node.given)) - JointEntropy(node.given)
    if isinstance(node, MutualInformation):
        a, b, c = node.first, node.second, node.given
        joint = [JointEntropy(ordered(a + c)), JointEntropy(ordered(b + c)),
                 -JointEntropy(ordered(a + b + c))]
        return Add(*joint) - (JointEntropy(c) if c else 0)
    return None


as_entropies = Rule(
    "as_entropies",
    r"H(X \mid Y) = H(X, Y) - H(Y); \; I(X; Y \mid Z) = H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z)",
    _as_entropies, "", "conditional entropy and mutual information in joint entropies")


def _vanishing(context: Context) -> list[Expr]:
    """The measures the hypotheses set to 0."""
    found: list[Expr] = []
    for hypothesis in context.hypotheses:
        if isinstance(hypothesis, (Independence, MarkovChain)):
            found += hypothesis.measures()
        elif isinstance(hypothesis, Equality) and hypothesis.rhs == 0:
            found.append(hypothesis.lhs)
    return found


def _by_hypothesis(node: Expr, context: Context) -> Expr | None:
    """I(A; B | C) → 0 and H(A | B) → H(A) where a hypothesis says the two are independent."""
    for measure in _vanishing(context):
        if not isinstance(measure, MutualInformation):
            continue
        pairs = {(frozenset(measure.first), frozenset(measure.second)),
                 (frozenset(measure.second), frozenset(measure.first))}
        if isinstance(node, MutualInformation) and set(node.given) == set(measure.given) \
                and (frozenset(node.first), frozenset(node.second)) in pairs:
            return Integer(0)
        if isinstance(node, ConditionalEntropy) and not measure.given and \
                (frozenset(node.of), frozenset(node.given)) in pairs:
            return JointEntropy(node.of)
    return None


by_hypothesis = Rule(
    "by_hypothesis",
    r"X \perp Y: \; I(X; Y) = 0, \; H(Y \mid X) = H(Y)", _by_hypothesis,
    r"\text{the derivation's hypotheses}", "a hypothesis of the derivation, where it applies")


def generic_measures() -> dict[type, Expr]:
    """A representative of each measure, for stating its definition."""
    x, y, z = (RandomVariable(n) for n in "XYZ")
    p = lambda *of, given=(): JointValue("p", of, given)  # noqa: E731 - a local shorthand
    return {JointEntropy: JointEntropy((x, y)), ConditionalEntropy: ConditionalEntropy((y,), (x,)),
            MutualInformation: MutualInformation((x,), (y,), (z,)),
            JointKL: JointKL(p(x, y), JointValue("q", (x, y)))}


def is_measure(cls: type) -> bool:
    return issubclass(cls, (InformationMeasure, JointKL))


def definition_latex(cls: type) -> tuple[str, str]:
    generic = generic_measures()[cls]
    return latex(generic), latex(generic.definition())
