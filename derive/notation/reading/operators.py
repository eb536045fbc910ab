"""The operators that bind a variable: sums and products `\\sum_{x \\in \\mathcal{X}}`,
`\\sum_{i=1}^{n}`, `\\prod_{i=1}^{n}`, integrals `\\int … dx`, expectations
`\\mathbb{E}_{x \\sim p}[…]`, and arg min / arg max; and the words in `\\mathbb{…}`,
`\\mathrm{…}`, `\\operatorname{…}` that name them (or `\\mathbb{1}`, `\\mathrm{e}`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sympy import E, Expr, Symbol, oo

from derive.notation.printing import latex
from derive.notation.reading.calculus import softmax
from derive.notation.reading.distributions import distribution, within_categories
from derive.notation.reading.families import family, family_name
from derive.notation.reading.indicators import indicator
from derive.notation.reading.information import joint_expectation
from derive.notation.reading.messages import suggest_keyword
from derive.notation.reading.quantities import applied_to_distributions, unknown_quantity
from derive.notation.reading.scope import IndexSum, Scope, greek, index_symbol
from derive.notation.reading.skeleton import Skeleton, evaluated
from derive.notation.reading.tokens import WORD_COMMANDS
from derive.vocabulary.distributions import DATA_SIZE, LABEL_VARIABLE, SUPPORT_VARIABLE
from derive.vocabulary.operators import (ArgMax, ArgMin, CategorySum, DataProduct, DataSum,
                                         Expectation, Optimum, SupportIntegral, SupportSum)

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: Tokens lo..hi of the input.
Span = tuple[int, int]


# --- sums and products ------------------------------------------------------------------------

def sum_or_product(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""`\sum_{x}`, `\sum_{x \in \mathcal{X}}` (support), `\sum_{i=1}^{n}`, `\sum_i` (data,
    or categories when the body has p_i), `\prod_{i=1}^{n}` (data)."""
    operator = reader.tokens[k].raw
    sub, sup, body_lo = _scripts(reader, k, hi)
    if sub is None:
        raise reader.error(rf"say what {operator} runs over: {operator}_{{x \in \mathcal{{X}}}} "
                           rf"or {operator}_{{i=1}}^{{n}}", body_lo)
    letter, support = _range(reader, sub, operator, scope)
    body_hi = _term_end(reader, body_lo, hi)
    if body_hi == body_lo:
        raise reader.error(f"missing body after {operator}", body_lo)
    if support is not None:
        if operator == r"\prod" or sup is not None:
            raise reader.error(rf"a sum over the support is written \sum_{{x \in "
                               rf"\mathcal{{X}}}}; {operator} over data is "
                               rf"{operator}_{{i=1}}^{{n}}", sub[0])
        variable = {"x": SUPPORT_VARIABLE, "y": LABEL_VARIABLE}.get(letter) or \
            index_symbol(letter)
        body = reader.expression(body_lo, body_hi,
                                 replace(scope, bound={**scope.bound, letter: variable}))
        skeleton.operand(SupportSum(body, variable, support), reader.tokens[k].start)
        return body_hi
    variable = index_symbol(letter)
    size = DATA_SIZE if sup is None else reader.index(*sup, scope)
    frame = IndexSum(variable)
    body = reader.expression(body_lo, body_hi, replace(
        scope, bound={**scope.bound, letter: variable}, sums=(*scope.sums, frame)))
    if frame.category and operator == r"\prod":
        raise reader.error(r"\prod runs over data points, not categories", k)
    if frame.category and frame.data:
        raise reader.error(f"{operator} mixes categories (as in p_{letter}) with data points "
                           f"(as in x_{letter})", k)
    if frame.category and size == DATA_SIZE:
        result: Expr = SupportSum(body, variable, "X")
    elif frame.category:
        if not within_categories(size, empty=True):
            raise reader.error(f"a sum over the categories 1, …, n (as in p_{letter}) runs to n, "
                               f"n − c or a number, not {latex(size)}", sup[0])
        result = CategorySum(body, variable, size)
    elif operator == r"\prod":
        result = DataProduct(body, variable, size)
    else:
        result = DataSum(body, variable, size)
    skeleton.operand(result, reader.tokens[k].start)
    return body_hi


def _scripts(reader: Reader, k: int, hi: int) -> tuple[Span | None, Span | None, int]:
    """The subscript and superscript (either order) after the operator at k, and the next
    token."""
    scripts: dict[str, Span] = {}
    after = k + 1
    while reader.is_(after, hi, "_", "^"):
        which = reader.tokens[after].text
        if which in scripts:
            raise reader.error(f'a second "{which}"', after)
        lo, end, after = reader.argument(after + 1, hi, which)
        scripts[which] = (lo, end)
    return scripts.get("_"), scripts.get("^"), after


