r"""Reading the field's LaTeX notation (README, "The notation") into derive's objects.

Two layers.  Ours tokenises the input (every token keeps its column), checks the limits and the
brackets, and recognises the field's constructs: distributions and their values `q_\theta(y \mid
x_i)`, the quantities of `QUANTITIES` (looked up when reading, so user-defined ones are read
too), sums, products, integrals, expectations, indicators and arg min / arg max.  Each construct,
and each bracketed group, becomes one placeholder `\variable{Z0}` in a flat arithmetic
*skeleton*, which latex2sympy2_extended reads: signs, products, `\frac`, powers, `\sqrt`,
`\log x` (read as natural), integers.  The placeholders are then replaced by our objects and the
arithmetic is evaluated under guards on the size of powers.  The input is never run as code.

Columns count from 0.  Every error is a `NotationSyntaxError`: one line "column N: what is wrong",
and `pointer()` shows the place.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from latex2sympy2_extended import latex2sympy
from latex2sympy2_extended.latex2sympy2 import ConversionConfig
from sympy import (Add, Basic, Dummy, E, Expr, Function, Integer, Mul, Pow, S, Symbol, exp, log,
                   oo, pi)

from derive.distributions import (DATA_INDEX, DATA_SIZE, LABEL_VARIABLE, SUPPORT_VARIABLE, THETA,
                                  Datum, Distribution, DistributionLike, Indicator, Prob)
from derive.errors import NotationError
from derive.logarithms import NaturalLog
from derive.operators import (ArgMax, ArgMin, CategorySum, DataProduct, DataSum, Expectation,
                              Optimum, SupportIntegral, SupportSum)
from derive.printing import latex
from derive.quantities import QUANTITIES, Quantity, mixture
from derive.timeouts import Deadline, OutOfTime, time_limit

#: The longest input read, in characters (checked before anything else).
MAX_LENGTH = 5000
#: How deeply brackets and constructs may nest.
MAX_DEPTH = 100
#: Seconds reading one input may take, whatever it is.
READ_SECONDS = 5.0
#: The most digits a number may have.
MAX_DIGITS = 30
#: The largest exponent of a number, and the most bits a number built from the input may have
#: (Python prints integers of at most 4300 digits, about 14 280 bits).
MAX_EXPONENT = 1000
MAX_BITS = 14_000
#: How many terms, factors and operators one input may give latex2sympy2_extended to read (its
#: parser takes about a millisecond for each and recurses over them).
MAX_PIECES = 300

DISTRIBUTION_LETTERS = "pqrs"
RELATIONS = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">"}

_CONVERSION = ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False,
                               interpret_contains_as_eq=False)

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
    "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
}
#: Other spellings of the same token.
_ALIASES = {
    r"\tfrac": r"\frac", r"\dfrac": r"\frac", r"\cfrac": r"\frac",
    r"\times": r"\cdot", "*": r"\cdot", r"\ast": r"\cdot", r"\star": r"\cdot",
    r"\mid": "|", r"\vert": "|", r"\|": "||", r"\Vert": "||", r"\parallel": "||",
    r"\lbrack": "[", r"\rbrack": "]", r"\lbrace": r"\{", r"\rbrace": r"\}",
    r"\le": "<=", r"\leq": "<=", r"\leqslant": "<=", r"\ge": ">=", r"\geq": ">=",
    r"\geqslant": ">=", r"\lt": "<", r"\gt": ">", r"\operatorname*": r"\operatorname",
}
#: Tokens that only space the formula out.
_SPACING = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad", "~", r"\displaystyle",
            r"\textstyle", r"\limits", r"\nolimits"}
#: Size modifiers: dropped, the delimiter after them stays.
_SIZES = {r"\left", r"\right", r"\middle", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl",
          r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\bigm",
          r"\Bigm"}
_DELIMITERS = {"(", ")", "[", "]", r"\{", r"\}", "|", "||", "."}
_OPENERS = {"(": ")", "[": "]", "{": "}", r"\{": r"\}"}
_CLOSERS = set(_OPENERS.values())
_WORD_COMMANDS = {r"\operatorname", r"\mathrm", r"\mathop"}
_COMMANDS = (
    {rf"\{name}" for name in _GREEK} | {a for a in _ALIASES if a.startswith("\\")}
    | (_SPACING - {"~"}) | _SIZES
    | {r"\frac", r"\sqrt", r"\log", r"\ln", r"\exp", r"\sum", r"\prod", r"\int", r"\mathbb",
       r"\mathbf", r"\mathcal", r"\cdot", r"\sim", r"\in", r"\infty", r"\arg", r"\min", r"\max",
       r"\argmin", r"\argmax", r"\{", r"\}"} | _WORD_COMMANDS)
#: Characters people paste from rendered formulas, and what to type instead.
_UNICODE = {"∑": r"\sum", "∏": r"\prod", "∫": r"\int", "≤": r"\le", "≥": r"\ge", "∥": r"\|",
            "·": r"\cdot", "∼": r"\sim", "∈": r"\in", "𝔼": r"\mathbb{E}", "∞": r"\infty",
            "𝟙": r"\mathbb{1}", "−": "-"}
#: Accepted forms of the operators, for suggestions (quantities are added from the registry).
_OPERATOR_FORMS = {
    "e": r"\mathbb{E}_{x \sim p}[f(x)]", "expectation": r"\mathbb{E}_{x \sim p}[f(x)]",
    "argmin": r"\operatorname*{arg\,min}_{\theta}", "argmax": r"\operatorname*{arg\,max}_{\theta}",
    "indicator": r"\mathbb{1}[y = y_i]", "one": r"\mathbb{1}[y = y_i]",
    "sum": r"\sum_{x \in \mathcal{X}}", "integral": r"\int_{\mathcal{X}} … \, dx",
}

_LEXEME = re.compile(r"""
    (?P<space>\s+)
  | (?P<command>\\operatorname\*|\\[A-Za-z]+|\\[^A-Za-z])
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<letter>[A-Za-z])
  | (?P<symbol>\|\||<=|>=|[{}()\[\]_^+\-=<>,|*/'!.:;~&])
""", re.VERBOSE)


class NotationSyntaxError(NotationError):
    """The input could not be read; `column` (from 0) is where, `pointer()` shows it."""

    def __init__(self, message: str, text: str, column: int) -> None:
        self.message = " ".join(message.split())
        self.text = text
        self.column = column
        super().__init__(f"column {column}: {self.message}")

    def pointer(self) -> str:
        """Two lines: the input (a window of at most 80 characters of it) and a caret under
        the column."""
        start = max(0, min(self.column - 40, len(self.text) - 80))
        window = self.text[start:start + 80]
        shown = "".join(" " if c.isspace() else c for c in window)
        return f"{shown}\n{' ' * (self.column - start)}^"


@dataclass(frozen=True)
class Statement:
    """`lhs relation rhs`, read from `text`; relation is "=", "<=", ">=", "<" or ">"."""

    lhs: Expr
    relation: str
    rhs: Expr
    text: str


def _bounded(read):
    """Read within READ_SECONDS: whatever slips past the limits above is stopped, not waited for
    (the reader checks the deadline as it goes; an alarm interrupts what it calls)."""
    @functools.wraps(read)
    def bounded(text: str):
        try:
            with time_limit(READ_SECONDS) as deadline:
                return read(text, deadline)
        except OutOfTime:
            raise NotationSyntaxError(f"reading took longer than {READ_SECONDS:g} s: write the "
                                      "input more simply", text, 0) from None
    return bounded


@_bounded
def parse_statement(text: str, deadline: Deadline | None = None) -> Statement:
    """Read one identity or inequality, such as `H(p, q) = H(p) + D_{KL}(p \\| q)`."""
    reader = _Reader(text, deadline)
    relations = reader.relations()
    if not relations:
        raise reader.error(r"no relation: a statement compares two sides with =, \le or \ge",
                           len(reader.tokens))
    if len(relations) > 1:
        first, second = (reader.tokens[k] for k in relations[:2])
        raise reader.error(f'several relations ("{first.raw}" at column {first.start} and '
                           f'"{second.raw}" here): a statement has one; parse_chain reads a chain',
                           relations[1])
    return reader.chain(relations)[0]


@_bounded
def parse_chain(text: str, deadline: Deadline | None = None) -> tuple[Statement, ...]:
    """Read a chain `a = b = c` (any relations) as the statements `a = b`, `b = c`."""
    reader = _Reader(text, deadline)
    relations = reader.relations()
    if not relations:
        raise reader.error(r"no relation: a statement compares two sides with =, \le or \ge",
                           len(reader.tokens))
    return reader.chain(relations)


@_bounded
def parse_expression(text: str, deadline: Deadline | None = None) -> Expr:
    """Read an expression without a relation, such as `H(p) + D_{KL}(p \\| q)`."""
    reader = _Reader(text, deadline)
    relations = reader.relations()
    if relations:
        k = relations[0]
        raise reader.error(f'unexpected "{reader.tokens[k].raw}": an expression has no relation',
                           k)
    return reader.side(0, len(reader.tokens))


@dataclass(frozen=True)
class _Token:
    """One token of the input, with its columns."""

    kind: str  # "command", "number", "letter" or "symbol"
    text: str  # the canonical spelling
    raw: str   # as typed
    start: int
    end: int


@dataclass
class _IndexSum:
    """A sum over an index being read: whether its body used `p_i` (a category) or `x_i`."""

    symbol: Symbol
    category: bool = False
    data: bool = False


@dataclass(frozen=True)
class _Scope:
    """What the letters mean where the reader is."""

    bound: dict[str, Symbol] = field(default_factory=dict)
    sums: tuple[_IndexSum, ...] = ()
    subscript: bool = False  # letters are indices
    mixture: dict[DistributionLike, Dummy] | None = None  # distributions stand as symbols
    depth: int = 0

    def mark(self, index: Expr, use: str) -> None:
        """Record that the sum over `index` (if any) uses it as a category or a data index."""
        for frame in reversed(self.sums):
            if frame.symbol == index:
                setattr(frame, use, True)
                return


@dataclass(frozen=True)
class _Head:
    """A quantity's head as tokens: `base` and, for `D_{KL}`, the subscript's tokens."""

    base: tuple[str, ...]
    sub: tuple[str, ...] | None
    classes: tuple[type[Quantity], ...]

    @property
    def size(self) -> int:
        return len(self.base) + len(self.sub or ())


def _tokenize(text: str, vocabulary: set[str] | None) -> list[_Token]:
    """The tokens of `text`, spacing dropped; commands outside `vocabulary` (if given) fail."""
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        lexeme = _LEXEME.match(text, position)
        if lexeme is None:
            raise NotationSyntaxError(_unexpected_character(text[position]), text, position)
        kind, raw, start, position = lexeme.lastgroup, lexeme.group(), lexeme.start(), lexeme.end()
        if kind == "space" or raw in _SPACING:
            continue
        if kind == "number" and sum(c.isdigit() for c in raw) > MAX_DIGITS:
            raise NotationSyntaxError(f"a number with more than {MAX_DIGITS} digits", text, start)
        if kind == "command" and vocabulary is not None and raw not in vocabulary:
            raise NotationSyntaxError(f'unknown command "{raw}"{_suggest_command(raw, vocabulary)}',
                                      text, start)
        tokens.append(_Token(kind, _ALIASES.get(raw, raw), raw, start, position))
    return _drop_sizes(tokens, text)


def _drop_sizes(tokens: list[_Token], text: str) -> list[_Token]:
    """Without `\\left`, `\\big` …: the delimiter after each stays (`\\left.` goes too)."""
    kept: list[_Token] = []
    for k, token in enumerate(tokens):
        if token.text in _SIZES:
            following = tokens[k + 1] if k + 1 < len(tokens) else None
            if following is None or following.text not in _DELIMITERS:
                raise NotationSyntaxError(f'"{token.raw}" must be followed by a delimiter such '
                                          'as ( or [', text, token.start)
        elif token.text == "." and k > 0 and tokens[k - 1].text in _SIZES:
            continue
        else:
            kept.append(token)
    return kept


def _match_brackets(tokens: list[_Token], text: str) -> dict[int, int]:
    """Each bracket's partner, both ways; unbalanced or too deeply nested brackets fail."""
    partner: dict[int, int] = {}
    open_: list[int] = []
    for k, token in enumerate(tokens):
        if token.text in _OPENERS:
            open_.append(k)
            if len(open_) > MAX_DEPTH:
                raise NotationSyntaxError(f"brackets nested deeper than {MAX_DEPTH} levels",
                                          text, token.start)
        elif token.text in _CLOSERS:
            if not open_:
                raise NotationSyntaxError(f'unbalanced "{token.raw}": nothing opens it', text,
                                          token.start)
            opener = tokens[open_[-1]]
            if _OPENERS[opener.text] != token.text:
                raise NotationSyntaxError(f'"{token.raw}" closes "{opener.raw}" from column '
                                          f'{opener.start}', text, token.start)
            opened = open_.pop()
            partner[opened], partner[k] = k, opened
    if open_:
        opener = tokens[open_[-1]]
        raise NotationSyntaxError(f'unbalanced "{opener.raw}": it is never closed', text,
                                  opener.start)
    return partner


def _head_patterns() -> list[_Head]:
    """Every head `read_as` of the quantities defined now, longest first."""
    classes: dict[str, list[type[Quantity]]] = {}
    for cls in QUANTITIES.values():
        for head in cls.notation.read_as:
            classes.setdefault(head, []).append(cls)
    heads = []
    for head, owners in classes.items():
        texts = tuple(t.text for t in _tokenize(head, None))
        base, sub = texts, None
        if len(texts) > 3 and texts[-1] == "}" and "_" in texts:
            cut = len(texts) - 1 - texts[::-1].index("_")
            if texts[cut + 1] == "{" and _closes_at_end(texts[cut + 1:]):
                base, sub = texts[:cut], texts[cut + 2:-1]
        heads.append(_Head(base, sub, tuple(owners)))
    return sorted(heads, key=lambda h: -h.size)


def _closes_at_end(texts: tuple[str, ...]) -> bool:
    """Whether the brace that opens `texts` closes at its last token."""
    depth = 0
    for position, text in enumerate(texts):
        depth += {"{": 1, "}": -1}.get(text, 0)
        if depth == 0:
            return position == len(texts) - 1
    return False


def _heads_vocabulary(heads: list[_Head]) -> set[str]:
    """The commands the quantities' heads use (a user's head may bring a new one)."""
    return {t for head in heads for t in head.base + (head.sub or ()) if t.startswith("\\")}


class _Skeleton:
    """The arithmetic of one expression, for latex2sympy2_extended: every construct of the
    field and every bracketed group is one placeholder in it."""

    def __init__(self, reader: _Reader, column: int) -> None:
        self.reader = reader
        self.column = column
        self.pieces: list[tuple[str, int]] = []
        self.objects: dict[str, Expr] = {}
        self.state = "start"  # "operand" or "operator" after the first piece
        self.operators = 0

    def inline(self, value: Expr) -> str:
        """`value` as skeleton text: small whole numbers as digits, anything else a
        placeholder."""
        if isinstance(value, Integer) and 0 <= value < 10 ** MAX_DIGITS:
            return str(value)
        name = f"Z{len(self.objects)}"
        self.objects[name] = value
        return rf"\variable{{{name}}}"

    def operand(self, value: Expr, column: int) -> None:
        self.piece(self.inline(value), column)

    def piece(self, text: str, column: int) -> None:
        """An operand written out, such as `\\frac{Z0}{2}`."""
        if text.isdigit() and self.pieces and self.pieces[-1][0].isdigit():
            self.pieces.append((r"\cdot", column))  # latex2sympy2_extended reads `2 3` as 5
        self.pieces.append((text, column))
        self.state, self.operators = "operand", 0

    def sign(self, text: str, column: int) -> None:
        self.operators += 1
        if self.operators > 2:
            raise self.reader.fail(f'too many operators in a row before "{text}"', column)
        self.pieces.append((text, column))
        self.state = "operator"

    def binary(self, token: _Token) -> None:
        if self.state != "operand":
            raise self.reader.fail(f'missing operand before "{token.raw}"', token.start)
        self.pieces.append((token.text, token.start))
        self.state, self.operators = "operator", 1

    def power(self, exponent: Expr, token: _Token) -> None:
        if self.state != "operand":
            raise self.reader.fail('missing base before "^"', token.start)
        if self.pieces and self.pieces[-1][0].startswith("^"):  # LaTeX refuses it too
            raise self.reader.fail("a double superscript: write a^{b^{c}} or (a^{b})^{c}",
                                   token.start)
        self.pieces.append((f"^{{{self.inline(exponent)}}}", token.start))

    def read(self, end: int) -> Expr:
        """The expression: read by latex2sympy2_extended, placeholders replaced, evaluated;
        `end` is the column just after it."""
        if self.state != "operand":
            raise self.reader.fail("missing operand at the end", end)
        if len(self.pieces) == 1 and self.pieces[0][0].startswith(r"\variable"):
            return self.objects["Z0"]
        self.reader.pieces += len(self.pieces)
        if self.reader.pieces > MAX_PIECES:
            raise self.reader.fail(f"too long: more than {MAX_PIECES} terms, factors and "
                                   "operators to read", self.column)
        text = " ".join(piece for piece, _ in self.pieces)
        try:
            raw = latex2sympy(text, normalization_config=None, conversion_config=_CONVERSION)
        except RecursionError:
            raise self.reader.fail("the arithmetic is nested too deeply", self.column) from None
        except Exception:  # latex2sympy2_extended raises bare Exception on syntax it cannot read
            raise self.reader.fail("cannot read this arithmetic", self.column) from None
        return _evaluate(raw, self.objects, lambda message: self.reader.fail(message, self.column))


def _evaluate(raw: Basic, objects: dict[str, Expr], fail) -> Expr:
    """latex2sympy2_extended's arithmetic with the placeholders replaced, built bottom up exactly
    as written (`_arithmetic`)."""
    if not isinstance(raw, Basic):
        raise fail("unsupported arithmetic")
    if isinstance(raw, Symbol):
        return objects[raw.name]
    if raw is S.ComplexInfinity or raw is S.NaN:  # latex2sympy2_extended divides numbers
        raise fail("division by zero is undefined")
    if raw.is_Rational or raw in (E, pi):
        return raw
    if not isinstance(raw, (Add, Mul, Pow)):
        raise fail(f"unsupported arithmetic ({type(raw).__name__})")
    return _arithmetic(raw.func, [_evaluate(a, objects, fail) for a in raw.args], fail)


def _arithmetic(operation: type[Add] | type[Mul] | type[Pow], args: list[Expr], fail) -> Expr:
    """A sum, product or power as written: nothing is cancelled or simplified (`H(p)/H(p)` stays
    a quotient), only exact arithmetic of rational numbers is carried out.  Undefined arithmetic
    of numbers (division by 0, 0 to a negative power, an even root of a negative number) and
    numbers too large to compute fail."""
    if operation is Pow:
        base, exponent = args
        if base.is_Rational and exponent.is_Rational and abs(exponent) > MAX_EXPONENT:
            raise fail(f"exponent {exponent} is too large for a power of a number (at most "
                       f"{MAX_EXPONENT})")
        if base.is_Rational and base == 0 and exponent.is_number and exponent.is_negative:
            raise fail("division by zero is undefined" if exponent == -1
                       else f"0 to the power {exponent} is undefined")
        if base.is_Rational and base < 0 and exponent.is_Rational and not exponent.is_Integer:
            raise fail(f"({base})^{{{exponent}}} is undefined: a root of a negative number")
        if not (base.is_Rational and exponent.is_Integer):
            return Pow(base, exponent, evaluate=False)
        if abs(base) not in (0, 1) and abs(exponent) * max(abs(base.p).bit_length(),
                                                            base.q.bit_length()) > MAX_BITS:
            raise fail("a power of numbers is too large to compute")
        return Pow(base, exponent)
    if not all(a.is_Rational for a in args):
        return operation(*args, evaluate=False)
    result = operation(*args)
    if max(result.p.bit_length(), result.q.bit_length()) > MAX_BITS:
        raise fail("a number is too large (more than about 4000 digits)")
    return result


def _logarithm(argument: Expr, base: Expr | None, natural: bool, fail) -> Expr:
    """log_base(argument) as written (a quotient of natural logs when based); `\\ln` is a
    NaturalLog.  The log of a negative number, and a base that is not a positive number other
    than 1, fail (log 0 = −∞ is read: 0 · log 0 = 0 is a convention of the field)."""
    if argument.is_Rational and argument < 0:
        raise fail(f"the logarithm of {argument} is undefined: its argument is not negative")
    value = (NaturalLog if natural else log)(argument, evaluate=False)
    if base is None:
        return value
    if base.is_Rational and (base <= 0 or base == 1):
        raise fail(f"a logarithm to the base {base} is undefined: the base is a positive number "
                   "other than 1")
    return Mul(value, Pow(log(base, evaluate=False), -1, evaluate=False), evaluate=False)


class _Reader:
    """Reads one input: its tokens, their brackets, and the quantities defined now."""

    def __init__(self, text: str, deadline: Deadline | None = None) -> None:
        self.deadline = deadline
        if len(text) > MAX_LENGTH:
            raise NotationSyntaxError(f"the input is {len(text)} characters long; at most "
                                      f"{MAX_LENGTH} are read", text, MAX_LENGTH)
        self.text = text
        self.heads = _head_patterns()
        self.vocabulary = _COMMANDS | _heads_vocabulary(self.heads)
        self.tokens = _tokenize(text, self.vocabulary)
        self.texts = tuple(t.text for t in self.tokens)
        self.partner = _match_brackets(self.tokens, text)
        self.pieces = 0  # given to latex2sympy2_extended so far
        if not self.tokens:
            raise NotationSyntaxError("empty input", text, 0)

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
            k = self.partner[k] + 1 if self.tokens[k].text in _OPENERS else k + 1

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

    # --- statements ---------------------------------------------------------------------------

    def relations(self) -> list[int]:
        return [k for k in self.top(0, len(self.tokens)) if self.tokens[k].text in RELATIONS]

    def chain(self, relations: list[int]) -> tuple[Statement, ...]:
        bounds = [-1, *relations, len(self.tokens)]
        for position, k in enumerate(relations):
            relation = self.tokens[k].raw
            if bounds[position] + 1 == k:
                raise self.error(f'empty left side of "{relation}"', k)
            if bounds[position + 2] == k + 1:
                raise self.error(f'empty right side of "{relation}"', k)
        sides = [self.side(a + 1, b) for a, b in zip(bounds, bounds[1:])]
        return tuple(Statement(sides[n], RELATIONS[self.tokens[k].text], sides[n + 1], self.text)
                     for n, k in enumerate(relations))

    def side(self, lo: int, hi: int) -> Expr:
        try:
            return self.expression(lo, hi, _Scope())
        except RecursionError:
            raise self.error("nested too deeply", lo) from None

    # --- expressions --------------------------------------------------------------------------

    def expression(self, lo: int, hi: int, scope: _Scope) -> Expr:
        """Tokens lo..hi as one expression."""
        if self.deadline is not None:
            self.deadline.check()
        scope = replace(scope, depth=scope.depth + 1)
        if scope.depth > MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels", lo)
        if lo >= hi:
            raise self.error("missing expression", lo)
        skeleton = _Skeleton(self, self.column(lo))
        k = lo
        while k < hi:
            k = self.item(k, hi, scope, skeleton)
        return skeleton.read(self.tokens[hi - 1].end)

    def item(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        """Reads the piece at token k into the skeleton; returns the token after it."""
        token = self.tokens[k]
        text = token.text
        head = self.match_head(k, hi)
        if head is not None and (self.is_(head[2], hi, "(", "[") or len(head[0].base) > 1
                                 or head[0].sub is not None):
            return self.quantity(k, hi, head, scope, skeleton)
        optimum = self.optimisation(k, hi)
        if optimum is not None:
            return self.optimum(k, hi, *optimum, scope, skeleton)
        if text in ("+", "-"):
            skeleton.sign(text, token.start)
            return k + 1
        if text in (r"\cdot", "/"):
            skeleton.binary(token)
            return k + 1
        if token.kind == "number":
            skeleton.operand(_number(token.raw), token.start)
            return k + 1
        if text in _OPENERS:
            skeleton.operand(self.expression(k + 1, self.partner[k], scope), token.start)
            return self.partner[k] + 1
        if text == "^":
            lo, end, after = self.argument(k + 1, hi, "^")
            skeleton.power(self.expression(lo, end, scope), token)
            return after
        if text == r"\frac":
            return self.fraction(k, hi, scope, skeleton)
        if text == r"\sqrt":
            return self.root(k, hi, scope, skeleton)
        if text in (r"\log", r"\ln", r"\exp"):
            return self.function(k, hi, scope, skeleton)
        if text in (r"\sum", r"\prod"):
            return self.sum(k, hi, scope, skeleton)
        if text == r"\int":
            return self.integral(k, hi, scope, skeleton)
        if text in (r"\mathbb", r"\mathbf") or text in _WORD_COMMANDS:
            return self.named(k, hi, scope, skeleton)
        if text == r"\infty":
            skeleton.operand(oo, token.start)
            return k + 1
        if token.kind == "letter" or text[1:] in _GREEK:
            return self.atom(k, hi, scope, skeleton)
        raise self.unexpected(k)

    def unexpected(self, k: int) -> NotationSyntaxError:
        token = self.tokens[k]
        hints = {
            "|": r"a conditional bar goes inside a value, as in q_\theta(y \mid x_i)",
            "||": r"it separates the distributions of a quantity, as in D_{KL}(p \| q)",
            "_": "a subscript needs a letter before it",
            r"\sim": r"it belongs in \mathbb{E}_{x \sim p}[…]",
            r"\in": r"it belongs in \sum_{x \in \mathcal{X}}",
            r"\mathcal": r"\mathcal{X} names the support in \sum_{x \in \mathcal{X}} or "
                         r"\int_{\mathcal{X}}",
            r"\min": r"did you mean \arg\min_{\theta}?",
            r"\max": r"did you mean \arg\max_{\theta}?",
            r"\arg": r"write \arg\min_{\theta} or \arg\max_{\theta}",
        }
        if token.text in RELATIONS:
            hint = "a relation may only stand between the two sides, outside brackets"
        else:
            hint = hints.get(token.text, "")
        return self.error(f'unexpected "{token.raw}"' + (f": {hint}" if hint else ""), k)

    def argument(self, k: int, hi: int, what: str) -> tuple[int, int, int]:
        """The argument of `^`, `_`, `\\frac` … at token k: (lo, hi, next) of a braced group or
        of a single token."""
        if k >= hi or self.tokens[k].kind == "symbol" and self.tokens[k].text != "{":
            raise self.error(f'missing argument after "{what}"', k)
        token = self.tokens[k]
        if token.text == "{":
            return k + 1, self.partner[k], self.partner[k] + 1
        if token.kind == "number" and len(token.raw) > 1:
            written = r"\frac{…}{…}" if what == r"\frac" else f"{what}{{{token.raw}}}"
            raise self.error(f"write {written} with braces: without them only the first digit "
                             f"of {token.raw} would count", k)
        return k, k + 1, k + 1

    # --- arithmetic ----------------------------------------------------------------------------

    def fraction(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        lo, end, after = self.argument(k + 1, hi, r"\frac")
        numerator = skeleton.inline(self.expression(lo, end, scope))
        lo, end, after = self.argument(after, hi, r"\frac")
        denominator = skeleton.inline(self.expression(lo, end, scope))
        skeleton.piece(rf"\frac{{{numerator}}}{{{denominator}}}", self.column(k))
        return after

    def root(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        """`\\sqrt{x}`, and `\\sqrt[n]{x}`: the power 1/n of x."""
        after, degree = k + 1, Integer(2)
        if self.is_(after, hi, "["):
            degree = self.expression(after + 1, self.partner[after], scope)
            after = self.partner[after] + 1
        lo, end, after = self.argument(after, hi, r"\sqrt")
        fail = functools.partial(self.fail, column=self.tokens[k].start)
        exponent = _arithmetic(Pow, [degree, Integer(-1)], fail)
        skeleton.operand(_arithmetic(Pow, [self.expression(lo, end, scope), exponent], fail),
                         self.tokens[k].start)
        return after

    def function(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        """`\\log` (natural), `\\ln`, `\\log_b`, `\\exp`, with an optional power
        (`\\log^2 x`).  The argument is a bracketed group, or else runs over the implicit
        product after the function up to `+`, `-`, `\\cdot`, `\\times`, `/` or the next function
        word: `\\log 2 x` is log(2x), `\\log a \\cdot b` is (log a)·b, `\\log a \\log b` is
        (log a)(log b)."""
        token = self.tokens[k]
        after, base, power = k + 1, None, None
        while self.is_(after, hi, "_", "^"):
            script = self.tokens[after].text
            if script == "_" and (token.text != r"\log" or base is not None) or \
                    script == "^" and power is not None:
                raise self.error(f'unexpected "{script}" after "{token.raw}"', after)
            lo, end, after = self.argument(after + 1, hi, script)
            if script == "_":
                base = self.expression(lo, end, scope)
            else:
                power = self.expression(lo, end, scope)
        if self.is_(after, hi, "(", "["):
            lo, end = after + 1, self.partner[after]
            following = end + 1
        else:
            lo, end = after, self.argument_end(after, hi)
            following = end
            if lo == end:
                raise self.error(f'missing argument of "{token.raw}"', after)
        argument = self.expression(lo, end, scope)
        fail = functools.partial(self.fail, column=token.start)
        if token.text == r"\exp":
            value = exp(argument, evaluate=False)
        else:
            value = _logarithm(argument, base, token.text == r"\ln", fail)
        if power is not None:
            value = _arithmetic(Pow, [value, power], fail)
        skeleton.operand(value, token.start)
        return following

    def argument_end(self, lo: int, hi: int) -> int:
        """Where an unbracketed function argument starting at lo ends: at the first `+`, `-`,
        `\\cdot` or `/` of this level after its start (a leading sign is the argument's), or at
        the next function word: `\\log x \\log y` is (log x)(log y)."""
        return self.first_of_level(lo, hi, lambda k: self.tokens[k].text in
                                   ("+", "-", r"\cdot", "/", r"\log", r"\ln", r"\exp"))

    def first_of_level(self, lo: int, hi: int, stops: Callable[[int], bool]) -> int:
        """The first token after lo, at this level (not inside brackets or an integral), where
        `stops` holds; hi if none."""
        k = lo
        while k < hi:
            if k > lo and stops(k):
                return k
            if self.tokens[k].text == r"\int":
                differential = self.differential(k + 1, hi)
                k = differential[2] if differential else k + 1
            else:
                k = self.partner[k] + 1 if self.tokens[k].text in _OPENERS else k + 1
        return hi

    # --- letters ---------------------------------------------------------------------------

    def letter_symbol(self, letter: str, scope: _Scope) -> Expr:
        """A single letter: a bound variable, e, the data index i and size n, an index, or a
        plain symbol."""
        if letter in scope.bound:
            return scope.bound[letter]
        if letter == "e":
            return E
        if letter == "i" or letter == "n":
            return DATA_INDEX if letter == "i" else DATA_SIZE
        if scope.subscript:
            return _index_symbol(letter)
        return Symbol(letter)

    def index(self, lo: int, hi: int, scope: _Scope) -> Expr:
        """A subscript read as an index: its letters are whole numbers ≥ 1; its integer
        arithmetic is carried out (`n-1` is n − 1)."""
        return _evaluated(self.expression(lo, hi, replace(scope, subscript=True)))

    def atom(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        """A letter or a Greek letter, with its subscript, a `^*`, or its arguments `f(x)`."""
        token = self.tokens[k]
        greek = token.kind == "command"
        name = token.text[1:] if greek else token.text
        if not greek and name in DISTRIBUTION_LETTERS:
            return self.value(k, hi, scope, skeleton)
        if name == "delta" and self.is_(k + 1, hi, "_"):
            return self.kronecker(k, hi, scope, skeleton)
        self.refuse_unknown_quantity(k, hi)
        after = k + 1
        if self.is_(after, hi, "(") and self.tokens[after].start == token.end and name != "e":
            close = self.partner[after]
            arguments = [self.expression(a, b, scope)
                         for a, b in self.split(after + 1, close, {","})]
            skeleton.operand(Function(name)(*arguments), token.start)
            return close + 1
        if self.is_(after, hi, "_"):
            lo, end, after = self.argument(after + 1, hi, "_")
            if greek:
                if end - lo != 1 or self.tokens[lo].kind == "symbol":
                    raise self.error(f"write \\{name}_{{…}} with one letter or number", lo)
                value: Expr = Symbol(f"{name}_{self.tokens[lo].raw}")
            else:
                index = self.index(lo, end, scope)
                scope.mark(index, "data")
                value = Datum(name, index)
        elif greek:
            value = {"theta": THETA, "pi": pi}.get(name, Symbol(name))
        else:
            value = self.letter_symbol(name, scope)
        if self.is_(after, hi, "^") and self.star(after + 1, hi) is not None:
            if not isinstance(value, Symbol):
                raise self.error(f'"^*" only marks a symbol, not {value}', after)
            value, after = Symbol(f"{value.name}^*"), self.star(after + 1, hi)
        skeleton.operand(value, token.start)
        return after

    def star(self, k: int, hi: int) -> int | None:
        """The token after a `*` (or `\\ast`, `\\star`, `{*}`) at k, or None."""
        stars = ("*", r"\ast", r"\star")
        if self.is_(k, hi, "{") and self.partner[k] == k + 2:
            return k + 3 if self.tokens[k + 1].raw in stars else None
        return k + 1 if k < hi and self.tokens[k].raw in stars else None

    def refuse_unknown_quantity(self, k: int, hi: int) -> None:
        """`D(p || q)`, `JS(p, q)`: letters applied to distributions are a quantity we do not
        know; say which ones we do."""
        if k > 0 and self.tokens[k - 1].kind == "letter" and \
                self.tokens[k - 1].end == self.tokens[k].start:
            return  # checked from the first letter of the word
        end = k + 1
        while end < hi and self.tokens[end].kind == "letter" and \
                self.tokens[end].start == self.tokens[end - 1].end:
            end += 1
        if self.is_(end, hi, "(", "[") and self.looks_like_distributions(end + 1,
                                                                          self.partner[end]):
            word = self.text[self.tokens[k].start:self.tokens[end - 1].end]
            close = self.partner[end]
            count = len(self.split(end + 1, close, {",", "||"}))
            parallel = any(self.tokens[j].text == "||" for j in self.top(end + 1, close))
            raise self.error(f'unknown quantity "{word}"{_suggest_quantity(word, count, parallel)}',
                             k)

    def looks_like_distributions(self, lo: int, hi: int) -> bool:
        parts = self.split(lo, hi, {",", "||"})
        if len(parts) > 1 and any(self.tokens[j].text == "||" for j in self.top(lo, hi)):
            return True
        return all(end > a and self.tokens[a].text in tuple(DISTRIBUTION_LETTERS)
                   and (end == a + 1 or self.tokens[a + 1].text == "_") for a, end in parts)

    # --- distributions ------------------------------------------------------------------------

    def distribution_atom(self, k: int, hi: int, scope: _Scope
                          ) -> tuple[Distribution, Expr | None, int]:
        """`p`, `q_\\theta`, `p_i` at k: the distribution, the category index (p_i), the next
        token."""
        name, after = self.tokens[k].text, k + 1
        if not self.is_(after, hi, "_"):
            return Distribution(name), None, after
        lo, end, after = self.argument(after + 1, hi, "_")
        if end - lo == 1 and self.tokens[lo].text[1:] in _GREEK:
            return Distribution(name, (_greek(self.tokens[lo].text),)), None, after
        return Distribution(name), self.index(lo, end, scope), after

    def value(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        """A distribution's value: `p(x)`, `q_\\theta(y \\mid x_i)`, `p_i`; a bare distribution
        only inside a mixture."""
        distribution, index, after = self.distribution_atom(k, hi, scope)
        start = self.tokens[k].start
        if index is not None:
            if self.is_(after, hi, "("):
                raise self.error("write p_i for category i, or p(x) for a point, not both",
                                 after)
            if not (index.is_Symbol or _within_categories(index, empty=False)):
                raise self.error(f"a category of {{1, …, n}} is written p_k with k a letter, a "
                                 f"number ≥ 1, n or n − c, not p_{{{latex(index)}}}", k)
            scope.mark(index, "category")
            skeleton.operand(Prob(distribution, index), start)
            return after
        if self.is_(after, hi, "("):
            close = self.partner[after]
            result = self.call(distribution, after + 1, close, scope)
            if isinstance(result, Prob):
                skeleton.operand(result, start)
            elif scope.mixture is not None:
                skeleton.operand(scope.mixture.setdefault(result, Dummy("d")), start)
            else:
                raise self.error(f"{latex(result)} is a distribution, not a number", k)
            return close + 1
        if scope.mixture is not None:
            skeleton.operand(scope.mixture.setdefault(distribution, Dummy("d")), start)
            return after
        raise self.error(f"{distribution.name} is a distribution: write {distribution.name}(x) "
                         "for its value at x", k)

    def call(self, distribution: Distribution, lo: int, hi: int, scope: _Scope
             ) -> Prob | DistributionLike:
        """The inside of `d( … )`: a point, or `\\cdot` for the distribution itself, then
        optionally `\\mid` and a data point and/or the parameter."""
        parts = self.split(lo, hi, {"|"})
        if len(parts) > 2:
            raise self.error("a value has one conditional bar", parts[2][0] - 1)
        point_lo, point_hi = parts[0]
        if point_lo == point_hi:
            raise self.error(f"missing point in {distribution.name}( … )", point_lo)
        if len(self.split(point_lo, point_hi, {","})) > 1:
            raise self.error(f"{distribution.name} takes one point; condition with \\mid",
                             point_lo)
        parameters, condition = list(distribution.parameters), None
        conditions = self.split(*parts[1], {","}) if len(parts) == 2 else []
        for a, b in conditions:
            if a == b:
                raise self.error("missing condition", a)
            if b - a == 1 and self.tokens[a].text[1:] in _GREEK:
                parameter = _greek(self.tokens[a].text)
                parameters += [] if parameter in parameters else [parameter]
            elif condition is None:
                condition = self.expression(a, b, scope)
            else:
                raise self.error("condition on one data point", a)
        base = Distribution(distribution.name, parameters)
        result = base if condition is None else base.given(condition)
        if point_hi - point_lo == 1 and self.tokens[point_lo].text == r"\cdot":
            return result
        point = self.expression(point_lo, point_hi, scope)
        if condition is None:
            scope.mark(point, "category")  # p(i) at a sum's index i is p_i: category i
        return Prob(result, point)

    def distribution(self, lo: int, hi: int, scope: _Scope) -> DistributionLike:
        """An argument of a quantity or of `\\mathbb{E}`: `p`, `q_\\theta`, `p(\\cdot \\mid x_i)`,
        or a mixture such as `\\frac{p + q}{2}`."""
        if lo >= hi:
            raise self.error("missing distribution", lo)
        if self.tokens[lo].text in ("(", "[") and self.partner[lo] == hi - 1:
            return self.distribution(lo + 1, hi - 1, scope)
        if self.tokens[lo].text in tuple(DISTRIBUTION_LETTERS):
            distribution, index, after = self.distribution_atom(lo, hi, scope)
            if index is None and after == hi:
                return distribution
            if index is None and self.is_(after, hi, "(") and self.partner[after] == hi - 1:
                result = self.call(distribution, after + 1, hi - 1, scope)
                if isinstance(result, Prob):
                    raise self.error(f"expected a distribution, got the value {latex(result)}",
                                     lo)
                return result
        components: dict[DistributionLike, Dummy] = {}
        weighted = self.expression(lo, hi, replace(scope, mixture=components))
        return self.mixture(weighted, components, lo)

    def mixture(self, weighted: Expr, components: dict[DistributionLike, Dummy], k: int
                ) -> DistributionLike:
        """The mixture Σ w_k d_k that `weighted` (linear in the components' symbols) writes."""
        hint = r"a mixture is written like \frac{1}{2} p + \frac{1}{2} q"
        weights = _linear_weights(weighted, set(components.values()))
        if not components or weights is None or weights.get(None, 0) != 0:
            raise self.error(r"expected a distribution (p, q, r, s, q_\theta, p(\cdot \mid x_i)) "
                             f"or a mixture, got {latex(weighted)}; {hint}", k)
        pairs = [(weights.get(s, S.Zero), d) for d, s in components.items()]
        pairs = [(w, d) for w, d in pairs if w != 0]
        if any(not w.is_Rational or w <= 0 for w, _ in pairs) or sum(w for w, _ in pairs) != 1:
            raise self.error("mixture weights must be positive numbers that sum to 1, got "
                             + " + ".join(str(w) for w, _ in pairs), k)
        return pairs[0][1] if len(pairs) == 1 else mixture("", *pairs)

    # --- quantities ---------------------------------------------------------------------------

    def match_head(self, k: int, hi: int) -> tuple[_Head, tuple[int, int] | None, int] | None:
        """The quantity head at k (with its index, as in `H_i` or `D_{KL, i}`) and the token
        after it, or None."""
        texts = self.texts
        for head in self.heads:
            after = k + len(head.base)
            if after > hi or tuple(texts[k:after]) != head.base:
                continue
            index = None
            if head.sub is not None:
                if not (self.is_(after, hi, "_") and self.is_(after + 1, hi, "{")):
                    continue
                close, end = self.partner[after + 1], after + 2 + len(head.sub)
                if end > close or tuple(texts[after + 2:end]) != head.sub:
                    continue
                if end < close:
                    if texts[end] != ",":
                        continue
                    index = (end + 1, close)
                after = close + 1
            elif self.is_(after, hi, "_"):
                lo, end, after = self.argument(after + 1, hi, "_")
                index = (lo, end)
            return head, index, after
        return None

    def quantity(self, k: int, hi: int, head: tuple[_Head, tuple[int, int] | None, int],
                 scope: _Scope, skeleton: _Skeleton) -> int:
        """`H(p)`, `H(p, q)`, `D_{KL}(p \\| q)`, `H_i(p, q_\\theta)` (conditionals on x_i)."""
        pattern, index_range, after = head
        written = self.text[self.tokens[k].start:self.column(after) if after < len(self.tokens)
                            else len(self.text)].strip()
        if not self.is_(after, hi, "("):
            forms = " or ".join(_form(cls) for cls in pattern.classes)
            raise self.error(f'"{written}" takes its distributions in parentheses: {forms}',
                             after if after < hi else k)
        close = self.partner[after]
        parts = self.split(after + 1, close, {",", "||"})
        fitting = [c for c in pattern.classes if len(c.parameter_names) == len(parts)]
        if not fitting:
            counts = " or ".join(sorted({str(len(c.parameter_names)) for c in pattern.classes}))
            raise self.error(f"{written} takes {counts} distribution(s), got {len(parts)}", after)
        arguments = [self.distribution(a, b, scope) for a, b in parts]
        if index_range is not None:
            if index_range[0] == index_range[1]:
                raise self.error("missing index", index_range[0])
            index = self.index(*index_range, scope)
            scope.mark(index, "data")
            if not all(isinstance(d, Distribution) for d in arguments):
                raise self.error(f"{written}: an index conditions plain distributions on x_i",
                                 after)
            arguments = [d.given(Datum("x", index)) for d in arguments]
        skeleton.operand(fitting[0](*arguments), self.tokens[k].start)
        return close + 1

    # --- operators ----------------------------------------------------------------------------

    def word(self, k: int, hi: int) -> tuple[str, int] | None:
        """The letters of `\\operatorname{…}`, `\\mathrm{…}`, `\\mathop{\\mathrm{…}}` at k,
        and the token after, or None."""
        if not (self.is_(k, hi, *_WORD_COMMANDS) and self.is_(k + 1, hi, "{")):
            return None
        close = self.partner[k + 1]
        inner = self.word(k + 2, close)
        if inner is not None and inner[1] == close:
            return inner[0], close + 1
        if all(t.kind == "letter" for t in self.tokens[k + 2:close]):
            return "".join(t.text for t in self.tokens[k + 2:close]), close + 1
        return None

    def optimisation(self, k: int, hi: int) -> tuple[type[Optimum], int] | None:
        """arg min / arg max at k (`\\arg\\min`, `\\operatorname*{arg\\,min}`, `\\argmin`, …)."""
        text = self.tokens[k].text
        if text == r"\arg" and self.is_(k + 1, hi, r"\min", r"\max"):
            word, after = "arg" + self.tokens[k + 1].text[1:], k + 2
        elif text in (r"\argmin", r"\argmax"):
            word, after = text[1:], k + 1
        else:
            word, after = self.word(k, hi) or ("", k)
        kinds = {"argmin": ArgMin, "argmax": ArgMax}
        return (kinds[word], after) if word in kinds else None

    def optimum(self, k: int, hi: int, kind: type[Optimum], after: int, scope: _Scope,
                skeleton: _Skeleton) -> int:
        """`\\arg\\min_\\theta objective`: the objective runs to the end of this side."""
        if not self.is_(after, hi, "_"):
            raise self.error(r"say what is optimised over: \arg\min_{\theta}", after)
        lo, end, after = self.argument(after + 1, hi, "_")
        if end - lo != 1 or self.tokens[lo].kind == "symbol":
            raise self.error(r"optimise over one parameter, such as \theta", lo)
        token = self.tokens[lo]
        parameter = _greek(token.text) if token.kind == "command" else Symbol(token.text)
        if after >= hi:
            raise self.error(f"missing objective after arg {kind.word}", after)
        skeleton.operand(kind(self.expression(after, hi, scope), parameter), self.tokens[k].start)
        return hi

    def scripts(self, k: int, hi: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None,
                                                 int]:
        """The subscript and superscript (either order) after the operator at k, and the next
        token."""
        scripts: dict[str, tuple[int, int]] = {}
        after = k + 1
        while self.is_(after, hi, "_", "^"):
            which = self.tokens[after].text
            if which in scripts:
                raise self.error(f'a second "{which}"', after)
            lo, end, after = self.argument(after + 1, hi, which)
            scripts[which] = (lo, end)
        return scripts.get("_"), scripts.get("^"), after

    def term_end(self, lo: int, hi: int) -> int:
        """Where the body of `\\sum`/`\\prod` starting at lo ends: before the next + or - of
        this level (a leading sign is the body's)."""
        return self.first_of_level(lo, hi, lambda k: self.tokens[k].text in ("+", "-") and
                                   self.tokens[k - 1].text not in
                                   (r"\cdot", "/", "^", "_", r"\log", r"\ln", r"\exp"))

    def sum(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        r"""`\sum_{x}`, `\sum_{x \in \mathcal{X}}` (support), `\sum_{i=1}^{n}`, `\sum_i` (data,
        or categories when the body has p_i), `\prod_{i=1}^{n}` (data)."""
        operator = self.tokens[k].raw
        sub, sup, body_lo = self.scripts(k, hi)
        if sub is None:
            raise self.error(rf"say what {operator} runs over: {operator}_{{x \in \mathcal{{X}}}} "
                             rf"or {operator}_{{i=1}}^{{n}}", body_lo)
        letter, support = self.range(sub, operator, scope)
        body_hi = self.term_end(body_lo, hi)
        if body_hi == body_lo:
            raise self.error(f"missing body after {operator}", body_lo)
        if support is not None:
            if operator == r"\prod" or sup is not None:
                raise self.error(rf"a sum over the support is written \sum_{{x \in "
                                 rf"\mathcal{{X}}}}; {operator} over data is "
                                 rf"{operator}_{{i=1}}^{{n}}", sub[0])
            variable = {"x": SUPPORT_VARIABLE, "y": LABEL_VARIABLE}.get(letter) or \
                _index_symbol(letter)
            body = self.expression(body_lo, body_hi,
                                   replace(scope, bound={**scope.bound, letter: variable}))
            skeleton.operand(SupportSum(body, variable, support), self.tokens[k].start)
            return body_hi
        variable = _index_symbol(letter)
        size = DATA_SIZE if sup is None else self.index(*sup, scope)
        frame = _IndexSum(variable)
        body = self.expression(body_lo, body_hi, replace(
            scope, bound={**scope.bound, letter: variable}, sums=(*scope.sums, frame)))
        if frame.category and operator == r"\prod":
            raise self.error(r"\prod runs over data points, not categories", k)
        if frame.category and frame.data:
            raise self.error(f"{operator} mixes categories (as in p_{letter}) with data points "
                             f"(as in x_{letter})", k)
        if frame.category and size == DATA_SIZE:
            result: Expr = SupportSum(body, variable, "X")
        elif frame.category:
            if not _within_categories(size, empty=True):
                raise self.error(f"a sum over the categories 1, …, n (as in p_{letter}) runs to n, "
                                 f"n − c or a number, not {latex(size)}", sup[0])
            result = CategorySum(body, variable, size)
        elif operator == r"\prod":
            result = DataProduct(body, variable, size)
        else:
            result = DataSum(body, variable, size)
        skeleton.operand(result, self.tokens[k].start)
        return body_hi

    def range(self, sub: tuple[int, int], operator: str, scope: _Scope
              ) -> tuple[str, str | None]:
        """The subscript of a sum: (its letter, the support "X"/"Y" or None for an index)."""
        lo, hi = sub
        hint = rf"write {operator}_{{x \in \mathcal{{X}}}} or {operator}_{{i=1}}^{{n}}"
        if self.tokens[lo].kind != "letter":
            raise self.error(f"cannot read the range of {operator}: {hint}", lo)
        letter = self.tokens[lo].text
        if hi == lo + 1:
            return letter, {"x": "X", "y": "Y"}.get(letter)
        if self.tokens[lo + 1].text == r"\in":
            support = self.mathcal(lo + 2, hi)
            if support is None:
                raise self.error(r"the support is \mathcal{X} (data) or \mathcal{Y} "
                                 "(labels)", lo + 2)
            return letter, support
        if self.tokens[lo + 1].text == "=":
            if self.index(lo + 2, hi, scope) != 1:
                raise self.error(f"a sum over an index starts at 1: {hint}", lo + 2)
            return letter, None
        raise self.error(f"cannot read the range of {operator}: {hint}", lo + 1)

    def mathcal(self, lo: int, hi: int) -> str | None:
        """"X" or "Y" when lo..hi is exactly `\\mathcal{X}` or `\\mathcal{Y}`."""
        if hi - lo == 4 and self.tokens[lo].text == r"\mathcal" and \
                self.tokens[lo + 2].text in ("X", "Y") and self.partner.get(lo + 1) == lo + 3:
            return self.tokens[lo + 2].text
        return None

    def differential(self, lo: int, hi: int) -> tuple[int, str, int] | None:
        """The first `dx` (or `\\mathrm{d}x`) outside brackets in lo..hi: (where, variable,
        next)."""
        for k in self.top(lo, hi):
            if self.tokens[k].text == "d" and self.is_(k + 1, hi, *"xy"):
                return k, self.tokens[k + 1].text, k + 2
            word = self.word(k, hi)
            if word is not None and word[0] == "d" and self.is_(word[1], hi, *"xy"):
                return k, self.tokens[word[1]].text, word[1] + 1
        return None

    def integral(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        r"""`\int … dx`, `\int_{\mathcal{X}} … dx`, `\int_{-\infty}^{\infty} … dx`."""
        sub, sup, body_lo = self.scripts(k, hi)
        differential = self.differential(body_lo, hi)
        if differential is None:
            raise self.error(r"missing dx: an integral ends with its differential, as in "
                             r"\int p(x) \log q(x) \, dx", k)
        end, letter, after = differential
        if end == body_lo:
            raise self.error(r"missing integrand before the differential", end)
        if letter == "y":
            raise self.error(r"labels y are categories (one of finitely many classes): sum over "
                             r"them with \sum_{y}; a density is integrated over x", end)
        support = "X"
        if sub is not None:
            whole_line = sup is not None and _evaluated(self.expression(*sub, scope)) == -oo \
                and _evaluated(self.expression(*sup, scope)) == oo
            named = self.mathcal(*sub) if sup is None else None
            if not whole_line and named is None:
                raise self.error(r"an integral runs over the whole support: write "
                                 r"\int_{\mathcal{X}} or \int_{-\infty}^{\infty}", sub[0])
            support = named or support
            if support == "Y":
                raise self.error(r"labels are categories: sum over them with \sum_{y}", sub[0])
        skeleton.operand(SupportIntegral(self.expression(body_lo, end, scope), SUPPORT_VARIABLE,
                                         support),
                         self.tokens[k].start)
        return after

    def named(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        """`\\mathbb{E}`, `\\mathbb{1}`, `\\mathbf{1}`, `\\mathrm{E}`, `\\mathrm{e}`; anything
        else in `\\mathbb`, `\\mathrm`, `\\operatorname` is unknown notation."""
        token = self.tokens[k]
        if not self.is_(k + 1, hi, "{"):
            raise self.error(f'missing argument after "{token.raw}"', k + 1)
        close = self.partner[k + 1]
        inside = "".join(t.raw for t in self.tokens[k + 2:close])
        after = close + 1
        if token.text in _WORD_COMMANDS:
            found = self.word(k, hi)
            inside = found[0] if found else inside
        written = self.text[token.start:self.tokens[close].end]
        if (token.text == r"\mathbb" and inside == "E") or (
                token.text in _WORD_COMMANDS and inside == "E"):
            return self.expectation(k, after, hi, scope, skeleton)
        if (token.text == r"\mathbb" and inside in ("1", "I")) or (
                token.text == r"\mathbf" and inside == "1"):
            return self.indicator(k, after, hi, scope, skeleton)
        if token.text in _WORD_COMMANDS and inside == "e":
            skeleton.operand(E, token.start)
            return after
        if self.is_(after, hi, "(", "[") and self.looks_like_distributions(after + 1,
                                                                            self.partner[after]):
            close = self.partner[after]
            count = len(self.split(after + 1, close, {",", "||"}))
            parallel = any(self.tokens[j].text == "||" for j in self.top(after + 1, close))
            raise self.error(f'unknown quantity "{written}"'
                             f'{_suggest_quantity(written, count, parallel)}', k)
        raise self.error(f'unknown notation "{written}"{_suggest_keyword(inside)}', k)

    def expectation(self, k: int, after: int, hi: int, scope: _Scope,
                    skeleton: _Skeleton) -> int:
        r"""`\mathbb{E}_{x \sim p}[…]`, `\mathbb{E}_{p}[…]`, `\mathbb{E}_{y \sim p(\cdot \mid
        x_i)}\left[…\right]`."""
        if not self.is_(after, hi, "_"):
            raise self.error(r"say which distribution: \mathbb{E}_{x \sim p}[…]", after)
        lo, end, after = self.argument(after + 1, hi, "_")
        parts = self.split(lo, end, {r"\sim"})
        distribution = self.distribution(*parts[-1], scope)
        if len(parts) > 2:
            raise self.error(r'one "\sim" in the subscript of \mathbb{E}', parts[2][0] - 1)
        if len(parts) == 2:
            a, b = parts[0]
            if b - a != 1 or self.tokens[a].text != distribution.variable.name:
                raise self.error(f"the variable of {latex(distribution)} is "
                                 f"{distribution.variable}: write \\mathbb{{E}}_{{"
                                 f"{distribution.variable} \\sim …}}", a)
        if not self.is_(after, hi, "[", "("):
            raise self.error(r"missing […] after \mathbb{E}_{…}", after)
        body = self.expression(after + 1, self.partner[after], scope)
        skeleton.operand(Expectation(body, distribution.variable, distribution),
                         self.tokens[k].start)
        return self.partner[after] + 1

    def indicator(self, k: int, after: int, hi: int, scope: _Scope,
                  skeleton: _Skeleton) -> int:
        r"""`\mathbb{1}[y = y_i]` (also with `\{…\}`)."""
        if not self.is_(after, hi, "[", r"\{", "("):
            raise self.error(r"write the condition in brackets: \mathbb{1}[y = y_i]", after)
        close = self.partner[after]
        parts = self.split(after + 1, close, {"="})
        if len(parts) != 2 or any(a == b for a, b in parts):
            raise self.error(r"an indicator compares two things: \mathbb{1}[y = y_i]", after + 1)
        left, right = (self.expression(a, b, scope) for a, b in parts)
        skeleton.operand(Indicator(left, right), self.tokens[k].start)
        return close + 1

    def kronecker(self, k: int, hi: int, scope: _Scope, skeleton: _Skeleton) -> int:
        r"""`\delta_{y y_i}`, `\delta_{y, y_i}`: the indicator of y = y_i."""
        lo, end, after = self.argument(k + 2, hi, "_")
        parts = self.split(lo, end, {","})
        if len(parts) == 1:
            parts = self.atoms(lo, end)
        if len(parts) != 2 or any(a == b for a, b in parts):
            raise self.error(r"\delta compares two things: \delta_{y, y_i}", lo)
        left, right = (self.expression(a, b, scope) for a, b in parts)
        skeleton.operand(Indicator(left, right), self.tokens[k].start)
        return after

    def atoms(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """lo..hi cut into letters with their subscripts: `y y_i` → `y`, `y_i`."""
        atoms, k = [], lo
        while k < hi:
            start = k
            k += 1
            if self.is_(k, hi, "_"):
                k = self.argument(k + 1, hi, "_")[2]
            atoms.append((start, k))
        return atoms


def _evaluated(expr: Expr) -> Expr:
    """`expr` with its arithmetic carried out (for indices: whole numbers and letters)."""
    if isinstance(expr, (Add, Mul, Pow)):
        return expr.func(*(_evaluated(a) for a in expr.args))
    return expr


def _within_categories(index: Expr, empty: bool) -> bool:
    """Whether `index` is n, n − c or a number ≥ 1 (≥ 0 when an `empty` sum is allowed): an
    index or bound that can never exceed the number of categories n."""
    if index.is_Integer:
        return index >= (0 if empty else 1)
    offset = index - DATA_SIZE
    return offset.is_Integer and offset <= 0


def _number(raw: str) -> Expr:
    """A number as typed, exactly: `0.5` is 1/2."""
    whole, _, decimals = raw.partition(".")
    return Integer(int(whole or "0") * 10 ** len(decimals) + int(decimals or "0")) / \
        Integer(10 ** len(decimals))


def _greek(command: str) -> Symbol:
    """The symbol of a Greek letter command: `\\theta` is THETA."""
    return THETA if command == r"\theta" else Symbol(command[1:])


def _index_symbol(letter: str) -> Symbol:
    """The index named `letter`: i is the data index; others are whole numbers ≥ 1."""
    return DATA_INDEX if letter == "i" else Symbol(letter, integer=True, positive=True)


def _linear_weights(expr: Expr, symbols: set[Dummy]) -> dict[Dummy | None, Expr] | None:
    """The coefficient of each symbol in `expr` (None: the constant), or None when `expr` is not
    linear in them."""
    if expr in symbols:
        return {expr: S.One}
    if not expr.free_symbols & symbols:
        return {None: expr}
    if isinstance(expr, Add):
        total: dict[Dummy | None, Expr] = {}
        for term in expr.args:
            part = _linear_weights(term, symbols)
            if part is None:
                return None
            for key, weight in part.items():
                total[key] = total.get(key, S.Zero) + weight
        return total
    if isinstance(expr, Mul):
        linear = [f for f in expr.args if f.free_symbols & symbols]
        if len(linear) != 1:
            return None
        part = _linear_weights(linear[0], symbols)
        factor = Mul(*(f for f in expr.args if f is not linear[0]))
        return None if part is None else {key: factor * w for key, w in part.items()}
    return None


def _form(cls: type[Quantity]) -> str:
    """How a quantity is typed, e.g. `D_{KL}(p \\| q)`."""
    notation = cls.notation
    separator = r" \| " if "parallel" in notation.separator else ", "
    head = notation.read_as[0] if notation.read_as else notation.head
    return f"{head}({separator.join(cls.parameter_names)})"


def _suggest_quantity(written: str, count: int, parallel: bool) -> str:
    """"; did you mean …?" for an unknown quantity `written` with `count` distributions."""
    classes = list(QUANTITIES.values())
    heads = [head for cls in classes for head in cls.notation.read_as]
    close = set(difflib.get_close_matches(written, heads, n=3, cutoff=0.6))
    fitting = [cls for cls in classes if len(cls.parameter_names) == count
               and (not parallel or "parallel" in cls.notation.separator)]
    chosen = [cls for cls in fitting if close & set(cls.notation.read_as)] or fitting or \
        [cls for cls in classes if close & set(cls.notation.read_as)]
    forms = list(dict.fromkeys(_form(cls) for cls in chosen))[:3]
    return f"; did you mean {' or '.join(forms)}?" if forms else ""


def _keywords() -> dict[str, list[str]]:
    """Lower-case words (`kl`, `entropy`, `argmin` …) and the accepted forms they point to."""
    keywords: dict[str, list[str]] = {k: [v] for k, v in _OPERATOR_FORMS.items()}
    for cls in QUANTITIES.values():
        words = {cls.name.replace(" ", "").lower()} | {
            re.sub(r"\\[A-Za-z]+|[^A-Za-z]", "", head).lower() for head in cls.notation.read_as}
        for word in words - {""}:
            keywords.setdefault(word, []).append(_form(cls))
    return keywords


def _suggest_keyword(word: str, commands: tuple[str, ...] = ()) -> str:
    """"; did you mean …?" for an unknown word (`JS`, `entropy`) or command: the accepted forms
    of the closest keyword, and the closest `commands`."""
    keywords = _keywords()
    close = difflib.get_close_matches(word.lower(), list(keywords), n=1, cutoff=0.75)
    forms = list(dict.fromkeys(keywords[close[0]] if close else [])) + list(commands)
    return f"; did you mean {' or '.join(forms[:3])}?" if forms else \
        "; the accepted notation is listed in derive's README"


def _suggest_command(raw: str, vocabulary: set[str]) -> str:
    """"; did you mean …?" for an unknown command such as `\\KL` or `\\paralel`."""
    close = difflib.get_close_matches(raw, sorted(vocabulary), n=3, cutoff=0.7)
    return _suggest_keyword(raw[1:], tuple(close))


def _unexpected_character(character: str) -> str:
    """What to say about a character the tokens do not include, and what to type instead."""
    if character in _UNICODE:
        return f'unexpected "{character}": type {_UNICODE[character]}'
    if character == "$":
        return 'unexpected "$": give the formula without $ delimiters'
    words = unicodedata.name(character, "").split()
    if words[:1] == ["GREEK"] and words[-1].lower() in _GREEK:
        name = words[-1].lower() if "SMALL" in words else words[-1].capitalize()
        return f'unexpected "{character}": type \\{name}'
    if character == "\\":
        return "a lone backslash"
    return f'unexpected character "{character}"'
