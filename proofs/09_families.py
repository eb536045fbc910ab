"""Beyond the post: parametric families and the loss identities built on them.

The entropy of a Gaussian, the KL divergence between two Gaussians and between two Bernoulli
distributions are derived from the definitions: the log-density is written out, the expectation
is split by linearity, and what is left is a moment of the family (integrated once, symbolically).
Squared error is the Gaussian negative log-likelihood up to a scale and a constant, so both pick
the same model; label smoothing is a mixture, and cross entropy is linear in its first argument;
a change of log base only rescales; and Gibbs' inequality against the uniform distribution bounds
the entropy on a finite support.
"""

from sympy import E, Rational, Symbol, log, pi

from derive import DATA_INDEX as i
from derive import DATA_SIZE as n
from derive import THETA as theta
from derive import (ArgMax, CrossEntropy, DataProduct, Derivation, Distribution, Entropy,
                    KLDivergence, Setting, SupportSum, Topic, data, distributions, mixture)
from derive.rules import (argopt_drop_const, argopt_log, argopt_neg, argopt_scale,
                          data_sum_linear, entropy_via_uniform, expectation_as_sum,
                          expectation_linear, expectation_of_family, fold, kl_nonneg_subtracted,
                          log_div, log_family_value, log_prod, mixture_value, sum_linear, unfold)
from derive.vocabulary.families import (Bernoulli, Categorical, DiagonalGaussian, Gaussian,
                                        Uniform)
from derive.vocabulary.models import ModelValue
from derive.vocabulary.parameters import Domain, Interval

SECTION = "Beyond the post"

mu, sigma, a, b = Symbol("mu"), Symbol("sigma"), Symbol("a"), Symbol("b")
mu_1, mu_2, sigma_1, sigma_2 = Symbol("mu_1"), Symbol("mu_2"), Symbol("sigma_1"), Symbol("sigma_2")
epsilon = Symbol("epsilon")
x, y = data("x"), data("y")
prediction = ModelValue("f", theta, x)
p, q, r = distributions("p q r")

gaussian = Gaussian(mu, sigma ** 2)
gaussian_entropy = (
    Derivation("gaussian-entropy", Entropy(gaussian), Setting.CONTINUOUS)
    .by(unfold(Entropy), expect=r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}"
        r"\left[-\log \mathcal{N}(x; \mu, \sigma^2)\right]")
    .by(log_family_value, expect=r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}\left["
        r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{(x - \mu)^2}{2\sigma^2}\right]")
    .by(expectation_linear, expect=r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{1}{2\sigma^2}"
        r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}\left[(x - \mu)^2\right]")
    .by(expectation_of_family, expect=r"\frac{1}{2}\log(2\pi\sigma^2) + \frac{1}{2}")
    .hence(Entropy(gaussian), log(2 * pi * E * sigma ** 2) / 2)
)

first, second = Gaussian(mu_1, sigma_1 ** 2), Gaussian(mu_2, sigma_2 ** 2)
gaussian_cross_entropy = (
    Derivation("gaussian-cross-entropy", CrossEntropy(first, second), Setting.CONTINUOUS)
    .by(unfold(CrossEntropy), log_family_value, expectation_linear, expectation_of_family,
        expect=r"\frac{1}{2}\log(2\pi\sigma_2^2) + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}"
        r"{2\sigma_2^2}")
)

gaussian_kl = (
    Derivation("gaussian-kl", KLDivergence(first, second), Setting.CONTINUOUS)
    .by(unfold(KLDivergence), expect=r"\mathbb{E}_{x \sim \mathcal{N}(\mu_1, \sigma_1^2)}\left["
        r"\log \frac{\mathcal{N}(x; \mu_1, \sigma_1^2)}{\mathcal{N}(x; \mu_2, \sigma_2^2)}\right]")
    .by(log_div, log_family_value, expectation_linear, expectation_of_family,
        expect=r"\frac{1}{2}\log(2\pi\sigma_2^2) - \frac{1}{2}\log(2\pi\sigma_1^2) + "
        r"\frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac{1}{2}")
    .hence(KLDivergence(first, second), log(sigma_2 / sigma_1)
           + (sigma_1 ** 2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2 ** 2) - Rational(1, 2))
)

interval = Uniform(a, b)
uniform_entropy = (
    Derivation("uniform-entropy", Entropy(interval), Setting.CONTINUOUS)
    .by(unfold(Entropy), expect=r"\mathbb{E}_{x \sim \mathrm{Uniform}(a, b)}"
        r"\left[-\log \mathrm{Uniform}(x; a, b)\right]")
    .by(expectation_of_family, expect=r"-\log \frac{1}{b - a}")
    .by(log_div, expect=r"\log(b - a)")
)

