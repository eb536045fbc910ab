r"""Parametric families: `\mathcal{N}(\mu, \sigma^2)` (the second parameter is the variance),
`\mathrm{Bernoulli}(\mu)` (or `\mathrm{Ber}`), `\mathrm{Categorical}(\pi)`, `\mathrm{Uniform}(a, b)`,
`\mathrm{Uniform}\{1, \dots, n\}` (on the categories), the diagonal Gaussian
`\mathcal{N}((\mu_1, \mu_2), \mathrm{diag}(\sigma_1^2, \sigma_2^2))`, and their values at a point, written with
a semicolon: `\mathcal{N}(x; \mu, \sigma^2)`, `\mathrm{Bernoulli}(y_i; \mu)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import Dummy, Symbol

from derive.core.errors import UsageError

from derive.notation.reading.scope import Scope
from derive.notation.reading.skeleton import Skeleton
from derive.notation.reading.tokens import GREEK, WORD_COMMANDS
from derive.vocabulary.calculus import Softmax
from derive.vocabulary.distributions import Distribution, Prob
from derive.vocabulary.families import (FAMILIES, Categorical, DiagonalGaussian, Equiprobable,
                                        Family, Gaussian, Uniform)

if TYPE_CHECKING:
    from derive.notation.reading.reader import Reader

#: How each family is written, for messages.
FORMS = {Gaussian: r"\mathcal{N}(\mu, \sigma^2)", Categorical: r"\mathrm{Categorical}(\pi)"}


def family_name(reader: Reader, k: int, hi: int) -> tuple[type[Family], int] | None:
    r"""The family named at k (`\mathcal{N}`, `\mathrm{Bernoulli}`, …) and the token after its
    name, or None."""
    texts = reader.texts
    if texts[k] == r"\mathcal" and reader.is_(k + 1, hi, "{") and reader.partner[k + 1] == k + 3 \
            and texts[k + 2] == "N":
        return Gaussian, k + 4
    if texts[k] in WORD_COMMANDS and reader.is_(k + 1, hi, "{"):
        close = reader.partner[k + 1]
        letters = reader.tokens[k + 2:close]
        word = "".join(t.text for t in letters)
        if letters and all(t.kind == "letter" for t in letters) and word in FAMILIES \
                and word != "N":
            return FAMILIES[word], close + 1
    return None


def family_term(reader: Reader, k: int, hi: int, scope: Scope
                ) -> tuple[Family | Prob | Softmax, int]:
    r"""`\mathcal{N}(\mu, \sigma^2)` (a distribution) or `\mathcal{N}(x; \mu, \sigma^2)` (its
    density at x) at k, and the token after it."""
    found = family_name(reader, k, hi)
    if found is None:
        raise reader.error(r"\mathcal{X} names the support in \sum_{x \in \mathcal{X}}; "
                           r"\mathcal{N}(\mu, \sigma^2) is a Gaussian", k)
    cls, after = found
    if cls is Uniform and reader.is_(after, hi, r"\{"):
        return _categories(reader, after), reader.partner[after] + 1
    written = FORMS.get(cls, rf"{cls.latex_name}({', '.join('ab'[:cls.arity])})")
    if not reader.is_(after, hi, "("):
        raise reader.error(f"{cls.text_name} takes its parameters in parentheses: {written}",
                           after if after < hi else k)
    close = reader.partner[after]
    parts = reader.split(after + 1, close, {";"})
    if len(parts) > 2:
        raise reader.error("one semicolon: the point, then the parameters", parts[2][0] - 1)
    parameters = reader.split(*parts[-1], {","})
    if any(a == b for a, b in parameters):
        raise reader.error(f"missing parameter in {written}", parts[-1][0])
    if len(parameters) != cls.arity:
        raise reader.error(f"{cls.text_name} takes {cls.arity} parameter(s): {written}",
                           parts[-1][0])
    if cls is Categorical and _softmax_logits(reader, *parameters[0]) is not None:
        return _softmax_value(reader, parts, close, scope)
    try:
        if cls is Categorical:
            family: Family = Categorical(_probabilities(reader, *parameters[0]))
        elif cls is Gaussian and _diagonal(reader, *parameters[1]) is not None:
            family = _diagonal_gaussian(reader, parameters, scope)
        else:
            family = cls(*(reader.expression(a, b, scope) for a, b in parameters))
    except UsageError as error:  # a number outside the family's domain
        raise reader.error(str(error), parts[-1][0]) from None
    if len(parts) == 1:
        return family, close + 1
    if parts[0][0] == parts[0][1]:
        raise reader.error("missing point before the semicolon", parts[0][0])
    return Prob(family, reader.expression(*parts[0], scope)), close + 1


def _diagonal(reader: Reader, lo: int, hi: int) -> tuple[int, int] | None:
    r"""The inside of `\mathrm{diag}( … )` spanning lo..hi, or None."""
    if hi - lo < 5 or reader.texts[lo] not in WORD_COMMANDS or not reader.is_(lo + 1, hi, "{"):
        return None
    close = reader.partner[lo + 1]
    if "".join(reader.texts[lo + 2:close]) != "diag" or not reader.is_(close + 1, hi, "(") \
            or reader.partner[close + 1] != hi - 1:
        return None
    return close + 2, hi - 1


def _diagonal_gaussian(reader: Reader, parameters: list[tuple[int, int]], scope: Scope
                       ) -> DiagonalGaussian:
    r"""`\mathcal{N}((\mu_1, \mu_2), \mathrm{diag}(\sigma_1^2, \sigma_2^2))`: the means in
    brackets, the variances in `\mathrm{diag}`, as many of each."""
    lo, hi = parameters[0]
    if not (reader.is_(lo, hi, "(") and reader.partner[lo] == hi - 1):
        raise reader.error(r"a diagonal Gaussian's means are a bracketed list: \mathcal{N}((\mu_1, "
                           r"\mu_2), \mathrm{diag}(\sigma_1^2, \sigma_2^2))", lo)
    means = [reader.expression(a, b, scope) for a, b in reader.split(lo + 1, hi - 1, {","})]
    inside = _diagonal(reader, *parameters[1])
    variances = [reader.expression(a, b, scope) for a, b in reader.split(*inside, {","})]
    if len(means) != len(variances) or len(means) > DiagonalGaussian.MAX_DIMENSION:
        raise reader.error(f"a diagonal Gaussian has as many means as variances, at most "
                           f"{DiagonalGaussian.MAX_DIMENSION}; got {len(means)} and "
                           f"{len(variances)}", lo)
    return DiagonalGaussian(means, variances)


def _categories(reader: Reader, opener: int) -> Equiprobable:
    r"""`\{1, \dots, n\}` after `\mathrm{Uniform}`: the uniform distribution on the
    categories 1 … n."""
    close = reader.partner[opener]
    if [t for t in reader.texts[opener + 1:close]] not in \
            (["1", ",", dots, ",", "n"] for dots in (r"\dots", r"\ldots")):
        raise reader.error(r"the uniform distribution on the categories is written "
                           r"\mathrm{Uniform}\{1, \dots, n\}", opener)
    return Equiprobable()


def _softmax_logits(reader: Reader, lo: int, hi: int) -> int | None:
    r"""The token of the logits' letter when lo..hi is `\mathrm{softmax}(z)`, else None."""
    texts = reader.texts
    if hi - lo < 6 or texts[lo] not in WORD_COMMANDS or not reader.is_(lo + 1, hi, "{"):
        return None
    brace = reader.partner[lo + 1]
    if "".join(texts[lo + 2:brace]) == "softmax" and brace + 4 == hi and \
            texts[brace + 1] == "(" and texts[brace + 3] == ")" and \
            reader.tokens[brace + 2].kind == "letter":
        return brace + 2
    return None


