"""Random statements for the oracle: an AST of our own, its LaTeX, and a seeded generator.

True statements come from known identities and inequalities (families below), dressed with
transformations that keep them true (swap the sides, add or scale both sides, move a term across,
rename the distributions). False candidates are made by perturbing one: a sign, a sum bound
n → n−1, p ↔ q, a log base, a factor 2, a `\\cdot` that changes what a `\\log` applies to, a
dropped term, a relation. The generator never decides truth: the reference evaluator does.

Nothing here comes from `derive`.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from fractions import Fraction

# ---------------------------------------------------------------------------------------------
# the AST


class Node:
    kids: tuple = ()  # names of the fields that hold sub-expressions (a node or a tuple of nodes)

    def children(self):
        for name in self.kids:
            value = getattr(self, name)
            if isinstance(value, tuple):
                yield from value
            else:
                yield value


@dataclass(frozen=True)
class Num(Node):
    value: Fraction


@dataclass(frozen=True)
class Euler(Node):
    pass


@dataclass(frozen=True)
class NVar(Node):
    """n: the number of categories (with p_i) or the data size (with x_i)."""


@dataclass(frozen=True)
class Log(Node):
    arg: Node
    base: int | None = None      # None: natural
    ln: bool = False             # natural log written \ln
    implicit: bool = False       # a product argument written without brackets
    kids = ("arg",)


@dataclass(frozen=True)
class Add(Node):
    terms: tuple
    kids = ("terms",)


@dataclass(frozen=True)
class Mul(Node):
    factors: tuple
    kids = ("factors",)


@dataclass(frozen=True)
class Neg(Node):
    arg: Node
    kids = ("arg",)


@dataclass(frozen=True)
class Frac(Node):
    num: Node
    den: Node
    kids = ("num", "den")


@dataclass(frozen=True)
class Dist:
    """A distribution argument: a name, or a mixture Σ w_k name_k (weights summing to 1)."""

    parts: tuple  # ((Fraction weight, name), ...)

    @property
    def names(self) -> tuple:
        return tuple(n for _, n in self.parts)


def D(name: str) -> Dist:
    return Dist(((Fraction(1), name),))


def M(*parts) -> Dist:
    return Dist(tuple((Fraction(w), n) for w, n in parts))


@dataclass(frozen=True)
class Entropy(Node):
    d: Dist


@dataclass(frozen=True)
class Cross(Node):
    d1: Dist
    d2: Dist


@dataclass(frozen=True)
class KL(Node):
    d1: Dist
    d2: Dist


@dataclass(frozen=True)
class Expect(Node):
    d: str
    body: Node
    kids = ("body",)


@dataclass(frozen=True)
class SumX(Node):
    """Σ_x over the support (discrete)."""

    body: Node
    kids = ("body",)


@dataclass(frozen=True)
class Integral(Node):
    """∫ … dx over the real line (continuous)."""

    body: Node
    kids = ("body",)


@dataclass(frozen=True)
class At(Node):
    """p(x) at the bound or free point x."""

    name: str


@dataclass(frozen=True)
class Idx(Node):
    """p_i, p_n or p_k: an entry of a table on categories {1..n}."""

    name: str
    index: object  # "i", "n" or an int


@dataclass(frozen=True)
class AtData(Node):
    """q(x_i): a distribution at the i-th data point."""

    name: str


@dataclass(frozen=True)
class ISum(Node):
    upper: str      # "n" or "n-1"
    body: Node
    kind: str       # "cat" (categories, p_i) or "data" (x_i)
    kids = ("body",)


@dataclass(frozen=True)
class IProd(Node):
    upper: str
    body: Node
    kind: str
    kids = ("body",)


@dataclass(frozen=True)
class Stmt:
    lhs: Node
    op: str         # "=", "<=", ">=", "<", ">"
    rhs: Node


def rebuild(node: Node, new_children: list) -> Node:
    values, it = {}, iter(new_children)
    for name in node.kids:
        old = getattr(node, name)
        values[name] = tuple(next(it) for _ in old) if isinstance(old, tuple) else next(it)
    return dataclasses.replace(node, **values)


def walk(node: Node, path: tuple = ()):
    """(path, node) for every node, pre-order; a path is a tuple of child positions."""
    yield path, node
    for k, child in enumerate(node.children()):
        yield from walk(child, path + (k,))


def get(node: Node, path: tuple) -> Node:
    for k in path:
        node = list(node.children())[k]
    return node


def replace(node: Node, path: tuple, new: Node) -> Node:
    if not path:
        return new
    kids = list(node.children())
    kids[path[0]] = replace(kids[path[0]], path[1:], new)
    return rebuild(node, kids)


def stmt_nodes(stmt: Stmt):
    for side in ("lhs", "rhs"):
        for path, node in walk(getattr(stmt, side)):
            yield side, path, node


def stmt_replace(stmt: Stmt, side: str, path: tuple, new: Node) -> Stmt:
    return dataclasses.replace(stmt, **{side: replace(getattr(stmt, side), path, new)})


def map_names(node, mapping: dict):
    """Rename distributions everywhere (a consistent renaming keeps truth)."""
    if isinstance(node, Stmt):
        return Stmt(map_names(node.lhs, mapping), node.op, map_names(node.rhs, mapping))
    if isinstance(node, Dist):
        return Dist(tuple((w, mapping.get(n, n)) for w, n in node.parts))
    if isinstance(node, (At, Idx, AtData)):
        return dataclasses.replace(node, name=mapping.get(node.name, node.name))
    if isinstance(node, (Entropy,)):
        return Entropy(map_names(node.d, mapping))
    if isinstance(node, (Cross, KL)):
        return type(node)(map_names(node.d1, mapping), map_names(node.d2, mapping))
    if isinstance(node, Expect):
        return Expect(mapping.get(node.d, node.d), map_names(node.body, mapping))
    if node.kids:
        return rebuild(node, [map_names(c, mapping) for c in node.children()])
    return node


# ---------------------------------------------------------------------------------------------
# features: which readings apply, what n means, which distributions must be positive


def names_in(node) -> set:
    out = set()
    for _, n in walk(node):
        if isinstance(n, (At, Idx, AtData)):
            out.add(n.name)
        elif isinstance(n, Entropy):
            out.update(n.d.names)
        elif isinstance(n, (Cross, KL)):
            out.update(n.d1.names + n.d2.names)
        elif isinstance(n, Expect):
            out.add(n.d)
    return out


@dataclass(frozen=True)
class Features:
    settings: frozenset     # the readings in which the statement means something
    n_kind: str | None      # "cat", "data", "both" or None
    positive: frozenset     # distributions that must be positive everywhere in our worlds
    names: frozenset
    pointwise: bool


def features(stmt: Stmt) -> Features:
    nodes = [n for _, _, n in stmt_nodes(stmt)]
    discrete_only = any(isinstance(n, (SumX, Idx)) or (isinstance(n, (ISum, IProd)) and n.kind == "cat")
                        for n in nodes)
    continuous_only = any(isinstance(n, Integral) for n in nodes)
    if discrete_only and continuous_only:
        settings = frozenset()
    elif discrete_only:
        settings = frozenset({"discrete"})
    elif continuous_only:
        settings = frozenset({"continuous"})
    else:
        settings = frozenset({"discrete", "continuous"})
    cat = any(isinstance(n, Idx) or (isinstance(n, (ISum, IProd)) and n.kind == "cat") for n in nodes)
    data = any(isinstance(n, AtData) or (isinstance(n, (ISum, IProd)) and n.kind == "data")
               for n in nodes)
    n_kind = "both" if cat and data else "cat" if cat else "data" if data else None
    positive = set()
    for n in nodes:
        if isinstance(n, Log):
            positive |= names_in(n.arg)
        elif isinstance(n, Frac):
            positive |= names_in(n.den)
        elif isinstance(n, (Cross, KL)):
            positive.update(n.d2.names)
    # a free point: the statement is about one point of the support, keep every density positive
    bound = any(isinstance(n, (SumX, Integral, Expect)) for n in nodes)
    pointwise = any(isinstance(n, At) for n in nodes) and not bound
    names = names_in(stmt.lhs) | names_in(stmt.rhs)
    if pointwise:
        positive |= names
    return Features(settings, n_kind, frozenset(positive), frozenset(names), pointwise)


# ---------------------------------------------------------------------------------------------
# LaTeX


OPS = {"=": ("=",), "<=": (r"\le", r"\leq"), ">=": (r"\ge", r"\geq"), "<": ("<",), ">": (">",)}
MIRROR = {"=": "=", "<=": ">=", ">=": "<=", "<": ">", ">": "<"}


class Renderer:
    """LaTeX in the notation of `derive check`; `rng` picks among equivalent spellings."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, *options):
        return self.rng.choice(options)

    def statement(self, stmt: Stmt) -> str:
        return f"{self.expr(stmt.lhs)} {self.pick(*OPS[stmt.op])} {self.expr(stmt.rhs)}"

    # precedence: 0 sum, 1 product, 2 atom
    def expr(self, node: Node) -> str:
        if isinstance(node, Add):
            out = self.term(node.terms[0], first=True)
            for t in node.terms[1:]:
                out += self.term(t, first=False)
            return out
        return self.factorish(node)

    def term(self, node: Node, first: bool) -> str:
        if isinstance(node, Neg):
            inner = node.arg
            text = self.factorish(inner) if not isinstance(inner, (Add, Neg)) else self.paren(self.expr(inner))
            return f"-{text}" if first else f" - {text}"
        if isinstance(node, Num) and node.value < 0:
            text = self.number(-node.value)
            return f"-{text}" if first else f" - {text}"
        text = self.factorish(node)
        return text if first else f" + {text}"

    def paren(self, text: str) -> str:
        return self.pick(f"\\left({text}\\right)", f"({text})")

    def factorish(self, node: Node) -> str:
        if isinstance(node, Add):
            return self.paren(self.expr(node))
        if isinstance(node, Neg):
            return self.term(node, first=True)
        if isinstance(node, Mul):
            return self.product(node.factors)
        return self.atom(node)

    def product(self, factors: tuple) -> str:
        out = ""
        for k, f in enumerate(factors):
            last = k == len(factors) - 1
            if isinstance(f, (Add, Neg)) or (isinstance(f, Num) and f.value < 0):
                text = self.paren(self.expr(f))
            elif isinstance(f, (SumX, ISum, IProd)) and not last:
                text = self.paren(self.expr(f))       # a sum runs to the end of its product
            elif isinstance(f, Mul):
                text = self.paren(self.product(f.factors))
            else:
                text = self.atom(f)
            if k:
                prev = factors[k - 1]
                number_next = isinstance(f, (Num, Euler)) or text[0].isdigit()
                if isinstance(prev, Log) or (number_next and isinstance(prev, (Num, Euler, NVar))):
                    out += r" \cdot "
                else:
                    out += " "
            out += text
        return out

    def number(self, value: Fraction) -> str:
        if value.denominator == 1:
            return str(value.numerator)
        sign = "-" if value < 0 else ""
        return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"

    def dist(self, d: Dist) -> str:
        if len(d.parts) == 1:
            return d.parts[0][1]
        (w1, a), (w2, b) = d.parts[0], d.parts[1]
        if len(d.parts) == 2 and w1 == w2 == Fraction(1, 2) and self.rng.random() < 0.4:
            return f"\\frac{{{a} + {b}}}{{2}}"
        return " + ".join(f"{self.number(w)} {n}" for w, n in d.parts)

    def kl(self, a: str, b: str) -> str:
        head = self.pick("D_{KL}", r"D_{\mathrm{KL}}", r"\mathrm{KL}", "KL")
        sep = self.pick(r"\|", r"\parallel")
        return f"{head}({a} {sep} {b})"

    def log_head(self, node: Log) -> str:
        if node.base is None:
            return r"\ln" if node.ln else r"\log"
        if node.base < 10 and self.rng.random() < 0.6:
            return f"\\log_{node.base}"
        return f"\\log_{{{node.base}}}"

    def log_arg(self, arg: Node, implicit: bool) -> str:
        if isinstance(arg, (Num, Euler, NVar, At, Idx, AtData, Entropy, Cross, KL)):
            if isinstance(arg, Num) and arg.value < 0:
                return self.paren(self.expr(arg))
            return self.atom(arg)
        if isinstance(arg, Frac):
            return self.atom(arg)
        if isinstance(arg, IProd):
            return self.atom(arg)
        if isinstance(arg, Mul) and implicit and all(
                isinstance(f, (Num, Euler, NVar, At, Idx, AtData)) and not (isinstance(f, Num) and f.value < 0)
                for f in arg.factors):
            return " ".join(self.atom(f) for f in arg.factors)   # \log 2 p(x) is log(2 p(x))
        return self.paren(self.expr(arg))

    def atom(self, node: Node) -> str:
        if isinstance(node, Num):
            return self.number(node.value) if node.value >= 0 else self.paren(self.number(node.value))
        if isinstance(node, Euler):
            return "e"
        if isinstance(node, NVar):
            return "n"
        if isinstance(node, Log):
            return f"{self.log_head(node)} {self.log_arg(node.arg, node.implicit)}"
        if isinstance(node, Frac):
            return f"\\frac{{{self.expr(node.num)}}}{{{self.expr(node.den)}}}"
        if isinstance(node, Entropy):
            return f"H({self.dist(node.d)})"
        if isinstance(node, Cross):
            return f"H({self.dist(node.d1)}, {self.dist(node.d2)})"
        if isinstance(node, KL):
            return self.kl(self.dist(node.d1), self.dist(node.d2))
        if isinstance(node, Expect):
            body = self.expr(node.body)
            sub = self.pick(f"x \\sim {node.d}", f"x \\sim {node.d}", node.d)
            if self.rng.random() < 0.5:
                return f"\\mathbb{{E}}_{{{sub}}}[{body}]"
            return f"\\mathbb{{E}}_{{{sub}}}\\left[{body}\\right]"
        if isinstance(node, SumX):
            head = self.pick(r"\sum_{x}", r"\sum_{x \in \mathcal{X}}")
            return f"{head} {self.sum_body(node.body)}"
        if isinstance(node, Integral):
            head = self.pick(r"\int", r"\int_{-\infty}^{\infty}")
            dx = self.pick(r"\, dx", "dx", r"\,dx")
            return f"{head} {self.sum_body(node.body)} {dx}"
        if isinstance(node, At):
            return f"{node.name}(x)"
        if isinstance(node, Idx):
            index = str(node.index)
            return f"{node.name}_{index}" if self.rng.random() < 0.7 else f"{node.name}_{{{index}}}"
        if isinstance(node, AtData):
            return f"{node.name}(x_i)" if self.rng.random() < 0.8 else f"{node.name}(x_{{i}})"
        if isinstance(node, (ISum, IProd)):
            head = r"\sum" if isinstance(node, ISum) else r"\prod"
            upper = "n" if node.upper == "n" else "n-1"
            return f"{head}_{{i=1}}^{{{upper}}} {self.sum_body(node.body)}"
        if isinstance(node, (Add, Mul, Neg)):
            return self.paren(self.expr(node))
        raise TypeError(node)

    def sum_body(self, body: Node) -> str:
        if isinstance(body, (Add, Neg)):
            return self.paren(self.expr(body))
        return self.factorish(body)