bernoulli_kl = (
    Derivation("bernoulli-kl", KLDivergence(Bernoulli(a), Bernoulli(b)), Setting.DISCRETE)
    .by(unfold(KLDivergence), expect=r"\mathbb{E}_{x \sim \mathrm{Bernoulli}(a)}\left[\log "
        r"\frac{\mathrm{Bernoulli}(x; a)}{\mathrm{Bernoulli}(x; b)}\right]")
    .by(log_div, log_family_value, expect=r"\mathbb{E}_{x \sim \mathrm{Bernoulli}(a)}\left["
        r"x \log a + (1 - x) \log(1 - a) - x \log b - (1 - x) \log(1 - b)\right]")
    .by(expectation_of_family, expect=r"a (\log a - \log b) + (1 - a) (\log(1 - a) - "
        r"\log(1 - b))")
    .hence(KLDivergence(Bernoulli(a), Bernoulli(b)),
           a * log(a / b) + (1 - a) * log((1 - a) / (1 - b)))
)

latent = DiagonalGaussian((mu_1, mu_2), (sigma_1 ** 2, sigma_2 ** 2))
standard = DiagonalGaussian((0, 0), (1, 1))
latent_kl = (
    Derivation("diagonal-gaussian-kl-to-standard", KLDivergence(latent, standard),
               Setting.CONTINUOUS)
    .by(unfold(KLDivergence), log_div, log_family_value, expectation_of_family,
        expect=r"\frac{1}{2}\left(\mu_1^2 + \sigma_1^2 - 1 - \log \sigma_1^2\right) + "
        r"\frac{1}{2}\left(\mu_2^2 + \sigma_2^2 - 1 - \log \sigma_2^2\right)")
)

families = Topic(
    "Closed forms for Gaussian and Bernoulli distributions",
    "The definitions hold for named families as they stand. Writing out the log-density turns "
    "the entropy of a Gaussian into an expectation of a quadratic in $x$, and only its second "
    "moment about the mean, $\\sigma^2$, is needed:",
    gaussian_entropy,
    "For two Gaussians the same moves leave the second moment of $x$ about the other mean, "
    "$\\sigma_1^2 + (\\mu_1 - \\mu_2)^2$, in the cross entropy and in the KL divergence:",
    gaussian_cross_entropy, gaussian_kl,
    "A uniform density is constant on its interval, so its entropy is the log of the interval's "
    "length (negative for an interval shorter than 1):",
    uniform_entropy,
    "A Bernoulli distribution has only the outcomes 0 and 1, so its expectation is a sum of "
    "two terms:",
    bernoulli_kl,
    "A Gaussian with a diagonal covariance has independent coordinates, and its KL divergence "
    "from the standard Gaussian (the term a variational autoencoder adds to its loss) is a sum "
    "over the coordinates:",
    latent_kl, section=SECTION)

coin = Bernoulli(mu)
bce = (
    Derivation("bce-is-bernoulli-nll", -log(coin(Symbol("y"))), Setting.DISCRETE)
    .by(log_family_value, expect=r"-\left(y \log \mu + (1 - y) \log(1 - \mu)\right)")
)
labels_likelihood = DataProduct(coin(y), i)
mean_bce = (
    Derivation("mean-bce-is-nll-over-n", -log(labels_likelihood) / n, Setting.DISCRETE)
    .by(log_prod, expect=r"-\frac{1}{n} \sum_{i=1}^{n} \log \mathrm{Bernoulli}(y_i; \mu)")
    .by(log_family_value, expect=r"-\frac{1}{n} \sum_{i=1}^{n} \left(y_i \log \mu + "
        r"(1 - y_i) \log(1 - \mu)\right)")
)

binary = Topic(
    "Binary cross entropy is a Bernoulli likelihood",
    "A binary classifier that gives the label 1 probability $\\mu$ is a Bernoulli distribution. "
    "The negative log of its mass at the label $y \\in \\{0, 1\\}$ is the binary cross entropy:",
    bce,
    "Over a data set of labels $y_1, \\ldots, y_n$, the mean binary cross entropy is the negative "
    "log-likelihood divided by $n$:",
    mean_bce, section=SECTION)

GAUSSIAN_TERM = r"\mathcal{N}(y_i; f_\theta(x_i), \sigma^2)"
SQUARES = r"\sum_{i=1}^{n} (y_i - f_\theta(x_i))^2"
likelihood = DataProduct(Gaussian(prediction, sigma ** 2)(y), i)
gaussian_nll = (
    Derivation("gaussian-nll-is-scaled-squared-error", -log(likelihood), Setting.CONTINUOUS)
    .by(log_prod, expect=rf"-\sum_{{i=1}}^{{n}} \log {GAUSSIAN_TERM}")
    .by(log_family_value, expect=r"-\sum_{i=1}^{n} \left(-\frac{1}{2}\log(2\pi\sigma^2) - "
        r"\frac{(y_i - f_\theta(x_i))^2}{2\sigma^2}\right)")
    .by(data_sum_linear, expect=rf"\frac{{n}}{{2}}\log(2\pi\sigma^2) + \frac{{1}}{{2\sigma^2}} "
        rf"{SQUARES}")
)
squared_error_argmin = (
    Derivation("squared-error-gaussian-same-argmin", ArgMax(likelihood, theta),
               Setting.CONTINUOUS)
    .by(argopt_log, expect=rf"\arg\max_\theta \log \prod_{{i=1}}^{{n}} {GAUSSIAN_TERM}")
    .by(log_prod, log_family_value, data_sum_linear,
        expect=r"\arg\max_\theta \left(-\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2} "
        rf"{SQUARES}\right)")
    .by(argopt_drop_const, expect=rf"\arg\max_\theta -\frac{{1}}{{2\sigma^2}} {SQUARES}")
    .by(argopt_neg, expect=rf"\arg\min_\theta \frac{{1}}{{2\sigma^2}} {SQUARES}")
    .by(argopt_scale(2 * sigma ** 2), expect=rf"\arg\min_\theta {SQUARES}")
)

