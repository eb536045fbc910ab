"""Definitions: maximum likelihood — the product of likelihoods, the sum of log-likelihoods and
the average negative log-likelihood have the same optimum.

Data x_1, …, x_n (and labels y_1, …, y_n), n symbolic; a parametric model q_θ.  Each step keeps
the arg max / arg min: log is strictly increasing on (0, ∞) and the product is positive; negation
turns arg max into arg min; the positive factor 1/n does not move the arg min.
"""

from derive import DATA_INDEX as i
from derive import DATA_SIZE as n
from derive import THETA as theta
from derive import ArgMax, DataProduct, Derivation, Topic, data, model
from derive.rules import argopt_log, argopt_neg, argopt_scale, log_prod

q = model("q", theta)
x, y = data("x"), data("y")

mle_unsupervised = (
    Derivation("mle-unsupervised", ArgMax(DataProduct(q(x), i), theta))
    .by(argopt_log, expect=r"\arg\max_\theta \log \prod_{i=1}^{n} q_\theta(x_i)")
    .by(log_prod, expect=r"\arg\max_\theta \sum_{i=1}^{n} \log q_\theta(x_i)")
    .by(argopt_neg, expect=r"\arg\min_\theta -\sum_{i=1}^{n} \log q_\theta(x_i)")
    .by(argopt_scale(1 / n),
        expect=r"\arg\min_\theta -\frac{1}{n} \sum_{i=1}^{n} \log q_\theta(x_i)")
)

mle_supervised = (
    Derivation("mle-supervised", ArgMax(DataProduct(q.given(x)(y), i), theta))
    .by(argopt_log, expect=r"\arg\max_\theta \log \prod_{i=1}^{n} q_\theta(y_i \mid x_i)")
    .by(log_prod, expect=r"\arg\max_\theta \sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)")
    .by(argopt_neg, expect=r"\arg\min_\theta -\sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)")
    .by(argopt_scale(1 / n),
        expect=r"\arg\min_\theta -\frac{1}{n} \sum_{i=1}^{n} \log q_\theta(y_i \mid x_i)")
)

maximum_likelihood = Topic(
    "Maximum likelihood estimation",
    "Without labels, maximum likelihood fits a dataset $x_1, \\ldots, x_n$ by choosing the "
    "parameters $\\theta$ under which the model gives the whole dataset the highest "
    "probability; $q_\\theta(x_i)$, also written $q(x_i \\mid \\theta)$, is the likelihood of "
    "sample $x_i$. Taking the log, negating and dividing by $n$ leave that choice unchanged:",
    mle_unsupervised,
    "With labels, the data are pairs $(x_1, y_1), \\ldots, (x_n, y_n)$, the model predicts each "
    "label from its input, and the same steps apply:",
    mle_supervised, section="Definitions")
