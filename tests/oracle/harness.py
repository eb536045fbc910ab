"""The judge: run `derive.check` on generated statements and hold its verdicts to our evaluator.

Per reading that derive reports:

* **proved** — we evaluate both sides at our own exact worlds of that reading (at least 20); a
  world where both sides are defined and the relation fails by more than 1e-25·(1 + |a| + |b|)
  makes the statement **wrongly proved**;
* **refuted** — we rebuild derive's counterexample world and evaluate there; unless the relation
  clearly fails (both sides defined, by more than the same margin) it is **wrongly refuted**.
  A counterexample without a `"world"` is counted apart ("no world"), as is one whose reading
  is not one we give the statement ("not applicable").

We also keep our own truth per reading (false: a failing world found among ours, or derive's
counterexample confirmed by our evaluator; true: no failing world among ours, at ≥ 5 defined; else
unknown), so the report can say how many true statements were refuted or false ones proved. `derive.check` is the only thing used from `derive`.
"""

from __future__ import annotations

import copy
import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from . import grammar as g
from .reference import evaluate, fmt
from .worlds import (DISCRETE, BadWorld, Histogram, WorldPool, random_gaussian_mixture,
                     random_histogram, random_table, world_from_json)

MIN_WORLDS = 20          # a proved reading is checked at no fewer of our worlds than this
MIN_DEFINED = 5          # fewer defined worlds than this and our truth is "unknown"

OUTCOMES = ("confirmed", "wrongly proved", "wrongly refuted", "no world", "not applicable",
            "undecided", "error", "oracle failed")


@dataclass
class Truth:
    value: str                       # "true", "false", "unknown"
    worlds: int = 0
    defined: int = 0
    failing: dict | None = None      # the first failing world: {"world", "lhs", "rhs", "label"}


@dataclass
class ReadingJudgment:
    setting: str
    verdict: str                     # derive's verdict for this reading
    outcome: str                     # one of OUTCOMES
    truth: str                       # ours for this reading ("n/a" when not applicable)
    evidence: dict | None = None


@dataclass
class Judgment:
    index: int
    latex: str
    family: str
    origin: str
    verdict: str                     # derive's overall verdict ("exception" if check raised)
    seconds: float                   # derive's time
    readings: list = field(default_factory=list)
    message: str = ""
    oracle_seconds: float = 0.0      # ours: truth and counterexample checks

    @property
    def wrong(self) -> list:
        return [r for r in self.readings if r.outcome in ("wrongly proved", "wrongly refuted")]

    def describe(self) -> str:
        lines = [f"[{self.index}] {self.latex}", f"    family {self.family}, {self.origin}; "
                 f"derive: {self.verdict}"]
        for r in self.readings:
            lines.append(f"    {r.setting}: derive {r.verdict} -> {r.outcome} (our truth: {r.truth})")
            if r.outcome == "wrongly refuted" and r.truth == "false":
                lines.append("      (false elsewhere: the verdict is right, this counterexample is not)")
            if r.evidence and r.outcome in ("wrongly proved", "wrongly refuted"):
                lines.append("      " + json.dumps(r.evidence, ensure_ascii=False))
        if self.message:
            lines.append(f"    {self.message}")
        return "\n".join(lines)


