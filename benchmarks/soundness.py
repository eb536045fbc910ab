"""derive's soundness, measured by the independent oracle of tests/oracle/.

    python benchmarks/soundness.py [--count N] [--seed S] [--workers W] [--information-count M]
                                   [--families-count F]

generates N statements (default 20,000) — true identities of information theory and perturbations
of them — runs `derive.check` on each, and holds every verdict to the oracle's reference
evaluator (mpmath on exact rational worlds; no code shared with the engine): a proved reading is
evaluated at ≥ 20 worlds of the oracle's own, a refuted one at derive's counterexample world.
Prints a Markdown table: verdict counts (overall and per reading), wrongly proved, wrongly
refuted, the oracle's own truth against derive's verdicts, time per statement, and every wrong
verdict found.

Then, counted and reported apart as "random variables", M statements (default 2,000; derive spends
about 1 s of CPU on each) about random variables and information measures
(tests/oracle/information*.py): identities and Shannon inequalities true by construction,
perturbations shown false at exact tables, each reading (discrete, continuous) held to its own
truth and every counterexample world re-evaluated.

Then, reported apart as "families, parameters and derivatives", F statements (default 5,000)
from tests/oracle/families*.py: closed forms of parametric families (entropy, cross entropy and KL
of Gaussians, Bernoulli, uniform and categorical distributions), their inequalities, identities
under hypotheses on parameters, generic algebra and derivatives — true by construction or shown
false at an exact world — every counterexample rebuilt and re-evaluated; statements derive cannot
read yet are counted as unreadable.

`soundness_table(count, seed)` returns the same Markdown for benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.oracle import families_harness, harness, information_harness

INFORMATION_COUNT = 2_000
FAMILIES_COUNT = 5_000


def soundness_table(count: int, seed: int, workers: int | None = None,
                    information_count: int = INFORMATION_COUNT,
                    families_count: int = FAMILIES_COUNT) -> str:
    """Markdown: the oracle's table for `count` generated statements from `seed`, then the tables
    of `information_count` statements about random variables and `families_count` about
    families, parameters and derivatives (a count of 0 leaves its table out)."""
    # derive's persistent cache of step checks would make a second run faster than the first:
    # the measurement gets a fresh one unless the caller chose a cache folder
    own_cache = "DERIVE_CACHE_DIR" not in os.environ
    if own_cache:
        os.environ["DERIVE_CACHE_DIR"] = tempfile.mkdtemp(prefix="derive-soundness-cache-")
    try:
        parts = []
        if count:
            start = time.perf_counter()
            judgments = harness.run(count, seed, workers=workers)
            parts.append(harness.markdown(judgments, time.perf_counter() - start, seed))
        if information_count:
            parts.append(information_table(information_count, seed, workers))
        if families_count:
            parts.append(families_table(families_count, seed, workers))
        text = "\n\n".join(parts)
    finally:
        if own_cache:
            del os.environ["DERIVE_CACHE_DIR"]
    return text


def information_table(count: int, seed: int, workers: int | None = None) -> str:
    """Markdown: the random-variables table for `count` generated statements from `seed`."""
    start = time.perf_counter()
    judgments = information_harness.run(count, seed, workers=workers)
    wall = time.perf_counter() - start
    return "### Random variables\n\n" + information_harness.markdown(judgments, wall, seed)


def families_table(count: int, seed: int, workers: int | None = None) -> str:
    """Markdown: the families-parameters-derivatives table for `count` statements from `seed`."""
    start = time.perf_counter()
    judgments = families_harness.run(count, seed, workers=workers)
    wall = time.perf_counter() - start
    return "### Families, parameters and derivatives\n\n" + families_harness.markdown(judgments, wall, seed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: ≤ 2)")
    parser.add_argument("--information-count", type=int, default=INFORMATION_COUNT,
                        help="statements about random variables (0: none)")
    parser.add_argument("--families-count", type=int, default=FAMILIES_COUNT,
                        help="statements about families, parameters and derivatives (0: none)")
    args = parser.parse_args(argv)
    print(soundness_table(args.count, args.seed, args.workers, args.information_count,
                          args.families_count))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
