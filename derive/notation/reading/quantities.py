"""Quantities: `H(p)`, `H(p, q)`, `D_{KL}(p \\| q)`, `H_i(p, q_\\theta)` (conditionals on x_i),
and any quantity defined later, read by the heads (`read_as`) of the quantities defined when
reading; letters applied to distributions that are no quantity's head are refused with the
closest ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from derive.notation.reading.distributions import DISTRIBUTION_LETTERS, distribution
from derive.notation.reading.errors import NotationSyntaxError
from derive.notation.reading.information import joint_kl
from derive.notation.reading.messages import form, suggest_quantity
from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton
from derive.notation.reading.tokens import tokenize
from derive.vocabulary.distributions import Datum, Distribution
from derive.vocabulary.quantities import QUANTITIES, KLDivergence, Quantity

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader


@dataclass(frozen=True)
class Head:
    """A quantity's head as tokens: `base` and, for `D_{KL}`, the subscript's tokens."""

    base: tuple[str, ...]
    sub: tuple[str, ...] | None
    classes: tuple[type[Quantity], ...]

    @property
    def size(self) -> int:
        return len(self.base) + len(self.sub or ())


#: A head found in the input: the head, its index's tokens (lo, hi) if any, the token after it.
HeadMatch = tuple[Head, tuple[int, int] | None, int]


def head_patterns() -> list[Head]:
    """Every head `read_as` of the quantities defined now, longest first."""
    classes: dict[str, list[type[Quantity]]] = {}
    for cls in QUANTITIES.values():
        for head in cls.notation.read_as:
            classes.setdefault(head, []).append(cls)
    heads = []
    for head, owners in classes.items():
        texts = tuple(t.text for t in tokenize(head, None))
        base, sub = texts, None
        if len(texts) > 3 and texts[-1] == "}" and "_" in texts:
            cut = len(texts) - 1 - texts[::-1].index("_")
            if texts[cut + 1] == "{" and _closes_at_end(texts[cut + 1:]):
                base, sub = texts[:cut], texts[cut + 2:-1]
        heads.append(Head(base, sub, tuple(owners)))
    return sorted(heads, key=lambda h: -h.size)


def _closes_at_end(texts: tuple[str, ...]) -> bool:
    """Whether the brace that opens `texts` closes at its last token."""
    depth = 0
    for position, text in enumerate(texts):
        depth += {"{": 1, "}": -1}.get(text, 0)
        if depth == 0:
            return position == len(texts) - 1
    return False


def heads_vocabulary(heads: list[Head]) -> set[str]:
    """The commands the quantities' heads use (a user's head may bring a new one)."""
    return {t for head in heads for t in head.base + (head.sub or ()) if t.startswith("\\")}


def quantity_head(reader: Reader, k: int, hi: int) -> HeadMatch | None:
    """The head of a quantity at k, or None: a head of one letter (`H`) is a quantity only when
    its arguments follow."""
    head = _match_head(reader, k, hi)
    if head is not None and (reader.is_(head[2], hi, "(", "[") or len(head[0].base) > 1
                             or head[0].sub is not None):
        return head
    return None


def _match_head(reader: Reader, k: int, hi: int) -> HeadMatch | None:
    """The quantity head at k (with its index, as in `H_i` or `D_{KL, i}`) and the token
    after it, or None."""
    texts = reader.texts
    for head in reader.heads:
        after = k + len(head.base)
        if after > hi or tuple(texts[k:after]) != head.base:
            continue
        index = None
        if head.sub is not None:
            if not (reader.is_(after, hi, "_") and reader.is_(after + 1, hi, "{")):
                continue
            close, end = reader.partner[after + 1], after + 2 + len(head.sub)
            if end > close or tuple(texts[after + 2:end]) != head.sub:
                continue
            if end < close:
                if texts[end] != ",":
                    continue
                index = (end + 1, close)
            after = close + 1
        elif reader.is_(after, hi, "_"):
            lo, end, after = reader.argument(after + 1, hi, "_")
            index = (lo, end)
        return head, index, after
    return None


def quantity(reader: Reader, k: int, hi: int, head: HeadMatch, scope: Scope,
             skeleton: Skeleton) -> int:
    """`H(p)`, `H(p, q)`, `D_{KL}(p \\| q)`, `H_i(p, q_\\theta)` (conditionals on x_i)."""
    pattern, index_range, after = head
    written = reader.text[reader.tokens[k].start:reader.column(after) if after < len(reader.tokens)
                          else len(reader.text)].strip()
    if not reader.is_(after, hi, "("):
        forms = " or ".join(form(cls) for cls in pattern.classes)
        raise reader.error(f'"{written}" takes its distributions in parentheses: {forms}',
                           after if after < hi else k)
    close = reader.partner[after]
    parts = reader.split(after + 1, close, {",", "||"})
    fitting = [c for c in pattern.classes if len(c.parameter_names) == len(parts)]
    if not fitting:
        counts = " or ".join(sorted({str(len(c.parameter_names)) for c in pattern.classes}))
        raise reader.error(f"{written} takes {counts} distribution(s), got {len(parts)}", after)
    if reader.joint and KLDivergence in fitting:
        skeleton.operand(joint_kl(reader, after, parts), reader.tokens[k].start)
        return close + 1
    arguments = [distribution(reader, a, b, scope) for a, b in parts]
    if index_range is not None:
        if index_range[0] == index_range[1]:
            raise reader.error("missing index", index_range[0])
        index = reader.index(*index_range, scope)
        scope.mark(index, "data")
        if not all(isinstance(d, Distribution) for d in arguments):
            raise reader.error(f"{written}: an index conditions plain distributions on x_i",
                               after)
        arguments = [d.given(Datum("x", index)) for d in arguments]
    skeleton.operand(fitting[0](*arguments), reader.tokens[k].start)
    return close + 1


def refuse_unknown_quantity(reader: Reader, k: int, hi: int) -> None:
    """`D(p || q)`, `JS(p, q)`: letters applied to distributions are a quantity we do not
    know; say which ones we do."""
    if k > 0 and reader.tokens[k - 1].kind == "letter" and \
            reader.tokens[k - 1].end == reader.tokens[k].start:
        return  # checked from the first letter of the word
    end = k + 1
    while end < hi and reader.tokens[end].kind == "letter" and \
            reader.tokens[end].start == reader.tokens[end - 1].end:
        end += 1
    if applied_to_distributions(reader, end, hi):
        word = reader.text[reader.tokens[k].start:reader.tokens[end - 1].end]
        raise unknown_quantity(reader, word, end, k)


def applied_to_distributions(reader: Reader, opener: int, hi: int) -> bool:
    """Whether a bracket at `opener` holds what looks like a quantity's distributions:
    `(p || q)`, `[p, q_\\theta]`."""
    if not reader.is_(opener, hi, "(", "["):
        return False
    lo, close = opener + 1, reader.partner[opener]
    parts = reader.split(lo, close, {",", "||"})
    if len(parts) > 1 and any(reader.tokens[j].text == "||" for j in reader.top(lo, close)):
        return True
    return all(end > a and reader.tokens[a].text in tuple(DISTRIBUTION_LETTERS)
               and (end == a + 1 or reader.tokens[a + 1].text == "_") for a, end in parts)


def unknown_quantity(reader: Reader, written: str, opener: int, k: int) -> NotationSyntaxError:
    """The error for `written`, applied at `opener` to distributions, not being a quantity."""
    close = reader.partner[opener]
    count = len(reader.split(opener + 1, close, {",", "||"}))
    parallel = any(reader.tokens[j].text == "||" for j in reader.top(opener + 1, close))
    return reader.error(f'unknown quantity "{written}"'
                        f'{suggest_quantity(written, count, parallel)}', k)
