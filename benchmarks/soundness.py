"""derive's soundness, measured by the independent oracle of tests/oracle/.

    python benchmarks/soundness.py [--count N] [--seed S] [--workers W]

generates N statements (default 20,000) — true identities of information theory and perturbations
of them — runs `derive.check` on each, and holds every verdict to the oracle's reference
evaluator (mpmath on exact rational worlds; no code shared with the engine): a proved reading is
evaluated at ≥ 20 worlds of the oracle's own, a refuted one at derive's counterexample world.
Prints a Markdown table: verdict counts (overall and per reading), wrongly proved, wrongly
refuted, the oracle's own truth against derive's verdicts, time per statement, and every wrong
verdict found.

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

from tests.oracle import harness


def soundness_table(count: int, seed: int, workers: int | None = None) -> str:
    """Markdown: the oracle's table for `count` generated statements from `seed`."""
    # derive's persistent cache of step checks would make a second run faster than the first:
    # the measurement gets a fresh one unless the caller chose a cache folder
    own_cache = "DERIVE_CACHE_DIR" not in os.environ
    if own_cache:
        os.environ["DERIVE_CACHE_DIR"] = tempfile.mkdtemp(prefix="derive-soundness-cache-")
    try:
        start = time.perf_counter()
        judgments = harness.run(count, seed, workers=workers)
        wall = time.perf_counter() - start
    finally:
        if own_cache:
            del os.environ["DERIVE_CACHE_DIR"]
    return harness.markdown(judgments, wall, seed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: ≤ 2)")
    args = parser.parse_args(argv)
    print(soundness_table(args.count, args.seed, args.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
