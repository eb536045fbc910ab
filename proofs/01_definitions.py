"""Definitions: entropy, cross entropy and KL divergence in their three forms.

Each quantity is defined once, in expectation form (derive/quantities.py).  Its continuous form,
an integral of densities, and its discrete form, a sum over the support, are derived here from
that definition — not written a second time.  As in the post, the continuous case comes first.
"""

from derive import CrossEntropy, Derivation, Entropy, KLDivergence, Setting, distributions
from derive.rules import (expectation_as_integral, expectation_as_sum, integral_linear,
                          sum_linear, unfold)

p, q = distributions("p q")
DEFINITIONS = "Definitions"

ENTROPY = "Shannon entropy"
entropy_continuous = (
    Derivation("entropy-forms", Entropy(p), Setting.CONTINUOUS, ENTROPY, DEFINITIONS,
               prose="Given a distribution $p$ over a variable $X$, the entropy is the "
                     "expectation of $-\\log p(x)$ under $p$. Concretely:")
    .by(unfold(Entropy))                # = E_{x∼p}[−log p(x)]
    .by(expectation_as_integral)        # = ∫ p(x) (−log p(x)) dx
    .by(integral_linear)                # = −∫ p(x) log p(x) dx
)
entropy_discrete = (
    Derivation("entropy-forms", Entropy(p), Setting.DISCRETE, ENTROPY, DEFINITIONS)
    .by(unfold(Entropy))                # = E_{x∼p}[−log p(x)]
    .by(expectation_as_sum)             # = Σ_x p(x) (−log p(x))
    .by(sum_linear)                     # = −Σ_x p(x) log p(x)
)

CROSS_ENTROPY = "Cross entropy"
cross_entropy_continuous = (
    Derivation("cross-entropy-forms", CrossEntropy(p, q), Setting.CONTINUOUS, CROSS_ENTROPY,
               DEFINITIONS,
               prose="The cross entropy of $q$ relative to $p$, both distributions of $X$, averages "
                     "$-\\log q(x)$ over draws from $p$. Written out:")
    .by(unfold(CrossEntropy))           # = E_{x∼p}[−log q(x)]
    .by(expectation_as_integral)        # = ∫ p(x) (−log q(x)) dx
    .by(integral_linear)                # = −∫ p(x) log q(x) dx
)
cross_entropy_discrete = (
    Derivation("cross-entropy-forms", CrossEntropy(p, q), Setting.DISCRETE, CROSS_ENTROPY,
               DEFINITIONS)
    .by(unfold(CrossEntropy))           # = E_{x∼p}[−log q(x)]
    .by(expectation_as_sum)             # = Σ_x p(x) (−log q(x))
    .by(sum_linear)                     # = −Σ_x p(x) log q(x)
)

KL = "Kullback-Leibler divergence"
kl_continuous = (
    Derivation("kl-forms", KLDivergence(p, q), Setting.CONTINUOUS, KL, DEFINITIONS,
               prose="The KL divergence, also called relative entropy, of two distributions $p$ "
                     "and $q$ over a variable $X$ is the expectation of "
                     "$\\log \\frac{p(x)}{q(x)}$ under $p$. Concretely:")
    .by(unfold(KLDivergence))           # = E_{x∼p}[log p(x)/q(x)]
    .by(expectation_as_integral)        # = ∫ p(x) log p(x)/q(x) dx
)
kl_discrete = (
    Derivation("kl-forms", KLDivergence(p, q), Setting.DISCRETE, KL, DEFINITIONS)
    .by(unfold(KLDivergence))           # = E_{x∼p}[log p(x)/q(x)]
    .by(expectation_as_sum)             # = Σ_x p(x) log p(x)/q(x)
)
