"""What to say about notation that is not read: how each quantity and operator is typed, the
closest accepted forms of an unknown word or command, and hints for a misplaced token."""

from __future__ import annotations

import difflib
import re

from derive.vocabulary.quantities import QUANTITIES, Quantity

#: Accepted forms of the operators, for suggestions (quantities are added from the registry).
_OPERATOR_FORMS = {
    "e": r"\mathbb{E}_{x \sim p}[f(x)]", "expectation": r"\mathbb{E}_{x \sim p}[f(x)]",
    "argmin": r"\operatorname*{arg\,min}_{\theta}", "argmax": r"\operatorname*{arg\,max}_{\theta}",
    "indicator": r"\mathbb{1}[y = y_i]", "one": r"\mathbb{1}[y = y_i]",
    "sum": r"\sum_{x \in \mathcal{X}}", "integral": r"\int_{\mathcal{X}} … \, dx",
}

#: Why a token cannot stand where it was found, by the token.
MISPLACED = {
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
    r"\implies": r"hypotheses come first, before one \implies: X \perp Y \implies …",
    r"\perp": r"an independence is a hypothesis: X \perp Y \implies …",
    r"\partial": r"write a derivative as \frac{\partial}{\partial z_k} f",
    r"\to": r"a Markov chain is a hypothesis: X \to Y \to Z \implies …",
    r"\neq": r"an inequation is a hypothesis on a parameter: x \neq 1 \implies …",
    ";": r"it separates the two sides of I(X; Y)",
}
#: Why a relation cannot stand where it was found.
MISPLACED_RELATION = "a relation may only stand between the two sides, outside brackets"


def form(cls: type[Quantity]) -> str:
    """How a quantity is typed, e.g. `D_{KL}(p \\| q)`."""
    notation = cls.notation
    separator = r" \| " if "parallel" in notation.separator else ", "
    head = notation.read_as[0] if notation.read_as else notation.head
    return f"{head}({separator.join(cls.parameter_names)})"


def suggest_quantity(written: str, count: int, parallel: bool) -> str:
    """"; did you mean …?" for an unknown quantity `written` with `count` distributions."""
    classes = list(QUANTITIES.values())
    heads = [head for cls in classes for head in cls.notation.read_as]
    close = set(difflib.get_close_matches(written, heads, n=3, cutoff=0.6))
    fitting = [cls for cls in classes if len(cls.parameter_names) == count
               and (not parallel or "parallel" in cls.notation.separator)]
    chosen = [cls for cls in fitting if close & set(cls.notation.read_as)] or fitting or \
        [cls for cls in classes if close & set(cls.notation.read_as)]
    forms = list(dict.fromkeys(form(cls) for cls in chosen))[:3]
    return f"; did you mean {' or '.join(forms)}?" if forms else ""


def _keywords() -> dict[str, list[str]]:
    """Lower-case words (`kl`, `entropy`, `argmin` …) and the accepted forms they point to."""
    keywords: dict[str, list[str]] = {k: [v] for k, v in _OPERATOR_FORMS.items()}
    for cls in QUANTITIES.values():
        words = {cls.name.replace(" ", "").lower()} | {
            re.sub(r"\\[A-Za-z]+|[^A-Za-z]", "", head).lower() for head in cls.notation.read_as}
        for word in words - {""}:
            keywords.setdefault(word, []).append(form(cls))
    return keywords


def suggest_keyword(word: str, commands: tuple[str, ...] = ()) -> str:
    """"; did you mean …?" for an unknown word (`JS`, `entropy`) or command: the accepted forms
    of the closest keyword, and the closest `commands`."""
    keywords = _keywords()
    close = difflib.get_close_matches(word.lower(), list(keywords), n=1, cutoff=0.75)
    forms = list(dict.fromkeys(keywords[close[0]] if close else [])) + list(commands)
    return f"; did you mean {' or '.join(forms[:3])}?" if forms else \
        "; the accepted notation is listed in derive's README"


def suggest_command(raw: str, vocabulary: set[str]) -> str:
    """"; did you mean …?" for an unknown command such as `\\KL` or `\\paralel`."""
    close = difflib.get_close_matches(raw, sorted(vocabulary), n=3, cutoff=0.7)
    return suggest_keyword(raw[1:], tuple(close))
