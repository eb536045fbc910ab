r"""The judge for random variables: run `derive.check` on statements of `information` and hold each
reading's verdict to the truth we know by construction (and to our evaluator).

Per reading (discrete, continuous):

* **proved** where our truth is false — **wrongly proved** (the evidence: the world where our
  evaluator sees it fail, or the argument: unbalanced, Chan's theorem);
* **refuted** where our truth is true — **wrongly refuted**; and every counterexample world derive
  gives (a table or a Gaussian) is rebuilt and the statement evaluated there with the hypotheses
  checked exactly: unless it fails by more than 1e-25·(1 + |lhs| + |rhs|) (our values are exact to
  ~45 digits) the refutation is also **wrongly refuted**
  (the counterexample is not one, whatever the truth). A variable the world leaves out (derive may
  drop one that cancels) is filled in as independent of the rest, two ways; the refutation stands
  only if both fail. A refutation without a world is counted apart ("no world");
* a reading whose truth we do not know (a continuous one under hypotheses) is judged only by its
  counterexample.

`derive.check` is the only thing used from `derive`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from . import information as inf
from . import information_reference as ref
from .reference import fmt

SETTINGS = ("discrete", "continuous")


def truth_word(value) -> str:
    return {True: "true", False: "false", None: "unknown"}[value]


@dataclass
class ReadingJudgment:
    setting: str
    verdict: str             # derive's
    outcome: str             # confirmed, wrongly proved, wrongly refuted, no world, undecided, error, missing
    truth: str               # ours: true, false, unknown
    reason: str = ""         # derive's
    evidence: dict | None = None


@dataclass
class Judgment:
    index: int
    latex: str
    family: str
    origin: str
    verdict: str
    seconds: float
    readings: list = field(default_factory=list)
    message: str = ""
    oracle_seconds: float = 0.0

    @property
    def wrong(self) -> list:
        return [r for r in self.readings if r.outcome in ("wrongly proved", "wrongly refuted")]

    def describe(self) -> str:
        lines = [f"[{self.index}] {self.latex}", f"    family {self.family}, {self.origin}; derive: {self.verdict}"]
        for r in self.readings:
            lines.append(f"    {r.setting}: derive {r.verdict} -> {r.outcome} (our truth: {r.truth})")
            if r.outcome in ("wrongly proved", "wrongly refuted"):
                lines.append(f"      derive's reason: {r.reason[:300]}")
                if r.evidence:
                    lines.append("      " + json.dumps(r.evidence, ensure_ascii=False)[:1500])
        if self.message:
            lines.append(f"    {self.message}")
        return "\n".join(lines)


def _value(x):
    return getattr(x, "value", x)


def _world_entry(world: dict):
    """The joint distribution in derive's counterexample world (`p`, else the only entry)."""
    if not isinstance(world, dict) or not world:
        return None
    if "p" in world:
        return world["p"]
    return next(iter(world.values()))


def completions(world, missing, seed: int):
    """The world, or with the missing variables added independent of the rest (uniform bits, then
    a biased ternary / an independent unit-then-scaled normal)."""
    if not missing:
        yield world
        return
    rng = random.Random(f"fill-{seed}")
    for k in range(2):
        if isinstance(world, ref.Table):
            probs = dict(world.probs)
            for _ in missing:
                dist = [Fraction(1, 2), Fraction(1, 2)] if k == 0 else \
                    [Fraction(w, 10) for w in (rng.choice(((1, 2, 7), (5, 3, 2), (1, 1, 8))))]
                probs = {o + (j,): p * q for o, p in probs.items() for j, q in enumerate(dist)}
            yield ref.Table(world.variables + tuple(missing), probs, "derive, filled in")
        else:
            n, m = len(world.variables), len(missing)
            cov = [list(r) + [Fraction(0)] * m for r in world.cov]
            for j in range(m):
                cov.append([Fraction(0)] * (n + m))
                cov[n + j][n + j] = Fraction(1) if k == 0 else Fraction(rng.randint(1, 9), rng.randint(1, 9))
            yield ref.Gaussian(world.variables + tuple(missing), cov, "derive, filled in")


