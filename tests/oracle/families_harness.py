r"""The judge for families, parameters, algebra and derivatives: run `derive.check` on statements
of `families` and hold every reading's verdict to the truth known by construction.

Per reading (a family statement has one truth for every reading derive gives it):

* **proved** where our truth is false — **wrongly proved** (the evidence: the witness world, where
  our evaluator sees the relation fail with no divisor zero, so no condition of a proof excludes it);
* **refuted** where our truth is true — **wrongly refuted**; and every counterexample derive gives
  is rebuilt from its report (parameters under `world.symbols`, `world.point` or `world.values`;
  sequences under `world.data`; probability vectors under `world.distributions`; logits under
  `world.logits`; entries `a_1`, `z_2`, … among the parameters) and the statement evaluated there
  by our evaluator: it must be in the parameters' domains (σ > 0, a probability parameter in
  (0, 1), n ≥ 1 an integer, a label in {0, 1}), satisfy the hypotheses, have both sides defined
  and fail by more than 1e-25·(1 + |lhs| + |rhs|). A parameter the world leaves out (derive may
  drop one that cancels) is filled in with 0, ±1 (1, 2 or ½ by its domain) and two drawn values,
  and the refutation stands only if all fail. Otherwise the refutation is **unconfirmed**:
  counted as wrongly refuted if our truth is true, and apart ("unconfirmed") when the statement
  is false but the world given is not a counterexample (outside a domain, a hypothesis failing,
  an unreadable world);
* **error** (derive cannot read the statement yet) — **unreadable**, not a failure.

`derive.check` is the only thing used from `derive`.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from . import families as fam
from . import families_ast as A
from . import families_reference as R
from .reference import fmt

OUTCOMES = ("confirmed", "wrongly proved", "wrongly refuted", "unconfirmed", "undecided", "unreadable")


@dataclass
class ReadingJudgment:
    setting: str
    verdict: str             # derive's
    outcome: str             # one of OUTCOMES
    reason: str = ""         # derive's
    evidence: dict | None = None


@dataclass
class Judgment:
    index: int
    latex: str
    family: str
    origin: str
    truth: bool
    verdict: str
    seconds: float
    readings: list = field(default_factory=list)
    message: str = ""

    @property
    def wrong(self) -> list:
        return [r for r in self.readings if r.outcome in ("wrongly proved", "wrongly refuted")]

    def describe(self) -> str:
        lines = [f"[{self.index}] {self.latex}",
                 f"    {self.family}, {self.origin}; our truth: {'true' if self.truth else 'false'}; derive: {self.verdict}"]
        for r in self.readings:
            lines.append(f"    {r.setting}: derive {r.verdict} -> {r.outcome}")
            if r.outcome in ("wrongly proved", "wrongly refuted", "unconfirmed"):
                lines.append(f"      derive's reason: {r.reason[:300]}")
                if r.evidence:
                    lines.append("      " + json.dumps(r.evidence, ensure_ascii=False)[:1500])
        if self.message:
            lines.append(f"    {self.message}")
        return "\n".join(lines)


def _value(x):
    return getattr(x, "value", x)


_ENTRY = re.compile(r"^([A-Za-z]+)_\{?(\d+)\}?$")


def _key(name: str) -> str:
    """derive's spelling of a parameter, as ours: "\\mu_{1}" → "mu_1"."""
    return name.replace("\\", "").replace("{", "").replace("}", "").strip()


