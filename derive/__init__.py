"""derive: symbolic derivation and verification of identities from information theory and ML.

Distributions and quantities are unevaluated SymPy objects; proof scripts chain named rules into
derivations; every step is proved by a canonical-form decision procedure and spot-checked on seeded
random draws, and a false step is refuted with a certified counterexample.  The public API is
re-exported here; rules are imported from `derive.rules`.
"""

from __future__ import annotations

from derive.checking.evaluation import evaluate
from derive.core.errors import DeriveError
from derive.notation.printing import latex, text
from derive.proofs.derivation import Derivation
from derive.proofs.outline import Document, Figure, Topic
from derive.proofs.statements import check
from derive.results.model import DerivationReport, Verdict
from derive.results.outcome import Outcome
from derive.vocabulary.calculus import CATEGORIES, Derivative, Label, Logistic, Softmax
from derive.vocabulary.context import OneHot, Setting
from derive.vocabulary.distributions import (DATA_INDEX, DATA_SIZE, LABEL_VARIABLE,
                                             SUPPORT_VARIABLE, THETA, Conditional, Datum,
                                             Distribution, Indicator, Prob, data, distributions,
                                             model)
from derive.vocabulary.information import (ConditionalEntropy, Independence, JointEntropy,
                                           JointExpectation, JointKL, JointValue, MarkovChain,
                                           MutualInformation, RandomVariable, random_variables)
from derive.vocabulary.parameters import Domain, Interval
from derive.vocabulary.operators import (ArgMax, ArgMin, DataProduct, DataSum, Expectation,
                                         SupportIntegral, SupportSum, expectation)
from derive.vocabulary.quantities import (QUANTITIES, CrossEntropy, Entropy, KLDivergence, Notation,
                                          define_quantity, mixture)
from derive.vocabulary.relations import Relation

__all__ = [
    "ArgMax", "ArgMin", "Conditional", "ConditionalEntropy", "Independence", "JointEntropy",
    "JointExpectation", "JointKL", "JointValue", "MarkovChain", "MutualInformation",
    "RandomVariable", "random_variables", "CrossEntropy", "DATA_INDEX", "DATA_SIZE", "DataProduct",
    "DataSum", "Datum", "DeriveError", "Domain", "Interval", "Derivation", "DerivationReport", "Distribution",
    "Document", "Entropy", "Expectation", "Figure", "Indicator", "KLDivergence", "LABEL_VARIABLE",
    "Notation", "OneHot", "Outcome", "Prob", "QUANTITIES", "Relation", "SUPPORT_VARIABLE",
    "Setting", "SupportIntegral", "SupportSum", "THETA", "Topic", "Verdict", "check", "data",
    "define_quantity", "distributions", "evaluate", "expectation", "latex", "mixture", "model",
    "text", "CATEGORIES", "Derivative", "Label", "Logistic", "Softmax",
]