class Judge:
    def judge(self, gen: inf.Generated, seed: int = 0) -> Judgment:
        import derive  # the one thing used from the engine: its public entry point

        start = time.perf_counter()
        try:
            verdict = derive.check(gen.latex)
        except Exception as exc:  # noqa: BLE001 — a crash is a finding, not a judge failure
            return Judgment(gen.index, gen.latex, gen.family, gen.origin, "exception",
                            time.perf_counter() - start, message=f"derive.check raised {type(exc).__name__}: {exc}"[:300])
        seconds = time.perf_counter() - start
        judgment = Judgment(gen.index, gen.latex, gen.family, gen.origin, str(_value(verdict.outcome)), seconds)
        if judgment.verdict == "error":
            judgment.message = str(getattr(verdict, "error", "") or "")[:300]
        start = time.perf_counter()
        seen = set()
        for reading in getattr(verdict, "readings", ()) or ():
            setting = str(_value(reading.setting))
            seen.add(setting)
            judgment.readings.append(self.judge_reading(
                gen, setting, str(_value(reading.outcome)), str(getattr(reading, "reason", "") or ""),
                getattr(reading, "counterexample", None)))
        judgment.oracle_seconds = time.perf_counter() - start
        return judgment

    def judge_reading(self, gen: inf.Generated, setting: str, verdict: str, reason: str, ce) -> ReadingJudgment:
        truth = gen.truth.get(setting)
        word = truth_word(truth)
        if verdict == "proved":
            if truth is False:
                evidence = {"why": gen.why.get(setting, "")}
                w = gen.witness.get(setting)
                if w is not None:
                    a, b, status = ref.evaluate(gen.stmt, w)
                    evidence.update({"world": w.to_json(), "lhs": fmt(a), "rhs": fmt(b), "relation": status})
                return ReadingJudgment(setting, verdict, "wrongly proved", word, reason, evidence)
            return ReadingJudgment(setting, verdict, "confirmed", word, reason)
        if verdict == "refuted":
            world = getattr(ce, "world", None) if ce is not None else None
            if isinstance(ce, dict):
                world = ce.get("world")
            entry = _world_entry(world)
            if entry is None:
                if truth is True:
                    return ReadingJudgment(setting, verdict, "wrongly refuted", word, reason,
                                           {"counterexample": None, "why true": gen.why.get(setting, "")})
                return ReadingJudgment(setting, verdict, "no world", word, reason)
            status, evidence = self.check_counterexample(gen, entry)
            if status != "fails" or truth is True:
                evidence["why true"] = gen.why.get(setting, "") if truth else ""
                return ReadingJudgment(setting, verdict, "wrongly refuted", word, reason, evidence)
            return ReadingJudgment(setting, verdict, "confirmed", word, reason)
        if verdict == "undecided":
            return ReadingJudgment(setting, verdict, "undecided", word, reason)
        return ReadingJudgment(setting, verdict, "error", word, reason)

    @staticmethod
    def check_counterexample(gen: inf.Generated, entry) -> tuple[str, dict]:
        evidence: dict = {"world": entry}
        try:
            world = ref.world_from_json(entry)
        except Exception as exc:  # noqa: BLE001 — an unreadable world is no counterexample
            evidence["oracle"] = f"the world cannot be rebuilt: {type(exc).__name__}: {exc}"
            return "bad world", evidence
        missing = sorted(gen.stmt.names - set(world.variables))
        results = []
        for filled in completions(world, missing, gen.index):
            a, b, status = ref.evaluate(gen.stmt, filled, margin="confirm")
            results.append({"lhs": fmt(a) if a is not None else None, "rhs": fmt(b) if b is not None else None,
                            "relation": status})
            if status != "fails":
                break
        evidence["oracle"] = results[-1] if len(results) == 1 else {"filled in": missing, "evaluations": results}
        return results[-1]["relation"], evidence


# ---------------------------------------------------------------------------------------------
# running many


_PROCESS_JUDGE: dict = {}
_GENS: list = []         # the statements, inherited by the forked workers (their worlds hold mpf caches)


def _judge_chunk(span):
    judge = _PROCESS_JUDGE.get(0)
    if judge is None:
        judge = _PROCESS_JUDGE[0] = Judge()
    return [judge.judge(gen) for gen in _GENS[span[0]:span[1]]]