def rebuild(stmt, world: dict) -> list[R.FWorld]:
    """Our worlds for derive's counterexample world: one, or two when a parameter is missing
    (filled in several ways). Raises ValueError for a world we cannot read."""
    if world is None and not (R.symbols_of(stmt) or R.names_of(stmt, "seq") or R.names_of(stmt, "vec")):
        world = {}                                  # a statement of constants needs no world
    if not isinstance(world, dict):
        raise ValueError("no world")
    raw = {_key(k): Fraction(str(v)) for part in ("symbols", "point", "values") for k, v in (world.get(part) or {}).items()}
    seqs = {_key(k): tuple(Fraction(str(v)) for v in vs) for part in ("sequences", "data")
            for k, vs in (world.get(part) or {}).items()}
    vecs = {_key(k): tuple(Fraction(str(v)) for v in vs) for part in ("vectors", "distributions", "logits")
            for k, vs in (world.get(part) or {}).items()}
    wanted_seqs, wanted_vecs = R.names_of(stmt, "seq"), R.names_of(stmt, "vec")
    syms = R.symbols_of(stmt)
    for name in sorted(wanted_seqs | wanted_vecs):          # entries spelled a_1, z_2 among the symbols
        entries = {int(m.group(2)): v for k, v in raw.items() if (m := _ENTRY.match(k)) and m.group(1) == name}
        if entries and name not in seqs and name not in vecs:
            if sorted(entries) != list(range(1, max(entries) + 1)):
                raise ValueError(f"the entries of {name} are not 1 … {max(entries)}")
            values = tuple(entries[i] for i in sorted(entries))
            (seqs if name in wanted_seqs else vecs)[name] = values
    symbols = {k: v for k, v in raw.items() if k in syms}
    categories = [len(vecs[v]) for v in sorted(wanted_vecs & set(A.PROB_VECTORS)) if v in vecs]
    if "n" in syms and categories:
        symbols["n"] = Fraction(categories[0])               # n: the number of categories
    elif "n" in syms and "n" not in symbols and "data_size" in world:
        symbols["n"] = Fraction(world["data_size"])          # derive's n: the number of data points
    missing = sorted(set(syms) - set(symbols))
    for name in sorted(wanted_seqs - set(seqs)) + sorted(wanted_vecs - set(vecs)):
        raise ValueError(f"the world does not give {name}")
    if not missing:
        return [R.FWorld(symbols, seqs, vecs)]
    bounds = {h.sym.name: (h.lo, h.hi) for h in stmt.hyps}
    rng = random.Random("fill-" + ",".join(missing))
    size = len(next(iter(vecs.values()), (0, 0)))
    out = []
    for k in range(len(SPECIAL["real"]) + 2):
        filled = dict(symbols)
        for name in missing:
            special = SPECIAL[syms[name].domain]
            filled[name] = special[k] if k < len(special) else \
                fam.draw_value(rng, syms[name].domain, *bounds.get(name, (None, None)), size)
        out.append(R.FWorld(filled, seqs, vecs))
    return out


#: Values a missing parameter is filled in with first (where terms most often coincide), then two
#: drawn ones: a world that leaves a parameter out is a counterexample only if it fails at all.
SPECIAL = {"real": (Fraction(0), Fraction(1), Fraction(-1)), "point": (Fraction(0), Fraction(1), Fraction(-1)),
           "positive": (Fraction(1), Fraction(2)), "prob": (Fraction(1, 2),), "count": (Fraction(1), Fraction(2)), "binary": (Fraction(0), Fraction(1)),
           "index": (Fraction(1),)}


