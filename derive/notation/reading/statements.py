"""Statements and expressions: the entry points.  A statement is two sides and the relation
between them (`H(p, q) = H(p) + D_{KL}(p \\| q)`); a chain `a = b \\le c` is consecutive
statements; an expression has no relation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from sympy import Expr, latex

from derive.core.timeouts import Deadline
from derive.notation.reading.calculus import with_labels
from derive.notation.reading.information import hypotheses
from derive.notation.reading.limits import bounded
from derive.notation.reading.reader import Reader
from derive.notation.reading.scope import Scope
from derive.notation.reading.tokens import RELATIONS
from derive.vocabulary.context import Context
from derive.vocabulary.information import Hypothesis
from derive.vocabulary.operators import Binder
from derive.vocabulary.parameters import Domain

_NO_RELATION = r"no relation: a statement compares two sides with =, \le or \ge"


@dataclass(frozen=True)
class Statement:
    """`lhs relation rhs`, read from `text`; relation is "=", "<=", ">=", "<" or ">"."""

    lhs: Expr
    relation: str
    rhs: Expr
    text: str
    hypotheses: tuple[Hypothesis | Domain, ...] = ()


@bounded
def parse_statement(text: str, deadline: Deadline) -> Statement:
    """Read one identity or inequality, such as `H(p, q) = H(p) + D_{KL}(p \\| q)`, after its
    hypotheses, if any (`X \\to Y \\to Z \\implies I(X; Z) \\le I(X; Y)`,
    `\\sigma > 0 \\implies \\log \\sigma^2 = 2 \\log \\sigma`)."""
    reader = Reader(text, deadline)
    implies = [k for k in reader.top(0, len(reader.tokens)) if reader.texts[k] == r"\implies"]
    if len(implies) > 1:
        raise reader.error(r"one \implies: join several hypotheses with commas", implies[1])
    start = implies[0] + 1 if implies else 0
    relations = _relations(reader, start)
    if not relations:
        raise reader.error(_NO_RELATION, len(reader.tokens))
    if len(relations) > 1:
        first, second = (reader.tokens[k] for k in relations[:2])
        raise reader.error(f'several relations ("{first.raw}" at column {first.start} and '
                           f'"{second.raw}" here): a statement has one; check each step of a '
                           "chain as a statement of its own", relations[1])
    found: tuple = ()
    if implies:  # read first: a mixture's weights may need the parameters' domains
        if implies[0] == 0:
            raise reader.error(r"missing hypothesis before \implies", 0)
        found = hypotheses(reader, 0, implies[0], Scope())
        reader.domains = tuple(fact for fact in found if isinstance(fact, Domain))
    (statement,) = _chain(reader, relations, start)[:1]
    if implies:
        used = statement.lhs.free_symbols | statement.rhs.free_symbols
        bound = {b.variable for side in (statement.lhs, statement.rhs)
                 for b in side.atoms(Binder)}
        for fact, (a, _) in zip(found, reader.split(0, implies[0], {","})):
            if not isinstance(fact, Domain):
                continue
            if fact.symbol not in used:
                raise reader.error(f"the hypothesis {fact.text} is about {latex(fact.symbol)}, "
                                   "which the statement does not use", a)
            if Context(assumptions=found).domain(fact.symbol).empty:
                raise reader.error(f"the hypotheses on {latex(fact.symbol)} contradict each "
                                   "other: no number satisfies them all", a)
            if fact.symbol in bound:
                raise reader.error(f"{latex(fact.symbol)} is also the variable of a sum or an "
                                   "integral here: a hypothesis bounds a letter free in the "
                                   "whole statement", a)
        return replace(statement, hypotheses=found)
    return statement


@bounded
def parse_chain(text: str, deadline: Deadline) -> tuple[Statement, ...]:
    """Read a chain `a = b = c` (any relations) as the statements `a = b`, `b = c`."""
    reader = Reader(text, deadline)
    relations = _relations(reader)
    if not relations:
        raise reader.error(_NO_RELATION, len(reader.tokens))
    return _chain(reader, relations)


@bounded
def parse_expression(text: str, deadline: Deadline, domains: tuple[Domain, ...] = ()) -> Expr:
    """Read an expression without a relation, such as `H(p) + D_{KL}(p \\| q)`, where the
    parameters lie in the given domains (a derivation's hypotheses: 0 < ε < 1)."""
    reader = Reader(text, deadline)
    # a derivation's hypotheses check a mixture's weights here; without them, where evaluated
    reader.domains = tuple(domains) if domains else None
    relations = _relations(reader)
    if relations:
        k = relations[0]
        raise reader.error(f'unexpected "{reader.tokens[k].raw}": an expression has no relation',
                           k)
    return with_labels([_side(reader, 0, len(reader.tokens))])[0]


def _relations(reader: Reader, lo: int = 0) -> list[int]:
    """The tokens from lo on that are relations, outside brackets."""
    return [k for k in reader.top(lo, len(reader.tokens)) if reader.tokens[k].text in RELATIONS]


def _chain(reader: Reader, relations: list[int], lo: int = 0) -> tuple[Statement, ...]:
    """The statements between consecutive sides (from token lo on), cut at the `relations`."""
    bounds = [lo - 1, *relations, len(reader.tokens)]
    for position, k in enumerate(relations):
        relation = reader.tokens[k].raw
        if bounds[position] + 1 == k:
            raise reader.error(f'empty left side of "{relation}"', k)
        if bounds[position + 2] == k + 1:
            raise reader.error(f'empty right side of "{relation}"', k)
    sides = with_labels([_side(reader, a + 1, b) for a, b in pairwise(bounds)])
    return tuple(Statement(sides[n], RELATIONS[reader.tokens[k].text], sides[n + 1], reader.text)
                 for n, k in enumerate(relations))


def _side(reader: Reader, lo: int, hi: int) -> Expr:
    """Tokens lo..hi as one side (or a whole expression)."""
    try:
        return reader.expression(lo, hi, Scope())
    except RecursionError:
        raise reader.error("nested too deeply", lo) from None
