"""Mutation testing of the checker: every false mutant refuted with a counterexample, every
still-true mutant proved, none wrongly accepted (benchmarks/mutation.py makes and judges them)."""

import pytest

from benchmarks.mutation import mutations, run, summary
from derive import DATA_INDEX as i
from derive import THETA as theta
from derive import ArgMin, DataSum, data, distributions, model
from derive.results.model import Outcome
from tests.conftest import ROOT


def test_the_operators():
    p, q = distributions("p q")
    qt, x = model("q", theta), data("x")
    from sympy import log

    from derive import CrossEntropy, Entropy, KLDivergence
    found = dict((op, m) for op, m in mutations(Entropy(p) + KLDivergence(p, q)))
    assert found["p <-> q"] == Entropy(q) + KLDivergence(q, p)
    assert found["dropped term"] in (Entropy(p), KLDivergence(p, q))
    optimum = ArgMin(-DataSum(log(qt(x)), i), theta)
    operators = {op for op, _ in mutations(optimum)}
    assert {"arg min <-> arg max", "log base", "index changed", "bound changed"} <= operators
    assert CrossEntropy(p, q) not in [m for _, m in mutations(CrossEntropy(p, q))]


@pytest.mark.slow
def test_every_mutant_is_judged_rightly():
    judgements = run(ROOT)
    counts = summary(judgements)
    print("mutation report:", counts)
    assert counts["mutants"] >= 300
    assert counts["wrongly accepted"] == 0
    assert counts["undecided"] == 0, [j.mutant for j in judgements if j.outcome is Outcome.UNDECIDED]
    assert all(j.counterexample for j in judgements if j.outcome is Outcome.REFUTED)
    operators = {j.mutant.operator for j in judgements}
    assert operators == {"sign flip", "p <-> q", "dropped term", "duplicated term",
                         "arg min <-> arg max", "log base", "index changed", "bound changed"}
    assert counts["refuted"] > counts["proved (still true)"] > 0