def render(stmt: Stmt, seed) -> str:
    return Renderer(random.Random(seed)).statement(stmt)


# ---------------------------------------------------------------------------------------------
# building blocks

ONE, TWO, HALF = Num(Fraction(1)), Num(Fraction(2)), Num(Fraction(1, 2))
x_p, x_q, x_r = At("p"), At("q"), At("r")


def n(v) -> Num:
    return Num(Fraction(v))


def log(arg, base=None, ln=False, implicit=False) -> Log:
    return Log(arg, base, ln, implicit)


def add(*terms) -> Node:
    flat = []
    for t in terms:
        flat.extend(t.terms if isinstance(t, Add) else (t,))
    return flat[0] if len(flat) == 1 else Add(tuple(flat))


def mul(*factors) -> Node:
    flat = []
    for f in factors:
        flat.extend(f.factors if isinstance(f, Mul) else (f,))
    return flat[0] if len(flat) == 1 else Mul(tuple(flat))


def neg(a) -> Node:
    return a.arg if isinstance(a, Neg) else Neg(a)


def sub(a, b) -> Node:
    return add(a, neg(b))


def H(a) -> Entropy:
    return Entropy(a if isinstance(a, Dist) else D(a))


def CE(a, b) -> Cross:
    return Cross(a if isinstance(a, Dist) else D(a), b if isinstance(b, Dist) else D(b))


