"""The tokens of an input: lexing (every token keeps its columns, spacing is dropped), the
spellings of one token, size commands such as `\\left`, matched brackets, and what to type
instead of a character pasted from a rendered formula."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from derive.notation.reading.errors import NotationSyntaxError
from derive.notation.reading.limits import MAX_DEPTH, MAX_DIGITS
from derive.notation.reading.messages import suggest_command

#: The relations a statement may state, by token.
RELATIONS = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">"}

#: The Greek letters, as commands without their backslash.
GREEK = {
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
    r"\rightarrow": r"\to", r"\Rightarrow": r"\implies", r"\Longrightarrow": r"\implies",
    r"\perp": r"\perp", r"\ne": r"\neq",
}
#: Tokens that only space the formula out.
_SPACING = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad", "~", r"\displaystyle",
            r"\textstyle", r"\limits", r"\nolimits"}
#: Size modifiers: dropped, the delimiter after them stays.
_SIZES = {r"\left", r"\right", r"\middle", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl",
          r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\bigm",
          r"\Bigm"}
_DELIMITERS = {"(", ")", "[", "]", r"\{", r"\}", "|", "||", "."}
OPENERS = {"(": ")", "[": "]", "{": "}", r"\{": r"\}"}
_CLOSERS = set(OPENERS.values())
#: Commands whose braced argument is a word, as in `\operatorname{arg\,min}`.
WORD_COMMANDS = {r"\operatorname", r"\mathrm", r"\mathop"}
#: The commands of the notation (a user-defined quantity's head may bring more).
COMMANDS = (
    {rf"\{name}" for name in GREEK} | {a for a in _ALIASES if a.startswith("\\")}
    | (_SPACING - {"~"}) | _SIZES
    | {r"\frac", r"\sqrt", r"\log", r"\ln", r"\exp", r"\sum", r"\prod", r"\int", r"\mathbb",
       r"\mathbf", r"\mathcal", r"\cdot", r"\sim", r"\in", r"\infty", r"\arg", r"\min", r"\max",
       r"\argmin", r"\argmax", r"\{", r"\}", r"\to", r"\implies", r"\dots", r"\ldots",
       r"\neq", r"\partial", r"\nabla"}
    | WORD_COMMANDS)
#: Characters people paste from rendered formulas, and what to type instead.
_UNICODE = {"∑": r"\sum", "∏": r"\prod", "∫": r"\int", "≤": r"\le", "≥": r"\ge", "∥": r"\|",
            "·": r"\cdot", "∼": r"\sim", "∈": r"\in", "𝔼": r"\mathbb{E}", "∞": r"\infty",
            "𝟙": r"\mathbb{1}", "−": "-", "⊥": r"\perp", "→": r"\to", "⇒": r"\implies", "≠": r"\neq"}

_LEXEME = re.compile(r"""
    (?P<space>\s+)
  | (?P<command>\\operatorname\*|\\[A-Za-z]+|\\[^A-Za-z])
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<letter>[A-Za-z])
  | (?P<symbol>\|\||<=|>=|[{}()\[\]_^+\-=<>,|*/'!.:;~&])
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    """One token of the input, with its columns."""

    kind: str  # "command", "number", "letter" or "symbol"
    text: str  # the canonical spelling
    raw: str   # as typed
    start: int
    end: int


def tokenize(text: str, vocabulary: set[str] | None) -> list[Token]:
    """The tokens of `text`, spacing dropped; commands outside `vocabulary` (if given) fail."""
    tokens: list[Token] = []
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
            raise NotationSyntaxError(f'unknown command "{raw}"{suggest_command(raw, vocabulary)}',
                                      text, start)
        tokens.append(Token(kind, _ALIASES.get(raw, raw), raw, start, position))
    return _drop_sizes(tokens, text)


def _drop_sizes(tokens: list[Token], text: str) -> list[Token]:
    """Without `\\left`, `\\big` …: the delimiter after each stays (`\\left.` goes too)."""
    kept: list[Token] = []
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


def match_brackets(tokens: list[Token], text: str) -> dict[int, int]:
    """Each bracket's partner, both ways; unbalanced or too deeply nested brackets fail."""
    partner: dict[int, int] = {}
    open_: list[int] = []
    for k, token in enumerate(tokens):
        if token.text in OPENERS:
            open_.append(k)
            if len(open_) > MAX_DEPTH:
                raise NotationSyntaxError(f"brackets nested deeper than {MAX_DEPTH} levels",
                                          text, token.start)
        elif token.text in _CLOSERS:
            if not open_:
                raise NotationSyntaxError(f'unbalanced "{token.raw}": nothing opens it', text,
                                          token.start)
            opener = tokens[open_[-1]]
            if OPENERS[opener.text] != token.text:
                raise NotationSyntaxError(f'"{token.raw}" closes "{opener.raw}" from column '
                                          f'{opener.start}', text, token.start)
            opened = open_.pop()
            partner[opened], partner[k] = k, opened
    if open_:
        opener = tokens[open_[-1]]
        raise NotationSyntaxError(f'unbalanced "{opener.raw}": it is never closed', text,
                                  opener.start)
    return partner


def _unexpected_character(character: str) -> str:
    """What to say about a character the tokens do not include, and what to type instead."""
    if character in _UNICODE:
        return f'unexpected "{character}": type {_UNICODE[character]}'
    if character == "$":
        return 'unexpected "$": give the formula without $ delimiters'
    words = unicodedata.name(character, "").split()
    if words[:1] == ["GREEK"] and words[-1].lower() in GREEK:
        name = words[-1].lower() if "SMALL" in words else words[-1].capitalize()
        return f'unexpected "{character}": type \\{name}'
    if character == "\\":
        return "a lone backslash"
    return f'unexpected character "{character}"'
