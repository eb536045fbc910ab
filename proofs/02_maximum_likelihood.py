"""Maximum likelihood: the product of likelihoods, the sum of log-likelihoods, and the average
negative log-likelihood have the same optimum.

Data x_1, …, x_n (and labels y_1, …, y_n), n symbolic; a parametric model q_θ.  Each step is a
"same arg max / arg min" step: log is strictly increasing on (0, ∞) and the product is positive;
negation turns arg max into arg min; a positive factor 1/n does not move the arg min.
"""

from derive import (DATA_INDEX as i, DATA_SIZE as n, THETA as theta, ArgMax, DataProduct,
                    Derivation, data, model)
from derive.rules import argopt_log, argopt_neg, argopt_scale, log_prod

q = model("q", theta)
x, y = data("x"), data("y")
DEFINITIONS = "Definitions"
MLE = "Maximum likelihood estimation"

# θ* = arg max_θ Π_i q_θ(x_i) = arg max_θ Σ_i log q_θ(x_i) = arg min_θ −(1/n) Σ_i log q_θ(x_i)
mle_unsupervised = (
    Derivation("mle-unsupervised", ArgMax(DataProduct(q(x), i), theta), title=MLE,
               section=DEFINITIONS,
               prose="Without labels, maximum likelihood fits a dataset $x_1, \\ldots, x_n$ "
                     "by picking the $\\theta$ under which the model assigns the largest joint "
                     "probability to the whole dataset; $q_\\theta(x_i)$ is the likelihood "
                     "$q(x_i \\mid \\theta)$ the model predicts for sample $x_i$. Taking the "
                     "log, negating and dividing by $n$ leave the optimum where it is:")
    .by(argopt_log)                     # = arg max_θ log Π_i q_θ(x_i)
    .by(log_prod)                       # = arg max_θ Σ_i log q_θ(x_i)
    .by(argopt_neg)                     # = arg min_θ −Σ_i log q_θ(x_i)
    .by(argopt_scale(1 / n))            # = arg min_θ −(1/n) Σ_i log q_θ(x_i)
)

# The same for a conditional model q_θ(y | x) on labelled data (x_i, y_i).
mle_supervised = (
    Derivation("mle-supervised", ArgMax(DataProduct(q.given(x)(y), i), theta), title=MLE,
               section=DEFINITIONS,
               prose="With labels, the data are pairs $(x_1, y_1), \\ldots, (x_n, y_n)$ and the "
                     "model predicts each label from its input; the same steps apply:")
    .by(argopt_log)                     # = arg max_θ log Π_i q_θ(y_i | x_i)
    .by(log_prod)                       # = arg max_θ Σ_i log q_θ(y_i | x_i)
    .by(argopt_neg)                     # = arg min_θ −Σ_i log q_θ(y_i | x_i)
    .by(argopt_scale(1 / n))            # = arg min_θ −(1/n) Σ_i log q_θ(y_i | x_i)
)