def KLD(a, b) -> KL:
    return KL(a if isinstance(a, Dist) else D(a), b if isinstance(b, Dist) else D(b))


def S(stmt_l, op, stmt_r) -> Stmt:
    return Stmt(stmt_l, op, stmt_r)


# ---------------------------------------------------------------------------------------------
# families of true statements (each: rng -> Stmt). The comment says where it is true.


def _over(rng):
    """Σ_x (discrete) or ∫ dx (continuous), chosen at random."""
    return rng.choice((SumX, Integral))


def _weight(rng) -> Fraction:
    return rng.choice((Fraction(1, 2), Fraction(1, 3), Fraction(1, 4), Fraction(2, 3), Fraction(3, 4), Fraction(1, 5)))


def fam_quantities(rng):
    return rng.choice([
        S(CE("p", "q"), "=", add(H("p"), KLD("p", "q"))),
        S(KLD("p", "q"), "=", sub(CE("p", "q"), H("p"))),
        S(CE("p", "p"), "=", H("p")),
        S(KLD("p", "p"), "=", n(0)),
        S(KLD("p", "r"), "=", add(sub(CE("p", "r"), CE("p", "q")), KLD("p", "q"))),
        S(sub(CE("p", "q"), CE("p", "r")), "=", sub(KLD("p", "q"), KLD("p", "r"))),
        S(add(KLD("p", "q"), KLD("q", "p")), "=", sub(add(CE("p", "q"), CE("q", "p")), add(H("p"), H("q")))),
    ])