class Judge:
    def judge(self, gen: fam.Generated) -> Judgment:
        import derive  # the one thing used from the engine: its public entry point

        start = time.perf_counter()
        try:
            verdict = derive.check(gen.latex)
        except Exception as exc:  # noqa: BLE001 — a crash is a finding, not a judge failure
            return Judgment(gen.index, gen.latex, gen.family, gen.origin, gen.truth, "exception",
                            time.perf_counter() - start, message=f"derive.check raised {type(exc).__name__}: {exc}"[:300])
        seconds = time.perf_counter() - start
        judgment = Judgment(gen.index, gen.latex, gen.family, gen.origin, gen.truth,
                            str(_value(verdict.outcome)), seconds)
        if judgment.verdict == "error":
            judgment.message = str(getattr(verdict, "error", "") or "")[:300]
            judgment.readings.append(ReadingJudgment("-", "error", "unreadable", judgment.message))
            return judgment
        readings = list(getattr(verdict, "readings", ()) or ())
        for reading in readings:
            judgment.readings.append(self.judge_reading(
                gen, str(_value(reading.setting)), str(_value(reading.outcome)),
                str(getattr(reading, "reason", "") or ""), getattr(reading, "counterexample", None)))
        if not readings:                             # a verdict without readings is judged whole
            judgment.readings.append(self.judge_reading(
                gen, "-", judgment.verdict, str(getattr(verdict, "reason", "") or ""),
                getattr(verdict, "counterexample", None)))
        return judgment

    def judge_reading(self, gen: fam.Generated, setting: str, verdict: str, reason: str, ce) -> ReadingJudgment:
        if verdict == "proved":
            if not gen.truth:
                a, b, status = R.evaluate(gen.stmt, gen.witness, strict=True)
                evidence = {"witness": gen.witness.to_json(), "lhs": fmt(a), "rhs": fmt(b), "relation": status}
                return ReadingJudgment(setting, verdict, "wrongly proved", reason, evidence)
            return ReadingJudgment(setting, verdict, "confirmed", reason)
        if verdict == "refuted":
            world = ce.get("world") if isinstance(ce, dict) else getattr(ce, "world", None)
            status, evidence = self.check_counterexample(gen, world)
            if status == "fails" and not gen.truth:
                return ReadingJudgment(setting, verdict, "confirmed", reason)
            if gen.truth:
                return ReadingJudgment(setting, verdict, "wrongly refuted", reason, evidence)
            return ReadingJudgment(setting, verdict, "unconfirmed", reason, evidence)
        if verdict == "undecided":
            return ReadingJudgment(setting, verdict, "undecided", reason)
        return ReadingJudgment(setting, verdict, "unreadable", reason)

    @staticmethod
    def check_counterexample(gen: fam.Generated, world) -> tuple[str, dict]:
        evidence: dict = {"world": world}
        named = {_key(k) for k in (world.get("symbols") or {})} if isinstance(world, dict) else set()
        extra = sorted(k for k in named - set(R.symbols_of(gen.stmt)) if not _ENTRY.match(k))
        if extra:                                    # a hint that derive read the statement otherwise
            evidence["names the statement does not have"] = extra
        try:
            worlds = rebuild(gen.stmt, world)
        except (ValueError, TypeError, ZeroDivisionError, KeyError) as exc:
            evidence["oracle"] = f"the world cannot be rebuilt: {exc}"
            return "bad world", evidence
        results = []
        for w in worlds:
            a, b, status = R.evaluate(gen.stmt, w)
            results.append({"at": w.to_json(), "lhs": fmt(a) if a is not None else None,
                            "rhs": fmt(b) if b is not None else None, "relation": status})
            if status != "fails":
                break
        evidence["oracle"] = results
        return results[-1]["relation"], evidence


# ---------------------------------------------------------------------------------------------
# running many


_GENS: list = []


def _judge_chunk(span):
    judge = Judge()
    return [judge.judge(gen) for gen in _GENS[span[0]:span[1]]]


def run(count: int, seed: int = 0, workers: int | None = None, gens=None) -> list:
    """Generate `count` statements (or judge `gens`) in `workers` processes (default ≤ 2)."""
    gens = gens if gens is not None else fam.generate(count, seed)
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1 or len(gens) < 20:
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
    verdicts: Counter = field(default_factory=Counter)       # per statement
    outcomes: Counter = field(default_factory=Counter)       # per reading
    per: Counter = field(default_factory=Counter)            # (family, truth, verdict) per statement
    origins: Counter = field(default_factory=Counter)
    wrong: list = field(default_factory=list)

    @classmethod
    def of(cls, judgments: list) -> Tally:
        t = cls()
        for j in judgments:
            t.statements += 1
            verdict = "unreadable" if j.verdict in ("error", "exception") else j.verdict
            t.verdicts[verdict] += 1
            t.per[(j.family, "true" if j.truth else "false", verdict)] += 1
            t.origins["true" if j.truth else "false"] += 1
            for r in j.readings:
                t.outcomes[r.outcome] += 1
                if r.verdict == "refuted" and r.outcome == "confirmed":
                    t.outcomes["refutation confirmed"] += 1
            if j.wrong or any(r.outcome == "unconfirmed" for r in j.readings):
                t.wrong.append(j)
        return t

    @property
    def wrongly_proved(self) -> int:
        return self.outcomes["wrongly proved"]

    @property
    def wrongly_refuted(self) -> int:
        return self.outcomes["wrongly refuted"]

    @property
    def unconfirmed(self) -> int:
        return self.outcomes["unconfirmed"]

    @property
    def refutations_confirmed(self) -> int:
        return self.outcomes["refutation confirmed"]


