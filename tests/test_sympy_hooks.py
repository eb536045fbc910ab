"""Quantities and expectations unfold with SymPy's own hooks (`rewrite`, `doit`), giving exactly
what the engine's rules give: `rewrite(Expectation)` and `doit()` are `unfold`, all the way down;
`rewrite(Sum)` / `rewrite(Integral)` are then `expectation_as_sum` / `expectation_as_integral`."""

import pytest
from sympy import Integral, Rational, Sum, log

import derive
from derive import (CrossEntropy, Entropy, Expectation, KLDivergence, data, distributions,
                    expectation, mixture)
from derive.notation.printing import latex
from derive.rules import NotApplicable, expectation_as_integral, expectation_as_sum, unfold
from derive.vocabulary.context import Context, Setting
from derive.vocabulary.operators import SupportIntegral, SupportSum
from derive.vocabulary.quantities import QUANTITIES, Notation, Quantity, define_quantity

p, q = distributions("p q")
DISCRETE, CONTINUOUS = Context(Setting.DISCRETE), Context(Setting.CONTINUOUS)
half = Rational(1, 2)


@pytest.fixture(scope="module")
def jensen_shannon():
    """JSD(p ∥ q) = ½ D_KL(p ∥ m) + ½ D_KL(q ∥ m), m = ½ (p + q), as proofs/06 defines it."""
    name = "sympy-hooks Jensen-Shannon divergence"

    def midpoint(a, b):
        return mixture("m", (half, a), (half, b))

    def definition(a, b):
        return half * KLDivergence(a, midpoint(a, b)) + half * KLDivergence(b, midpoint(a, b))

    cls = define_quantity(name, "HooksJensenShannon", ("p", "q"),
                          Notation(r"\mathrm{JSD}", separator=r" \parallel ", text="JSD"),
                          definition)
    yield cls
    del QUANTITIES[name]


def unfolded(expr, *quantities: type[Quantity]):
    """`expr` with `unfold` applied for each class of quantities in turn, as a proof would."""
    for quantity in quantities:
        expr = unfold(quantity).apply(expr, DISCRETE)
    return expr


@pytest.fixture(params=["entropy", "cross entropy", "KL divergence", "Jensen-Shannon"])
def case(request, jensen_shannon):
    """A quantity, and the classes `unfold` must replace (outermost first) to reach expectations."""
    return {
        "entropy": (Entropy(p), (Entropy,)),
        "cross entropy": (CrossEntropy(p, q), (CrossEntropy,)),
        "KL divergence": (KLDivergence(p, q), (KLDivergence,)),
        "Jensen-Shannon": (jensen_shannon(p, q), (jensen_shannon, KLDivergence)),
    }[request.param]


# --- rewrite: the rules' results ------------------------------------------------------------------

def test_rewrite_as_expectation_unfolds_down_to_expectations(case):
    quantity, classes = case
    rewritten = quantity.rewrite(Expectation)
    assert rewritten == unfolded(quantity, *classes)
    assert not rewritten.has(Quantity) and rewritten.has(Expectation)


def test_rewrite_as_sum_is_expectation_as_sum(case):
    quantity, classes = case
    assert quantity.rewrite(Sum) == expectation_as_sum.apply(unfolded(quantity, *classes), DISCRETE)


def test_rewrite_as_integral_is_expectation_as_integral(case):
    quantity, classes = case
    assert quantity.rewrite(Integral) == expectation_as_integral.apply(
        unfolded(quantity, *classes), CONTINUOUS)


def test_the_builtin_quantities_rewrite_as_their_definitions():
    for quantity in (Entropy(p), CrossEntropy(p, q), KLDivergence(p, q)):
        assert quantity.rewrite(Expectation) == quantity.definition()


