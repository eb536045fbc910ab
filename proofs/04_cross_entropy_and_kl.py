"""Relationships: cross entropy is entropy plus KL divergence, H(p, q) = H(p) + D_KL(p ∥ q).

One chain, written once and run twice: for distributions on a finite support (sums) and for
densities on the real line (integrals).  Unfolding the KL divergence, splitting the log of the
ratio and the sum (or integral) leaves −H(p) + H(p, q).
"""

from derive import (CrossEntropy, Derivation, Entropy, Figure, KLDivergence, Setting, Topic,
                    distributions)
from derive.rules import expectation_expand, fold, log_div, support_linear, unfold

p, q = distributions("p q")
DISCRETE, CONTINUOUS = Setting.DISCRETE, Setting.CONTINUOUS

discrete = (
    Derivation("cross-entropy-decomposition", KLDivergence(p, q), DISCRETE)
    .by(unfold(KLDivergence),
        expect=r"\mathbb{E}_{x \sim p}\left[\log \frac{p(x)}{q(x)}\right]")
    .by(expectation_expand, expect={
        DISCRETE: r"\sum_x p(x) \log \frac{p(x)}{q(x)}",
        CONTINUOUS: r"\int p(x) \log \frac{p(x)}{q(x)} \, dx"})
    .by(log_div, expect={
        DISCRETE: r"\sum_x p(x) (\log p(x) - \log q(x))",
        CONTINUOUS: r"\int p(x) (\log p(x) - \log q(x)) \, dx"})
    .by(support_linear, expect={
        DISCRETE: r"\sum_x p(x) \log p(x) - \sum_x p(x) \log q(x)",
        CONTINUOUS: r"\int p(x) \log p(x) \, dx - \int p(x) \log q(x) \, dx"})
    .by(fold(Entropy, CrossEntropy), expect=r"-H(p) + H(p, q)")
    .hence(CrossEntropy(p, q), Entropy(p) + KLDivergence(p, q))
)
continuous = discrete.replayed(CONTINUOUS)

decomposition = Topic(
    "Cross entropy and KL divergence",
    "Cross entropy splits into two parts: the entropy of $p$, which no choice of $q$ can change, "
    "and the KL divergence of $q$ from $p$, the price of using $q$ in place of $p$.  Unfolding "
    "the divergence shows it:",
    discrete, continuous, Figure("cross-entropy-decomposition"),
    section="Relationships")
