"""Every result of the source post comes out of `derive prove` proved, in the post's order."""

import json
import re

from tests.conftest import ROOT

REQUIRED = [
    ("entropy-forms", "discrete"), ("entropy-forms", "continuous"),
    ("cross-entropy-forms", "discrete"), ("cross-entropy-forms", "continuous"),
    ("kl-forms", "discrete"), ("kl-forms", "continuous"),
    ("mle-unsupervised", "general"), ("mle-supervised", "general"),
    ("log-loss-is-nll", "general"),
    ("cross-entropy-decomposition", "discrete"), ("cross-entropy-decomposition", "continuous"),
    ("cross-entropy-kl-same-argmin", "general"),
]


def test_every_derivation_of_the_post_is_proved(proved):
    result, _ = proved
    assert result.returncode == 0, result.stderr
    found = {(d["name"], d["setting"]): d for d in json.loads(result.stdout)["derivations"]}
    for key in REQUIRED:
        d = found[key]
        assert d["verdict"] == "proved", key
        for step in d["steps"]:
            assert step["verdict"] == "proved" and step["symbolic"]["proved"], (key, step["rule"])
            assert step["numeric"]["samples"] >= 100, (key, step["rule"])


def test_statements_are_the_posts(proved):
    found = {(d["name"], d["setting"]): d["statement"]
             for d in json.loads(proved[0].stdout)["derivations"]}
    assert found["entropy-forms", "discrete"] == (
        r"H(p) = - \sum_{x \in \mathcal{X}} p(x) \log p(x)")
    assert found["kl-forms", "continuous"] == (
        r"D_{\mathrm{KL}}(p \parallel q) = \int_{\mathcal{X}} p(x) \log \frac{p(x)}{q(x)} \, dx")
    assert found["mle-unsupervised", "general"].endswith(
        r"\operatorname*{arg\,min}_{\theta} - \frac{1}{n} \sum_{i=1}^{n} \log q_{\theta}(x_i)")
    assert found["log-loss-is-nll", "general"] == (
        r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} H_i(p, q_{\theta}) = "
        r"\operatorname*{arg\,max}_{\theta} \prod_{i=1}^{n} q_{\theta}(y_i \mid x_i)")
    assert found["cross-entropy-kl-same-argmin", "general"] == (
        r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} H_i(p, q_{\theta}) = "
        r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} D_{\mathrm{KL}, i}(p \parallel q_{\theta})")


def test_markdown_has_them_all_in_the_posts_order():
    markdown = (ROOT / "output" / "derivations.md").read_text()
    headings = re.findall(r"^(#+) (.+)$", markdown, flags=re.M)
    sections = [title for level, title in headings if level == "##"]
    assert sections == ["How this document was checked", "Definitions", "Relationships",
                        "A quantity of our own", "Random variables", "Beyond the post"]
    topics = [title for level, title in headings if level == "###"]
    assert topics == ["Shannon entropy", "Cross entropy", "Kullback-Leibler divergence",
                      "Maximum likelihood estimation",
                      "Maximum likelihood estimation and cross entropy",
                      "Cross entropy and KL divergence",
                      "Optimisation using cross entropy or KL divergence",
                      "Cross entropy is at least entropy", "The Jensen-Shannon divergence",
                      "Chain rules", "Mutual information", "Independence",
                      "Closed forms for Gaussian and Bernoulli distributions",
                      "Binary cross entropy is a Bernoulli likelihood",
                      "Squared error is a Gaussian likelihood", "Label smoothing",
                      "Bits and nats", "The uniform distribution has the most entropy",
                      "Gradients of the logistic function and of cross entropy"]
    starts = [r"H(p) &=", r"H(p, q) &=", r"D_{\mathrm{KL}}(p \parallel q) &=",
              r"\prod_{i=1}^{n} q_{\theta}(x_i) &=",
              r"\prod_{i=1}^{n} q_{\theta}(y_i \mid x_i) &=",
              r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} H_i(p, q_{\theta}) &= "
              r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} \mathbb{E}",
              r"D_{\mathrm{KL}}(p \parallel q) &=",
              r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} H_i(p, q_{\theta}) &= "
              r"\operatorname*{arg\,min}_{\theta} \sum_{i=1}^{n} \left(H_i(p)"]
    positions, position = [], 0
    for start in starts:
        position = markdown.index(start, position)
        positions.append(position)
    assert positions == sorted(positions)


def test_every_derivation_has_its_own_files():
    for name, setting in REQUIRED:
        for suffix in (".md", ".tex"):
            assert (ROOT / "output" / "derivations" / f"{name}-{setting}{suffix}").exists()
