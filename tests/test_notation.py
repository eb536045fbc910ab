"""The notation reader: every accepted form of the notation, the post's equations, round trips
through the printer, user-defined quantities, and bad input (one line with a column, a pointer)."""

import re
from pathlib import Path

import pytest
from sympy import E, Function, Rational, Symbol, log, pi

from derive import (DATA_INDEX, DATA_SIZE, LABEL_VARIABLE, SUPPORT_VARIABLE, THETA, ArgMax, ArgMin,
                    CrossEntropy, DataProduct, DataSum, Datum, Entropy, Expectation, Indicator,
                    KLDivergence, Notation, Prob, SupportIntegral, SupportSum, data,
                    define_quantity, distributions, latex, mixture, model)
from derive.core.errors import NotationError
from derive.notation.reading import (NotationSyntaxError, Statement, limits, parse_chain,
                                     parse_expression, parse_statement)
from derive.notation.reading.limits import MAX_DEPTH, MAX_LENGTH
from derive.vocabulary.logarithms import NaturalLog
from derive.vocabulary.quantities import QUANTITIES
from tests.conftest import evaluated

p, q = distributions("p q")
q_theta = model("q")
x, y, i, n = SUPPORT_VARIABLE, LABEL_VARIABLE, DATA_INDEX, DATA_SIZE
x_i, y_i = data("x"), data("y")
j = Symbol("j", integer=True, positive=True)
f = Function("f")
half = Rational(1, 2)
cross_entropy_of_model = CrossEntropy(p, q_theta)
midpoint = mixture("", (half, p), (half, q))
p_given, q_given = p.given(x_i), q_theta.given(x_i)