class Judge:
    def __init__(self, seed: int = 0, pool: WorldPool | None = None):
        self.pool = pool or WorldPool(seed)
        self.truths: dict = {}
        self.ce_worlds: dict = {}    # derive's counterexample worlds, rebuilt once (values cached)

    # -- our own truth -------------------------------------------------------------------------

    def truth(self, gen: g.Generated, setting: str) -> Truth:
        key = (gen.stmt, setting)
        if key in self.truths:
            return self.truths[key]
        f = gen.features
        zeros = frozenset(f.names - f.positive)
        worlds = self.pool.worlds(setting, zeros, index_data=f.n_kind == "both")
        out = Truth("unknown")
        for world in worlds:
            a, b, status = evaluate(gen.stmt, world, f.n_kind)
            out.worlds += 1
            if status in ("holds", "fails"):
                out.defined += 1
            if status == "fails":
                out.value = "false"
                out.failing = {"world": world.to_json(), "label": world.label,
                               "lhs": fmt(a), "rhs": fmt(b)}
                break
        if out.value == "unknown" and out.defined >= MIN_DEFINED:
            out.value = "true"
        assert out.value == "false" or out.worlds >= MIN_WORLDS, (gen.latex, setting, out.worlds)
        self.truths[key] = out
        return out

    # -- derive's verdicts -------------------------------------------------------------------

    def judge(self, gen: g.Generated, seed: int = 0) -> Judgment:
        import derive  # the one thing used from the engine: its public entry point

        start = time.perf_counter()
        try:
            result = derive.check(gen.latex, seed=seed).to_json()
        except Exception as exc:  # noqa: BLE001 — a crash is a finding, not a judge failure
            seconds = time.perf_counter() - start
            return Judgment(gen.index, gen.latex, gen.family, gen.origin, "exception", seconds,
                            message=f"derive.check raised {type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - start
        judgment = Judgment(gen.index, gen.latex, gen.family, gen.origin,
                            str(result.get("verdict")), seconds)
        if result.get("verdict") == "error":
            judgment.message = str(result.get("error") or result.get("detail") or "")[:300]
        top_ce = result.get("counterexample")
        start = time.perf_counter()
        for reading in result.get("readings") or []:
            judgment.readings.append(self.judge_reading(gen, reading, top_ce))
        judgment.oracle_seconds = time.perf_counter() - start
        return judgment

    def judge_reading(self, gen: g.Generated, reading: dict, top_ce) -> ReadingJudgment:
        setting, verdict = reading.get("setting"), reading.get("verdict")
        if setting not in gen.features.settings:
            return ReadingJudgment(str(setting), str(verdict), "not applicable", "n/a")
        truth = self.truth(gen, setting)
        if verdict == "proved":
            if truth.value == "false":
                return ReadingJudgment(setting, verdict, "wrongly proved", truth.value, truth.failing)
            return ReadingJudgment(setting, verdict, "confirmed", truth.value)
        if verdict == "refuted":
            ce = reading.get("counterexample")
            if ce is None and isinstance(top_ce, dict) and top_ce.get("setting") == setting:
                ce = top_ce
            if not isinstance(ce, dict) or "world" not in ce:
                return ReadingJudgment(setting, verdict, "no world", truth.value,
                                       {"counterexample": ce})
            return self.check_counterexample(gen, setting, ce, truth)
        if verdict == "undecided":
            return ReadingJudgment(setting, str(verdict), "undecided", truth.value)
        return ReadingJudgment(setting, str(verdict), "error", truth.value)

    def check_counterexample(self, gen, setting, ce, truth) -> ReadingJudgment:
        f = gen.features
        evidence = {"world": ce.get("world"), "derive": {"lhs": ce.get("lhs"), "rhs": ce.get("rhs")}}
        try:
            key = (setting, json.dumps(ce["world"], sort_keys=True))
            if key not in self.ce_worlds:
                self.ce_worlds[key] = world_from_json(ce["world"], setting)
            world = self.ce_worlds[key]
            absent = sorted(name for name in f.names if not world.has(name))
            missing = self.missing(gen, world, ignore=absent)
            if missing:
                raise BadWorld(missing)
        except BadWorld as exc:
            evidence["oracle"] = f"the world cannot be rebuilt: {exc}"
            return ReadingJudgment(setting, "refuted", "wrongly refuted", truth.value, evidence)
        # a distribution the statement mentions but the world leaves out (derive may drop one
        # that cancels): the refutation stands only if it fails however we fill it in
        results = []
        for filled in completions(world, absent, seed=gen.index):
            a, b, status = evaluate(gen.stmt, filled, f.n_kind)
            results.append({"lhs": fmt(a), "rhs": fmt(b), "relation": status})
            if status != "fails":
                break
        evidence["oracle"] = results[-1] if len(results) == 1 else {
            "filled in": absent, "evaluations": results}
        status = results[-1]["relation"]
        if status == "oracle-failed":
            return ReadingJudgment(setting, "refuted", "oracle failed", truth.value, evidence)
        if status == "fails":
            # our evaluator confirms a failing world: the statement is false in this reading,
            # even if none of our own worlds showed it
            return ReadingJudgment(setting, "refuted", "confirmed", "false")
        return ReadingJudgment(setting, "refuted", "wrongly refuted", truth.value, evidence)

    @staticmethod
    def missing(gen: g.Generated, world, ignore=()) -> str:
        """What the statement needs that the counterexample world does not give."""
        f = gen.features
        for name in sorted(f.names):
            if not world.has(name) and name not in ignore:
                return f"no distribution {name}"
        nodes = [n for _, _, n in g.stmt_nodes(gen.stmt)]
        if f.pointwise and world.point is None:
            return "no point x"
        if any(isinstance(n, (g.AtData,)) or (isinstance(n, (g.ISum, g.IProd)) and n.kind == "data")
               for n in nodes) or f.n_kind == "data":
            if world.data_size is None or len(world.data) != world.data_size:
                return "no data set of the stated size"
        if f.n_kind in ("cat", "both") or any(isinstance(n, g.Idx) for n in nodes):
            if world.setting != DISCRETE or world.support_size is None:
                return "no support size"
        if f.n_kind == "both" and world.data_size != world.support_size:
            return "data size differs from support size"
        return ""


def completions(world, absent: list, seed: int):
    """The world itself, or copies with the absent distributions filled in: uniform (discrete) or
    like one present density (continuous), then two random positive choices."""
    if not absent:
        yield world
        return
    rng = random.Random(f"fill-{seed}")
    for k in range(3):
        filled = copy.copy(world)
        filled.cache = {}
        filled.distributions, filled.densities = dict(world.distributions), dict(world.densities)
        for name in absent:
            if world.setting == DISCRETE:
                n = world.support_size or 2
                filled.support_size = n
                filled.distributions[name] = random_table(rng, n, "uniform" if k == 0 else "positive")
            else:
                present = next(iter(world.densities.values()), None)
                if k == 0 and present is not None:
                    filled.densities[name] = present
                elif isinstance(present, Histogram):
                    filled.densities[name] = random_histogram(rng, present.edges[0], present.edges[-1], False)
                else:
                    filled.densities[name] = random_gaussian_mixture(rng)
        yield filled


# ---------------------------------------------------------------------------------------------
# running many


_PROCESS_JUDGE: dict = {}     # one Judge per worker process (and seed): its caches live on


def _judge_chunk(args):
    gens, seed = args
    judge = _PROCESS_JUDGE.get(seed)
    if judge is None:
        judge = _PROCESS_JUDGE[seed] = Judge(seed)
    return [judge.judge(gen) for gen in gens]


def run(count: int, seed: int = 0, workers: int | None = None, progress=None) -> list:
    """Generate `count` statements and judge them, in `workers` processes (default: cores, at
    most 2). Statements are sorted by family and handed out in small consecutive chunks, so that
    each process reuses its cached values and both stay busy."""
    gens = g.generate(count, seed)
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1:
        judge = Judge(seed)
        out = []
        for k, gen in enumerate(gens):
            out.append(judge.judge(gen))
            if progress and k % 500 == 499:
                progress(k + 1)
        return out
    import multiprocessing

    ordered = sorted(gens, key=lambda x: (x.family, x.latex))
    size = max(1, len(ordered) // (workers * 12))
    chunks = [ordered[k:k + size] for k in range(0, len(ordered), size)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = pool.map(_judge_chunk, [(c, seed) for c in chunks], chunksize=1)
    judgments = [j for part in parts for j in part]
    return sorted(judgments, key=lambda j: j.index)


@dataclass
class Tally:
    statements: int = 0
    verdicts: Counter = field(default_factory=Counter)          # derive's overall verdicts
    readings: Counter = field(default_factory=Counter)          # (setting, derive verdict)
    outcomes: Counter = field(default_factory=Counter)          # per reading
    truth_vs_verdict: Counter = field(default_factory=Counter)  # (our truth, derive verdict)
    families: Counter = field(default_factory=Counter)
    origins: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    oracle_seconds: float = 0.0
    wrong: list = field(default_factory=list)

    @classmethod
    def of(cls, judgments: list) -> Tally:
        t = cls()
        for j in judgments:
            t.statements += 1
            t.verdicts[j.verdict] += 1
            t.families[j.family] += 1
            t.origins["true template" if j.origin == "true-template" else "perturbed"] += 1
            t.seconds += j.seconds
            t.oracle_seconds += j.oracle_seconds
            for r in j.readings:
                t.readings[(r.setting, r.verdict)] += 1
                t.outcomes[r.outcome] += 1
                t.truth_vs_verdict[(r.truth, r.verdict)] += 1
            if j.wrong:
                t.wrong.append(j)
        return t

    @property
    def wrongly_proved(self) -> int:
        return self.outcomes["wrongly proved"]

    @property
    def wrongly_refuted(self) -> int:
        return self.outcomes["wrongly refuted"]


# ---------------------------------------------------------------------------------------------
# the report


def _workers() -> int:
    return min(2, os.cpu_count() or 1)


def _pct(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.1f} %)" if whole else str(part)


def markdown(judgments: list, wall: float, seed: int) -> str:
    """The soundness table (Markdown) of a run."""
    import statistics

    t = Tally.of(judgments)
    n = t.statements
    times = sorted(j.seconds for j in judgments) or [0.0]
    lines = [
        f"Independent soundness oracle (tests/oracle/): {n} generated statements, seed {seed}; "
        "each verdict held to a reference evaluator written from the definitions (mpmath, "
        "exact rational worlds; shares no code with the engine).",
        "",
        "| | count |",
        "| --- | ---: |",
        f"| statements | {n} |",
        f"| from a true template / perturbed | {t.origins['true template']} / {t.origins['perturbed']} |",
    ]
    for verdict in ("proved", "refuted", "undecided", "error", "exception"):
        lines.append(f"| derive: {verdict} | {_pct(t.verdicts[verdict], n)} |")
    lines += [
        f"| **wrongly proved** (readings) | **{t.wrongly_proved}** |",
        f"| **wrongly refuted** (readings) | **{t.wrongly_refuted}** |",
        f"| refutations confirmed at derive's counterexample world | "
        f"{sum(1 for j in judgments for r in j.readings if r.verdict == 'refuted' and r.outcome == 'confirmed')} |",
        f"| proofs confirmed at ≥ {MIN_WORLDS} of our worlds | "
        f"{sum(1 for j in judgments for r in j.readings if r.verdict == 'proved' and r.outcome == 'confirmed')} |",
        f"| counterexample without a world | {t.outcomes['no world']} |",
        f"| reading we do not give the statement | {t.outcomes['not applicable']} |",
        f"| our evaluator could not decide (quadrature) | {t.outcomes['oracle failed']} |",
        f"| derive's time per statement: mean / median / 95th percentile | "
        f"{statistics.mean(times) * 1000:.0f} / {statistics.median(times) * 1000:.0f} / "
        f"{times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms |",
        f"| oracle's time per statement (mean) | {t.oracle_seconds / max(n, 1) * 1000:.0f} ms |",
        f"| wall time per statement (derive and oracle, {_workers()} processes) | "
        f"{wall / max(n, 1) * 1000:.0f} ms |",
        "",
        "Per reading — derive's verdict against our truth (false: a world where the relation "
        "fails, ours or derive's confirmed by us; true: none among ≥ 20 of ours):",
        "",
        "| reading | derive | ours true | ours false | ours unknown |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    per = Counter()
    for j in judgments:
        for r in j.readings:
            per[(r.setting, r.verdict, r.truth)] += 1
    for setting in ("discrete", "continuous"):
        for verdict in ("proved", "refuted", "undecided", "error"):
            row = [per[(setting, verdict, truth)] for truth in ("true", "false", "unknown")]
            if any(row):
                lines.append(f"| {setting} | {verdict} | {row[0]} | {row[1]} | {row[2]} |")
    lines += ["", "Generated statements by family:", "",
              "| family | statements |", "| --- | ---: |"]
    for family, count in sorted(t.families.items()):
        lines.append(f"| {family} | {count} |")
    crashes = Counter(j.message.split(" at 0x")[0][:120] for j in judgments if j.verdict == "exception")
    if crashes:
        lines += ["", "derive.check raised (not a verdict; counted as exception above):", "",
                  "| exception | statements | e.g. |", "| --- | ---: | --- |"]
        for message, count in crashes.most_common():
            example = next(j.latex for j in judgments if j.verdict == "exception"
                           and j.message.split(" at 0x")[0][:120] == message)
            lines.append(f"| {message.replace('|', '/')} | {count} | `{example}` |")
    missed = [j for j in judgments if any(r.verdict == "undecided" and r.truth == "false" for r in j.readings)]
    if missed:
        lines += ["", f"False in a reading but left undecided there ({len(missed)} statements; not "
                  "unsound, a refutation missed), for example:", ""]
        lines += [f"- `{j.latex}` ({', '.join(r.setting for r in j.readings if r.verdict == 'undecided' and r.truth == 'false')})"
                  for j in missed[:8]]
    if t.wrong:
        lines += ["", f"Wrong verdicts ({len(t.wrong)} statements):", "", "```"]
        for j in t.wrong[:40]:
            lines.append(j.describe())
        if len(t.wrong) > 40:
            lines.append(f"… and {len(t.wrong) - 40} more")
        lines.append("```")
    return "\n".join(lines)