def fam_expectations(rng):
    a, b = n(rng.randint(2, 5)), n(rng.randint(1, 7))
    return rng.choice([
        S(H("p"), "=", Expect("p", neg(log(x_p)))),
        S(H("p"), "=", neg(Expect("p", log(x_p)))),
        S(CE("p", "q"), "=", Expect("p", neg(log(x_q)))),
        S(CE("p", "q"), "=", Expect("p", log(Frac(ONE, x_q)))),
        S(KLD("p", "q"), "=", Expect("p", log(Frac(x_p, x_q)))),
        S(KLD("p", "q"), "=", Expect("p", sub(log(x_p), log(x_q)))),
        S(Expect("p", add(mul(a, log(x_q)), b)), "=", add(mul(a, Expect("p", log(x_q))), b)),
        S(Expect("p", log(x_q, base=2)), "=", Frac(Expect("p", log(x_q)), log(TWO))),
        S(Expect("p", log(mul(TWO, x_q), implicit=True)), "=", sub(log(TWO), CE("p", "q"))),
        S(Expect("p", ONE), "=", ONE),
        S(Expect("p", sub(log(x_q), log(x_r))), "=", sub(CE("p", "r"), CE("p", "q"))),
    ])


def fam_support(rng):
    O = _over(rng)
    return rng.choice([
        S(H("p"), "=", neg(O(mul(x_p, log(x_p))))),
        S(CE("p", "q"), "=", neg(O(mul(x_p, log(x_q))))),
        S(O(mul(x_p, log(x_q))), "=", neg(CE("p", "q"))),
        S(KLD("p", "q"), "=", O(mul(x_p, log(Frac(x_p, x_q))))),
        S(KLD("p", "q"), "=", O(mul(x_p, sub(log(x_p), log(x_q))))),
        S(O(x_p), "=", ONE),
        S(O(sub(x_p, x_q)), "=", n(0)),
        S(add(KLD("p", "q"), KLD("q", "p")), "=", O(mul(sub(x_p, x_q), log(Frac(x_p, x_q))))),
        S(O(mul(x_p, log(x_p, base=2))), "=", mul(Frac(ONE, log(TWO, ln=True)), O(mul(x_p, log(x_p))))),
        S(neg(O(mul(x_p, log(x_p, base=2)))), "=", mul(log(Euler(), base=2), H("p"))),
        S(O(mul(x_p, log(mul(TWO, x_q), implicit=True))), "=", sub(log(TWO), CE("p", "q"))),
        S(O(mul(x_p, log(x_q))), "<=", O(mul(x_p, log(x_p)))),
    ])