#: Every accepted form of the notation (README, "The notation"), with its meaning.
ACCEPTED = [
    # Shannon entropy and cross entropy
    ("H(p)", Entropy(p)),
    (r"\mathrm{H}(p)", Entropy(p)),
    (r"\operatorname{H}(p)", Entropy(p)),
    ("H(p, q)", CrossEntropy(p, q)),
    ("H(p,q)", CrossEntropy(p, q)),
    (r"\mathrm{H}(p, q)", CrossEntropy(p, q)),
    # KL divergence
    (r"D_{KL}(p \| q)", KLDivergence(p, q)),
    (r"D_{\mathrm{KL}}(p \parallel q)", KLDivergence(p, q)),
    ("D_{KL}(p || q)", KLDivergence(p, q)),
    (r"\mathrm{KL}(p \| q)", KLDivergence(p, q)),
    (r"KL(p \| q)", KLDivergence(p, q)),
    # expectation
    (r"\mathbb{E}_{x \sim p}[f(x)]", Expectation(f(x), x, p)),
    (r"\mathbb{E}_{p}[f(x)]", Expectation(f(x), x, p)),
    (r"\mathbb{E}_{x \sim p}\left[ \log p(x) - \log q(x) \right]",
     Expectation(log(p(x)) - log(q(x)), x, p)),
    (r"\mathbb{E}_{y \sim p(\cdot \mid x_i)}[\log q_\theta(y \mid x_i)]",
     Expectation(log(q_given(y)), y, p_given)),
    # a distribution's value
    ("p(x)", p(x)),
    ("q(x)", q(x)),
    ("p_i", Prob(p, i)),
    ("p_{i}", Prob(p, i)),
    (r"q_\theta(x)", q_theta(x)),
    (r"q_{\theta}(x_i)", q_theta(Datum("x", i))),
    # a conditional model
    (r"q_\theta(y \mid x)", q_theta.given(x)(y)),
    (r"q_\theta(y|x)", q_theta.given(x)(y)),
    (r"p(y \mid x_i)", p_given(y)),
    (r"q_\theta(y_i \mid x_i)", q_given(y_i)),
    (r"q(x_i \mid \theta)", q_theta(x_i)),
    # sums over the support, the categories and the data
    (r"\sum_{x} f(x)", SupportSum(f(x), x, "X")),
    (r"\sum_{x \in \mathcal{X}} f(x)", SupportSum(f(x), x, "X")),
    (r"\sum_{y \in \mathcal{Y}} p(y \mid x_i) \log q_\theta(y \mid x_i)",
     SupportSum(p_given(y) * log(q_given(y)), y, "Y")),
    (r"\sum_{i=1}^{n} f_i", DataSum(Datum("f", i), i, n)),
    (r"\sum_{i} f_i", DataSum(Datum("f", i), i, n)),
    (r"\sum_{j=1}^{n} \log q_\theta(x_j)", DataSum(log(q_theta(Datum("x", j))), j, n)),
    (r"\sum_{i=1}^{n} p_i \log q_i", SupportSum(Prob(p, i) * log(Prob(q, i)), i, "X")),
    # integrals over the support
    (r"\int p(x) \log q(x) \, dx", SupportIntegral(p(x) * log(q(x)), x, "X")),
    (r"\int_{-\infty}^{\infty} p(x) \log q(x) \, dx", SupportIntegral(p(x) * log(q(x)), x, "X")),
    (r"\int_{\mathcal{X}} p(x) \log q(x) dx", SupportIntegral(p(x) * log(q(x)), x, "X")),
    (r"\int p(x) \, \mathrm{d}x", SupportIntegral(p(x), x, "X")),
    # products over data
    (r"\prod_{i=1}^{n} q_\theta(x_i)", DataProduct(q_theta(x_i), i, n)),
    # logarithms
    (r"\log p(x)", log(p(x))),
    (r"\ln p(x)", NaturalLog(p(x))),
    (r"\log_2 p(x)", log(p(x), 2)),
    (r"\log_{2} p(x)", log(p(x), 2)),
    (r"\log_b p(x)", log(p(x), Symbol("b"))),
    (r"\log(p(x))^2", log(p(x)) ** 2),
    # optimisation
    (r"\arg\min_{\theta} H(p, q_\theta)", ArgMin(cross_entropy_of_model, THETA)),
    (r"\arg\max_\theta \log q_\theta(x)", ArgMax(log(q_theta(x)), THETA)),
    (r"\operatorname*{arg\,min}_{\theta} H(p, q_\theta)", ArgMin(cross_entropy_of_model, THETA)),
    (r"\operatorname{argmax}_\theta H(p, q_\theta)", ArgMax(cross_entropy_of_model, THETA)),
    (r"\mathop{\mathrm{argmin}}_\theta H(p, q_\theta)", ArgMin(cross_entropy_of_model, THETA)),
    (r"\arg\min_\theta H(p, q_\theta) + 1", ArgMin(cross_entropy_of_model + 1, THETA)),
    # one-hot labels
    (r"\mathbb{1}[y = y_i]", Indicator(y, y_i)),
    (r"\delta_{y y_i}", Indicator(y, y_i)),
    (r"\delta_{y, y_i}", Indicator(y, y_i)),
    (r"\mathbb{1}\{y = y_i\}", Indicator(y, y_i)),
    # constants and plain symbols
    ("3", 3),
    ("0.5", half),
    (r"\frac{a}{b}", Symbol("a") / Symbol("b")),
    (r"\frac{1}{2}", half),
    (r"\tfrac{1}{2} + \dfrac{1}{4}", Rational(3, 4)),
    (r"\ln 2", NaturalLog(2)),
    ("e", E),
    (r"\pi", pi),
    (r"c \lambda H(p)", Symbol("c") * Symbol("lambda") * Entropy(p)),
    # quantities of conditionals (indexed) and of mixtures
    (r"H_i(p, q_\theta)", CrossEntropy(p_given, q_given)),
    (r"H_i(p)", Entropy(p_given)),
    (r"D_{KL, i}(p \| q_\theta)", KLDivergence(p_given, q_given)),
    (r"D_{\mathrm{KL}, i}(p \parallel q_\theta)", KLDivergence(p_given, q_given)),
    (r"H(p(\cdot \mid x_i), q_\theta(\cdot \mid x_i))", CrossEntropy(p_given, q_given)),
    (r"H(\frac{p + q}{2})", Entropy(midpoint)),
    (r"H(\frac{1}{2}(p + q))", Entropy(midpoint)),
    (r"H(\frac{1}{2} p + \frac{1}{2} q)", Entropy(midpoint)),
    (r"D_{KL}(p \| 0.25 p + 0.75 q)",
     KLDivergence(p, mixture("", (Rational(1, 4), p), (Rational(3, 4), q)))),
    # spacing, sizes and products
    (r"\big( H(p) \big) \cdot 2 \, \quad", 2 * Entropy(p)),
    (r"\left( H(p) \right) \times \! H(q)", Entropy(p) * Entropy(q)),
    # how far an operator's body reaches
    (r"\sum_x p(x) \log q(x) + 1", SupportSum(p(x) * log(q(x)), x, "X") + 1),
    (r"-\sum_{x} p(x) \log q(x)", -SupportSum(p(x) * log(q(x)), x, "X")),
    (r"\int p(x) + q(x) \, dx - 1", SupportIntegral(p(x) + q(x), x, "X") - 1),
    (r"\frac{1}{n} \sum_{i=1}^{n} \sum_{y} \log q_\theta(y \mid x_i) + H(p)",
     DataSum(SupportSum(log(q_given(y)), y, "Y"), i, n) / n + Entropy(p)),
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_every_accepted_form_reads_as_its_meaning(text, expected):
    read = evaluated(parse_expression(text))
    assert read == expected, f"{text} was read as {latex(read)}, not {latex(expected)}"


@pytest.mark.parametrize("text, relation", [
    ("H(p, q) = H(p) + D_{KL}(p \\| q)", "="), (r"H(p, q) \ge H(p)", ">="),
    (r"H(p, q) \geq H(p)", ">="), (r"H(p) \le H(p, q)", "<="), (r"H(p) \leq H(p, q)", "<="),
    ("H(p) < H(p, q)", "<"), ("H(p, q) > H(p)", ">"),
])
def test_relations(text, relation):
    statement = parse_statement(text)
    assert statement.relation == relation
    assert statement.text == text
    assert {evaluated(statement.lhs), evaluated(statement.rhs)} <= {
        Entropy(p), CrossEntropy(p, q), Entropy(p) + KLDivergence(p, q)}


def test_an_arg_min_statement_has_an_optimum_on_each_side():
    statement = parse_statement(r"\operatorname*{arg\,min}_\theta \sum_i H_i(p, q_\theta) = "
                                r"\operatorname*{arg\,min}_\theta \sum_i D_{\mathrm{KL}, i}"
                                r"(p \parallel q_\theta)")
    assert statement == Statement(ArgMin(DataSum(CrossEntropy(p_given, q_given), i, n), THETA),
                                  "=", ArgMin(DataSum(KLDivergence(p_given, q_given), i, n), THETA),
                                  statement.text)


def test_a_chain_is_read_as_consecutive_statements():
    first, second = parse_chain(r"D_{\mathrm{KL}}(p \parallel q) = \mathbb{E}_{x \sim p}"
                                r"[\log p(x) - \log q(x)] = -H(p) + H(p, q)")
    assert first.lhs == KLDivergence(p, q)
    assert first.rhs == second.lhs
    assert evaluated(first.rhs) == Expectation(log(p(x)) - log(q(x)), x, p)
    assert evaluated(second.rhs) == CrossEntropy(p, q) - Entropy(p)


# --- the post's equations ---------------------------------------------------------------------

#: Every formula with a relation in the source post's equations, in its order.
POST_EQUATIONS = [
    r"H(p) = \mathbb{E}_{x \sim p}[-\log p(x)]",
    r"H(p) = -\int_{\mathcal{X}} p(x) \log p(x) \, dx",
    r"H(p) = -\sum_{x \in \mathcal{X}} p(x) \log p(x)",
    r"H(p, q) = \mathbb{E}_{x \sim p}[-\log q(x)]",
    r"H(p, q) = -\int_{\mathcal{X}} p(x) \log q(x) \, dx",
    r"H(p, q) = -\sum_{x \in \mathcal{X}} p(x) \log q(x)",
    r"D_{\mathrm{KL}}(p \parallel q) = \mathbb{E}_{x \sim p}\left[\log \frac{p(x)}{q(x)}\right]",
    r"D_{\mathrm{KL}}(p \parallel q) = \int_{\mathcal{X}} p(x) \log \frac{p(x)}{q(x)} \, dx",
    r"D_{\mathrm{KL}}(p \parallel q) = \sum_{x \in \mathcal{X}} p(x) \log \frac{p(x)}{q(x)}",
    r"q_\theta(x_i) = q(x_i \mid \theta)",
    r"\theta^* = \operatorname*{arg\,max}_\theta \prod_{i=1}^{n} q_\theta(x_i)",
    r"\operatorname*{arg\,max}_\theta \sum_{i=1}^{n} \log q_\theta(x_i)",
    r"\operatorname*{arg\,min}_\theta -\frac{1}{n} \sum_{i=1}^{n} \log q_\theta(x_i)",
    r"\theta^* = \operatorname*{arg\,max}_\theta \prod_{i=1}^{n} q_\theta(y_i \mid x_i)",
    r"\operatorname*{arg\,max}_\theta \sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)",
    r"\operatorname*{arg\,min}_\theta -\frac{1}{n} \sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)",
    r"p(y \mid x_i) = 1",
    r"y = y_i",
    r"H_i(p, q_\theta) = -\sum_{y \in \mathcal{Y}} p(y \mid x_i) \log q_\theta(y \mid x_i) = -\log q_\theta(y_i \mid x_i)",
    r"L(\theta) = \sum_{i=1}^{n} H_i(p, q_\theta) = -\sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)",
    r"D_{\mathrm{KL}}(p \parallel q) = \mathbb{E}_{x \sim p}[\log p(x) - \log q(x)] = -H(p) + H(p, q)",
    r"H(p, q) = H(p) + D_{\mathrm{KL}}(p \parallel q)",
    r"H_i(p, q_\theta) = H_i(p) + D_{\mathrm{KL}, i}(p \parallel q_\theta)",
    r"\sum_{i=1}^{n} H_i(p, q_\theta) = \sum_{i=1}^{n} \left[ H_i(p) + D_{\mathrm{KL}, i}(p \parallel q_\theta) \right]",
    r"\operatorname*{arg\,min}_\theta \sum_i H_i(p, q_\theta) = \operatorname*{arg\,min}_\theta \sum_i D_{\mathrm{KL}, i}(p \parallel q_\theta)",
    r"H_i(p) = 0",
    r"0 \log 0 = 0",
]


@pytest.mark.parametrize("formula", POST_EQUATIONS)
def test_every_equation_of_the_post_reads(formula):
    if "=" in re.sub(r"_\{[a-z]=1\}", "", formula):  # a relation, not only \sum_{i=1}
        assert parse_chain(formula), formula
    else:
        assert parse_expression(formula) is not None, formula


@pytest.mark.parametrize("text, lhs, rhs", [
    (r"H(p) = \mathbb{E}_{x \sim p}[-\log p(x)]", Entropy(p), Entropy(p).definition()),
    (r"H(p, q) = -\int_{\mathcal{X}} p(x) \log q(x) \, dx", CrossEntropy(p, q),
     -SupportIntegral(p(x) * log(q(x)), x, "X")),
    (r"D_{\mathrm{KL}}(p \parallel q) = \sum_{x \in \mathcal{X}} p(x) \log \frac{p(x)}{q(x)}",
     KLDivergence(p, q), SupportSum(p(x) * log(p(x) / q(x)), x, "X")),
    (r"q_\theta(x_i) = q(x_i \mid \theta)", q_theta(x_i), q_theta(x_i)),
    (r"\theta^* = \operatorname*{arg\,max}_\theta \prod_{i=1}^{n} q_\theta(y_i \mid x_i)",
     Symbol("theta^*"), ArgMax(DataProduct(q_given(y_i), i, n), THETA)),
    (r"H_i(p, q_\theta) = H_i(p) + D_{\mathrm{KL}, i}(p \parallel q_\theta)",
     CrossEntropy(p_given, q_given), Entropy(p_given) + KLDivergence(p_given, q_given)),
    (r"\sum_{i=1}^{n} H_i(p, q_\theta) = \sum_{i=1}^{n} \left[ H_i(p) + D_{\mathrm{KL}, i}"
     r"(p \parallel q_\theta) \right]", DataSum(CrossEntropy(p_given, q_given), i, n),
     DataSum(Entropy(p_given) + KLDivergence(p_given, q_given), i, n)),
    (r"L(\theta) = -\sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)", Function("L")(THETA),
     -DataSum(log(q_given(y_i)), i, n)),
    (r"p(y \mid x_i) = 1", p_given(y), 1),
])
def test_equations_of_the_post(text, lhs, rhs):
    statement = parse_statement(text)
    assert (evaluated(statement.lhs), statement.relation, evaluated(statement.rhs)) == \
        (lhs, "=", rhs), text


def test_the_maximum_likelihood_objective_of_the_post():
    objective = parse_expression(r"\operatorname*{arg\,min}_\theta -\frac{1}{n} "
                                 r"\sum_{i=1}^{n} \log q_\theta(x_i)")
    assert evaluated(objective) == ArgMin(-DataSum(log(q_theta(x_i)), i, n) / n, THETA)


# --- round trips through the printer -------------------------------------------------------------

ROUND_TRIP = [
    Entropy(p), CrossEntropy(p, q), KLDivergence(p, q), Entropy(p).definition(),
    -SupportSum(p(x) * log(p(x)), x, "X"), SupportIntegral(p(x) * log(q(x)), x, "X"),
    ArgMin(-DataSum(log(q_theta(x_i)), i, n) / n, THETA),
    ArgMax(DataSum(log(q_given(y_i)), i, n), THETA), DataSum(CrossEntropy(p_given, q_given), i, n),
    KLDivergence(p_given, q_given), DataProduct(q_theta(x_i), i, n), Indicator(y, y_i),
    log(p(x), 2), log(p(x)) ** 2, Entropy(midpoint), Expectation(log(p(x) / q(x)), x, p),
    SupportSum(Prob(p, i) * log(Prob(q, i)), i, "X"), Expectation(log(q_given(y)), y, p_given),
    SupportSum(p_given(y) * log(q_given(y)), y, "Y"), Entropy(p) + half * log(2),
    CrossEntropy(p, q) - Entropy(p), DataSum(log(q_theta(x_i)) + 1, i, n), E ** Entropy(p),
    CrossEntropy(p_given, q_theta.given(Datum("x", j))),
]


@pytest.mark.parametrize("expr", ROUND_TRIP, ids=[latex(e) for e in ROUND_TRIP])
def test_what_derive_prints_reads_back(expr):
    assert evaluated(parse_expression(latex(expr))) == expr


# --- quantities defined by a user ----------------------------------------------------------------

@pytest.fixture
def symmetric_divergence():
    name = "notation-test symmetric divergence"
    cls = define_quantity(name, "NotationTestDivergence", ("p", "q"),
                          Notation(r"\mathrm{NT}", separator=r" \parallel ", text="NT",
                                   read_as=(r"\mathrm{NT}", "NT", r"D_{\mathrm{NT}}")),
                          lambda a, b: KLDivergence(a, b) + KLDivergence(b, a))
    yield cls
    del QUANTITIES[name]


def test_a_quantity_defined_later_is_read_by_its_heads(symmetric_divergence):
    expected = symmetric_divergence(p, q)
    for text in (r"\mathrm{NT}(p \| q)", "NT(p, q)", r"D_{\mathrm{NT}}(p \parallel q)",
                 latex(expected)):
        assert evaluated(parse_expression(text)) == expected, text
    assert evaluated(parse_expression(r"D_{\mathrm{NT}, i}(p \| q_\theta)")) == \
        symmetric_divergence(p_given, q_given)


def test_an_undefined_quantity_is_not_read():
    with pytest.raises(NotationError, match='unknown quantity "NT"'):
        parse_expression(r"NT(p \| q)")


# --- bad input: one line that says what and where, and a pointer ---------------------------------

BAD = [
    ("H(p", 1, 'unbalanced "(": it is never closed'),
    ("H(p))", 4, 'unbalanced ")": nothing opens it'),
    ("H(p) = x^{2", 9, 'unbalanced "{": it is never closed'),
    ("(a]", 2, '"]" closes "(" from column 0'),
    (r"\frac{1} = 0", 9, r'missing argument after "\frac"'),
    ("x^ = 1", 3, 'missing argument after "^"'),
    ("x_ + 1 = 0", 3, 'missing argument after "_"'),
    ("= H(p)", 0, 'empty left side of "="'),
    ("H(p) =", 5, 'empty right side of "="'),
    ("H(p)", 4, r"no relation: a statement compares two sides with =, \le or \ge"),
    (r"H(p) \le H(p, q) = 0", 17, 'several relations ("\\le" at column 5 and "=" here): a '
                                  "statement has one; check each step of a chain as a statement "
                                  "of its own"),
    ("H(p) = a +", 10, "missing operand at the end"),
    ("D(p||q) = 0", 0, r'unknown quantity "D"; did you mean D_{KL}(p \| q)?'),
    ("KL[p,q] = 0", 2, r'"KL" takes its distributions in parentheses: D_{KL}(p \| q)'),
    (r"\entropy(p) = 0", 0, r'unknown command "\entropy"; did you mean H(p)?'),
    (r"\KL(p \| q) = 0", 0, r'unknown command "\KL"; did you mean D_{KL}(p \| q)?'),
    (r"\paralel = 0", 0, r'unknown command "\paralel"; did you mean \parallel or '
                           r"\partial?"),
    (r"\mathrm{JS}(p \| q) = 0", 0, r'unknown quantity "\mathrm{JS}"; did you mean '
                                    r"D_{KL}(p \| q)?"),
    ("H(p, q, r) = 0", 1, "H takes 1 or 2 distribution(s), got 3"),
    ("H(p) = p", 7, "p is a distribution: write p(x) for its value at x"),
    (r"H(\frac{1}{3} p + \frac{1}{3} q) = 0", 2,
     "mixture weights must be positive numbers that sum to 1, got 1/3 + 1/3"),
    (r"\mathbb{E}[f(x)] = 0", 10, r"say which distribution: \mathbb{E}_{x \sim p}[…]"),
    (r"\int p(x) = 1", 0, r"missing dx: an integral ends with its differential, as in "
                          r"\int p(x) \log q(x) \, dx"),
    (r"\sum p(x) = 1", 5, r"say what \sum runs over: \sum_{x \in \mathcal{X}} or "
                          r"\sum_{i=1}^{n}"),
    (r"\arg\min H(p, q_\theta) = 0", 9, r"say what is optimised over: \arg\min_{\theta}"),
    ("θ = 1", 0, r'unexpected "θ": type \theta'),
    ("x^12 = 1", 2, "write ^{12} with braces: without them only the first digit of 12 would "
                    "count"),
    (r"\frac12 = 0.5", 5, r"write \frac{…}{…} with braces: without them LaTeX gives each "
                          "argument one digit of 12"),
    ("1" + "0" * 40 + " = 1", 0, "a number with more than 30 digits"),
]


@pytest.fixture
def built_in_quantities():
    """Only entropy, cross entropy and KL, so that suggestions do not depend on what other tests
    defined."""
    saved = dict(QUANTITIES)
    for name in set(QUANTITIES) - {Entropy.name, CrossEntropy.name, KLDivergence.name}:
        del QUANTITIES[name]
    yield
    QUANTITIES.clear()
    QUANTITIES.update(saved)


@pytest.mark.parametrize("text, column, message", BAD, ids=[t[:40] for t, _, _ in BAD])
def test_bad_input_says_what_and_where(text, column, message, built_in_quantities):
    with pytest.raises(NotationSyntaxError) as caught:
        parse_statement(text)
    error = caught.value
    assert str(error) == f"column {column}: {message}"
    assert "\n" not in str(error)
    assert (error.text, error.column) == (text, column)
    assert error.pointer() == f"{text}\n{' ' * column}^"


def test_the_pointer_of_a_long_input_is_a_window_around_the_column():
    text = "H(p) + " * 30 + r"\foo + H(q)"
    with pytest.raises(NotationSyntaxError) as caught:
        parse_expression(text)
    line, caret = caught.value.pointer().split("\n")
    assert len(line) <= 80 and line in text
    assert line[caret.index("^"):].startswith(r"\foo")


def test_an_expression_has_no_relation():
    with pytest.raises(NotationError, match='column 5: unexpected "=": an expression has no '
                                            'relation'):
        parse_expression("H(p) = H(p)")


@pytest.mark.parametrize("text, argument", [(r"\log(-1) = 0", "-1"), (r"\ln(-2) = 0", "-2"),
                                            (r"\log_{2}(-3) = 0", "-3")])
def test_the_logarithm_of_a_negative_number_is_refused_as_negative(text, argument):
    """The message says what is wrong with the argument (it once said "not negative")."""
    with pytest.raises(NotationSyntaxError) as caught:
        parse_statement(text)
    assert str(caught.value) == (f"column 0: the logarithm of {argument} is undefined: its "
                                 "argument is negative")


def test_several_relations_are_refused_in_the_notations_terms():
    """Command-line users read this message: it says what to type, and names no Python function
    (it once pointed to parse_chain)."""
    with pytest.raises(NotationSyntaxError) as caught:
        parse_statement("a = b = c")
    assert str(caught.value) == ('column 6: several relations ("=" at column 2 and "=" here): a '
                                 "statement has one; check each step of a chain as a statement "
                                 "of its own")
    assert "parse_" not in str(caught.value)


def test_python_code_is_never_run(tmp_path):
    target = tmp_path / "pwned"
    for code in (f"__import__('os').system('touch {target}')",
                 "().__class__.__bases__[0].__subclasses__()",
                 f"exec(\"open('{target}', 'w')\")", "lambda: 1"):
        with pytest.raises(NotationError):
            parse_expression(code)
    assert not target.exists()


def test_the_reader_never_hands_the_input_to_an_evaluator():
    folder = Path(__file__).resolve().parents[1] / "derive" / "notation"
    source = "\n".join(path.read_text() for path in sorted(folder.rglob("*.py")))
    assert "parse_statement" in source
    for call in (r"\bsympify\(", r"\bparse_expr\b", r"\beval\(", r"\bexec\(", r"\bS\(",
                 r"variable_values"):
        assert not re.search(call, source), call


@pytest.mark.parametrize("text, limit", [
    ("x^{10^{10^{10}}}", "too large for a power of a number"),            # an exponent tower
    ("{" * 2000 + "x" + "}" * 2000, "nested deeper than 100 levels"),     # nested braces
    ("a + " * 25_000 + "a", "characters long; at most 5000"),            # a 100 kB line
    ("a" * (MAX_LENGTH - 1), "too long: more than 300 terms"),            # a long product
    (r"\sum_x " * 600 + "x", "nested deeper than 100 levels"),            # nested sums
    (r"\log(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "nested deeper than 100"),
    ("2^{2^{2^{2^{2^{5}}}}}", "too large for a power of a number"),       # a power tower
], ids=["exponent tower", "nested braces", "100 kB", "long product", "nested sums",
        "deep logs", "power tower"])
def test_pathological_input_is_refused_by_a_limit(text, limit):
    """Each is refused by a limit on the input's size, depth or numbers — checked before the
    work it would cause, so the refusal costs next to nothing (timings: benchmarks/)."""
    with pytest.raises(NotationError, match=re.escape(limit)):
        parse_expression(text)


def test_a_large_exponent_of_something_other_than_a_number_is_read():
    """Only powers of numbers are computed while reading, so only they are limited."""
    deep = parse_expression(r"\log(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1) + "^{10^{10}}")
    assert deep.exp == 10**10
    assert parse_expression("e^{2500}").exp == 2500


def test_reading_is_stopped_by_its_own_deadline(monkeypatch):
    """Whatever slips past the limits is stopped by the reader's deadline, with a one-line
    error: shown here with a deadline that has passed before reading starts."""
    monkeypatch.setattr(limits, "READ_SECONDS", 0.0)
    with pytest.raises(NotationSyntaxError, match="reading took longer than 0 s"):
        parse_expression(r"\sum_{x} p(x) \log \frac{p(x)}{q(x)} + " * 20 + "1")
