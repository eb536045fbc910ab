"""A quantity of our own: the Jensen–Shannon divergence, defined once and then used everywhere.

JSD(p ∥ q) = ½ D_KL(p ∥ m) + ½ D_KL(q ∥ m) with the mixture m = ½ (p + q).  Defined here, it is
read by `derive check` and `derive eval` (with --load proofs/06_jensen_shannon.py), printed in the
documents, and unfolded by the checker like any built-in quantity.  The identity derived:
JSD(p ∥ q) = H(m) − ½ H(p) − ½ H(q).
"""

from sympy import Rational

from derive import (CrossEntropy, Derivation, Entropy, KLDivergence, Notation, Setting, Topic,
                    define_quantity, distributions, mixture)
from derive.rules import (cross_entropy_of_mixture, cross_entropy_self,
                          kl_eq_cross_entropy_sub_entropy, unfold)

half = Rational(1, 2)


def midpoint(p, q):
    """m = ½ p + ½ q."""
    return mixture("m", (half, p), (half, q))


JensenShannon = define_quantity(
    "Jensen-Shannon divergence", "JensenShannon", ("p", "q"),
    Notation(r"\mathrm{JSD}", separator=r" \parallel ", text="JSD",
             read_as=(r"\mathrm{JSD}", "JSD", r"D_{\mathrm{JS}}", "D_{JS}")),
    lambda p, q: half * KLDivergence(p, midpoint(p, q)) + half * KLDivergence(q, midpoint(p, q)))

p, q = distributions("p q")
m = midpoint(p, q)

jsd_discrete = (
    Derivation("jensen-shannon-entropies", JensenShannon(p, q), Setting.DISCRETE)
    .by(unfold(JensenShannon), expect=half * KLDivergence(p, m) + half * KLDivergence(q, m))
    .by(kl_eq_cross_entropy_sub_entropy,
        expect=half * (CrossEntropy(p, m) - Entropy(p)) + half * (CrossEntropy(q, m) - Entropy(q)))
    .by(cross_entropy_of_mixture, expect=CrossEntropy(m, m) - half * Entropy(p) - half * Entropy(q))
    .by(cross_entropy_self, expect=Entropy(m) - half * Entropy(p) - half * Entropy(q))
)
jsd_continuous = jsd_discrete.replayed(Setting.CONTINUOUS)

jensen_shannon = Topic(
    "The Jensen-Shannon divergence",
    "Defined once, with $m = \\frac{1}{2}(p + q)$, as "
    "$\\frac{1}{2} D_{\\mathrm{KL}}(p \\parallel m) + \\frac{1}{2} D_{\\mathrm{KL}}(q \\parallel m)$, "
    "it equals the entropy of the mixture minus the mean entropy of $p$ and $q$:",
    jsd_discrete, jsd_continuous, section="A quantity of our own")
