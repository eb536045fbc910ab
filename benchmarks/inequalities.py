"""The Shannon-type benchmark set: textbook information inequalities and identities of 3–6
random variables, false ones, near misses, Zhang–Yeung (true, but no Shannon-type prover can
prove it) and Ingleton (false, but only a counterexample can show it).

(An identity without hypotheses, such as a chain rule, is 0 in the basis of joint entropies and
so no test of a prover; chain rules appear here as inequalities and as identities under a Markov
chain.)

Each statement is a *form* Σ_S c_S·H(X_S) over joint entropies (the API of
derive/checking/symbolic/shannon.py) with a relation to 0 (">=" or "=="), hypotheses (forms that
are 0: conditional independences, functional dependences), and its truth from the literature.

Standard library only: benchmarks/shannon.py also imports this file from psitip's own venv.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


class Form(dict):
    """Σ_S c_S·H(X_S): a dict frozenset(names) → Fraction with +, − and scaling."""

    def __add__(self, other: Form) -> Form:
        result = Form(self)
        for subset, coefficient in other.items():
            result[subset] = result.get(subset, Fraction(0)) + coefficient
        return Form({s: c for s, c in result.items() if c})

    def __neg__(self) -> Form:
        return Form({s: -c for s, c in self.items()})

    def __sub__(self, other: Form) -> Form:
        return self + (-other)

    def __rmul__(self, factor) -> Form:
        factor = Fraction(factor)
        return Form({s: factor * c for s, c in self.items() if factor * c})


def _names(text: str) -> frozenset[str]:
    return frozenset(name.strip() for name in text.split(",") if name.strip())


def _joint(names: frozenset[str]) -> Form:
    return Form({names: Fraction(1)}) if names else Form()


def H(text: str) -> Form:
    """H("X,Y|Z,W") = H(X,Y,Z,W) − H(Z,W)."""
    left, _, given = text.partition("|")
    condition = _names(given)
    return _joint(_names(left) | condition) - _joint(condition)


def I(text: str) -> Form:
    """I("X;Y,Z|W") = H(X,W) + H(Y,Z,W) − H(X,Y,Z,W) − H(W)."""
    pair, _, given = text.partition("|")
    first, second = pair.split(";")
    condition = _names(given)
    a, b = _names(first) | condition, _names(second) | condition
    return _joint(a) + _joint(b) - _joint(a | b) - _joint(condition)


def total(forms) -> Form:
    result = Form()
    for form in forms:
        result = result + form
    return result


@dataclass(frozen=True)
class Statement:
    """target (relation) 0 given hypotheses = 0.  truth: True or False (from the literature);
    kind: "Shannon" (true and Shannon-type), "non-Shannon" (true, not Shannon-type), "false",
    "near miss" (false by a small margin: what a float LP with tolerances may get wrong)."""

    name: str
    text: str
    target: Form
    relation: str
    truth: bool
    kind: str
    source: str
    hypotheses: tuple[Form, ...] = field(default=())
    #: The hypotheses as a person types them for `derive check` (Markov chains, independences).
    given: str = ""

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(sorted(set().union(*self.target, *(set().union(*h) for h in
                                                          self.hypotheses))))


def le(lhs: Form, rhs: Form) -> Form:
    """lhs ≤ rhs as rhs − lhs ≥ 0."""
    return rhs - lhs


def markov(*chain: str) -> tuple[Form, ...]:
    """X1 → X2 → … → Xk: I(X1..X(i−1); X(i+1) | Xi) = 0 for each i."""
    return tuple(I(",".join(chain[:i]) + ";" + chain[i + 1] + "|" + chain[i])
                 for i in range(1, len(chain) - 1))


def han(n: int, names: str = "X") -> Form:
    """Han's inequality (n − 1)·H(X1..Xn) ≤ Σ_i H(X1..Xn without Xi), as a form ≥ 0."""
    variables = [f"{names}{i}" for i in range(1, n + 1)]
    every = H(",".join(variables))
    rest = total(H(",".join(v for v in variables if v != left)) for left in variables)
    return le((n - 1) * every, rest)


def zhang_yeung() -> Form:
    """2I(C;D) ≤ I(A;B) + I(A;C,D) + 3I(C;D|A) + I(C;D|B) (Zhang & Yeung 1998)."""
    return le(2 * I("C;D"), I("A;B") + I("A;C,D") + 3 * I("C;D|A") + I("C;D|B"))


def ingleton() -> Form:
    """I(A;B) ≤ I(A;B|C) + I(A;B|D) + I(C;D): holds for ranks of linear spaces, not for entropy."""
    return le(I("A;B"), I("A;B|C") + I("A;B|D") + I("C;D"))


