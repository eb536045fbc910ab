r"""Hypotheses on parameters: `\sigma > 0`, `0 < \epsilon < 1`, `n \ge 1`, `\epsilon \in (0, 1)`,
`x \in [0, 1]`, `x \neq 1` — each bounds one letter by numbers (or excludes one number), and is
read as its `Domain`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import Expr, Symbol, oo

from derive.notation.reading.scope import Scope
from derive.vocabulary.parameters import Domain, Interval

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: The comparisons a hypothesis on a parameter may use, by token.
COMPARISONS = ("<", ">", "<=", ">=")
_HOW = r"a hypothesis on a parameter bounds one letter by numbers, as in \sigma > 0, " \
       r"0 < \epsilon < 1 or \epsilon \in (0, 1)"


def is_domain(reader: Reader, lo: int, hi: int) -> bool:
    """Whether lo..hi is a hypothesis on a parameter (it compares with <, >, \\le, \\ge or \\in)."""
    return any(reader.tokens[k].text in (*COMPARISONS, r"\in", r"\neq")
               for k in reader.top(lo, hi))


def domain(reader: Reader, lo: int, hi: int, scope: Scope) -> Domain:
    """The Domain that lo..hi states."""
    text = reader.text[reader.tokens[lo].start:reader.tokens[hi - 1].end]
    if any(reader.tokens[k].text == r"\in" for k in reader.top(lo, hi)):
        return _membership(reader, lo, hi, scope, text)
    if any(reader.tokens[k].text == r"\neq" for k in reader.top(lo, hi)):
        return _exclusion(reader, lo, hi, scope, text)
    cuts = [k for k in reader.top(lo, hi) if reader.tokens[k].text in COMPARISONS]
    bounds = [lo - 1, *cuts, hi]
    for position, k in enumerate(cuts):
        if bounds[position] + 1 == k:
            raise reader.error(f'missing number or letter before "{reader.tokens[k].raw}"', k)
        if bounds[position + 2] == k + 1:
            raise reader.error(f'missing number or letter after "{reader.tokens[k].raw}"', k + 1)
    sides = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
    if len(cuts) > 2:
        raise reader.error(_HOW, cuts[2])
    upward = [reader.tokens[k].text.startswith("<") for k in cuts]
    if len(set(upward)) > 1:
        raise reader.error("a double inequality goes one way: 0 < \\epsilon < 1", cuts[1])
    if len(cuts) == 2:
        symbol = _letter(reader, *sides[1], scope)
        first, second = (_number(reader, *sides[n], scope) for n in (0, 2))
        (low, low_cut), (high, high_cut) = ((first, cuts[0]), (second, cuts[1])) if upward[0] \
            else ((second, cuts[1]), (first, cuts[0]))
        interval = Interval(low, high, _strict(reader, low_cut), _strict(reader, high_cut))
    else:
        (cut,) = cuts
        left_letter = not _is_number(reader, *sides[0], scope)
        letter_side, number_side = (sides[0], sides[1]) if left_letter else (sides[1], sides[0])
        symbol = _letter(reader, *letter_side, scope)
        value = _number(reader, *number_side, scope)
        above = upward[0] != left_letter  # the letter is above the number
        strict = _strict(reader, cut)
        interval = Interval(value, oo, strict, True) if above else \
            Interval(-oo, value, True, strict)
    if interval.empty:
        raise reader.error(f"no number satisfies {text}", lo)
    return Domain(symbol, interval, text)


def _membership(reader: Reader, lo: int, hi: int, scope: Scope, text: str) -> Domain:
    """`\\epsilon \\in (0, 1)` or `[a, b]` (a half-open interval is written with inequalities)."""
    parts = reader.split(lo, hi, {r"\in"})
    if len(parts) != 2:
        raise reader.error(_HOW, lo)
    letter, group = parts
    symbol = _letter(reader, *letter, scope)
    a, b = group
    if not (reader.is_(a, b, "(", "[") and reader.partner[a] == b - 1):
        raise reader.error(r"write the interval as (a, b) or [a, b]; a half-open one with "
                           r"inequalities, as in 0 < \epsilon \le 1", a)
    ends = reader.split(a + 1, b - 1, {","})
    if len(ends) != 2:
        raise reader.error("an interval has two ends, as in (0, 1)", a)
    low, high = (_number(reader, c, d, scope) for c, d in ends)
    strict = reader.tokens[a].text == "("
    interval = Interval(low, high, strict, strict)
    if interval.empty:
        raise reader.error(f"no number satisfies {text}", lo)
    return Domain(symbol, interval, text)


def _exclusion(reader: Reader, lo: int, hi: int, scope: Scope, text: str) -> Domain:
    """`x \neq 1` (or `1 \neq x`): every real number but one."""
    sides = reader.split(lo, hi, {r"\neq"})
    if len(sides) != 2 or any(a == b for a, b in sides):
        raise reader.error(r"write x \neq 1: one letter, one number", lo)
    letter, value = sides if not _is_number(reader, *sides[0], scope) else sides[::-1]
    symbol = _letter(reader, *letter, scope)
    excluded = _number(reader, *value, scope)
    if not excluded.is_Rational:
        raise reader.error("a letter is unequal to a number, as in x \neq 1", value[0])
    return Domain(symbol, Interval(excluded=frozenset({excluded})), text)


def _strict(reader: Reader, k: int) -> bool:
    return reader.tokens[k].text in ("<", ">")


def _is_number(reader: Reader, lo: int, hi: int, scope: Scope) -> bool:
    """Whether lo..hi is a number (the other side of the comparison is then the letter)."""
    return all(reader.tokens[k].kind in ("number", "symbol") or
               reader.tokens[k].text in (r"\frac", r"\infty") for k in range(lo, hi))


def _letter(reader: Reader, lo: int, hi: int, scope: Scope) -> Symbol:
    """One parameter: a letter or Greek letter, maybe with a subscript (σ_1)."""
    if lo >= hi:
        raise reader.error("missing letter", lo)
    value = reader.expression(lo, hi, scope)
    if not isinstance(value, Symbol):
        raise reader.error(f'{_HOW}; "{reader.text[reader.tokens[lo].start:reader.tokens[hi - 1].end]}" '
                           "is not a letter", lo)
    return value


def _number(reader: Reader, lo: int, hi: int, scope: Scope) -> Expr:
    """A bound: a rational number, or ±∞."""
    if lo >= hi:
        raise reader.error("missing number", lo)
    value = reader.expression(lo, hi, scope)
    if not (value.is_Rational or value in (oo, -oo)):
        raise reader.error(f"{_HOW}; a bound is a number such as 0, 1 or \\frac{{1}}{{2}}", lo)
    return value
