"""The reader's core: one input's tokens and brackets, positions in them (columns, the top level
of a range, its parts, a command's argument), errors that point there, and the dispatch of each
piece of an expression to the module that reads its construct."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from sympy import Expr, oo

from derive.core.timeouts import Deadline
from derive.notation.reading.calculus import nabla
from derive.notation.reading.errors import NotationSyntaxError
from derive.notation.reading.families import categorical_letters, family, parameter_letters
from derive.notation.reading.functions import fraction, function, root
from derive.notation.reading.letters import atom
from derive.notation.reading.information import joint_reading, measure, measure_at
from derive.notation.reading.limits import MAX_DEPTH, MAX_LENGTH
from derive.notation.reading.messages import MISPLACED, MISPLACED_RELATION
from derive.notation.reading.operators import (differential, integral, named, optimisation, optimum,
                                               sum_or_product)
from derive.notation.reading.quantities import (head_patterns, heads_vocabulary, quantity,
                                                quantity_head)
from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton, evaluated, number
from derive.vocabulary.parameters import Domain
from derive.notation.reading.tokens import (COMMANDS, GREEK, OPENERS, RELATIONS, WORD_COMMANDS,
                                            match_brackets, tokenize)

#: Reads the construct a command starts at token k (up to hi at most) into the skeleton, and
#: returns the token after it.
Construct = Callable[["Reader", int, int, Scope, Skeleton], int]

#: The constructs commands start, by command.
_CONSTRUCTS: dict[str, Construct] = {
    r"\frac": fraction, r"\sqrt": root, r"\log": function, r"\ln": function, r"\exp": function,
    r"\sum": sum_or_product, r"\prod": sum_or_product, r"\int": integral,
    r"\nabla": nabla, r"\mathbb": named, r"\mathbf": named, r"\mathcal": family,
    **dict.fromkeys(WORD_COMMANDS, named),
}


class Reader:
    """Reads one input: its tokens, their brackets, and the quantities defined now."""

    def __init__(self, text: str, deadline: Deadline) -> None:
        self.deadline = deadline
        if len(text) > MAX_LENGTH:
            raise NotationSyntaxError(f"the input is {len(text)} characters long; at most "
                                      f"{MAX_LENGTH} are read", text, MAX_LENGTH)
        self.text = text
        self.heads = head_patterns()
        self.vocabulary = COMMANDS | heads_vocabulary(self.heads)
        self.tokens = tokenize(text, self.vocabulary)
        self.texts = tuple(t.text for t in self.tokens)
        self.partner = match_brackets(self.tokens, text)
        self.pieces = 0  # given to latex2sympy2_extended so far
        if not self.tokens:
            raise NotationSyntaxError("empty input", text, 0)
        self.joint = joint_reading(self)  # the input speaks of random variables
        self.categorical = categorical_letters(self)  # π in Categorical(π): π_k are values
        self.numbers = parameter_letters(self)  # p in Bernoulli(p): a number here
        #: The hypotheses on parameters, once read (None: an expression, read without them).
        self.domains: tuple[Domain, ...] | None = ()

    # --- errors and positions -----------------------------------------------------------------

    def fail(self, message: str, column: int) -> NotationSyntaxError:
        return NotationSyntaxError(message, self.text, column)

    def error(self, message: str, k: int) -> NotationSyntaxError:
        """An error at token `k` (at the end of the input when k is past the last token)."""
        return self.fail(message, self.column(k))

    def column(self, k: int) -> int:
        return self.tokens[k].start if k < len(self.tokens) else len(self.text)

    def top(self, lo: int, hi: int) -> Iterator[int]:
        """The tokens of lo..hi outside brackets (an opening bracket stands for its group)."""
        k = lo
        while k < hi:
            yield k
            k = self.partner[k] + 1 if self.tokens[k].text in OPENERS else k + 1

    def split(self, lo: int, hi: int, separators: set[str]) -> list[tuple[int, int]]:
        """lo..hi cut at the separators outside brackets."""
        parts, start = [], lo
        for k in self.top(lo, hi):
            if self.tokens[k].text in separators:
                parts.append((start, k))
                start = k + 1
        return parts + [(start, hi)]

    def is_(self, k: int, hi: int, *texts: str) -> bool:
        return k < hi and self.tokens[k].text in texts

    def argument(self, k: int, hi: int, what: str) -> tuple[int, int, int]:
        """The argument of `^`, `_`, `\\frac` … at token k: (lo, hi, next) of a braced group or
        of a single token."""
        if k >= hi or (self.tokens[k].kind == "symbol" and self.tokens[k].text != "{"):
            raise self.error(f'missing argument after "{what}"', k)
        token = self.tokens[k]
        if token.text == "{":
            return k + 1, self.partner[k], self.partner[k] + 1
        if token.kind == "number" and len(token.raw) > 1:
            if what == r"\frac":
                raise self.error(r"write \frac{…}{…} with braces: without them LaTeX gives "
                                 f"each argument one digit of {token.raw}", k)
            raise self.error(f"write {what}{{{token.raw}}} with braces: without them only the "
                             f"first digit of {token.raw} would count", k)
        return k, k + 1, k + 1

    def first_of_level(self, lo: int, hi: int, stops: Callable[[int], bool]) -> int:
        """The first token after lo, at this level (not inside brackets or an integral), where
        `stops` holds; hi if none."""
        k = lo
        while k < hi:
            if k > lo and stops(k):
                return k
            if self.tokens[k].text == r"\int":
                found = differential(self, k + 1, hi)
                k = found[2] if found else k + 1
            else:
                k = self.partner[k] + 1 if self.tokens[k].text in OPENERS else k + 1
        return hi

    # --- expressions --------------------------------------------------------------------------

    def expression(self, lo: int, hi: int, scope: Scope) -> Expr:
        """Tokens lo..hi as one expression."""
        self.deadline.check()
        scope = replace(scope, depth=scope.depth + 1)
        if scope.depth > MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels", lo)
        if lo >= hi:
            raise self.error("missing expression", lo)
        skeleton = Skeleton(self, self.column(lo))
        k = lo
        while k < hi:
            k = self.item(k, hi, scope, skeleton)
        return skeleton.read(self.tokens[hi - 1].end)

    def index(self, lo: int, hi: int, scope: Scope) -> Expr:
        """A subscript read as an index: its letters are whole numbers ≥ 1; its integer
        arithmetic is carried out (`n-1` is n − 1)."""
        return evaluated(self.expression(lo, hi, replace(scope, subscript=True)))

    def item(self, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
        """Reads the piece at token k into the skeleton; returns the token after it."""
        token = self.tokens[k]
        text = token.text
        if measure_at(self, k, hi):
            return measure(self, k, hi, scope, skeleton)
        head = quantity_head(self, k, hi)
        if head is not None:
            return quantity(self, k, hi, head, scope, skeleton)
        found = optimisation(self, k, hi)
        if found is not None:
            return optimum(self, k, hi, *found, scope, skeleton)
        if text in ("+", "-"):
            skeleton.sign(text, token.start)
            return k + 1
        if text in (r"\cdot", "/"):
            skeleton.binary(token)
            return k + 1
        if token.kind == "number":
            skeleton.operand(number(token.raw), token.start)
            return k + 1
        if text in OPENERS:
            skeleton.operand(self.expression(k + 1, self.partner[k], scope), token.start)
            return self.partner[k] + 1
        if text == "^":
            lo, end, after = self.argument(k + 1, hi, "^")
            skeleton.power(self.expression(lo, end, scope), token)
            return after
        if text in _CONSTRUCTS:
            return _CONSTRUCTS[text](self, k, hi, scope, skeleton)
        if text == r"\infty":
            skeleton.operand(oo, token.start)
            return k + 1
        if token.kind == "letter" or text[1:] in GREEK:
            return atom(self, k, hi, scope, skeleton)
        raise self.unexpected(k)

    def unexpected(self, k: int) -> NotationSyntaxError:
        """The error for a token that cannot stand where it is, with a hint where it can."""
        token = self.tokens[k]
        hint = MISPLACED_RELATION if token.text in RELATIONS else MISPLACED.get(token.text, "")
        return self.error(f'unexpected "{token.raw}"' + (f": {hint}" if hint else ""), k)
