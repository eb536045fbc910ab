"""Cross entropy and KL divergence: H(p, q) = H(p) + D_KL(p ∥ q).

As in the post: D_KL(p ∥ q) = E_{x∼p}[log p(x) − log q(x)] = −H(p) + H(p, q), hence the
decomposition — for distributions on a finite support, and for densities on the real line.
"""

from derive import CrossEntropy, Derivation, Entropy, KLDivergence, Setting, distributions
from derive.rules import (expectation_as_integral, expectation_as_sum, fold, integral_linear,
                          log_div, sum_linear, unfold)

p, q = distributions("p q")

discrete = (
    Derivation("cross-entropy-decomposition", KLDivergence(p, q), Setting.DISCRETE,
               title="Cross entropy and KL divergence", section="Relationships",
               prose="Cross entropy splits into the entropy of $p$ plus the KL divergence of $q$ "
                     "from $p$; unfolding the definitions shows it.", figure="cross-entropy-decomposition")
    .by(unfold(KLDivergence))           # = E_{x∼p}[log p(x)/q(x)]
    .by(expectation_as_sum)             # = Σ_x p(x) log p(x)/q(x)
    .by(log_div)                        # = Σ_x p(x) (log p(x) − log q(x))
    .by(sum_linear)                     # = Σ_x p(x) log p(x) − Σ_x p(x) log q(x)
    .by(fold(Entropy, CrossEntropy))    # = −H(p) + H(p, q)
    .hence(CrossEntropy(p, q), Entropy(p) + KLDivergence(p, q))
)

continuous = (
    Derivation("cross-entropy-decomposition", KLDivergence(p, q), Setting.CONTINUOUS,
               title="Cross entropy and KL divergence", section="Relationships")
    .by(unfold(KLDivergence))           # = E_{x∼p}[log p(x)/q(x)]
    .by(expectation_as_integral)        # = ∫ p(x) log p(x)/q(x) dx
    .by(log_div)                        # = ∫ p(x) (log p(x) − log q(x)) dx
    .by(integral_linear)                # = ∫ p(x) log p(x) dx − ∫ p(x) log q(x) dx
    .by(fold(Entropy, CrossEntropy))    # = −H(p) + H(p, q)
    .hence(CrossEntropy(p, q), Entropy(p) + KLDivergence(p, q))
)
