"""Definitions: entropy, cross entropy and KL divergence, from expectation form to sums and
integrals.

Each quantity is defined once, in expectation form.  Its continuous form (an integral over a
density) and its discrete form (a sum over a finite support) are derived here from that one
definition by the same chain, run in each setting — never written a second time.
"""

from derive import CrossEntropy, Derivation, Entropy, KLDivergence, Setting, Topic, distributions
from derive.rules import expectation_expand, support_linear, unfold

p, q = distributions("p q")
DISCRETE, CONTINUOUS = Setting.DISCRETE, Setting.CONTINUOUS
DEFINITIONS = "Definitions"

entropy_continuous = (
    Derivation("entropy-forms", Entropy(p), CONTINUOUS)
    .by(unfold(Entropy), expect=r"\mathbb{E}_{x \sim p}\left[-\log p(x)\right]")
    .by(expectation_expand, expect={DISCRETE: r"\sum_x p(x) (-\log p(x))",
                                    CONTINUOUS: r"\int p(x) (-\log p(x)) \, dx"})
    .by(support_linear, expect={DISCRETE: r"-\sum_x p(x) \log p(x)",
                                CONTINUOUS: r"-\int p(x) \log p(x) \, dx"})
)
entropy_discrete = entropy_continuous.replayed(DISCRETE)

cross_entropy_continuous = (
    Derivation("cross-entropy-forms", CrossEntropy(p, q), CONTINUOUS)
    .by(unfold(CrossEntropy), expect=r"\mathbb{E}_{x \sim p}\left[-\log q(x)\right]")
    .by(expectation_expand, expect={DISCRETE: r"\sum_x p(x) (-\log q(x))",
                                    CONTINUOUS: r"\int p(x) (-\log q(x)) \, dx"})
    .by(support_linear, expect={DISCRETE: r"-\sum_x p(x) \log q(x)",
                                CONTINUOUS: r"-\int p(x) \log q(x) \, dx"})
)
cross_entropy_discrete = cross_entropy_continuous.replayed(DISCRETE)

kl_continuous = (
    Derivation("kl-forms", KLDivergence(p, q), CONTINUOUS)
    .by(unfold(KLDivergence), expect=r"\mathbb{E}_{x \sim p}\left[\log \frac{p(x)}{q(x)}\right]")
    .by(expectation_expand, expect={DISCRETE: r"\sum_x p(x) \log \frac{p(x)}{q(x)}",
                                    CONTINUOUS: r"\int p(x) \log \frac{p(x)}{q(x)} \, dx"})
)
kl_discrete = kl_continuous.replayed(DISCRETE)

entropy = Topic(
    "Shannon entropy",
    "The entropy of a distribution $p$ of a variable $X$ is the average, over draws from $p$, of "
    "$-\\log p(x)$: the surprise of each outcome, weighted by how often it occurs. Written out:",
    entropy_continuous, entropy_discrete, section=DEFINITIONS)
cross_entropy = Topic(
    "Cross entropy",
    "The cross entropy of $q$ relative to $p$ averages $-\\log q(x)$ over draws from $p$: the "
    "surprise of outcomes drawn from $p$ when they are scored by $q$. Written out:",
    cross_entropy_continuous, cross_entropy_discrete, section=DEFINITIONS)
kl_divergence = Topic(
    "Kullback-Leibler divergence",
    "The KL divergence of $q$ from $p$, also known as relative entropy, averages "
    "$\\log \\frac{p(x)}{q(x)}$ over draws from $p$. Written out:",
    kl_continuous, kl_discrete, section=DEFINITIONS)