def fam_mixtures(rng):
    w = _weight(rng)
    m = M((w, "p"), (1 - w, "q"))
    half = M((Fraction(1, 2), "p"), (Fraction(1, 2), "q"))
    return rng.choice([
        S(CE(m, "r"), "=", add(mul(Num(w), CE("p", "r")), mul(Num(1 - w), CE("q", "r")))),
        S(add(CE("p", half), CE("q", half)), "=", mul(TWO, H(half))),
        S(add(mul(HALF, KLD("p", half)), mul(HALF, KLD("q", half))), "=",
          sub(sub(H(half), mul(HALF, H("p"))), mul(HALF, H("q")))),
        S(H(m), ">=", add(mul(Num(w), H("p")), mul(Num(1 - w), H("q")))),
        S(KLD(m, "r"), "<=", add(mul(Num(w), KLD("p", "r")), mul(Num(1 - w), KLD("q", "r")))),
        S(KLD("p", half), ">=", n(0)),
        S(KLD(m, "r"), "=", sub(add(mul(Num(w), CE("p", "r")), mul(Num(1 - w), CE("q", "r"))), H(m))),
    ])


def fam_constants(rng):
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    base, k = rng.choice((2, 3, 10, 5)), rng.randint(1, 4)
    return rng.choice([
        S(mul(log(Euler(), base=2), log(TWO, ln=True)), "=", ONE),
        S(mul(log(TWO), log(Euler(), base=2)), "=", ONE),
        S(log(n(a ** k)), "=", mul(n(k), log(n(a)))),
        S(log(n(base ** k), base=base), "=", n(k)),
        S(add(log(n(a)), log(n(b))), "=", log(n(a * b))),
        S(log(Euler(), base=2), "=", Frac(ONE, log(TWO, ln=True))),
        S(log(Euler(), base=base), "=", Frac(ONE, log(n(base)))),
        S(log(Num(Fraction(1, a))), "=", neg(log(n(a)))),
        S(log(Frac(n(a), n(b))), "=", sub(log(n(a)), log(n(b)))),
        S(log(n(4), base=2), ">", log(n(3), base=2)),
    ])