regression = Topic(
    "Squared error is a Gaussian likelihood",
    "A regression model $f_\\theta$ predicts a real target $y_i$ from $x_i$. If the target is "
    "the prediction plus Gaussian noise of a fixed variance $\\sigma^2$, the negative "
    "log-likelihood of the data is the sum of squared errors, scaled by $1/(2\\sigma^2)$, plus "
    "a term that does not depend on $\\theta$:",
    gaussian_nll,
    "Scaling by a positive number and adding a constant do not move a minimum, so fitting by "
    "least squares and by maximum likelihood choose the same parameters:",
    squared_error_argmin, section=SECTION)

smoothed = mixture("", (1 - epsilon, p), (epsilon, r))
label_smoothing = (
    Derivation("label-smoothing", CrossEntropy(smoothed, q), Setting.DISCRETE,
               (Domain(epsilon, Interval(0, 1)),))
    .by(unfold(CrossEntropy), expect=r"\mathbb{E}_{x \sim (1 - \epsilon) p + \epsilon r}"
        r"\left[-\log q(x)\right]")
    .by(expectation_as_sum, mixture_value, expect=r"\sum_{x} ((1 - \epsilon) p(x) + "
        r"\epsilon r(x)) (-\log q(x))")
    .by(sum_linear, expect=r"(1 - \epsilon) \sum_{x} p(x) (-\log q(x)) + "
        r"\epsilon \sum_{x} r(x) (-\log q(x))")
    .by(fold(CrossEntropy), expect=r"(1 - \epsilon) H(p, q) + \epsilon H(r, q)")
)

smoothing = Topic(
    "Label smoothing",
    "Label smoothing trains a classifier $q$ against a target that mixes the one-hot "
    "label distribution $p$ with the uniform distribution $r$ over the classes, with weight "
    "$\\epsilon$ between 0 and 1. Cross entropy is linear in its first argument, so the "
    "smoothed loss is the usual loss and the loss against the uniform distribution, weighted:",
    label_smoothing,
    "With $p$ one-hot at the label $y$, $H(p, q) = -\\log q(y)$; with $r$ uniform over "
    "$n$ classes, $H(r, q)$ is the average of $-\\log q$ over the classes.",
    section=SECTION)

bits = (
    Derivation("entropy-in-bits", SupportSum(-p(Symbol("x")) * log(p(Symbol("x")), 2),
                                             Symbol("x")), Setting.DISCRETE)
    .by(sum_linear, expect=r"-\frac{1}{\log 2} \sum_{x} p(x) \log p(x)")
    .by(fold(Entropy), expect=r"\frac{H(p)}{\log 2}")
)

units = Topic(
    "Bits and nats",
    "Entropy measured with logarithms to base 2 is in bits; with natural logarithms, as "
    "everywhere here, in nats. The two differ by the constant factor $\\log 2$:",
    bits, section=SECTION)

bernoulli_bound = (
    Derivation("bernoulli-entropy-at-most-log-2", Entropy(Bernoulli(mu)), Setting.DISCRETE)
    .by(entropy_via_uniform, expect=r"\log 2 - D_{KL}(\mathrm{Bernoulli}(\mu) \| "
        r"\mathrm{Bernoulli}(\frac{1}{2}))")
    .by(kl_nonneg_subtracted, expect=r"\log 2")
)
categorical = Categorical(Distribution(r"\pi"))
categorical_bound = (
    Derivation("categorical-entropy-at-most-log-n", Entropy(categorical), Setting.DISCRETE)
    .by(entropy_via_uniform, expect=r"\log n - D_{KL}(\mathrm{Categorical}(\pi) \| "
        r"\mathrm{Uniform}\{1, \dots, n\})")
    .by(kl_nonneg_subtracted, expect=r"\log n")
)

maximum_entropy = Topic(
    "The uniform distribution has the most entropy",
    "On a finite support, entropy is the log of the number of outcomes less the KL divergence "
    "from the uniform distribution. Gibbs' inequality makes that divergence non-negative, so "
    "a coin has at most $\\log 2$ nats of entropy:",
    bernoulli_bound,
    "and a distribution over $n$ classes at most $\\log n$, reached only by the uniform one:",
    categorical_bound, section=SECTION)