def _term_end(reader: Reader, lo: int, hi: int) -> int:
    """Where the body of `\\sum`/`\\prod` starting at lo ends: before the next + or - of this
    level (a leading sign is the body's)."""
    return reader.first_of_level(lo, hi, lambda k: reader.tokens[k].text in ("+", "-") and
                                 reader.tokens[k - 1].text not in
                                 (r"\cdot", "/", "^", "_", r"\log", r"\ln", r"\exp"))


def _range(reader: Reader, sub: Span, operator: str, scope: Scope
           ) -> tuple[str, str | None]:
    """The subscript of a sum: (its letter, the support "X"/"Y" or None for an index)."""
    lo, hi = sub
    hint = rf"write {operator}_{{x \in \mathcal{{X}}}} or {operator}_{{i=1}}^{{n}}"
    if reader.tokens[lo].kind != "letter":
        raise reader.error(f"cannot read the range of {operator}: {hint}", lo)
    letter = reader.tokens[lo].text
    if hi == lo + 1:
        return letter, {"x": "X", "y": "Y"}.get(letter)
    if reader.tokens[lo + 1].text == r"\in":
        support = _mathcal(reader, lo + 2, hi)
        if support is None:
            raise reader.error(r"the support is \mathcal{X} (data) or \mathcal{Y} "
                               "(labels)", lo + 2)
        return letter, support
    if reader.tokens[lo + 1].text == "=":
        if reader.index(lo + 2, hi, scope) != 1:
            raise reader.error(f"a sum over an index starts at 1: {hint}", lo + 2)
        return letter, None
    raise reader.error(f"cannot read the range of {operator}: {hint}", lo + 1)


def _mathcal(reader: Reader, lo: int, hi: int) -> str | None:
    """"X" or "Y" when lo..hi is exactly `\\mathcal{X}` or `\\mathcal{Y}`."""
    if hi - lo == 4 and reader.tokens[lo].text == r"\mathcal" and \
            reader.tokens[lo + 2].text in ("X", "Y") and reader.partner.get(lo + 1) == lo + 3:
        return reader.tokens[lo + 2].text
    return None


# --- integrals --------------------------------------------------------------------------------