def markdown(judgments: list, wall: float, seed: int) -> str:
    t = Tally.of(judgments)
    n = t.statements
    times = sorted(j.seconds for j in judgments) or [0.0]
    lines = [
        (f"Families, parameters and derivatives (tests/oracle/families*.py): {n} generated statements, "
         f"seed {seed} — closed forms of families (entropy, cross entropy, KL of Gaussians, Bernoulli, "
         "uniform, categorical), their inequalities, identities under hypotheses on parameters, "
         "generic algebra (rational functions, power sums, sequences) and derivatives (polynomials, "
         "log, exp, logistic, softmax, Gaussian score), true by construction (closed forms derived by "
         "hand, held to quadrature in the tests), perturbations shown false at an exact world by our "
         "evaluator (mpmath, 50 digits; no code shared with the engine)."),
        "",
        "| | count |",
        "| --- | ---: |",
        f"| statements | {n} |",
        f"| true by construction / perturbed and shown false at a world | {t.origins['true']} / {t.origins['false']} |",
    ]
    for verdict in ("proved", "refuted", "undecided", "unreadable"):
        lines.append(f"| derive: {verdict} | {t.verdicts[verdict]} ({100 * t.verdicts[verdict] / max(n, 1):.1f} %) |")
    lines += [
        f"| **wrongly proved** (readings) | **{t.wrongly_proved}** |",
        f"| **wrongly refuted** (readings; a counterexample our evaluator does not confirm counts here) | **{t.wrongly_refuted}** |",
        f"| refutations confirmed at derive's counterexample world (readings) | {t.refutations_confirmed} |",
        f"| refutations of false statements whose world is not a counterexample (readings) | {t.unconfirmed} |",
        (f"| derive's time per statement: mean / median / 95th percentile | "
         f"{statistics.mean(times) * 1000:.0f} / {statistics.median(times) * 1000:.0f} / "
         f"{times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms |"),
        f"| wall time per statement (derive and oracle) | {wall / max(n, 1) * 1000:.0f} ms |",
        "",
        "| family | our truth | proved | refuted | undecided | unreadable |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for family in fam.FAMILIES:
        for truth in ("true", "false"):
            row = [t.per[(family, truth, v)] for v in ("proved", "refuted", "undecided", "unreadable")]
            if any(row):
                lines.append(f"| {family} | {truth} | " + " | ".join(map(str, row)) + " |")
    errors = Counter((j.message or "")[:90] for j in judgments if j.verdict in ("error", "exception"))
    if errors:
        lines += ["", "Unreadable today (derive's message; not verdicts):", "",
                  "| message | statements | e.g. |", "| --- | ---: | --- |"]
        for message, count in errors.most_common(8):
            example = next(j.latex for j in judgments if j.verdict in ("error", "exception")
                           and (j.message or "")[:90] == message)
            lines.append(f"| {message.replace('|', '/')} | {count} | `{example}` |")
    if t.wrong:
        lines += ["", f"Wrong or unconfirmed verdicts ({len(t.wrong)} statements):", "", "```"]
        lines += [j.describe() for j in t.wrong[:30]]
        if len(t.wrong) > 30:
            lines.append(f"… and {len(t.wrong) - 30} more")
        lines.append("```")
    return "\n".join(lines)