def fam_bases(rng):
    return rng.choice([
        S(mul(log(Euler(), base=2), H("p")), "=", Frac(H("p"), log(TWO, ln=True))),
        S(neg(Expect("p", log(x_p, base=2))), "=", mul(log(Euler(), base=2), H("p"))),
        S(mul(log(Euler(), base=2), KLD("p", "q")), "=", Expect("p", log(Frac(x_p, x_q), base=2))),
        S(H("p"), "=", mul(log(TWO), neg(Expect("p", log(x_p, base=2))))),
        S(Expect("p", log(x_q, base=10)), "=", mul(log(Euler(), base=10), neg(CE("p", "q")))),
    ])


def fam_index(rng):
    i = lambda name: Idx(name, "i")
    cat = lambda body, upper="n": ISum(upper, body, "cat")
    return rng.choice([
        S(cat(i("p")), "=", ONE),
        S(cat(i("p"), "n-1"), "=", sub(ONE, Idx("p", "n"))),
        S(cat(mul(i("p"), log(i("q")))), "=", neg(CE("p", "q"))),
        S(neg(cat(mul(i("p"), log(i("p"))))), "=", H("p")),
        S(cat(mul(i("p"), log(Frac(i("p"), i("q"))))), "=", KLD("p", "q")),
        S(cat(sub(i("p"), i("q"))), "=", n(0)),
        S(neg(cat(mul(i("p"), log(i("p"))))), "<=", log(NVar())),
        S(cat(mul(i("p"), log(i("p")))), ">=", neg(log(NVar()))),
        S(cat(mul(i("p"), log(i("p"), base=2))), "=", neg(Frac(H("p"), log(TWO)))),
        S(cat(mul(Frac(ONE, NVar()), log(i("q")))), "<=", log(cat(mul(Frac(ONE, NVar()), i("q"))))),
        S(cat(i("p"), "n-1"), "<=", ONE),
        S(add(cat(i("q"), "n-1"), Idx("q", "n")), "=", ONE),
    ])


def fam_data(rng):
    lq, lp = log(AtData("q")), log(AtData("p"))
    data = lambda body, upper="n": ISum(upper, body, "data")
    prod = lambda body, upper="n": IProd(upper, body, "data")
    return rng.choice([
        S(neg(data(lq)), "=", neg(log(prod(AtData("q"))))),
        S(log(prod(AtData("q"))), "=", data(lq)),
        S(data(log(AtData("q"), base=2)), "=", mul(Frac(ONE, log(TWO)), data(lq))),
        S(data(sub(lq, lp)), "=", sub(data(lq), data(lp))),
        S(data(log(Frac(AtData("q"), AtData("p")))), "=", log(Frac(prod(AtData("q")), prod(AtData("p"))))),
        S(mul(Frac(ONE, NVar()), data(lq)), "=", mul(Frac(ONE, NVar()), log(prod(AtData("q"))))),
        S(data(mul(TWO, lq)), "=", mul(TWO, data(lq))),
        S(data(log(mul(TWO, AtData("q")), implicit=True)), "=", add(mul(NVar(), log(TWO)), data(lq))),
        S(data(lq), "<=", n(0)),
        S(prod(AtData("q")), "<=", ONE),
        S(prod(AtData("q")), ">=", n(0)),
        S(data(sub(lq, log(n(2)))), "=", sub(data(lq), mul(NVar(), log(n(2))))),
    ])


def fam_pointwise(rng):
    return rng.choice([
        S(log(mul(x_p, x_q)), "=", add(log(x_p), log(x_q))),
        S(log(Frac(x_p, x_q)), "=", sub(log(x_p), log(x_q))),
        S(log(mul(TWO, x_p), implicit=True), "=", add(log(TWO), log(x_p))),
        S(log(x_p, base=2), "=", Frac(log(x_p), log(TWO))),
        S(log(add(mul(HALF, x_p), mul(HALF, x_q))), ">=", add(mul(HALF, log(x_p)), mul(HALF, log(x_q)))),
        S(log(x_p), "<=", n(0)),
        S(log(Frac(ONE, x_p)), "=", neg(log(x_p))),
        S(log(x_p, base=2), "=", mul(log(Euler(), base=2), log(x_p, ln=True))),
        S(mul(x_p, x_q), ">=", n(0)),
    ])


def fam_inequalities(rng):
    return rng.choice([
        S(KLD("p", "q"), ">=", n(0)),
        S(n(0), "<=", KLD("p", "q")),
        S(CE("p", "q"), ">=", H("p")),
        S(H("p"), ">=", n(0)),
        S(add(KLD("p", "q"), KLD("q", "p")), ">=", n(0)),
        S(Expect("p", log(x_q)), "<=", Expect("p", log(x_p))),
        S(add(CE("p", "q"), KLD("p", "r")), ">=", H("p")),
        S(add(KLD("p", "q"), ONE), ">", n(0)),
    ])


