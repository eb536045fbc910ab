r"""Random variables and their measures: `H(X, Y)`, `H(X \mid Y)`, `I(X; Y \mid Z)`, values of
the joint distribution `p(x, y)`, `p(y \mid x)`, `p(x)` (a marginal), `\mathbb{E}_{p(x, y)}[…]`,
`D_{KL}(p(x, y) \| p(x) p(y))`, and hypotheses `X \perp Y`, `X \to Y \to Z`, `I(X; Z \mid Y) = 0`.

An input speaks of random variables (its *joint reading*) when it holds a measure of capital
letters, a value of several plain points or conditioned on plain points (`p(x, y)`,
`p(y \mid x)`; `q(y \mid x_i)` conditions on a data point), or a hypothesis on random variables
(hypotheses on parameters, `\sigma > 0`, are read here too, but do not make the reading joint); then `p(x)` is the
marginal of X, not the post's p at a point x.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sympy import Expr, Integer

from derive.notation.reading.parameters import domain, is_domain
from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton
from derive.vocabulary.information import (VARIABLE_LETTERS, ConditionalEntropy, Equality,
                                           Hypothesis, Independence, InformationMeasure,
                                           JointEntropy,
                                           JointExpectation, JointKL, JointValue, MarkovChain,
                                           MutualInformation, RandomVariable)

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: The letters that name values of random variables (x is X's value).
POINT_LETTERS = VARIABLE_LETTERS.lower()
#: The letters that name joint distributions.
JOINT_LETTERS = "pqrs"
_INDEX = re.compile(r"^\d{1,2}$")


def joint_reading(reader: Reader) -> bool:
    """Whether the input speaks of random variables (see the module's docstring)."""
    texts = reader.texts
    for k, text in enumerate(texts):
        if text in (r"\perp", r"\to"):
            return True
        if text in ("H", "I") and measure_at(reader, k, len(texts)):
            return True
        if text in JOINT_LETTERS and k + 1 < len(texts) and texts[k + 1] == "(":
            close = reader.partner[k + 1]
            parts = reader.split(k + 2, close, {"|"})
            points = reader.split(*parts[0], {","})
            if len(points) > 1 and all(_is_letter(reader, a, b) for a, b in points):
                return True
            if len(parts) == 2 and _is_letter(reader, *parts[0]) and all(
                    _is_letter(reader, a, b) for a, b in reader.split(*parts[1], {","})):
                return True
    return False


def _is_letter(reader: Reader, lo: int, hi: int) -> bool:
    """Whether lo..hi is one plain point letter (x, not x_1 or x_i: those name data points in a
    statement without measures)."""
    return hi == lo + 1 and reader.tokens[lo].kind == "letter" and \
        reader.tokens[lo].text in POINT_LETTERS


def measure_at(reader: Reader, k: int, hi: int) -> bool:
    """Whether `H(` or `I(` at k measures random variables (its first argument is one)."""
    tokens = reader.tokens
    return (tokens[k].kind == "letter" and tokens[k].text in ("H", "I")
            and reader.is_(k + 1, hi, "(") and tokens[k + 1].start == tokens[k].end
            and k + 2 < hi and tokens[k + 2].kind == "letter"
            and tokens[k + 2].text in VARIABLE_LETTERS)


def measure(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """`H(X, Y)`, `H(X \\mid Y, Z)`, `I(X; Y)`, `I(X; Y, Z \\mid W)`."""
    head, close = reader.tokens[k].text, reader.partner[k + 1]
    bars = reader.split(k + 2, close, {"|"})
    if len(bars) > 2:
        raise reader.error("a measure has one conditional bar", bars[2][0] - 1)
    given = variables(reader, *bars[1]) if len(bars) == 2 else ()
    if head == "H":
        if len(reader.split(*bars[0], {";"})) > 1:
            raise reader.error('H(…) lists its variables with ","; ";" separates the two '
                               "sides of I(X; Y)", bars[0][0])
        of = variables(reader, *bars[0])
        if set(of) & set(given):
            raise reader.error("H(… | …) cannot condition a variable on itself", bars[1][0])
        result: Expr = ConditionalEntropy(of, given) if given else JointEntropy(of)
    else:
        sides = reader.split(*bars[0], {";"})
        if len(sides) != 2:
            raise reader.error('I(…) takes two groups of variables separated by ";", as in '
                               "I(X; Y) or I(X; Y, Z \\mid W)", k + 1)
        first, second = (variables(reader, a, b) for a, b in sides)
        if set(first) & set(second):
            raise reader.error("I(…; …) measures two different groups of variables", k + 1)
        if set(given) & (set(first) | set(second)):
            raise reader.error("I(…; … | …) cannot condition on a variable it measures",
                               bars[1][0])
        result = MutualInformation(first, second, given)
    skeleton.operand(result, reader.tokens[k].start)
    return close + 1


def variables(reader: Reader, lo: int, hi: int) -> tuple[RandomVariable, ...]:
    """`X, Y_1, Z`: random variables, each once."""
    found: list[RandomVariable] = []
    for a, b in reader.split(lo, hi, {","}):
        variable = _name(reader, a, b, VARIABLE_LETTERS, "a random variable (X, Y, Z, W, U, V)")
        if variable in found:
            raise reader.error(f"{variable.name} is listed twice", a)
        found.append(variable)
    return tuple(found)


def _points(reader: Reader, lo: int, hi: int) -> tuple[RandomVariable, ...]:
    """`x, y`: values of random variables (x of X), each once."""
    found: list[RandomVariable] = []
    for a, b in reader.split(lo, hi, {","}):
        variable = _name(reader, a, b, POINT_LETTERS, "a value of a random variable "
                         "(x, y, z, w, u, v)")
        if variable in found:
            raise reader.error(f"{variable.point} is listed twice", a)
        found.append(variable)
    return tuple(found)


def _name(reader: Reader, lo: int, hi: int, letters: str, what: str) -> RandomVariable:
    """One letter of `letters`, optionally indexed (`X_1`, `x_{2}`), as its random variable."""
    if lo >= hi:
        raise reader.error(f"missing {what}", lo)
    token = reader.tokens[lo]
    if token.kind != "letter" or token.text not in letters:
        raise reader.error(f'expected {what}, got "{token.raw}"', lo)
    name, after = token.text.upper(), lo + 1
    if reader.is_(after, hi, "_"):
        a, b, after = reader.argument(after + 1, hi, "_")
        index = "".join(t.raw for t in reader.tokens[a:b])
        if not _INDEX.match(index) or b - a != 1:
            raise reader.error(f"index {token.raw} with a number, as in {token.raw}_1", a)
        name += f"_{int(index)}"
    if after != hi:
        raise reader.error(f"expected {what}, got more after {token.raw}", after)
    return RandomVariable(name)


def joint_value(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """`p(x, y)`, `p(y \\mid x)`, `q(x)`: a value of a joint distribution."""
    value, after = _value(reader, k, hi)
    skeleton.operand(value, reader.tokens[k].start)
    return after


def _value(reader: Reader, k: int, hi: int) -> tuple[JointValue, int]:
    name = reader.tokens[k].text
    if not reader.is_(k + 1, hi, "("):
        raise reader.error(f"{name} is a joint distribution: write its value, as in "
                           f"{name}(x, y) or {name}(y \\mid x)", k)
    close = reader.partner[k + 1]
    parts = reader.split(k + 2, close, {"|"})
    if len(parts) > 2:
        raise reader.error("a value has one conditional bar", parts[2][0] - 1)
    of = _points(reader, *parts[0])
    given = _points(reader, *parts[1]) if len(parts) == 2 else ()
    if set(of) & set(given):
        raise reader.error("a value cannot condition a variable on itself", k + 2)
    return JointValue(name, of, given), close + 1


def product_of_values(reader: Reader, lo: int, hi: int) -> Expr:
    """`p(x) p(y \\mid x)`: a product of values (an argument of D_KL)."""
    if lo >= hi:
        raise reader.error("missing distribution", lo)
    result: Expr = Integer(1)
    k = lo
    while k < hi:
        if reader.tokens[k].text == r"\cdot":
            k += 1
            continue
        if reader.tokens[k].text not in JOINT_LETTERS:
            raise reader.error("D_KL of random variables compares values of joint "
                               r"distributions, as in D_{KL}(p(x, y) \| p(x) p(y))", k)
        value, k = _value(reader, k, hi)
        result *= value
    return result


def joint_kl(reader: Reader, k: int, parts: list[tuple[int, int]]) -> JointKL:
    """D_KL(P ∥ Q) of two products of values."""
    if len(parts) != 2:
        raise reader.error(r"D_KL takes two distributions: D_{KL}(p(x, y) \| p(x) p(y))", k)
    first, second = (product_of_values(reader, a, b) for a, b in parts)
    try:
        return JointKL(first, second)
    except ValueError as error:
        raise reader.error(str(error), parts[0][0]) from None


def joint_expectation(reader: Reader, k: int, lo: int, end: int, after: int, hi: int,
                      scope: Scope, skeleton: Skeleton) -> int:
    """`\\mathbb{E}_{p(x, y)}[…]`: the subscript (lo..end) is one unconditional value."""
    value, stop = _value(reader, lo, end)
    if stop != end or value.given:
        raise reader.error(r"the expectation of random variables is over one joint value, as "
                           r"in \mathbb{E}_{p(x, y)}[…]", lo)
    if not reader.is_(after, hi, "[", "("):
        raise reader.error(r"missing […] after \mathbb{E}_{…}", after)
    body = reader.expression(after + 1, reader.partner[after], scope)
    skeleton.operand(JointExpectation(body, value.of, value.distribution),
                     reader.tokens[k].start)
    return reader.partner[after] + 1


def hypotheses(reader: Reader, lo: int, hi: int, scope: Scope) -> tuple[Hypothesis, ...]:
    """`X \\perp Y`, `X \\perp Y \\mid Z`, `X \\to Y \\to Z`, `I(X; Z \\mid Y) = 0`, joined by
    commas outside brackets (a group of variables goes in parentheses: `X \\perp (Y, Z)`)."""
    found: list[Hypothesis] = []
    for a, b in reader.split(lo, hi, {","}):
        if a == b:
            raise reader.error(r"missing hypothesis before \implies", a)
        texts = [reader.tokens[j].text for j in reader.top(a, b)]
        if is_domain(reader, a, b):
            found.append(domain(reader, a, b, scope))
        elif r"\perp" in texts:
            found.append(_independence(reader, a, b))
        elif r"\to" in texts:
            chain = [variables(reader, c, d) for c, d in reader.split(a, b, {r"\to"})]
            if any(len(link) != 1 for link in chain):
                raise reader.error(r"a Markov chain links single variables: X \to Y \to Z", a)
            if len({link[0] for link in chain}) != len(chain) or len(chain) < 3:
                raise reader.error("a Markov chain links at least three different variables",
                                   a)
            found.append(MarkovChain(tuple(link[0] for link in chain)))
        elif "=" in texts:
            sides = reader.split(a, b, {"="})
            if len(sides) != 2:
                raise reader.error("a hypothesis states one equation", a)
            lhs, rhs = (reader.expression(c, d, scope) for c, d in sides)
            if not (lhs.has(InformationMeasure) or rhs.has(InformationMeasure)):
                raise reader.error(r"an equation as a hypothesis is about random variables, as "
                                   r"in I(X; Z \mid Y) = 0; a parameter is bounded with <, >, "
                                   r"\le, \ge, \in or \neq", a)
            found.append(Equality(lhs, rhs))
        else:
            raise reader.error(r"a hypothesis is X \perp Y, X \to Y \to Z, an equation "
                               r"such as I(X; Z \mid Y) = 0, or bounds a parameter, as in "
                               r"\sigma > 0", a)
    return tuple(found)


def _independence(reader: Reader, lo: int, hi: int) -> Independence:
    """`A \\perp B` or `A \\perp B \\mid C`, each side a variable or a parenthesised group."""
    bars = reader.split(lo, hi, {"|"})
    if len(bars) > 2:
        raise reader.error("an independence has one conditional bar", bars[2][0] - 1)
    sides = reader.split(*bars[0], {r"\perp"})
    if len(sides) != 2:
        raise reader.error(r"an independence relates two groups: X \perp Y", lo)
    first, second = (_group(reader, a, b) for a, b in sides)
    given = _group(reader, *bars[1]) if len(bars) == 2 else ()
    if set(first) & set(second) or set(given) & (set(first) | set(second)):
        raise reader.error("an independence relates groups with no variable in common", lo)
    return Independence(first, second, given)


def _group(reader: Reader, lo: int, hi: int) -> tuple[RandomVariable, ...]:
    if reader.is_(lo, hi, "(") and reader.partner[lo] == hi - 1:
        return variables(reader, lo + 1, hi - 1)
    return variables(reader, lo, hi)
