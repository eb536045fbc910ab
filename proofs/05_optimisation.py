"""Optimisation with cross entropy or KL divergence: the same arg min.

H_i(p, q_θ) = H_i(p) + D_KL,i(p ∥ q_θ) for each sample, so the summed cross entropy is the summed
entropy plus the summed KL divergence; H_i(p) does not depend on θ, so minimising either sum picks
the same θ.  With one-hot labels H_i(p) = 0 (0 · log 0 = 0), and the two losses are equal outright.
"""

from derive import (DATA_INDEX as i, THETA as theta, ArgMin, CrossEntropy, DataSum, Derivation,
                    Entropy, OneHot, data, distributions, model)
from derive.rules import (argopt_drop_const, cross_entropy_decomposition, data_sum_linear,
                          expectation_as_sum, one_hot, sum_linear, unfold, zero_log_zero)

(p,) = distributions("p")
q = model("q", theta)
x = data("x")
RELATIONSHIPS = "Relationships"
OPTIMISATION = "Optimisation using cross entropy or KL divergence"

cross_entropy_loss = DataSum(CrossEntropy(p.given(x), q.given(x)), i)

same_argmin = (
    Derivation("cross-entropy-kl-same-argmin", ArgMin(cross_entropy_loss, theta),
               title=OPTIMISATION, section=RELATIONSHIPS,
               prose="Writing each cross entropy as entropy plus KL divergence rewrites the log "
                     "loss; because $H_i(p)$ does not depend on $\\theta$, "
                     "optimising with the sum of cross entropies over the training samples is "
                     "equivalent to optimising with the sum of KL divergences:")
    .by(cross_entropy_decomposition)   # = arg min_θ Σ_i [H_i(p) + D_KL,i(p ∥ q_θ)]
    .by(data_sum_linear)               # = arg min_θ [Σ_i H_i(p) + Σ_i D_KL,i(p ∥ q_θ)]
    .by(argopt_drop_const)             # = arg min_θ Σ_i D_KL,i(p ∥ q_θ)
)

# With one-hot labels the entropy term vanishes: the losses are equal, not just minimised together.
equal_for_one_hot = (
    Derivation("cross-entropy-equals-kl-one-hot", cross_entropy_loss,
               title=OPTIMISATION, section=RELATIONSHIPS,
               prose="With one-hot labels $H_i(p) = 0$ under the convention $0 \\log 0 = 0$, so "
                     "the two losses are equal outright. Cross entropy is used in practice "
                     "because it is easier to compute.",
               assumptions=(OneHot(p),))
    .by(cross_entropy_decomposition)   # = Σ_i [H_i(p) + D_KL,i(p ∥ q_θ)]
    .by(data_sum_linear)               # = Σ_i H_i(p) + Σ_i D_KL,i(p ∥ q_θ)
    .by(unfold(Entropy))               # = Σ_i E_{y∼p(·|x_i)}[−log p(y | x_i)] + Σ_i D_KL,i
    .by(expectation_as_sum)            # = Σ_i Σ_y p(y | x_i) (−log p(y | x_i)) + Σ_i D_KL,i
    .by(one_hot)                       # = Σ_i Σ_y 𝟙[y = y_i] (−log 𝟙[y = y_i]) + Σ_i D_KL,i
    .by(zero_log_zero)                 # = Σ_i Σ_y 0 + Σ_i D_KL,i     (0 · log 0 = 0, 1 · log 1 = 0)
    .by(sum_linear, data_sum_linear)   # = Σ_i D_KL,i(p ∥ q_θ)
)