def _softmax_value(reader: Reader, parts: list[tuple[int, int]], close: int, scope: Scope
                   ) -> tuple[Softmax, int]:
    r"""`\mathrm{Categorical}(y; \mathrm{softmax}(z))`: the probability of category y under
    the logits z, softmax(z)_y."""
    if len(parts) != 2 or parts[0][0] == parts[0][1]:
        raise reader.error(r"a categorical distribution of logits is used at a category: "
                           r"\mathrm{Categorical}(y; \mathrm{softmax}(z)) is \mathrm{softmax}(z)_y",
                           parts[-1][0])
    logits = Symbol(reader.texts[_softmax_logits(reader, *parts[1])])
    return Softmax(logits, reader.index(*parts[0], scope)), close + 1


def _probabilities(reader: Reader, lo: int, hi: int) -> Distribution:
    r"""Categorical's parameter: the distribution over the categories, a letter (`\pi`, `p`)."""
    text = reader.texts[lo]
    if hi == lo + 1 and (text in "pqrs" or text[1:] in GREEK):
        return Distribution(text)
    raise reader.error(r"Categorical takes the name of its probabilities: \mathrm{Categorical}"
                       r"(\pi), with values \pi_k", lo)


def family(reader: Reader, k: int, hi: int, scope: Scope, skeleton: Skeleton) -> int:
    r"""A family's value at a point, as a number: `\mathcal{N}(x; \mu, \sigma^2)`; a family
    itself only inside a mixture."""
    term, after = family_term(reader, k, hi, scope)
    if isinstance(term, Family):  # (a value, Prob or softmax(z)_y, is a number)
        if scope.mixture is not None:
            skeleton.operand(scope.mixture.setdefault(term, Dummy("d")), reader.tokens[k].start)
            return after
        raise reader.error(f"{reader.text[reader.tokens[k].start:reader.column(after)].strip()}"
                           " is a distribution, not a number: write its value at a point with "
                           r"a semicolon, \mathcal{N}(x; \mu, \sigma^2)", k)
    skeleton.operand(term, reader.tokens[k].start)
    return after


def categorical_letters(reader: Reader) -> frozenset[str]:
    r"""The Greek letters that name a categorical distribution's probabilities in the input
    (`\pi` in `\mathrm{Categorical}(\pi)`): there `\pi_k` is the probability of category k."""
    texts, found = reader.texts, set()
    for k, text in enumerate(texts[:-5]):
        if text in WORD_COMMANDS and texts[k + 1] == "{" and \
                FAMILIES.get("".join(texts[k + 2:reader.partner[k + 1]])) is Categorical:
            after = reader.partner[k + 1] + 1
            if after + 2 < len(texts) and texts[after] == "(" and texts[after + 2] == ")" \
                    and texts[after + 1][1:] in GREEK:
                found.add(texts[after + 1])
    return frozenset(found)


def parameter_letters(reader: Reader) -> frozenset[str]:
    r"""The letters p, q, r, s written as a family's parameter (`\mathrm{Bernoulli}(p)`): in
    that input they are numbers, not distributions."""
    found = set()
    for k in range(len(reader.texts)):
        named = family_name(reader, k, len(reader.texts))
        if named is None or not reader.is_(named[1], len(reader.texts), "("):
            continue
        close = reader.partner[named[1]]
        for a, b in reader.split(named[1] + 1, close, {",", ";"}):
            if b == a + 1 and reader.texts[a] in "pqrs" and reader.tokens[a].kind == "letter":
                found.add(reader.texts[a])
    return frozenset(found)

