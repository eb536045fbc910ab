"""Relationships: optimising with cross entropy or with KL divergence picks the same parameters.

Per sample, H_i(p, q_θ) = H_i(p) + D_KL,i(p ∥ q_θ), so the summed cross entropy is the summed
entropy plus the summed KL divergence.  The entropy does not depend on θ, so both sums have the
same arg min; with one-hot labels the entropy is 0 (0 · log 0 = 0) and the sums are equal.
"""

from derive import DATA_INDEX as i
from derive import THETA as theta
from derive import (ArgMin, CrossEntropy, DataSum, Derivation, Entropy, OneHot, Topic, data,
                    distributions, model)
from derive.rules import (argopt_drop_const, cross_entropy_eq_entropy_add_kl, data_sum_linear,
                          expectation_as_sum, one_hot, sum_linear, unfold, zero_log_zero)

(p,) = distributions("p")
q = model("q", theta)
x = data("x")

cross_entropy_loss = DataSum(CrossEntropy(p.given(x), q.given(x)), i)
KL_SUM = r"\sum_{i=1}^{n} D_{KL}(p(\cdot \mid x_i) \| q_\theta(\cdot \mid x_i))"
ENTROPY_SUM = r"\sum_{i=1}^{n} H(p(\cdot \mid x_i))"

same_argmin = (
    Derivation("cross-entropy-kl-same-argmin", ArgMin(cross_entropy_loss, theta))
    .by(cross_entropy_eq_entropy_add_kl, expect=r"\arg\min_\theta \sum_{i=1}^{n} \left(H(p(\cdot "
        r"\mid x_i)) + D_{KL}(p(\cdot \mid x_i) \| q_\theta(\cdot \mid x_i))\right)")
    .by(data_sum_linear, expect=rf"\arg\min_\theta \left({ENTROPY_SUM} + {KL_SUM}\right)")
    .by(argopt_drop_const, expect=rf"\arg\min_\theta {KL_SUM}")
)

equal_for_one_hot = (
    Derivation("cross-entropy-equals-kl-one-hot", cross_entropy_loss, assumptions=(OneHot(p),))
    .by(cross_entropy_eq_entropy_add_kl, expect=r"\sum_{i=1}^{n} \left(H(p(\cdot \mid x_i)) + "
        r"D_{KL}(p(\cdot \mid x_i) \| q_\theta(\cdot \mid x_i))\right)")
    .by(data_sum_linear, expect=rf"{ENTROPY_SUM} + {KL_SUM}")
    .by(unfold(Entropy), expect=r"\sum_{i=1}^{n} \mathbb{E}_{y \sim p(\cdot \mid x_i)}"
        rf"\left[-\log p(y \mid x_i)\right] + {KL_SUM}")
    .by(expectation_as_sum,
        expect=rf"\sum_{{i=1}}^{{n}} \sum_y p(y \mid x_i) (-\log p(y \mid x_i)) + {KL_SUM}")
    .by(one_hot, expect=r"\sum_{i=1}^{n} \sum_y \mathbb{1}[y = y_i] (-\log \mathbb{1}[y = y_i])"
        rf" + {KL_SUM}")
    .by(zero_log_zero, expect=rf"\sum_{{i=1}}^{{n}} \sum_y 0 + {KL_SUM}")
    .by(sum_linear, data_sum_linear, expect=KL_SUM)
)

optimisation = Topic(
    "Optimisation using cross entropy or KL divergence",
    "Writing each cross entropy as entropy plus KL divergence rewrites the log loss. The "
    "entropy $H_i(p)$ of the labels does not depend on $\\theta$, so summing cross entropies "
    "over the training samples and summing KL divergences lead to the same parameters:",
    same_argmin,
    "With one-hot labels $H_i(p) = 0$ (by the convention $0 \\log 0 = 0$), and the two losses "
    "are not only minimised together but equal. Cross entropy is the one computed in practice: "
    "it needs only the model's log-probability of the true label.",
    equal_for_one_hot, section="Relationships")
