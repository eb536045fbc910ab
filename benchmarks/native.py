"""derive's expressions written in plain SymPy, for comparing with `sympy.simplify`.

Definitions are unfolded, expectations become sums (discrete) or integrals (continuous), values
p(x) become positive undefined functions (so that SymPy may expand their logarithms), data points
x_i become indexed symbols, indicators become Kronecker deltas.  This is the fairest input SymPy
can be given: everything derive knows about the objects, in SymPy's own terms.
"""

from __future__ import annotations

from sympy import Expr, Function, IndexedBase, Integral, KroneckerDelta, Product, Sum, Symbol, oo

from derive import Setting
from derive.vocabulary.distributions import Conditional, Datum, Indicator, Mixture, Prob
from derive.vocabulary.operators import (DataProduct, DataSum, Expectation, SupportIntegral,
                                         SupportSum)
from derive.vocabulary.quantities import Quantity

SUPPORT_SIZE = Symbol("K", integer=True, positive=True)


def _function(d) -> Function:
    name = d.base.name if isinstance(d, Conditional) else d.name
    return Function(name + "".join(f"_{p}" for p in getattr(d, "parameters", ())), positive=True)


def native(expr: Expr, setting: Setting) -> Expr:
    """`expr` in plain SymPy; the general setting is read as discrete."""
    def convert(e: Expr) -> Expr:
        if isinstance(e, Quantity):
            return convert(e.definition())
        if isinstance(e, Expectation):
            d, v = e.distribution, e.variable
            operator = SupportIntegral if (setting is Setting.CONTINUOUS and d.support == "X") \
                else SupportSum
            return convert(operator(d(v) * e.body, v, d.support))
        if isinstance(e, SupportSum):
            return Sum(convert(e.body), (e.variable, 1, SUPPORT_SIZE))
        if isinstance(e, SupportIntegral):
            return Integral(convert(e.body), (e.variable, -oo, oo))
        if isinstance(e, DataSum):
            return Sum(convert(e.body), (e.variable, 1, e.size))
        if isinstance(e, DataProduct):
            return Product(convert(e.body), (e.variable, 1, e.size))
        if isinstance(e, Prob):
            d = e.distribution
            if isinstance(d, Mixture):
                return convert(d.value(e.point))
            point = convert(e.point)
            if isinstance(d, Conditional):
                return _function(d)(point, convert(d.condition))
            return _function(d)(point)
        if isinstance(e, Datum):
            return IndexedBase(e.name)[convert(e.index)]
        if isinstance(e, Indicator):
            return KroneckerDelta(*(convert(a) for a in e.args))
        if not e.args:
            return e
        return e.func(*(convert(a) for a in e.args))
    return convert(expr)

