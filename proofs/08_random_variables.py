"""Random variables: the chain rules, mutual information three ways, and independence.

Every measure of jointly distributed X, Y, Z is an expectation of a log of values of their one
joint distribution p; marginals and conditionals are values of p too.  Each chain is written
once for tables on a finite product support and replayed for joint densities.
"""

from derive import (ConditionalEntropy, Derivation, Independence, JointEntropy, JointKL,
                    JointValue, MutualInformation, Setting, Topic, random_variables)
from derive.rules import (as_entropies, by_hypothesis, combine_logs, entropy_chain_rule,
                          expectation_linear, factor_joint, fold, log_div, log_mul, marginalise,
                          unfold)

X, Y, Z = random_variables("X Y Z")
DISCRETE, CONTINUOUS = Setting.DISCRETE, Setting.CONTINUOUS

entropy_chain_discrete = (
    Derivation("entropy-chain-rule", JointEntropy((X, Y)), DISCRETE)
    .by(unfold(JointEntropy), expect=r"\mathbb{E}_{p(x, y)}[-\log p(x, y)]")
    .by(factor_joint(X), expect=r"\mathbb{E}_{p(x, y)}[-\log (p(x) p(y \mid x))]")
    .by(log_mul, expect=r"\mathbb{E}_{p(x, y)}[-\log p(x) - \log p(y \mid x)]")
    .by(expectation_linear, marginalise,
        expect=r"-\mathbb{E}_{p(x)}[\log p(x)] - \mathbb{E}_{p(x, y)}[\log p(y \mid x)]")
    .by(fold(JointEntropy, ConditionalEntropy), expect=r"H(X) + H(Y \mid X)")
)
entropy_chain_continuous = entropy_chain_discrete.replayed(CONTINUOUS)

information_discrete = (
    Derivation("mutual-information-in-entropies", MutualInformation((X,), (Y,)), DISCRETE)
    .by(unfold(MutualInformation),
        expect=r"\mathbb{E}_{p(x, y)}\left[\log \frac{p(x, y)}{p(x) p(y)}\right]")
    .by(factor_joint(Y), expect=r"\mathbb{E}_{p(x, y)}\left[\log \frac{p(x \mid y)}{p(x)}\right]")
    .by(log_div, expect=r"\mathbb{E}_{p(x, y)}[\log p(x \mid y) - \log p(x)]")
    .by(expectation_linear, marginalise,
        expect=r"\mathbb{E}_{p(x, y)}[\log p(x \mid y)] - \mathbb{E}_{p(x)}[\log p(x)]")
    .by(fold(JointEntropy, ConditionalEntropy), expect=r"H(X) - H(X \mid Y)")
    .by(as_entropies, expect=r"H(X) + H(Y) - H(X, Y)")
)
information_continuous = information_discrete.replayed(CONTINUOUS)

pxy = JointValue("p", (X, Y))
px, py = JointValue("p", (X,)), JointValue("p", (Y,))
divergence_discrete = (
    Derivation("mutual-information-as-divergence", JointKL(pxy, px * py), DISCRETE)
    .by(unfold(JointKL),
        expect=r"\mathbb{E}_{p(x, y)}\left[\log \frac{p(x, y)}{p(x) p(y)}\right]")
    .by(fold(MutualInformation), expect=r"I(X; Y)")
)
divergence_continuous = divergence_discrete.replayed(CONTINUOUS)

information_chain_discrete = (
    Derivation("mutual-information-chain-rule",
               MutualInformation((X,), (Y, Z)) - MutualInformation((X,), (Y,))
               - MutualInformation((X,), (Z,), (Y,)), DISCRETE)
    .by(as_entropies, expect="0")
    .hence(MutualInformation((X,), (Y, Z)),
           MutualInformation((X,), (Y,)) + MutualInformation((X,), (Z,), (Y,)))
)
information_chain_continuous = information_chain_discrete.replayed(CONTINUOUS)

qxy = JointValue("q", (X, Y))
divergence_chain_discrete = (
    Derivation("kl-chain-rule", JointKL(pxy, qxy), DISCRETE)
    .by(unfold(JointKL), expect=r"\mathbb{E}_{p(x, y)}\left[\log \frac{p(x, y)}{q(x, y)}\right]")
    .by(factor_joint(X), expect=r"\mathbb{E}_{p(x, y)}\left[\log \frac{p(x) p(y \mid x)}"
                                r"{q(x) q(y \mid x)}\right]")
    .by(log_div, log_mul, expect=r"\mathbb{E}_{p(x, y)}[\log p(x) + \log p(y \mid x) "
                                 r"- \log q(x) - \log q(y \mid x)]")
    .by(expectation_linear, marginalise,
        expect=r"\mathbb{E}_{p(x)}[\log p(x)] + \mathbb{E}_{p(x, y)}[\log p(y \mid x)] "
               r"- \mathbb{E}_{p(x)}[\log q(x)] - \mathbb{E}_{p(x, y)}[\log q(y \mid x)]")
    .by(combine_logs, combine_logs,
        expect=r"\mathbb{E}_{p(x)}\left[\log \frac{p(x)}{q(x)}\right] + "
               r"\mathbb{E}_{p(x, y)}\left[\log \frac{p(y \mid x)}{q(y \mid x)}\right]")
    .by(fold(JointKL), expect=r"D_{KL}(p(x) \| q(x)) + "
                              r"\mathbb{E}_{p(x)}[D_{KL}(p(y \mid x) \| q(y \mid x))]")
)
divergence_chain_continuous = divergence_chain_discrete.replayed(CONTINUOUS)

independent_discrete = (
    Derivation("independent-entropies", JointEntropy((X, Y)), DISCRETE,
               assumptions=(Independence((X,), (Y,)),))
    .by(entropy_chain_rule, expect=r"H(X) + H(Y \mid X)")
    .by(by_hypothesis, expect=r"H(X) + H(Y)")
)
independent_continuous = independent_discrete.replayed(CONTINUOUS)

chain_rules = Topic(
    "Chain rules",
    "Jointly distributed variables $X$ and $Y$ have one joint distribution $p(x, y)$; the "
    "marginal $p(x)$ and the conditional $p(y \\mid x) = p(x, y) / p(x)$ are read off it. "
    "Factoring the joint into the marginal of $X$ and the conditional of $Y$ splits the joint "
    "entropy into two surprises: first about $X$, then about $Y$ once $X$ is known.",
    entropy_chain_discrete, entropy_chain_continuous,
    "The same factoring splits the KL divergence between two joint distributions $p$ and $q$: "
    "the divergence of the marginals plus the average divergence of the conditionals.",
    divergence_chain_discrete, divergence_chain_continuous,
    section="Random variables")

mutual_information = Topic(
    "Mutual information",
    "Mutual information measures how far the joint distribution is from the product of its "
    "marginals. Written as an expectation, it is the entropy of $X$ minus what remains of it "
    "once $Y$ is known:",
    information_discrete, information_continuous,
    "As a KL divergence it compares $p(x, y)$ with $p(x) p(y)$, the joint the variables would "
    "have if they were independent:",
    divergence_discrete, divergence_continuous,
    "What $Y$ and $Z$ together tell about $X$ is what $Y$ tells plus what $Z$ adds once $Y$ is "
    "known:",
    information_chain_discrete, information_chain_continuous,
    section="Random variables")

independence = Topic(
    "Independence",
    "When $X$ and $Y$ are independent, knowing $X$ leaves the uncertainty about $Y$ unchanged, "
    "so joint entropy adds up:",
    independent_discrete, independent_continuous,
    section="Random variables")