def integral(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""`\int … dx`, `\int_{\mathcal{X}} … dx`, `\int_{-\infty}^{\infty} … dx`."""
    sub, sup, body_lo = _scripts(reader, k, hi)
    found = differential(reader, body_lo, hi)
    if found is None:
        raise reader.error(r"missing dx: an integral ends with its differential, as in "
                           r"\int p(x) \log q(x) \, dx", k)
    end, letter, after = found
    if end == body_lo:
        raise reader.error(r"missing integrand before the differential", end)
    if letter == "y":
        raise reader.error(r"labels y are categories (one of finitely many classes): sum over "
                           r"them with \sum_{y}; a density is integrated over x", end)
    support = "X"
    if sub is not None:
        whole_line = sup is not None and evaluated(reader.expression(*sub, scope)) == -oo \
            and evaluated(reader.expression(*sup, scope)) == oo
        named_support = _mathcal(reader, *sub) if sup is None else None
        if not whole_line and named_support is None:
            raise reader.error(r"an integral runs over the whole support: write "
                               r"\int_{\mathcal{X}} or \int_{-\infty}^{\infty}", sub[0])
        support = named_support or support
        if support == "Y":
            raise reader.error(r"labels are categories: sum over them with \sum_{y}", sub[0])
    skeleton.operand(SupportIntegral(reader.expression(body_lo, end, scope), SUPPORT_VARIABLE,
                                     support),
                     reader.tokens[k].start)
    return after


def differential(reader: Reader, lo: int, hi: int) -> tuple[int, str, int] | None:
    """The first `dx` (or `\\mathrm{d}x`) outside brackets in lo..hi: (where, variable,
    next)."""
    for k in reader.top(lo, hi):
        if reader.tokens[k].text == "d" and reader.is_(k + 1, hi, *"xy"):
            return k, reader.tokens[k + 1].text, k + 2
        found = _word(reader, k, hi)
        if found is not None and found[0] == "d" and reader.is_(found[1], hi, *"xy"):
            return k, reader.tokens[found[1]].text, found[1] + 1
    return None


# --- arg min and arg max ----------------------------------------------------------------------

def optimisation(reader: Reader, k: int, hi: int) -> tuple[type[Optimum], int] | None:
    """arg min / arg max at k (`\\arg\\min`, `\\operatorname*{arg\\,min}`, `\\argmin`, …): its
    kind and the token after it, or None."""
    text = reader.tokens[k].text
    if text == r"\arg" and reader.is_(k + 1, hi, r"\min", r"\max"):
        word, after = "arg" + reader.tokens[k + 1].text[1:], k + 2
    elif text in (r"\argmin", r"\argmax"):
        word, after = text[1:], k + 1
    else:
        word, after = _word(reader, k, hi) or ("", k)
    kinds = {"argmin": ArgMin, "argmax": ArgMax}
    return (kinds[word], after) if word in kinds else None


def optimum(reader: Reader, k: int, hi: int, kind: type[Optimum], after: int, scope: Scope,
            skeleton: Skeleton) -> int:
    """`\\arg\\min_\\theta objective`: the objective runs to the end of this side."""
    if not reader.is_(after, hi, "_"):
        raise reader.error(r"say what is optimised over: \arg\min_{\theta}", after)
    lo, end, after = reader.argument(after + 1, hi, "_")
    if end - lo != 1 or reader.tokens[lo].kind == "symbol":
        raise reader.error(r"optimise over one parameter, such as \theta", lo)
    token = reader.tokens[lo]
    parameter = greek(token.text) if token.kind == "command" else Symbol(token.text)
    if after >= hi:
        raise reader.error(f"missing objective after arg {kind.word}", after)
    skeleton.operand(kind(reader.expression(after, hi, scope), parameter),
                     reader.tokens[k].start)
    return hi


# --- expectations and the other named notation ------------------------------------------------

def named(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    """`\\mathbb{E}`, `\\mathbb{1}`, `\\mathbf{1}`, `\\mathrm{E}`, `\\mathrm{e}`; anything
    else in `\\mathbb`, `\\mathrm`, `\\operatorname` is unknown notation."""
    token = reader.tokens[k]
    if not reader.is_(k + 1, hi, "{"):
        raise reader.error(f'missing argument after "{token.raw}"', k + 1)
    close = reader.partner[k + 1]
    inside = "".join(t.raw for t in reader.tokens[k + 2:close])
    after = close + 1
    if token.text in WORD_COMMANDS:
        found = _word(reader, k, hi)
        inside = found[0] if found else inside
    written = reader.text[token.start:reader.tokens[close].end]
    if (token.text == r"\mathbb" and inside == "E") or (
            token.text in WORD_COMMANDS and inside == "E"):
        return _expectation(reader, k, after, hi, scope, skeleton)
    if (token.text == r"\mathbb" and inside in ("1", "I")) or (
            token.text == r"\mathbf" and inside == "1"):
        return indicator(reader, k, after, hi, scope, skeleton)
    if family_name(reader, k, hi) is not None:
        return family(reader, k, hi, scope, skeleton)
    if token.text in WORD_COMMANDS and inside == "softmax":
        return softmax(reader, k, after, hi, scope, skeleton)
    if token.text in WORD_COMMANDS and inside == "e":
        skeleton.operand(E, token.start)
        return after
    if applied_to_distributions(reader, after, hi):
        raise unknown_quantity(reader, written, after, k)
    raise reader.error(f'unknown notation "{written}"{suggest_keyword(inside)}', k)


def _expectation(reader: Reader, k: int, after: int, hi: int, scope: Scope,
                 skeleton: Skeleton) -> int:
    r"""`\mathbb{E}_{x \sim p}[…]`, `\mathbb{E}_{p}[…]`, `\mathbb{E}_{y \sim p(\cdot \mid
    x_i)}\left[…\right]`: `after` is the token after `\mathbb{E}`."""
    if not reader.is_(after, hi, "_"):
        raise reader.error(r"say which distribution: \mathbb{E}_{x \sim p}[…]", after)
    lo, end, after = reader.argument(after + 1, hi, "_")
    if reader.joint:
        return joint_expectation(reader, k, lo, end, after, hi, scope, skeleton)
    parts = reader.split(lo, end, {r"\sim"})
    over = distribution(reader, *parts[-1], scope)
    if len(parts) > 2:
        raise reader.error(r'one "\sim" in the subscript of \mathbb{E}', parts[2][0] - 1)
    if len(parts) == 2:
        a, b = parts[0]
        if b - a != 1 or reader.tokens[a].text != over.variable.name:
            raise reader.error(f"the variable of {latex(over)} is {over.variable}: write "
                               f"\\mathbb{{E}}_{{{over.variable} \\sim …}}", a)
    if not reader.is_(after, hi, "[", "("):
        raise reader.error(r"missing […] after \mathbb{E}_{…}", after)
    body = reader.expression(after + 1, reader.partner[after], scope)
    skeleton.operand(Expectation(body, over.variable, over), reader.tokens[k].start)
    return reader.partner[after] + 1


def _word(reader: Reader, k: int, hi: int) -> tuple[str, int] | None:
    """The letters of `\\operatorname{…}`, `\\mathrm{…}`, `\\mathop{\\mathrm{…}}` at k,
    and the token after, or None."""
    if not (reader.is_(k, hi, *WORD_COMMANDS) and reader.is_(k + 1, hi, "{")):
        return None
    close = reader.partner[k + 1]
    inner = _word(reader, k + 2, close)
    if inner is not None and inner[1] == close:
        return inner[0], close + 1
    if all(t.kind == "letter" for t in reader.tokens[k + 2:close]):
        return "".join(t.text for t in reader.tokens[k + 2:close]), close + 1
    return None
