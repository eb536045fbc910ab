"""Lemmas as rules: a step that drops a term known to be ≥ 0 makes the expression smaller or
equal, so the step's relation is ≥ (before ≥ after).  The checker proves each such step on its
own, so a term dropped where it counts negatively is caught, never trusted."""

from __future__ import annotations

from sympy import S

from derive.rules.rule import Rule
from derive.vocabulary.quantities import Entropy, KLDivergence
from derive.vocabulary.relations import Relation

kl_nonneg = Rule("kl_nonneg", r"D_{\mathrm{KL}}(p \parallel q) \ge 0",
                 lambda node, context: S.Zero if isinstance(node, KLDivergence) else None,
                 r"\text{Gibbs' inequality, from } \log t \le t - 1",
                 "Gibbs' inequality: KL divergence is never negative", Relation.GE)
entropy_nonneg = Rule("entropy_nonneg", r"H(p) \ge 0",
                      lambda node, context: S.Zero if isinstance(node, Entropy) else None,
                      r"p \text{ on a finite support, so } 0 \le p(x) \le 1",
                      "entropy on a finite support is never negative", Relation.GE)
