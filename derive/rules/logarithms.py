"""Rules for logarithms: of a quotient, of a product, of a product over the data."""

from __future__ import annotations

import sympy
from sympy import Add, Expr, Mul, Pow, exp, log

from derive.rules.rule import Rule
from derive.vocabulary.context import Context
from derive.vocabulary.operators import DataProduct, DataSum


def _log_div(node: Expr, context: Context) -> Expr | None:
    if not isinstance(node, log):
        return None
    numerator, denominator = node.args[0].as_numer_denom()
    if denominator == 1:
        return None
    return log(numerator) - log(denominator)


def _log_mul(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, log) and isinstance(node.args[0], Mul)):
        return None
    factors = node.args[0].args
    if any(f.is_Pow and f.exp.is_negative for f in factors):
        return None
    return Add(*(log(f) for f in factors))


def _log_pow(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, log) and isinstance(node.args[0], (Pow, exp))):
        return None
    base, exponent = node.args[0].as_base_exp()
    return exponent if base is sympy.E else exponent * log(base)


def _log_prod(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, log) and isinstance(node.args[0], DataProduct)):
        return None
    product = node.args[0]
    return DataSum(log(product.body), product.variable, product.size)


def _sum_log(node: Expr, context: Context) -> Expr | None:
    if not (isinstance(node, DataSum) and isinstance(node.body, log)):
        return None
    return log(DataProduct(node.body.args[0], node.variable, node.size))


log_div = Rule("log_div", r"\log \frac{a}{b} = \log a - \log b", _log_div, "a, b > 0",
               "log of a quotient")
log_mul = Rule("log_mul", r"\log (a b) = \log a + \log b", _log_mul, "a, b > 0",
               "log of a product")
log_pow = Rule("log_pow", r"\log a^{b} = b \log a, \quad \log e^{z} = z", _log_pow, "a > 0",
               "log of a power")
log_prod = Rule("log_prod", r"\log \prod_{i=1}^{n} f_i = \sum_{i=1}^{n} \log f_i", _log_prod,
                "f_i > 0", "log of a product over data")
sum_log = Rule("sum_log", r"\sum_{i=1}^{n} \log f_i = \log \prod_{i=1}^{n} f_i", _sum_log,
               "f_i > 0", "sum of logs = log of product")
