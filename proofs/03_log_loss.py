"""Maximum likelihood and cross entropy: minimising the log loss is maximum likelihood.

In classification the ground truth for sample i is one-hot, p(y | x_i) = 𝟙[y = y_i].  The cross
entropy H_i(p, q_θ) = −Σ_y p(y | x_i) log q_θ(y | x_i) collapses to −log q_θ(y_i | x_i), so the log
loss L(θ) = Σ_i H_i(p, q_θ) is the negative log-likelihood, and arg min_θ L(θ) is the
maximum-likelihood estimate arg max_θ Π_i q_θ(y_i | x_i).
"""

from derive import (DATA_INDEX as i, THETA as theta, ArgMin, CrossEntropy, DataSum, Derivation,
                    OneHot, data, distributions, model)
from derive.rules import (argopt_neg, argopt_unlog, data_sum_linear, expectation_as_sum,
                          indicator_sum, one_hot, sum_log, unfold)

(p,) = distributions("p")
q = model("q", theta)
x = data("x")

# L(θ) = Σ_i H_i(p, q_θ), with H_i(p, q_θ) = H(p(· | x_i), q_θ(· | x_i))
log_loss = DataSum(CrossEntropy(p.given(x), q.given(x)), i)

log_loss_is_nll = (
    Derivation("log-loss-is-nll", ArgMin(log_loss, theta),
               title="Maximum likelihood estimation and cross entropy", section="Relationships",
               prose="In classification, $p$ is the distribution of the ground-truth label of "
                     "feature $x$ and $q_\\theta$ the distribution the model predicts. For sample "
                     "$(x_i, y_i)$ the ground truth is one-hot: $p(y \\mid x_i) = 1$ if "
                     "$y = y_i$, else $0$. The log loss $L(\\theta) = \\sum_{i=1}^{n} "
                     "H_i(p, q_\\theta)$ then has exactly the optimum of maximum likelihood:",
               assumptions=(OneHot(p),))
    .by(unfold(CrossEntropy))      # = arg min_θ Σ_i E_{y∼p(·|x_i)}[−log q_θ(y | x_i)]
    .by(expectation_as_sum)        # = arg min_θ Σ_i Σ_y p(y | x_i) (−log q_θ(y | x_i))
    .by(one_hot)                   # = arg min_θ Σ_i Σ_y 𝟙[y = y_i] (−log q_θ(y | x_i))
    .by(indicator_sum)             # = arg min_θ Σ_i (−log q_θ(y_i | x_i))
    .by(data_sum_linear)           # = arg min_θ −Σ_i log q_θ(y_i | x_i)
    .by(argopt_neg)                # = arg max_θ Σ_i log q_θ(y_i | x_i)
    .by(sum_log)                   # = arg max_θ log Π_i q_θ(y_i | x_i)
    .by(argopt_unlog)              # = arg max_θ Π_i q_θ(y_i | x_i)
)