def fam_cancellations(rng):
    return rng.choice([
        S(Frac(H("p"), H("p")), "=", ONE),
        S(Frac(KLD("p", "q"), KLD("p", "q")), "=", ONE),
        S(Frac(sub(CE("p", "q"), H("p")), KLD("p", "q")), "=", ONE),
        S(Frac(ONE, KLD("p", "q")), ">=", n(0)),
        S(Frac(mul(H("p"), H("q")), H("q")), "=", H("p")),
        S(Frac(ONE, H("p")), ">=", n(0)),
        S(Frac(KLD("p", "q"), KLD("p", "q")), "<=", ONE),
        S(Frac(CE("p", "q"), CE("p", "q")), "=", ONE),
        S(Frac(KLD("p", "q"), sub(CE("p", "q"), H("p"))), "=", ONE),
    ])


FAMILIES = {
    "quantities": (fam_quantities, 10),
    "expectations": (fam_expectations, 11),
    "support": (fam_support, 13),
    "mixtures": (fam_mixtures, 8),
    "constants": (fam_constants, 5),
    "bases": (fam_bases, 6),
    "index": (fam_index, 11),
    "data": (fam_data, 11),
    "pointwise": (fam_pointwise, 9),
    "inequalities": (fam_inequalities, 9),
    "cancellations": (fam_cancellations, 7),
}

# ---------------------------------------------------------------------------------------------
# decorations (keep truth) and perturbations (may break it)


def decorate(stmt: Stmt, rng) -> tuple[Stmt, list]:
    done = []
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        kind = rng.choice(("swap_sides", "add_both", "scale_both", "move_term", "rename", "ln"))
        if kind == "swap_sides":
            stmt = Stmt(stmt.rhs, MIRROR[stmt.op], stmt.lhs)
        elif kind == "add_both":
            t = rng.choice((n(rng.randint(1, 5)), log(n(rng.randint(2, 7))), H("r"), mul(HALF, H("q"))))
            if rng.random() < 0.5:
                t = neg(t)
            stmt = Stmt(add(stmt.lhs, t), stmt.op, add(stmt.rhs, t))
        elif kind == "scale_both":
            k = Num(rng.choice((Fraction(2), Fraction(3), Fraction(1, 2))))
            stmt = Stmt(mul(k, stmt.lhs), stmt.op, mul(k, stmt.rhs))
        elif kind == "move_term":
            if isinstance(stmt.lhs, Add) and len(stmt.lhs.terms) >= 2:
                k = rng.randrange(len(stmt.lhs.terms))
                t = stmt.lhs.terms[k]
                rest = stmt.lhs.terms[:k] + stmt.lhs.terms[k + 1:]
                stmt = Stmt(add(*rest), stmt.op, add(stmt.rhs, neg(t)))
            else:
                continue
        elif kind == "rename":
            perm = rng.sample(["p", "q", "r"], 3)
            stmt = map_names(stmt, dict(zip(["p", "q", "r"], perm)))
        elif kind == "ln":
            logs = [(s, p) for s, p, node in stmt_nodes(stmt) if isinstance(node, Log) and node.base is None]
            if not logs:
                continue
            side, path = rng.choice(logs)
            node = get(getattr(stmt, side), path)
            stmt = stmt_replace(stmt, side, path, dataclasses.replace(node, ln=not node.ln))
        done.append(kind)
    return stmt, done


def _swap_pq(node):
    return map_names(node, {"p": "q", "q": "p"})


