"""Named rules: each states an identity (or an arg min / arg max equivalence), its side
conditions, and rewrites every subexpression it matches.  Proof scripts import them from here:

    from derive.rules import expectation_as_sum, log_div, sum_linear, unfold

The name a rule has here is the name `derive list` shows and the name written in reports.
"""

from derive.rules.calculus import (derivative_linear, derivative_of_log, differentiate,
                                  logistic_derivative, softmax_derivative)
from derive.rules.definitions import (expectation_as_integral, expectation_as_sum,
                                      expectation_expand, fold, unfold)
from derive.rules.families import (entropy_via_uniform, expectation_of_family, family_value,
                                   kl_nonneg_subtracted, log_family_value)
from derive.rules.inequalities import entropy_nonneg, kl_nonneg
from derive.rules.information import (as_entropies, by_hypothesis, combine_logs,
                                      conditional_as_ratio, entropy_chain_rule, factor_joint,
                                      marginalise)
from derive.rules.linearity import (data_sum_linear, expectation_linear, indicator_sum,
                                    integral_linear, mixture_value, normalisation, one_hot,
                                    sum_linear, support_linear, zero_log_zero)
from derive.rules.logarithms import log_div, log_mul, log_pow, log_prod, sum_log
from derive.rules.optimum import (argopt_drop_const, argopt_log, argopt_neg, argopt_scale,
                                  argopt_unlog)
from derive.rules.rule import NotApplicable, Rule, rewrite_everywhere, theorem
from derive.rules.theorems import (cross_entropy_eq_entropy_add_kl, cross_entropy_of_mixture,
                                   cross_entropy_self, kl_eq_cross_entropy_sub_entropy)

__all__ = [
    "NotApplicable", "Rule", "argopt_drop_const", "argopt_log", "argopt_neg", "argopt_scale",
    "argopt_unlog", "as_entropies", "by_hypothesis", "combine_logs", "conditional_as_ratio",
    "cross_entropy_eq_entropy_add_kl", "cross_entropy_of_mixture", "cross_entropy_self",
    "data_sum_linear", "derivative_linear", "derivative_of_log", "differentiate",
    "entropy_chain_rule", "entropy_nonneg", "entropy_via_uniform", "expectation_as_integral",
    "expectation_as_sum", "expectation_expand", "expectation_linear", "expectation_of_family",
    "factor_joint", "family_value", "fold", "indicator_sum", "integral_linear",
    "kl_eq_cross_entropy_sub_entropy", "kl_nonneg", "kl_nonneg_subtracted", "log_div",
    "log_family_value", "log_mul", "log_pow", "log_prod", "logistic_derivative", "marginalise",
    "mixture_value", "normalisation", "one_hot", "rewrite_everywhere", "softmax_derivative",
    "sum_linear", "sum_log", "support_linear", "theorem", "unfold", "zero_log_zero",
]