def run(count: int, seed: int = 0, workers: int | None = None, gens=None) -> list:
    """Generate `count` statements (or judge `gens`) in `workers` processes (default ≤ 2)."""
    gens = gens if gens is not None else inf.generate(count, seed)
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1:
        judge = Judge()
        return [judge.judge(g) for g in gens]
    import multiprocessing

    _GENS[:] = gens
    size = max(1, len(gens) // (workers * 12))
    spans = [(k, k + size) for k in range(0, len(gens), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_judge_chunk, spans, chunksize=1)
    finally:
        _GENS[:] = []
    return sorted((j for part in parts for j in part), key=lambda j: j.index)


@dataclass
class Tally:
    statements: int = 0
    verdicts: Counter = field(default_factory=Counter)
    per: Counter = field(default_factory=Counter)         # (setting, our truth, derive verdict)
    outcomes: Counter = field(default_factory=Counter)
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
            t.origins["true" if j.origin.startswith("true") else "perturbed"] += 1
            t.seconds += j.seconds
            t.oracle_seconds += j.oracle_seconds
            for r in j.readings:
                t.per[(r.setting, r.truth, r.verdict)] += 1
                t.outcomes[r.outcome] += 1
            if j.wrong:
                t.wrong.append(j)
        return t

    @property
    def wrongly_proved(self) -> int:
        return self.outcomes["wrongly proved"]

    @property
    def wrongly_refuted(self) -> int:
        return self.outcomes["wrongly refuted"]

    def share(self, setting: str, truth: str, verdict: str) -> tuple[int, int]:
        """(readings of that truth with that verdict, readings of that truth)."""
        whole = sum(v for (s, t, _), v in self.per.items() if s == setting and t == truth)
        return self.per[(setting, truth, verdict)], whole


def _pct(part: int, whole: int) -> str:
    return f"{part} / {whole} ({100 * part / whole:.1f} %)" if whole else f"{part} / 0"


def markdown(judgments: list, wall: float, seed: int) -> str:
    t = Tally.of(judgments)
    n = t.statements
    times = sorted(j.seconds for j in judgments) or [0.0]
    confirmed_ce = sum(1 for j in judgments for r in j.readings if r.verdict == "refuted" and r.outcome == "confirmed")
    lines = [
        (f"Random variables (tests/oracle/information*.py): {n} generated statements, seed {seed} — "
         "identities and Shannon inequalities true by construction (our own reduction to joint "
         "entropies), perturbations shown false at exact tables by our evaluator (mpmath; no code "
         "shared with the engine); truth kept per reading."),
        "",
        "| | count |",
        "| --- | ---: |",
        f"| statements | {n} |",
        (f"| true by construction / false (perturbed, or known) and shown false at a table | "
         f"{t.origins['true']} / {t.origins['perturbed']} |"),
    ]
    for verdict in ("proved", "refuted", "undecided", "error", "exception"):
        lines.append(f"| derive: {verdict} | {t.verdicts[verdict]} ({100 * t.verdicts[verdict] / max(n, 1):.1f} %) |")
    lines += [
        f"| **wrongly proved** (readings) | **{t.wrongly_proved}** |",
        f"| **wrongly refuted** (readings; a counterexample our evaluator does not confirm counts here) | **{t.wrongly_refuted}** |",
        f"| refutations confirmed at derive's counterexample world | {confirmed_ce} |",
        f"| refutations without a world | {t.outcomes['no world']} |",
    ]
    for setting in SETTINGS:
        lines.append(f"| {setting}: true readings proved | {_pct(*t.share(setting, 'true', 'proved'))} |")
        lines.append(f"| {setting}: false readings refuted | {_pct(*t.share(setting, 'false', 'refuted'))} |")
    lines += [
        (f"| derive's time per statement: mean / median / 95th percentile | "
         f"{statistics.mean(times) * 1000:.0f} / {statistics.median(times) * 1000:.0f} / "
         f"{times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms |"),
        (f"| wall time per statement (derive and oracle, {min(2, os.cpu_count() or 1)} processes) | "
         f"{wall / max(n, 1) * 1000:.0f} ms |"),
        "",
        "| reading | our truth | proved | refuted | undecided | error |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for setting in SETTINGS:
        for truth in ("true", "false", "unknown"):
            row = [t.per[(setting, truth, v)] for v in ("proved", "refuted", "undecided", "error")]
            if any(row):
                lines.append(f"| {setting} | {truth} | " + " | ".join(map(str, row)) + " |")
    lines += ["", "| family | statements |", "| --- | ---: |"]
    for family, count in sorted(t.families.items()):
        lines.append(f"| {family} | {count} |")
    errors = Counter((j.message or "")[:100] for j in judgments if j.verdict in ("error", "exception"))
    if errors:
        lines += ["", "Errors and exceptions (not verdicts):", "", "| message | statements | e.g. |", "| --- | ---: | --- |"]
        for message, count in errors.most_common(8):
            example = next(j.latex for j in judgments if j.verdict in ("error", "exception") and (j.message or "")[:100] == message)
            lines.append(f"| {message.replace('|', '/')} | {count} | `{example}` |")
    missed = [(j, r) for j in judgments for r in j.readings if r.verdict == "undecided" and r.truth in ("true", "false")]
    if missed:
        lines += ["", (f"Left undecided where our truth is known ({len(missed)} readings; not "
                       "unsound), for example:"), ""]
        lines += [f"- `{j.latex}` ({r.setting}, {r.truth})" for j, r in missed[:8]]
    if t.wrong:
        lines += ["", f"Wrong verdicts ({len(t.wrong)} statements):", "", "```"]
        lines += [j.describe() for j in t.wrong[:40]]
        if len(t.wrong) > 40:
            lines.append(f"… and {len(t.wrong) - 40} more")
        lines.append("```")
    return "\n".join(lines)