def perturb(stmt: Stmt, rng) -> tuple[Stmt, str] | None:
    """One random change that may make the statement false; None if none applies."""
    nodes = list(stmt_nodes(stmt))
    options = []   # weighted: the rarer structural changes are preferred where they apply
    # sign of a term or of a side
    terms = [(s, p) for s, p, node in nodes if p == () or (len(p) >= 1 and isinstance(
        get(getattr(stmt, s), p[:-1]), Add))]
    if terms:
        options += ["sign"] * 2
    if any(isinstance(node, (ISum, IProd)) for _, _, node in nodes):
        options += ["bound"] * 5
    if {"p", "q"} <= set(features(stmt).names) or any(isinstance(node, (Cross, KL)) for _, _, node in nodes):
        options += ["swap"] * 2
    if any(isinstance(node, Log) for _, _, node in nodes):
        options += ["base"] * 2
    options.append("factor2")
    if any(isinstance(node, Log) and isinstance(node.arg, Mul) for _, _, node in nodes) or any(
            isinstance(node, Mul) and isinstance(node.factors[0], Log) for _, _, node in nodes):
        options += ["cdot"] * 6
    if any(isinstance(node, Add) for _, _, node in nodes):
        options.append("drop")
    options.append("relation")
    kind = rng.choice(options)

    if kind == "sign":
        side, path = rng.choice(terms)
        node = get(getattr(stmt, side), path)
        return stmt_replace(stmt, side, path, neg(node)), kind
    if kind == "bound":
        side, path, node = rng.choice([t for t in nodes if isinstance(t[2], (ISum, IProd))])
        new = dataclasses.replace(node, upper="n-1" if node.upper == "n" else "n")
        return stmt_replace(stmt, side, path, new), kind
    if kind == "swap":
        quantities = [(s, p, nd) for s, p, nd in nodes if isinstance(nd, (Cross, KL))]
        if quantities and rng.random() < 0.5:
            side, path, node = rng.choice(quantities)
            return stmt_replace(stmt, side, path, type(node)(node.d2, node.d1)), "swap-args"
        side = rng.choice(("lhs", "rhs"))
        return dataclasses.replace(stmt, **{side: _swap_pq(getattr(stmt, side))}), "swap-pq"
    if kind == "base":
        side, path, node = rng.choice([t for t in nodes if isinstance(t[2], Log)])
        new = dataclasses.replace(node, base=2 if node.base is None else None, ln=False)
        return stmt_replace(stmt, side, path, new), kind
    if kind == "factor2":
        side, path = rng.choice(terms)
        node = get(getattr(stmt, side), path)
        return stmt_replace(stmt, side, path, mul(TWO, node)), kind
    if kind == "cdot":
        cands = [(s, p, nd) for s, p, nd in nodes
                 if (isinstance(nd, Log) and isinstance(nd.arg, Mul))
                 or (isinstance(nd, Mul) and isinstance(nd.factors[0], Log))]
        side, path, node = rng.choice(cands)
        if isinstance(node, Log):
            # log(c · rest) → log(c) · rest: the \cdot now ends the log's argument
            first, *rest = node.arg.factors
            new = mul(dataclasses.replace(node, arg=first, implicit=False), *rest)
        else:
            # log(c) · rest → log(c rest), written without brackets
            first, *rest = node.factors
            new = dataclasses.replace(first, arg=mul(first.arg, *rest), implicit=True)
        return stmt_replace(stmt, side, path, new), kind
    if kind == "drop":
        side, path, node = rng.choice([t for t in nodes if isinstance(t[2], Add)])
        k = rng.randrange(len(node.terms))
        return stmt_replace(stmt, side, path, add(*(node.terms[:k] + node.terms[k + 1:]))), kind
    if kind == "relation":
        flips = {"=": ("<", ">"), ">=": ("<=", ">"), "<=": (">=", "<"), ">": ("<", ">="), "<": (">", "<=")}
        return Stmt(stmt.lhs, rng.choice(flips[stmt.op]), stmt.rhs), kind
    return None


# ---------------------------------------------------------------------------------------------
# the generator


def n_is_bound(stmt: Stmt) -> bool:
    """Whether n means something: a statement with n (a bound, or n itself) must also mention
    p_i (then n is the number of categories) or x_i (the data size); perturbations that drop
    those are discarded."""
    nodes = [node for _, _, node in stmt_nodes(stmt)]
    uses_n = any(isinstance(node, (NVar, ISum, IProd)) for node in nodes)
    binds_n = any(isinstance(node, (Idx, AtData)) for node in nodes)
    return binds_n or not uses_n


@dataclass
class Generated:
    index: int
    family: str
    origin: str          # "true-template" or "perturbed:<kind>"
    decorations: list
    stmt: Stmt
    latex: str
    features: Features


def generate_one(rng: random.Random, index: int = 0, perturb_rate: float = 0.5) -> Generated:
    names = list(FAMILIES)
    weights = [FAMILIES[k][1] for k in names]
    while True:
        family = rng.choices(names, weights)[0]
        stmt = FAMILIES[family][0](rng)
        stmt, decorations = decorate(stmt, rng)
        origin = "true-template"
        if rng.random() < perturb_rate:
            changed = perturb(stmt, rng)
            if changed is None:
                continue
            stmt, kind = changed
            origin = f"perturbed:{kind}"
            if rng.random() < 0.15:
                again = perturb(stmt, rng)
                if again is not None:
                    stmt, kind2 = again
                    origin += f"+{kind2}"
        feats = features(stmt)
        if not feats.settings or not n_is_bound(stmt):
            continue
        latex = render(stmt, rng.random())
        return Generated(index, family, origin, decorations, stmt, latex, feats)


def generate(count: int, seed: int = 0, perturb_rate: float = 0.5) -> list:
    rng = random.Random(f"oracle-statements-{seed}")
    return [generate_one(rng, k, perturb_rate) for k in range(count)]