CT = "Cover & Thomas, Elements of Information Theory (2nd ed.)"
YEUNG = "Yeung, Information Theory and Network Coding (2008)"

STATEMENTS: tuple[Statement, ...] = (
    # ---- true, Shannon-type -----------------------------------------------------------------
    Statement("cmi-nonnegative", "I(X;Y|Z) ≥ 0", I("X;Y|Z"), ">=", True, "Shannon",
              f"{CT} (2.92)"),
    Statement("conditioning-reduces", "H(X|Y,Z) ≤ H(X|Z)", le(H("X|Y,Z"), H("X|Z")), ">=", True,
              "Shannon", f"{CT} Thm 2.6.5"),
    Statement("submodular-4", "H(X,Y,Z,W) + H(Y,Z) ≤ H(X,Y,Z) + H(Y,Z,W)",
              le(H("X,Y,Z,W") + H("Y,Z"), H("X,Y,Z") + H("Y,Z,W")), ">=", True, "Shannon",
              f"{YEUNG} (submodularity)"),
    Statement("subadditive-5", "H(X1,…,X5) ≤ Σ H(Xi)",
              le(H("X1,X2,X3,X4,X5"), total(H(f"X{i}") for i in range(1, 6))), ">=", True,
              "Shannon", f"{CT} Thm 2.6.6"),
    Statement("mi-monotone", "I(X;Y) ≤ I(X;Y,Z)", le(I("X;Y"), I("X;Y,Z")), ">=", True,
              "Shannon", f"{CT} chain rule (2.62)"),
    Statement("cmi-le-h", "I(X;Y|Z) ≤ H(X|Z)", le(I("X;Y|Z"), H("X|Z")), ">=", True, "Shannon",
              f"{CT} (2.92)"),
    Statement("conditional-triangle", "H(X|Z) ≤ H(X|Y) + H(Y|Z)",
              le(H("X|Z"), H("X|Y") + H("Y|Z")), ">=", True, "Shannon", f"{CT} Problem 2.x"),
    Statement("entropy-metric", "d(X,Z) ≤ d(X,Y) + d(Y,Z), d(X,Y) = H(X|Y) + H(Y|X)",
              le(H("X|Z") + H("Z|X"), H("X|Y") + H("Y|X") + H("Y|Z") + H("Z|Y")), ">=", True,
              "Shannon", f"{CT} Problem 2.15"),
    Statement("chain-rule-bound", "H(X1,…,X4) ≤ H(X1) + H(X2|X1) + H(X3|X2) + H(X4|X3)",
              le(H("X1,X2,X3,X4"), H("X1") + H("X2|X1") + H("X3|X2") + H("X4|X3")), ">=", True,
              "Shannon", f"{CT} Thm 2.5.1 and 2.6.5"),
    Statement("markov-chain-rule", "X1→X2→X3→X4 ⇒ H(X1,…,X4) = H(X1) + H(X2|X1) + H(X3|X2) + "
              "H(X4|X3)", H("X1") + H("X2|X1") + H("X3|X2") + H("X4|X3") - H("X1,X2,X3,X4"),
              "==", True, "Shannon", f"{CT} §4.2", markov("X1", "X2", "X3", "X4"),
              r"X1 \to X2 \to X3 \to X4"),
    Statement("han-3", "2H(X,Y,Z) ≤ H(X,Y) + H(X,Z) + H(Y,Z)", han(3), ">=", True, "Shannon",
              f"{CT} Thm 17.6.1 (Han)"),
    Statement("han-4", "3H(X1..X4) ≤ Σ_i H(X1..X4 without Xi)", han(4), ">=", True, "Shannon",
              f"{CT} Thm 17.6.1 (Han)"),
    Statement("han-4-pairs", "Σ_triples H ≤ Σ_pairs H (4 variables: h_3/3 ≤ h_2/2)",
              le(total(H(",".join(t)) for t in ("ABC", "ABD", "ACD", "BCD")),
                 total(H(",".join(p)) for p in ("AB", "AC", "AD", "BC", "BD", "CD"))),
              ">=", True, "Shannon", f"{CT} Thm 17.6.1 (Han)"),
    Statement("han-6", "5H(X1..X6) ≤ Σ_i H(X1..X6 without Xi)", han(6), ">=", True, "Shannon",
              f"{CT} Thm 17.6.1 (Han)"),
    Statement("shearer-4", "2H(A,B,C,D) ≤ H(A,B) + H(B,C) + H(C,D) + H(D,A)",
              le(2 * H("A,B,C,D"), H("A,B") + H("B,C") + H("C,D") + H("D,A")), ">=", True,
              "Shannon", "Chung, Graham, Frankl, Shearer (1986)"),
    Statement("data-processing", "X→Y→Z ⇒ I(X;Z) ≤ I(X;Y)", le(I("X;Z"), I("X;Y")), ">=", True,
              "Shannon", f"{CT} Thm 2.8.1", markov("X", "Y", "Z"), r"X \to Y \to Z"),
    Statement("data-processing-2", "X→Y→Z ⇒ I(X;Z) ≤ I(Y;Z)", le(I("X;Z"), I("Y;Z")), ">=",
              True, "Shannon", f"{CT} Thm 2.8.1", markov("X", "Y", "Z"), r"X \to Y \to Z"),
    Statement("markov-mi-identity", "X→Y→Z ⇒ I(X;Y,Z) = I(X;Y)", I("X;Y,Z") - I("X;Y"), "==",
              True, "Shannon", f"{CT} §2.8", markov("X", "Y", "Z"), r"X \to Y \to Z"),
    Statement("markov-4", "X1→X2→X3→X4 ⇒ I(X1;X4) ≤ I(X2;X3)", le(I("X1;X4"), I("X2;X3")), ">=",
              True, "Shannon", f"{CT} Problem 2.26", markov("X1", "X2", "X3", "X4"),
              r"X1 \to X2 \to X3 \to X4"),
    Statement("markov-5", "X1→…→X5 ⇒ I(X1;X5) ≤ I(X2;X4)", le(I("X1;X5"), I("X2;X4")), ">=",
              True, "Shannon", f"{CT} Problem 2.26", markov("X1", "X2", "X3", "X4", "X5"),
              r"X1 \to X2 \to X3 \to X4 \to X5"),
    Statement("markov-6", "X1→…→X6 ⇒ I(X1;X6) ≤ I(X3;X4)", le(I("X1;X6"), I("X3;X4")), ">=",
              True, "Shannon", f"{CT} Problem 2.26",
              markov("X1", "X2", "X3", "X4", "X5", "X6"),
              r"X1 \to X2 \to X3 \to X4 \to X5 \to X6"),
    Statement("function-reduces", "H(Y|X) = 0 ⇒ H(Y) ≤ H(X)", le(H("Y"), H("X")), ">=", True,
              "Shannon", f"{CT} Problem 2.4", (H("Y|X"),), r"H(Y \mid X) = 0"),
    Statement("function-of-independent", "H(Y|X) = 0, I(X;Z) = 0 ⇒ I(Y;Z) = 0", I("Y;Z"), "==",
              True, "Shannon", f"{YEUNG} ch. 2", (H("Y|X"), I("X;Z")),
              r"H(Y \mid X) = 0, X \perp Z"),
    Statement("independent-causes", "I(X;Y) = 0 ⇒ I(X;Z) + I(Y;Z) ≤ I(X,Y;Z)",
              le(I("X;Z") + I("Y;Z"), I("X,Y;Z")), ">=", True, "Shannon",
              f"{CT} Problem 2.x (independent inputs)", (I("X;Y"),), r"X \perp Y"),
    Statement("mutual-independence", "H(X,Y,Z) = H(X) + H(Y) + H(Z) ⇒ I(X;Y) = 0", I("X;Y"),
              "==", True, "Shannon", f"{YEUNG} Thm 2.39",
              (H("X") + H("Y") + H("Z") - H("X,Y,Z"),), "H(X) + H(Y) + H(Z) = H(X, Y, Z)"),
    Statement("contraction", "I(X;Y|Z) = 0, I(X;W|Y,Z) = 0 ⇒ I(X;Y,W|Z) = 0", I("X;Y,W|Z"),
              "==", True, "Shannon", "Pearl, semi-graphoid axioms (contraction)",
              (I("X;Y|Z"), I("X;W|Y,Z")), r"X \perp Y \mid Z, I(X; W \mid Y, Z) = 0"),
    Statement("perfect-secrecy", "I(M;C) = 0, H(M|C,K) = 0 ⇒ H(M) ≤ H(K)", le(H("M"), H("K")),
              ">=", True, "Shannon", "Shannon (1949), perfect secrecy",
              (I("M;C"), H("M|C,K")), r"M \perp C, H(M \mid C, K) = 0"),
    # ---- true, not Shannon-type: no Shannon-type prover can prove these ---------------------
    Statement("zhang-yeung", "2I(C;D) ≤ I(A;B) + I(A;C,D) + 3I(C;D|A) + I(C;D|B)",
              zhang_yeung(), ">=", True, "non-Shannon", "Zhang & Yeung (1998)"),
    # ---- false --------------------------------------------------------------------------------
    Statement("conditioning-lowers-cmi", "I(X;Y|Z) ≤ I(X;Y)", le(I("X;Y|Z"), I("X;Y")), ">=",
              False, "false", f"{CT} §2.6 (X, Y independent bits, Z = X xor Y)"),
    Statement("conditioning-raises-cmi", "I(X;Y) ≤ I(X;Y|Z)", le(I("X;Y"), I("X;Y|Z")), ">=",
              False, "false", f"{CT} §2.6 (X = Y = Z)"),
    Statement("joint-le-marginal", "H(X,Y) ≤ H(X)", le(H("X,Y"), H("X")), ">=", False, "false",
              "Y independent of X, H(Y) > 0"),
    Statement("conditioning-raises", "H(X) ≤ H(X|Y)", le(H("X"), H("X|Y")), ">=", False,
              "false", f"{CT} Thm 2.6.5 (X = Y)"),
    Statement("superadditive-3", "H(X) + H(Y) + H(Z) ≤ H(X,Y,Z)",
              le(H("X") + H("Y") + H("Z"), H("X,Y,Z")), ">=", False, "false", "X = Y = Z"),
    Statement("han-3-reversed", "H(X,Y) + H(X,Z) + H(Y,Z) ≤ 2H(X,Y,Z)", -han(3), ">=", False,
              "false", "X = Y = Z"),
    Statement("data-processing-reversed", "X→Y→Z ⇒ I(X;Y) ≤ I(X;Z)", le(I("X;Y"), I("X;Z")),
              ">=", False, "false", "Z constant, X = Y", markov("X", "Y", "Z"), r"X \to Y \to Z"),
    Statement("markov-4-reversed", "X1→X2→X3→X4 ⇒ I(X1;X2) ≤ I(X1;X4)",
              le(I("X1;X2"), I("X1;X4")), ">=", False, "false", "X4 constant, X1 = X2",
              markov("X1", "X2", "X3", "X4"), r"X1 \to X2 \to X3 \to X4"),
    Statement("markov-not-cmi", "X→Y→Z ⇒ I(X;Y|Z) = 0", I("X;Y|Z"), "==", False, "false",
              "X = Y, Z constant", markov("X", "Y", "Z"), r"X \to Y \to Z"),
    Statement("independence-not-conditional", "I(X;Y) = 0 ⇒ I(X;Y|Z) = 0", I("X;Y|Z"), "==",
              False, "false", "Z = X xor Y", (I("X;Y"),), r"X \perp Y"),
    Statement("pairwise-not-mutual", "pairwise independent ⇒ H(X,Y,Z) = H(X) + H(Y) + H(Z)",
              H("X") + H("Y") + H("Z") - H("X,Y,Z"), "==", False, "false",
              "X, Y independent bits, Z = X xor Y", (I("X;Y"), I("Y;Z"), I("X;Z")),
              r"X \perp Y, Y \perp Z, X \perp Z"),
    Statement("function-increases", "H(Y|X) = 0 ⇒ H(X) ≤ H(Y)", le(H("X"), H("Y")), ">=", False,
              "false", "Y constant", (H("Y|X"),), r"H(Y \mid X) = 0"),
    Statement("secrecy-reversed", "I(M;C) = 0, H(M|C,K) = 0 ⇒ H(K) ≤ H(M)",
              le(H("K"), H("M")), ">=", False, "false", "M constant, K a bit",
              (I("M;C"), H("M|C,K")), r"M \perp C, H(M \mid C, K) = 0"),
    Statement("ingleton", "I(A;B) ≤ I(A;B|C) + I(A;B|D) + I(C;D)", ingleton(), ">=", False,
              "false", "Ingleton (1971); violated by entropy vectors (Matúš & Studený 1995)"),
    # ---- near misses: false by a small margin (at independent uniform bits) --------------------
    Statement("han-3-plus-1e-3", "(2 + 10⁻³)H(X1,X2,X3) ≤ H(X1,X2) + H(X1,X3) + H(X2,X3)",
              han(3) - Fraction(1, 10**3) * H("X1,X2,X3"), ">=", False, "near miss",
              "Han's inequality is tight at independent uniform bits"),
    Statement("han-3-plus-1e-8", "(2 + 10⁻⁸)H(X1,X2,X3) ≤ H(X1,X2) + H(X1,X3) + H(X2,X3)",
              han(3) - Fraction(1, 10**8) * H("X1,X2,X3"), ">=", False, "near miss",
              "Han's inequality is tight at independent uniform bits"),
)


def encode(form: Form) -> list[list]:
    """JSON-ready: [[sorted names], "p/q"] per term."""
    return [[sorted(subset), str(coefficient)] for subset, coefficient in form.items()]


def decode(terms: list[list]) -> Form:
    return Form({frozenset(names): Fraction(c) for names, c in terms})
