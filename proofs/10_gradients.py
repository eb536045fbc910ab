"""Beyond the post: the gradients behind training a classifier — of the logistic function, of
softmax cross entropy, and of the binary cross entropy with logits.

Each derivative is taken one rule of calculus at a time (derive/rules/calculus.py); every step
is proved by the canonical form, which differentiates by the same rules and collapses
Σ_j 𝟙[j = k] f(j) = f(k), and is spot-checked by finite differences at 50 digits.
"""

from sympy import Symbol, log

from derive import (Datum, Derivation, Derivative, Label, Logistic, Softmax, SupportSum, Topic,
                    distributions)
from derive.rules import (derivative_linear, derivative_of_log, indicator_sum, logistic_derivative,
                          normalisation, softmax_derivative, sum_linear)

BEYOND = "Beyond the post"

z, y = Symbol("z"), Symbol("y")
k, label = Label("k"), Label("y")
sigma = Logistic(z)

logistic_derivative_chain = (
    Derivation("logistic-derivative", Derivative(sigma, z))
    .by(logistic_derivative, expect=r"\sigma(z) (1 - \sigma(z))")
)

softmax = Softmax(z, label)
softmax_cross_entropy_gradient = (
    Derivation("softmax-cross-entropy-gradient", Derivative(-log(softmax), Datum("z", k)))
    .by(derivative_linear,
        expect=r"-\frac{\partial}{\partial z_k} \log \mathrm{softmax}(z)_y")
    .by(derivative_of_log, expect=r"-\frac{1}{\mathrm{softmax}(z)_y} "
        r"\frac{\partial \mathrm{softmax}(z)_y}{\partial z_k}")
    .by(softmax_derivative, expect=r"\mathrm{softmax}(z)_k - \mathbb{1}[k = y]")
)

# A target distribution p on the K categories: H(p, softmax(z)) = Σ_c p(c) (−log softmax(z)_c).
(p,) = distributions("p")
c = Symbol("c")
target_cross_entropy = SupportSum(p(c) * -log(Softmax(z, c)), c)
general_target_gradient = (
    Derivation("softmax-cross-entropy-gradient-general-target",
               Derivative(target_cross_entropy, Datum("z", k)))
    .by(derivative_linear)
    .by(derivative_of_log, softmax_derivative)
    .by(sum_linear, indicator_sum, normalisation)
    .hence(Derivative(target_cross_entropy, Datum("z", k)), Softmax(z, k) - p(k))
)

binary_cross_entropy = -y * log(sigma) - (1 - y) * log(1 - sigma)
bce_with_logits_gradient = (
    Derivation("bce-with-logits-gradient", Derivative(binary_cross_entropy, z))
    .by(derivative_linear, expect=r"-y \frac{d}{dz} \log \sigma(z) "
        r"- (1 - y) \frac{d}{dz} \log (1 - \sigma(z))")
    .by(derivative_of_log, derivative_linear, logistic_derivative,
        expect=r"-y (1 - \sigma(z)) + (1 - y) \sigma(z)")
    .hence(Derivative(binary_cross_entropy, z), sigma - y)
)

gradients = Topic(
    "Gradients of the logistic function and of cross entropy",
    "Training a classifier follows the gradient of its loss. For logits $z_1, \\dots, z_K$ "
    "the model predicts $\\mathrm{softmax}(z)_k = e^{z_k} / \\sum_{j=1}^{K} e^{z_j}$; for two "
    "classes, the logistic function $\\sigma(z) = 1 / (1 + e^{-z})$. Their derivatives come "
    "from the rule for a logarithm and two lemmas, each a rule of its own:",
    logistic_derivative_chain,
    "The log loss of a label $y$ is $-\\log \\mathrm{softmax}(z)_y$, and its gradient is the "
    "predicted distribution minus the one-hot truth:",
    softmax_cross_entropy_gradient,
    "Against a target distribution $p$ on the $K$ categories, the cross entropy "
    "$\\sum_{c} p(c) (-\\log \\mathrm{softmax}(z)_c)$ has the gradient "
    "$\\mathrm{softmax}(z)_k - p(k)$: the sum over the support collapses against the "
    "indicator, and $p$ sums to 1.",
    general_target_gradient,
    "With two classes and a target $y$, the binary cross entropy of $\\sigma(z)$ has the same "
    "shape of gradient, prediction minus target:",
    bce_with_logits_gradient,
    section=BEYOND)
