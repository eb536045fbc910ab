"""derive: symbolic derivation and verification of identities from information theory and ML.

Distributions and quantities are unevaluated SymPy objects; proof scripts chain named rules into
derivations; every step is proved by a canonical-form decision procedure and spot-checked on seeded
random draws, and a false step is refuted with a concrete counterexample.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from derive.context import OneHot, Setting
from derive.derivation import Derivation, DerivationReport
from derive.distributions import (DATA_INDEX, DATA_SIZE, LABEL_VARIABLE, SUPPORT_VARIABLE, THETA,
                                  Conditional, Datum, Distribution, Indicator, Prob, data,
                                  distributions, model)
from derive.errors import DeriveError
from derive.operators import (ArgMax, ArgMin, DataProduct, DataSum, Expectation, SupportIntegral,
                              SupportSum, expectation)
from derive.printing import latex, text
from derive.quantities import (QUANTITIES, CrossEntropy, Entropy, KLDivergence, Notation,
                               define_quantity, mixture)
from derive.verdicts import Outcome

if TYPE_CHECKING:
    from derive.statements import Verdict


def check(statement: str, seed: int = 0) -> Verdict:
    """Prove or refute a statement typed in the field's notation (README, "The notation")."""
    from derive.statements import check as check_statement
    return check_statement(statement, seed)


def evaluate(expression, *, base=None, densities=None, data=None, values=None,
             **distributions) -> float:
    """An expression's value in a concrete, exact world: evaluate("H(p)", p=[0.5, 0.5]);
    `densities={"p": "N(0, 1^2)"}`, `data={"x": [1, 2]}`, `values={"a": 0.5}` (see README)."""
    from derive.evaluation import evaluate as evaluate_expression
    return evaluate_expression(expression, base=base, densities=densities, data=data,
                               values=values, **distributions)

__all__ = [
    "ArgMax", "ArgMin", "Conditional", "CrossEntropy", "DATA_INDEX", "DATA_SIZE", "DataProduct",
    "DataSum", "Datum", "DeriveError", "Derivation", "DerivationReport", "Distribution", "Entropy",
    "Expectation", "Indicator", "KLDivergence", "LABEL_VARIABLE", "Notation", "OneHot", "Outcome",
    "Prob", "QUANTITIES", "SUPPORT_VARIABLE", "Setting", "SupportIntegral", "SupportSum", "THETA",
    "check", "data", "define_quantity", "distributions", "evaluate", "expectation", "latex",
    "mixture", "model", "text",
]
