"""Relationships: maximum likelihood and cross entropy — minimising the log loss is maximum
likelihood.

In classification the ground truth of sample i is one-hot, p(y | x_i) = 𝟙[y = y_i].  Its cross
entropy with the model, H_i(p, q_θ) = −Σ_y p(y | x_i) log q_θ(y | x_i), collapses to
−log q_θ(y_i | x_i); so the log loss L(θ) = Σ_i H_i(p, q_θ) is the negative log-likelihood, and
its arg min is the maximum-likelihood estimate.
"""

from derive import DATA_INDEX as i
from derive import THETA as theta
from derive import (ArgMin, CrossEntropy, DataSum, Derivation, OneHot, Topic, data, distributions,
                    model)
from derive.rules import (argopt_neg, argopt_unlog, data_sum_linear, expectation_as_sum,
                          indicator_sum, one_hot, sum_log, unfold)

(p,) = distributions("p")
q = model("q", theta)
x = data("x")

# L(θ) = Σ_i H_i(p, q_θ), with H_i(p, q_θ) = H(p(· | x_i), q_θ(· | x_i))
log_loss = DataSum(CrossEntropy(p.given(x), q.given(x)), i)

log_loss_is_nll = (
    Derivation("log-loss-is-nll", ArgMin(log_loss, theta), assumptions=(OneHot(p),))
    .by(unfold(CrossEntropy), expect=r"\arg\min_\theta \sum_{i=1}^{n} "
        r"\mathbb{E}_{y \sim p(\cdot \mid x_i)}\left[-\log q_\theta(y \mid x_i)\right]")
    .by(expectation_as_sum, expect=r"\arg\min_\theta \sum_{i=1}^{n} \sum_y p(y \mid x_i) "
        r"(-\log q_\theta(y \mid x_i))")
    .by(one_hot, expect=r"\arg\min_\theta \sum_{i=1}^{n} \sum_y \mathbb{1}[y = y_i] "
        r"(-\log q_\theta(y \mid x_i))")
    .by(indicator_sum, expect=r"\arg\min_\theta \sum_{i=1}^{n} (-\log q_\theta(y_i \mid x_i))")
    .by(data_sum_linear, expect=r"\arg\min_\theta -\sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)")
    .by(argopt_neg, expect=r"\arg\max_\theta \sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)")
    .by(sum_log, expect=r"\arg\max_\theta \log \prod_{i=1}^{n} q_\theta(y_i \mid x_i)")
    .by(argopt_unlog, expect=r"\arg\max_\theta \prod_{i=1}^{n} q_\theta(y_i \mid x_i)")
)

log_loss_topic = Topic(
    "Maximum likelihood estimation and cross entropy",
    "For a classifier, $p$ is the distribution of the true label of an input $x$ and "
    "$q_\\theta$ the distribution the model predicts. For a sample $(x_i, y_i)$ the truth is "
    "one-hot: $p(y \\mid x_i)$ is $1$ at $y = y_i$ and $0$ elsewhere. The log loss "
    "$L(\\theta) = \\sum_{i=1}^{n} H_i(p, q_\\theta)$ then has the very optimum of maximum "
    "likelihood:",
    log_loss_is_nll, section="Relationships")