def test_the_forms_are_the_packages_operators_and_print_as_before():
    assert isinstance(Entropy(p).rewrite(Sum), SupportSum)
    assert isinstance(Entropy(p).rewrite(Integral), SupportIntegral)
    assert latex(Entropy(p)) == "H(p)"
    assert latex(Entropy(p).rewrite(Expectation)) == \
        r"\mathbb{E}_{x \sim p}\left[- \log p(x)\right]"
    assert latex(Entropy(p).rewrite(Sum)) == \
        r"\sum_{x \in \mathcal{X}} \left(- p(x) \log p(x)\right)"
    assert latex(KLDivergence(p, q).rewrite(Integral)) == \
        r"\int_{\mathcal{X}} p(x) \log \frac{p(x)}{q(x)} \, dx"


def test_an_expression_of_several_quantities_rewrites_each():
    expr = Entropy(p) + KLDivergence(p, q)
    expected = unfold(Entropy, KLDivergence).apply(expr, DISCRETE)
    assert expr.rewrite(Expectation) == expected
    assert expr.rewrite(Sum) == expectation_as_sum.apply(expected, DISCRETE)
    assert expr.rewrite(Integral) == expectation_as_integral.apply(expected, CONTINUOUS)


def test_rewrite_keeps_sympys_pattern_and_deep_arguments():
    expr = 2 * Entropy(p) + KLDivergence(p, q)
    assert expr.rewrite(Entropy, Sum) == 2 * Entropy(p).rewrite(Sum) + KLDivergence(p, q)
    assert expr.rewrite(Sum, deep=False) == expr      # the Add itself has no sum form
    assert expr.rewrite(log) == expr                  # a target the quantities do not know


def test_rewrite_on_the_expectation_operator():
    e = expectation(p, lambda x: log(q(x)) ** 2)
    assert e.rewrite(Sum) == expectation_as_sum.apply(e, DISCRETE)
    assert e.rewrite(Integral) == expectation_as_integral.apply(e, CONTINUOUS)
    assert e.rewrite(Expectation) == e


def test_an_expectation_over_labels_is_a_sum_and_has_no_integral_form():
    x_i = data("x")
    quantity = CrossEntropy(p.given(x_i), q.given(x_i))
    e = quantity.rewrite(Expectation)
    assert e.rewrite(Sum) == expectation_as_sum.apply(e, CONTINUOUS)
    assert quantity.rewrite(Integral) == e
    with pytest.raises(NotApplicable):
        expectation_as_integral.apply(e, CONTINUOUS)


def test_nested_expectations_rewrite_innermost_first():
    inner = expectation(q, lambda x: log(q(x)))
    outer = Expectation(p(p.variable) * inner, p.variable, p)
    assert outer.rewrite(Sum) == expectation_as_sum.apply(outer, DISCRETE)


# --- doit -----------------------------------------------------------------------------------------

def test_doit_unfolds_down_to_expectations(case):
    quantity, classes = case
    assert quantity.doit() == unfolded(quantity, *classes) == quantity.rewrite(Expectation)


def test_doit_not_deep_unfolds_one_level(jensen_shannon):
    jsd = jensen_shannon(p, q)
    assert jsd.doit(deep=False) == unfolded(jsd, jensen_shannon)
    assert jsd.doit(deep=False).has(KLDivergence)
    assert (2 * jsd).doit(deep=False) == 2 * jsd     # as SymPy: only the Mul itself is done
    assert (2 * jsd).doit() == 2 * jsd.rewrite(Expectation)


def test_quantities_stay_unevaluated():
    assert isinstance(Entropy(p), Entropy) and Entropy(p).args == (p,)
    assert isinstance(Entropy(p) + KLDivergence(p, q) - Entropy(p), KLDivergence)


# --- the engine still proves with the quantities --------------------------------------------------

def test_the_engine_still_proves_cross_entropy_as_entropy_plus_kl():
    assert derive.check(r"H(p, q) = H(p) + D_{KL}(p \| q)").outcome.value == "proved"
