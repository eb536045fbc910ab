r"""The oracle's own expressions for parametric families, parameters, generic algebra and
derivatives: small immutable trees, rendered to derive's notation (`render`). Nothing here comes
from `derive`.

A parameter is a `Sym` with a domain: "real", "positive" (σ, a family's scale), "prob" (a
probability parameter, in (0, 1)), "count" (n, an integer ≥ 1), "index" (k, y: 1 … K), "binary" (a label y ∈ {0, 1}), "point"
(a real point a density is evaluated at). A statement is `lhs op rhs` under hypotheses on its
parameters (`Hyp`: `lo < sym`, `sym > lo`, `lo < sym < hi`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Node:
    pass


@dataclass(frozen=True)
class Num(Node):
    value: Fraction


@dataclass(frozen=True)
class Sym(Node):
    name: str              # derive's spelling in a counterexample world: "mu_1", "sigma", "x"
    domain: str = "real"


@dataclass(frozen=True)
class Const(Node):
    name: str              # "pi", "e"


@dataclass(frozen=True)
class Add(Node):
    terms: tuple


@dataclass(frozen=True)
class Mul(Node):
    factors: tuple


@dataclass(frozen=True)
class Frac(Node):
    num: Node
    den: Node


@dataclass(frozen=True)
class Pow(Node):
    base: Node
    exp: Node


@dataclass(frozen=True)
class Log(Node):
    arg: Node
    base: int | None = None


@dataclass(frozen=True)
class Exp(Node):
    arg: Node


@dataclass(frozen=True)
class Sqrt(Node):
    arg: Node


# families: the second argument of Normal is the variance
@dataclass(frozen=True)
class Normal(Node):
    mean: Node
    var: Node


@dataclass(frozen=True)
class Bernoulli(Node):
    mu: Node


@dataclass(frozen=True)
class Uniform(Node):
    a: Node
    b: Node


@dataclass(frozen=True)
class CategoricalOf(Node):
    vector: str            # a probability vector's letter: \mathrm{Categorical}(\pi), entries π_1 … π_n


#: Letters of probability vectors (their entries are ≥ 0 and sum to 1; n is their length).
PROB_VECTORS = ("pi", "rho")


@dataclass(frozen=True)
class Entropy(Node):
    dist: Node


@dataclass(frozen=True)
class CrossEntropy(Node):
    p: Node
    q: Node


@dataclass(frozen=True)
class KL(Node):
    p: Node
    q: Node


@dataclass(frozen=True)
class Density(Node):
    point: Node
    dist: Node


@dataclass(frozen=True)
class Logistic(Node):
    arg: Node


@dataclass(frozen=True)
class Softmax(Node):
    logits: str            # the vector's letter, z: entries z_1 … z_K
    index: Node            # a Sym of domain "index", or a Num


@dataclass(frozen=True)
class Indicator(Node):
    a: Node
    b: Node                # 1[a = b]


@dataclass(frozen=True)
class Derivative(Node):
    var: Node              # a Sym, or Entry (∂/∂z_k)
    body: Node
    partial: bool = False


@dataclass(frozen=True)
class Entry(Node):
    vector: str            # z_k: the k-th entry of vector z (k a Sym or Num)
    index: Node


@dataclass(frozen=True)
class ISum(Node):
    index: str             # the summation letter, from 1 to `upper`
    upper: Node
    body: Node


@dataclass(frozen=True)
class IndexVar(Node):
    name: str              # the summation letter inside the body


@dataclass(frozen=True)
class Seq(Node):
    name: str              # a_i: the sequence a at an index (an IndexVar, or an integer offset)
    index: Node


@dataclass(frozen=True)
class Hyp:
    sym: Sym
    lo: Fraction | None    # lo < sym (strict)
    hi: Fraction | None    # sym < hi (strict)


@dataclass(frozen=True)
class Statement:
    hyps: tuple
    lhs: Node
    op: str                # "=", "<=", ">=", "<", ">"
    rhs: Node


def n(v) -> Num:
    return Num(Fraction(v))


ZERO, ONE, TWO, HALF = n(0), n(1), n(2), n(Fraction(1, 2))
PI, E = Const("pi"), Const("e")


def add(*terms) -> Add:
    return Add(tuple(terms))


def mul(*factors) -> Mul:
    return Mul(tuple(factors))


def neg(x) -> Node:
    """−x, without stacking signs: −(−t) is t, −(c·t) is (−c)·t."""
    if isinstance(x, Num):
        return Num(-x.value)
    if isinstance(x, Mul) and x.factors and isinstance(x.factors[0], Num):
        c, rest = -x.factors[0].value, x.factors[1:]
        if c == 1:
            return rest[0] if len(rest) == 1 else Mul(rest)
        return Mul((Num(c),) + rest)
    return mul(n(-1), x)


def sub(a, b) -> Add:
    return add(a, neg(b))


def sq(x) -> Pow:
    return Pow(x, TWO)


# ---------------------------------------------------------------------------------------------
# rendering in derive's notation

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "pi", "rho", "sigma", "tau", "phi"}


def sym_latex(name: str) -> str:
    letter, _, sub_ = name.partition("_")
    head = "\\" + letter if letter in _GREEK else letter
    return head + (f"_{sub_}" if len(sub_) == 1 else f"_{{{sub_}}}" if sub_ else "")


def number(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    sign = "-" if v < 0 else ""
    return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"


def _atomic(x: Node) -> bool:
    return isinstance(x, (Sym, Const, Entry, IndexVar, Seq)) or (isinstance(x, Num) and x.value >= 0 and x.value.denominator == 1)


def _function(x: Node) -> bool:
    """A factor that must be set off by \\cdot from what follows (its argument could run on)."""
    return isinstance(x, (Log, Exp, Sqrt, ISum, Derivative))


@dataclass(frozen=True)
class Style:
    """One of the spellings NOTATION accepts for each construct (a statement is written in one)."""
    kl: str = "D_{KL}"
    parallel: str = r"\|"
    bernoulli: str = r"\mathrm{Bernoulli}"
    natural_log: str = r"\log"
    le: str = r"\le"
    ge: str = r"\ge"
    derivative: str = "d"           # d/dθ, ∂/∂θ or ∇_θ for a scalar parameter (∂/∂z_k for a logit)


STYLES = {"kl": ("D_{KL}", r"D_{\mathrm{KL}}", r"\mathrm{KL}"), "parallel": (r"\|", r"\parallel"),
          "bernoulli": (r"\mathrm{Bernoulli}", r"\mathrm{Ber}"), "natural_log": (r"\log", r"\ln"),
          "le": (r"\le", r"\leq"), "ge": (r"\ge", r"\geq"), "derivative": ("d", "partial", "nabla")}


def random_style(rng) -> Style:
    """Mostly the written-as spelling; each construct otherwise one of its accepted spellings."""
    return Style(**{k: (v[0] if rng.random() < 0.6 else rng.choice(v)) for k, v in STYLES.items()})


class Renderer:
    def __init__(self, style: Style = Style()):
        self.style = style

    def expr(self, x: Node) -> str:
        if isinstance(x, Num):
            return number(x.value)
        if isinstance(x, Sym):
            return sym_latex(x.name)
        if isinstance(x, Const):
            return r"\pi" if x.name == "pi" else "e"
        if isinstance(x, IndexVar):
            return x.name
        if isinstance(x, Entry):
            return f"{sym_latex(x.vector)}_{{{self.expr(x.index)}}}"
        if isinstance(x, Seq):
            return f"{x.name}_{{{self.expr(x.index)}}}"
        if isinstance(x, Add):
            out = ""
            for k, t in enumerate(x.terms):
                text, negative = self._signed(t)
                if k == 0:
                    out = ("-" if negative else "") + text
                else:
                    out += (" - " if negative else " + ") + text
            return out
        if isinstance(x, Mul):
            if len(x.factors) >= 2 and x.factors[0] == Num(Fraction(1)):     # 1·t is written t
                rest = x.factors[1:]
                return self.expr(rest[0]) if len(rest) == 1 else self.expr(Mul(rest))
            if len(x.factors) >= 2 and x.factors[0] == Num(Fraction(-1)):
                rest = x.factors[1:]
                return "-" + (self._wrapped(rest[0]) if len(rest) == 1 else self.expr(Mul(rest)))
            parts, prev = [], None
            for f in x.factors:
                text = self.expr(f)
                if isinstance(f, Add) or (isinstance(f, Num) and f.value < 0) or (
                        isinstance(f, Mul) and f.factors and isinstance(f.factors[0], Num) and f.factors[0].value < 0):
                    text = rf"\left({text}\right)"
                if prev is not None:
                    # \sigma directly before a bracket would read as the logistic function
                    sigma = isinstance(prev, Sym) and prev.name.startswith("sigma") and text.startswith("\\left(")
                    joint = r" \cdot " if (_function(prev) or sigma or isinstance(f, Num)
                                           or isinstance(prev, Frac) and isinstance(f, Frac)) else " "
                    parts.append(joint)
                parts.append(text)
                prev = f
            return "".join(parts)
        if isinstance(x, Frac):
            return rf"\frac{{{self.expr(x.num)}}}{{{self.expr(x.den)}}}"
        if isinstance(x, Pow):
            base = self.expr(x.base)
            if not _atomic(x.base):
                base = rf"\left({base}\right)"
            return f"{base}^{{{self.expr(x.exp)}}}"
        if isinstance(x, Log):
            head = self.style.natural_log if x.base is None else rf"\log_{{{x.base}}}"
            return rf"{head}\left({self.expr(x.arg)}\right)"
        if isinstance(x, Exp):
            return rf"e^{{{self.expr(x.arg)}}}"
        if isinstance(x, Sqrt):
            return rf"\sqrt{{{self.expr(x.arg)}}}"
        if isinstance(x, Normal):
            return rf"\mathcal{{N}}({self.expr(x.mean)}, {self.expr(x.var)})"
        if isinstance(x, Bernoulli):
            return rf"{self.style.bernoulli}({self.expr(x.mu)})"
        if isinstance(x, Uniform):
            return rf"\mathrm{{Uniform}}({self.expr(x.a)}, {self.expr(x.b)})"
        if isinstance(x, CategoricalOf):
            return rf"\mathrm{{Categorical}}({sym_latex(x.vector)})"
        if isinstance(x, Entropy):
            return f"H({self.expr(x.dist)})"
        if isinstance(x, CrossEntropy):
            return f"H({self.expr(x.p)}, {self.expr(x.q)})"
        if isinstance(x, KL):
            return rf"{self.style.kl}({self.expr(x.p)} {self.style.parallel} {self.expr(x.q)})"
        if isinstance(x, Density):
            inner = self.expr(x.dist)
            head, _, args = inner.partition("(")
            return f"{head}({self.expr(x.point)}; {args}"
        if isinstance(x, Logistic):
            return rf"\sigma({self.expr(x.arg)})"
        if isinstance(x, Softmax):
            return rf"\mathrm{{softmax}}({x.logits})_{{{self.expr(x.index)}}}"
        if isinstance(x, Indicator):
            return rf"\mathbb{{1}}[{self.expr(x.a)} = {self.expr(x.b)}]"
        if isinstance(x, Derivative):
            var = self.expr(x.var)
            spelling = "partial" if x.partial or isinstance(x.var, Entry) else self.style.derivative
            op = {"partial": rf"\frac{{\partial}}{{\partial {var}}}", "d": rf"\frac{{d}}{{d{var}}}",
                  "nabla": rf"\nabla_{{{var}}}"}[spelling]
            return rf"{op}\left({self.expr(x.body)}\right)"
        if isinstance(x, ISum):
            return rf"\sum_{{{x.index}=1}}^{{{self.expr(x.upper)}}} \left({self.expr(x.body)}\right)"
        raise TypeError(type(x).__name__)


    def _signed(self, t: Node) -> tuple[str, bool]:
        """A term's text without its sign, and whether it is negative."""
        if isinstance(t, Num) and t.value < 0:
            return number(-t.value), True
        if isinstance(t, Mul) and t.factors and isinstance(t.factors[0], Num) and t.factors[0].value < 0:
            c = -t.factors[0].value
            rest = t.factors[1:]
            if c == 1:
                return (self.expr(Mul(rest)) if len(rest) > 1 else self._wrapped(rest[0])), True
            return self.expr(Mul((Num(c),) + rest)), True
        return self._wrapped(t) if isinstance(t, Add) else self.expr(t), False


    def _wrapped(self, t: Node) -> str:
        text = self.expr(t)
        return rf"\left({text}\right)" if isinstance(t, Add) else text


def render(x: Node, style: Style = Style()) -> str:
    return Renderer(style).expr(x)


def render_hyp(h: Hyp) -> str:
    s = sym_latex(h.sym.name)
    if h.lo is not None and h.hi is not None:
        return f"{number(h.lo)} < {s} < {number(h.hi)}"
    if h.lo is not None:
        return f"{s} > {number(h.lo)}"
    return f"{s} < {number(h.hi)}"


def render_statement(s: Statement, style: Style = Style()) -> str:
    op = {"=": "=", "<=": style.le, ">=": style.ge, "<": "<", ">": ">"}[s.op]
    body = f"{render(s.lhs, style)} {op} {render(s.rhs, style)}"
    if s.hyps:
        return ", ".join(render_hyp(h) for h in s.hyps) + r" \implies " + body
    return body
