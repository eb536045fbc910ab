"""The Shannon-type prover (derive/checking/symbolic/shannon.py) against psitip and a float LP.

    python benchmarks/shannon.py            # prints the Markdown section (about a minute)
    python benchmarks/shannon.py --splice   # ... and puts it into benchmarks/RESULTS.md

1. Every statement of benchmarks/inequalities.py (textbook Shannon-type inequalities and
   identities of 3–6 variables, false ones, near misses, Zhang–Yeung, Ingleton), decided by
   - ours: `prove_nonnegative` / `prove_equal_zero` (an exact rational certificate), then, when
     that fails, `find_counterexample` (a joint distribution that violates the statement);
   - psitip 1.1.7 (Ho, Ling, Tan, Yeung), in its own venv, run as a subprocess: `bool(region)`,
     which only proves ("True") or says false-or-not-provable ("False");
   - a reference LP in the ITIP style: minimize the target over the cone of the elemental
     inequalities (and the hypotheses), the entropy vector boxed in [0, 1], SciPy's HiGHS, and
     "proved" when the minimum is ≥ −1e-7: floats and a tolerance, no exact certificate.
   Every certificate and counterexample of ours is checked again here by code that shares
   nothing with the prover (the elementals rebuilt from their names; entropies of the
   distribution computed from its probabilities).
2. The scaling: Han's inequality (n − 1)·H(X1..Xn) ≤ Σ_i H(X1..Xn without Xi) for n = 2, 3, …:
   the number of elemental inequalities n + C(n, 2)·2^(n−2), the program's rows × columns, the
   time of the LP and of the exact certificate, the reference LP's and psitip's time; up to the
   first n at which ours takes more than 10 s.

psitip's venv is made when missing (`python -m venv`, pip install of pinned versions) at
$PSITIP_VENV, default ~/.cache/derive-benchmarks/psitip-1.1.7.  psitip declares torch and pycddlib
as dependencies; neither is used to prove a linear information inequality (psitip imports every
dependency optionally), torch is gigabytes and pycddlib 3 compiles against cddlib's C headers that
a plain machine lacks, so psitip is installed with --no-deps next to NumPy, SciPy and OR-Tools
(GLOP, psitip's first-choice LP solver).

Run with psitip's python and --psitip-worker, this file is the worker: it reads statements as
JSON on stdin and answers with psitip's verdicts and times (standard library and psitip only).
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.inequalities import STATEMENTS, Form, encode, han

PSITIP = "psitip==1.1.7"
#: psitip's runtime needs (pinned): it imports every dependency optionally.
PSITIP_NEEDS = ("numpy==2.4.6", "scipy==1.17.1", "ortools==9.15.6755")
PSITIP_VENV = Path(os.environ.get("PSITIP_VENV",
                                  Path.home() / ".cache" / "derive-benchmarks" / "psitip-1.1.7"))
#: The budget, per statement and per size of the scaling table.
SECONDS = 10.0
#: The reference LP calls a minimum ≥ −REFERENCE_TOLERANCE zero (HiGHS' feasibility tolerance).
REFERENCE_TOLERANCE = 1e-7
REPEATS = 3
#: `derive check`'s time limit (derive/proofs/statements.py), given here to the tables reading.
CHECK_LIMIT = 20.0


# ---- psitip, in its own venv --------------------------------------------------------------------

def psitip_python() -> tuple[Path | None, str]:
    """The psitip venv's python (made when missing), or None and exactly why not."""
    python = PSITIP_VENV / "bin" / "python"
    probe = [str(python), "-c", "import psitip, ortools; print(psitip.iutil.get_solver())"]
    if python.exists():
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return python, done.stdout.strip()
    steps = [[sys.executable, "-m", "venv", str(PSITIP_VENV)],
             [str(python), "-m", "pip", "install", "-q", "--no-deps", PSITIP],
             [str(python), "-m", "pip", "install", "-q", *PSITIP_NEEDS]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return None, f"`{' '.join(step[2:])}` failed: " + (done.stderr.strip()
                                                               .splitlines() or ["?"])[-1]
    done = subprocess.run(probe, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None, "psitip installed but does not import: " + (
            done.stderr.strip().splitlines() or ["?"])[-1]
    return python, done.stdout.strip()


def run_psitip(python: Path, job: dict, timeout: float = 900) -> dict:
    done = subprocess.run([str(python), str(Path(__file__).resolve()), "--psitip-worker"],
                          input=json.dumps(job), capture_output=True, text=True, timeout=timeout,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"psitip worker failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def psitip_worker() -> None:
    """psitip's side: {"statements": [...], "repeats": k} → verdicts and median times."""
    import warnings
    warnings.simplefilter("ignore")
    import psitip
    job = json.load(sys.stdin)
    variables: dict[str, object] = {}

    def variable(name):
        if name not in variables:
            variables[name] = psitip.rv(name)
        return variables[name]

    def expression(terms):
        result = 0
        for names, coefficient in terms:
            joint = variable(names[0])
            for name in names[1:]:
                joint = joint + variable(name)
            c = Fraction(coefficient)
            result = result + (int(c) if c.denominator == 1 else float(c)) * psitip.H(joint)
        return result

    def region(statement):
        target = expression(statement["target"])
        claim = target == 0 if statement["relation"] == "==" else target >= 0
        if not statement["hypotheses"]:
            return claim
        given = None
        for hypothesis in statement["hypotheses"]:
            condition = expression(hypothesis) == 0
            given = condition if given is None else given & condition
        return given >> claim

    bool(region({"target": [[["W1", "W2"], "1"], [["W1"], "-1"]], "relation": ">=",
                 "hypotheses": []}))   # warm-up
    answers = []
    for statement in job["statements"]:
        times, verdicts = [], set()
        for _ in range(job.get("repeats", 1)):
            start = time.perf_counter()
            verdicts.add(bool(region(statement)))
            times.append(time.perf_counter() - start)
        answers.append({"proved": verdicts == {True}, "stable": len(verdicts) == 1,
                        "seconds": statistics.median(times)})
    json.dump({"answers": answers, "solver": psitip.iutil.get_solver()}, sys.stdout)


# ---- the reference LP: floats, ITIP style -------------------------------------------------------

def elemental_matrix(n: int):
    """The elemental inequalities of n variables as a sparse matrix over the 2^n − 1 nonempty
    subsets (column = bitmask − 1), written here independently of the prover."""
    import numpy as np
    from scipy.sparse import csr_matrix
    full = (1 << n) - 1
    rows, cols, values, row = [], [], [], 0
    for i in range(n):
        rows += [row, row]
        cols += [full - 1, (full ^ (1 << i)) - 1]
        values += [1.0, -1.0]
        row += 1
    for i in range(n):
        for j in range(i + 1, n):
            others = full ^ (1 << i) ^ (1 << j)
            given = others
            while True:
                for subset, value in ((given | 1 << i, 1.0), (given | 1 << j, 1.0),
                                      (given | 1 << i | 1 << j, -1.0), (given, -1.0)):
                    if subset:
                        rows.append(row)
                        cols.append(subset - 1)
                        values.append(value)
                row += 1
                if given == 0:
                    break
                given = (given - 1) & others
    return csr_matrix((np.array(values), (np.array(rows), np.array(cols))), shape=(row, full))


def reference_proves(target: Form, relation: str, hypotheses=(), seconds: float = SECONDS) -> bool:
    """min target·h over {h : elementals ≥ 0, hypotheses = 0, 0 ≤ h ≤ 1} ≥ −tolerance, for
    target and (for ==) −target (not proved when HiGHS runs out of `seconds`)."""
    import numpy as np
    from scipy.optimize import linprog
    names = sorted(set().union(*target, *(set().union(*h) for h in hypotheses)))
    bit = {name: 1 << k for k, name in enumerate(names)}
    size = (1 << len(names)) - 1

    def vector(form):
        v = np.zeros(size)
        for subset, coefficient in form.items():
            v[sum(bit[x] for x in subset) - 1] += float(coefficient)
        return v

    elementals = elemental_matrix(len(names))
    equalities = np.array([vector(h) for h in hypotheses]) if hypotheses else None
    for objective in ([vector(target)] + ([-vector(target)] if relation == "==" else [])):
        result = linprog(objective, A_ub=-elementals, b_ub=np.zeros(elementals.shape[0]),
                         A_eq=equalities, b_eq=np.zeros(len(hypotheses)) if hypotheses else None,
                         bounds=(0, 1), method="highs", options={"time_limit": seconds})
        if result.status != 0 or result.fun < -REFERENCE_TOLERANCE:
            return False
    return True


# ---- our side, and its verdicts checked again -------------------------------------------------

def elemental_form(elemental) -> Form:
    """An elemental of the prover's certificate rebuilt from its names alone."""
    from benchmarks.inequalities import H, I
    given = ",".join(elemental.given)
    if elemental.second is None:
        return H(f"{elemental.first}|{given}")
    return I(f"{elemental.first};{elemental.second}|{given}")


def certificate_holds(certificate, target: Form, hypotheses) -> bool:
    """Σ w·elemental + Σ μ·hypothesis = target exactly, every w > 0 (our own arithmetic)."""
    from benchmarks.inequalities import Form as Sum
    total = Sum()
    for elemental, weight in certificate.elementals:
        if not Fraction(weight) > 0:
            return False
        total = total + Fraction(weight) * elemental_form(elemental)
    for index, weight in certificate.hypotheses:
        total = total + Fraction(weight) * hypotheses[index]
    return dict(total) == {s: c for s, c in target.items() if c}


def derive_names(statement) -> dict[str, str]:
    """Our names → derive's notation: X, Y, Z, W, U, V as they are, X1 as X_1, any other name
    the next free letter of XYZWUV."""
    letters = "XYZWUV"
    names, free = {}, [x for x in letters if x not in statement.variables]
    for name in statement.variables:
        if name in letters:
            names[name] = name
        elif name[0] in letters and name[1:].isdigit():
            names[name] = f"{name[0]}_{int(name[1:])}"
        else:
            names[name] = free.pop(0)
    return names


def notation(form: Form, relation: str, names: dict[str, str]) -> str:
    """Σ c_S H(X_S) (relation) 0 in derive's notation, positive terms on the left."""
    def side(terms):
        parts = []
        for subset, c in sorted(terms, key=lambda t: (len(t[0]), sorted(t[0]))):
            joint = "H(" + ", ".join(sorted(names[x] for x in subset)) + ")"
            factor = "" if c == 1 else (str(c) if c.denominator == 1
                                        else rf"\frac{{{c.numerator}}}{{{c.denominator}}}")
            parts.append(f"{factor} {joint}".strip())
        return " + ".join(parts) or "0"
    left = [(s, c) for s, c in form.items() if c > 0]
    right = [(s, -c) for s, c in form.items() if c < 0]
    sign = "=" if relation == "==" else r"\ge"
    return f"{side(left)} {sign} {side(right)}"


def statement_notation(statement) -> str:
    """The statement as a person types it for `derive check`: the claim as joint entropies,
    the hypotheses as written in the benchmark set (Markov chains, independences)."""
    names = derive_names(statement)
    claim = notation(statement.target, statement.relation, names)
    if not statement.hypotheses:
        return claim
    if statement.given:
        given = re.sub(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b",
                       lambda match: names[match.group(1)], statement.given)
    else:
        given = ", ".join(notation(h, "==", names) for h in statement.hypotheses)
    return given + r" \implies " + claim


def table_entropy(table: dict[tuple, Fraction], order: list[str], names) -> object:
    """H(X_names) in nats at an exact table, in 60-digit mpmath (written here, not derive's)."""
    import mpmath
    where = [order.index(name) for name in names]
    marginal: dict[tuple, Fraction] = {}
    for outcome, p in table.items():
        key = tuple(outcome[k] for k in where)
        marginal[key] = marginal.get(key, Fraction(0)) + p
    with mpmath.workdps(60):
        return -mpmath.fsum(mpmath.mpf(p.numerator) / p.denominator
                            * mpmath.log(mpmath.mpf(p.numerator) / p.denominator)
                            for p in marginal.values() if p > 0)


def counterexample_holds(world: dict, statement, names: dict[str, str]) -> bool:
    """At the counterexample's exact table: every hypothesis is 0 (to 10⁻⁴⁰) and the statement
    fails by more than 10⁻³⁰, by our own sums."""
    import mpmath
    data = world["p"]
    order = list(data["variables"])
    table = {tuple(o): Fraction(p) for o, p in data["table"]}

    def value(form):
        with mpmath.workdps(60):
            return mpmath.fsum(mpmath.mpf(c.numerator) / c.denominator
                               * table_entropy(table, order, [names[x] for x in subset])
                               for subset, c in form.items())

    if any(abs(value(h)) > mpmath.mpf(10) ** -40 for h in statement.hypotheses):
        return False
    gap = value(statement.target)
    return gap < -mpmath.mpf(10) ** -30 if statement.relation == ">=" else \
        abs(gap) > mpmath.mpf(10) ** -30


def prover(statement) -> dict:
    """The prover alone: prove_nonnegative / prove_equal_zero on the form, its certificate
    checked again here."""
    from derive.checking.symbolic import shannon
    start = time.perf_counter()
    if statement.relation == "==":
        found = shannon.prove_equal_zero(statement.target, statement.hypotheses,
                                         seconds=SECONDS)
        certificates = found or ()
    else:
        found = shannon.prove_nonnegative(statement.target, statement.hypotheses,
                                          seconds=SECONDS)
        certificates = (found,) if found is not None else ()
    seconds = time.perf_counter() - start
    negated = Form({s: -c for s, c in statement.target.items()})
    checked = found is None or (
        certificate_holds(certificates[0], statement.target, statement.hypotheses)
        and (len(certificates) == 1
             or certificate_holds(certificates[1], negated, statement.hypotheses)))
    return {"proved": found is not None, "prove": seconds, "certificate_checked": checked,
            "elementals": sum(len(c.elementals) for c in certificates)}


def reading(statement) -> dict:
    """`derive check`'s reading with tables (the discrete one) of the statement written in
    derive's notation, within `derive check`'s time limit: spot-checks at exact tables (a
    certified counterexample refutes), then the prover; its counterexample checked again."""
    from derive.checking.information import information_reading
    from derive.core.timeouts import OutOfTime, time_limit
    from derive.notation.reading import parse_statement
    from derive.vocabulary.context import Context, Setting
    text = statement_notation(statement)
    start = time.perf_counter()
    parsed = parse_statement(text)
    try:
        with time_limit(CHECK_LIMIT):
            found = information_reading(parsed.lhs, parsed.relation, parsed.rhs,
                                        Context(Setting.DISCRETE, parsed.hypotheses), 0)
    except OutOfTime:
        return {"outcome": "undecided", "check": time.perf_counter() - start,
                "reason": f"out of time ({CHECK_LIMIT:g} s)", "counterexample_checked": None,
                "notation": text}
    seconds = time.perf_counter() - start
    checked = None
    if found.counterexample is not None:
        checked = counterexample_holds(found.counterexample.world, statement,
                                       derive_names(statement))
    return {"outcome": found.outcome.value, "check": seconds, "reason": found.reason,
            "counterexample_checked": checked, "notation": text}


def ours(statement) -> dict:
    """Our verdict: proved by the prover (an exact certificate), else refuted when `derive
    check`'s table reading finds a certified counterexample, else undecided."""
    answer = {**prover(statement), **reading(statement)}
    answer["verdict"] = ("proved" if answer["proved"] else
                         "refuted" if answer["outcome"] == "refuted" else "undecided")
    answer["checked"] = (answer["certificate_checked"] if answer["proved"] else
                         answer["counterexample_checked"] if answer["verdict"] == "refuted"
                         else True)
    return answer


# ---- 1. the benchmark set -----------------------------------------------------------------------

def compare() -> dict:
    from derive.checking.symbolic import shannon
    shannon.prove_nonnegative({frozenset({"W1", "W2"}): 1, frozenset({"W1"}): -1})   # warm-up
    reading(STATEMENTS[0])
    rows = []
    for statement in STATEMENTS:
        answer = ours(statement)
        proves = [answer["prove"]] + [prover(statement)["prove"] for _ in range(REPEATS - 1)]
        answer["prove"] = statistics.median(proves)
        answer["seconds"] = answer["prove"] + (0.0 if answer["proved"] else answer["check"])
        start = time.perf_counter()
        answer["reference"] = reference_proves(statement.target, statement.relation,
                                               statement.hypotheses)
        answer["reference_seconds"] = time.perf_counter() - start
        rows.append({"statement": statement, **answer})
    python, why = psitip_python()
    psitip = {"available": python is not None, "why": why, "solver": None}
    if python is not None:
        job = {"repeats": REPEATS, "statements": [
            {"target": encode(s.target), "relation": s.relation,
             "hypotheses": [encode(h) for h in s.hypotheses]} for s in STATEMENTS]}
        try:
            answer = run_psitip(python, job)
            psitip["solver"] = answer["solver"]
            for row, theirs in zip(rows, answer["answers"]):
                row["psitip"] = theirs
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            psitip.update(available=False, why=str(error))
    return {"rows": rows, "psitip": psitip}


# ---- 2. scaling -------------------------------------------------------------------------------

def scaling(limit: float = SECONDS, largest: int = 16) -> dict:
    """Han's inequality for n = 2, 3, …; ours timed in parts by wrapping the prover's LP call.
    Each tool is run until its first n over `limit` seconds (ours also stops at its first n
    not proved); at that n ours is run once more with 6 × the limit."""
    from derive.checking.symbolic import shannon
    spent = {"lp": 0.0, "status": None, "support": None}
    real_linprog = shannon.linprog

    def timed_linprog(*args, **kwargs):
        start = time.perf_counter()
        result = None
        try:
            result = real_linprog(*args, **kwargs)
            return result
        finally:
            spent["lp"] += time.perf_counter() - start
            if result is not None:
                spent["status"] = result.message.split(".")[0]
                spent["support"] = None if result.x is None else int(
                    (abs(result.x) > shannon.TOLERANCE).sum())

    def attempt(target, seconds):
        spent.update(lp=0.0, status=None, support=None)
        start = time.perf_counter()
        certificate = shannon.prove_nonnegative(target, seconds=seconds)
        return certificate, time.perf_counter() - start, spent["lp"]

    python, _ = psitip_python()
    rows, ours_on, reference_on, psitip_on = [], True, True, python is not None
    shannon.linprog = timed_linprog
    try:
        for n in range(2, largest + 1):
            if not (ours_on or reference_on or psitip_on):
                break
            target = han(n)
            count = n + math.comb(n, 2) * 2 ** (n - 2)
            row = {"n": n, "elementals": count, "rows": 2 ** n - 1, "columns": count,
                   "total": math.nan, "lp": math.nan, "proved": None, "checked": None,
                   "certificate": 0, "reference": math.nan, "reference_proved": None,
                   "psitip": math.nan, "psitip_proved": None, "longer": None}
            if n > shannon.MAX_VARIABLES:   # derive refuses more: HiGHS's set-up is unbounded
                ours_on = False
            if ours_on:
                certificate, total, lp = attempt(target, limit)
                row.update(total=total, lp=lp, proved=certificate is not None,
                           checked=certificate is not None
                           and certificate_holds(certificate, target, ()),
                           certificate=len(certificate.elementals) if certificate else 0)
                if n <= 8:   # the prover's own list, against the formula
                    row["listed"] = len(shannon.elemental_inequalities(
                        [f"X{i}" for i in range(1, n + 1)]))
                row.update(status=spent["status"], support=spent["support"])
                if total > limit or certificate is None:
                    ours_on = False
                    certificate, total, lp = attempt(target, 6 * limit)
                    row["longer"] = {"total": total, "lp": lp, "proved": certificate is not None,
                                     "status": spent["status"], "support": spent["support"]}
            if reference_on:
                start = time.perf_counter()
                row["reference_proved"] = reference_proves(target, ">=", seconds=6 * limit)
                row["reference"] = time.perf_counter() - start
                reference_on = row["reference"] <= limit
            if psitip_on:
                job = {"repeats": 1, "statements": [{"target": encode(target), "relation": ">=",
                                                     "hypotheses": []}]}
                try:
                    answer = run_psitip(python, job, timeout=6 * limit)["answers"][0]
                    row["psitip"], row["psitip_proved"] = answer["seconds"], answer["proved"]
                except subprocess.TimeoutExpired:
                    row["psitip"] = math.inf
                psitip_on = row["psitip"] <= limit
            rows.append(row)
            print(f"  n = {n}: ours {row['total']:.3f} s (LP {row['lp']:.3f} s), reference "
                  f"{row['reference']:.3f} s, psitip {row['psitip']:.3f} s", file=sys.stderr,
                  flush=True)
    finally:
        shannon.linprog = real_linprog
    return {"rows": rows}


# ---- the report ---------------------------------------------------------------------------------

def tally(rows, verdict_of) -> dict:
    counts = {"proved true": 0, "proved FALSE": 0, "refuted false": 0, "refuted TRUE": 0,
              "undecided true": 0, "undecided false": 0}
    for row in rows:
        verdict, truth = verdict_of(row), row["statement"].truth
        if verdict == "proved":
            counts["proved true" if truth else "proved FALSE"] += 1
        elif verdict == "refuted":
            counts["refuted TRUE" if truth else "refuted false"] += 1
        else:
            counts["undecided true" if truth else "undecided false"] += 1
    return counts


def section(results: dict) -> str:
    import numpy
    import scipy
    rows, psitip = results["compare"]["rows"], results["compare"]["psitip"]
    have = psitip["available"]
    kinds = {kind: sum(r["statement"].kind == kind for r in rows)
             for kind in ("Shannon", "non-Shannon", "false", "near miss")}
    lines = [
        "## Shannon-type inequalities: the prover against psitip and a float LP",
        "",
        (f"Measured by benchmarks/shannon.py (alone or within run.py) on "
        f"{platform.platform()}, Python "
        f"{platform.python_version()}, NumPy {numpy.__version__}, SciPy {scipy.__version__}, "
        f"{os.cpu_count()} cores, in one run. The statements (benchmarks/inequalities.py, each "
        f"with its truth from the literature): {len(rows)} with 2–6 variables — "
        f"{kinds['Shannon']} true Shannon-type inequalities and identities (with hypotheses: "
        f"Markov chains, independences, functional dependence), Zhang–Yeung (true, not "
        f"Shannon-type: no such prover can prove it), {kinds['false']} false ones (Ingleton "
        f"among them), and {kinds['near miss']} near misses (Han's inequality 2H(X1,X2,X3) ≤ "
        "H(X1,X2) + H(X1,X3) + H(X2,X3) with its 2 raised by 10⁻³ and by 10⁻⁸: false, by that "
        f"much, at independent uniform bits). Load average (1 min) at the start and the end of "
        f"the run: {results['load'][0]:.1f} and {results['load'][1]:.1f} on "
        f"{os.cpu_count()} cores (other work shared the machine; the tools ran in turn)."),
        "",
        (f"- **Ours**: the prover, `prove_nonnegative` / `prove_equal_zero` (an exact rational "
        f"certificate; median of {REPEATS} runs), and, when it proves nothing, `derive check`'s "
        "reading with tables of the statement typed in derive's notation (100 seeded exact "
        "tables; a counterexample only when Arb balls certify the failure; one run, within "
        f"`derive check`'s {CHECK_LIMIT:g} s). Every certificate is re-added here in exact "
        "arithmetic from the elementals' names; every counterexample is re-evaluated here from "
        "its exact table (60-digit mpmath): the hypotheses must vanish, the statement fail."),
        ("- **psitip**: psitip 1.1.7 (Ho, Ling, Tan, Yeung) in its own venv, made by this "
         f"script at `{PSITIP_VENV}`: `pip install --no-deps {PSITIP}` and "
         f"{', '.join(PSITIP_NEEDS)}. Its declared dependencies torch (gigabytes) and pycddlib "
         "(its build needs cddlib's C headers, absent here: `cddlib/setoper.h: No such file`) "
         "are imported optionally and are not used to prove a linear inequality. LP solver "
         f"{psitip['solver']}; `bool(hypotheses >> claim)`, median of {REPEATS} runs in a warm "
         "process; it proves or says False (\"not proved\"), and never refutes.")
        if have else f"- **psitip could not be run**: {psitip['why']}.",
        ("- **Reference LP**: ITIP's formulation, written here from scratch: minimize the target "
        "over the cone of the elemental inequalities and the hypotheses, the entropy vector "
        f"boxed in [0, 1] (SciPy HiGHS, floats), proved when the minimum is ≥ "
        f"−{REFERENCE_TOLERANCE:g}; no exact rounding, no certificate."),
        "",
    ]
    tallies = [("ours: prover, then counterexample", tally(rows, lambda r: r["verdict"])),
               ("`derive check`, tables reading alone", tally(rows, lambda r: r["outcome"]))]
    if have:
        tallies.append(("psitip", tally(rows, lambda r: "proved" if r["psitip"]["proved"]
                                         else "undecided")))
    tallies.append(("reference LP (floats)",
                    tally(rows, lambda r: "proved" if r["reference"] else "undecided")))
    keys = list(tallies[0][1])
    lines += ["| tool | decided | " + " | ".join(keys) + " | wrong |",
              "|---|---|" + "---|" * (len(keys) + 1)]
    for name, counts in tallies:
        decided = sum(v for k, v in counts.items() if not k.startswith("undecided"))
        wrong = counts["proved FALSE"] + counts["refuted TRUE"]
        lines.append(f"| {name} | {decided}/{len(rows)} | "
                     + " | ".join(str(counts[k]) for k in keys) + f" | **{wrong}** |")
    proved = [r["proved"] for r in rows]
    certified = sum(r["certificate_checked"] is True for r in rows if r["proved"])
    examples = [r for r in rows if r["counterexample_checked"] is not None]
    rebuilt = sum(r["counterexample_checked"] for r in examples)
    prove_total = sum(r["prove"] for r in rows)
    ours_total = sum(r["seconds"] for r in rows)
    reference_total = sum(r["reference_seconds"] for r in rows)
    lines += ["", (f"Certificates checked again: **{certified}/{sum(proved)}**; counterexamples "
              f"checked again: **{rebuilt}/{len(examples)}**."), ""]
    if have:
        theirs = [r["psitip"]["proved"] for r in rows]
        same = sum(a == b for a, b in zip(proved, theirs))
        ratios = [r["prove"] / r["psitip"]["seconds"] for r in rows]
        psitip_total = sum(r["psitip"]["seconds"] for r in rows)
        differing = [r["statement"].name for r, a, b in zip(rows, proved, theirs) if a != b]
        lines += [
            f"**Agreement**, the prover and psitip on proved / not proved: **{same}/{len(rows)}**"
            + (f" (they differ on {', '.join(differing)})" if differing else "") + ". "
            f"**Time**, the prover / psitip, per statement: median "
            f"**{statistics.median(ratios):.2f}×** (range {min(ratios):.2f}–{max(ratios):.2f}×); "
            f"in all {prove_total:.3f} s / {psitip_total:.3f} s = "
            f"**{prove_total / psitip_total:.2f}×**. Ours with the counterexample search for "
            f"the {len(rows) - sum(proved)} statements it does not prove (psitip does no such "
            f"search): {ours_total:.2f} s. The reference LP: {reference_total:.3f} s in all "
            f"(the prover / reference: {prove_total / reference_total:.2f}×).", ""]
    else:
        lines += [(f"Time: the prover {prove_total:.3f} s in all, ours with the counterexample "
                  f"search {ours_total:.2f} s, the reference LP {reference_total:.3f} s (the "
                  f"prover / reference: {prove_total / reference_total:.2f}×)."), ""]
    apart = [r for r in rows if r["outcome"] != {"proved": "proved", "refuted": "refuted"}.get(
        r["verdict"], "undecided")]
    if apart:
        lines += ["Where `derive check`'s tables reading says otherwise than the prover: "
                  + "; ".join(f"{r['statement'].name}: {r['outcome']} ({r['reason']})"
                              for r in apart) + ".", ""]
    undecided = [r for r in rows if r["verdict"] == "undecided"]
    if undecided:
        lines += ["Left undecided by ours: " + ", ".join(
            f"{r['statement'].name} ({'true' if r['statement'].truth else 'false'})"
            for r in undecided) + ".", ""]
    lines += ["| statement | vars | truth | prover | prover (ms) | `derive check`, tables | "
              "check (ms) | " + ("psitip | psitip (ms) | prover / psitip | " if have else "")
              + "reference LP | ref (ms) |",
              "|---|---|---|---|---|---|---|" + ("---|---|---|" if have else "") + "---|---|"]
    for r in rows:
        s = r["statement"]
        prover_cell = ("proved" if r["proved"] else "not proved") + (
            "" if r["certificate_checked"] else " (certificate check FAILED)")
        check_cell = r["outcome"] + (" (counterexample check FAILED)"
                                     if r["counterexample_checked"] is False else "")
        cells = [f"{s.name}: {s.text}".replace("|", r"\|"), str(len(s.variables)),
                 "true" if s.truth else "false" + (" (near miss)" if s.kind == "near miss"
                                                   else ""),
                 prover_cell, f"{r['prove'] * 1000:.1f}", check_cell, f"{r['check'] * 1000:.0f}"]
        if have:
            cells += ["proved" if r["psitip"]["proved"] else "not proved",
                      f"{r['psitip']['seconds'] * 1000:.1f}",
                      f"{r['prove'] / r['psitip']['seconds']:.2f}×"]
        cells += ["proved" if r["reference"] else "not proved",
                  f"{r['reference_seconds'] * 1000:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += scaling_lines(results["scaling"]["rows"])
    return "\n".join(lines)


def seconds_cell(value: float, proved: bool | None = True, timeout: float | None = None) -> str:
    if value is None or math.isnan(value):
        return "—"
    if math.isinf(value):
        return f"> {timeout:g} (stopped)"
    return f"{value:.3f}" + ("" if proved else " (not proved)")


def ratio_cell(numerator: float, denominator: float) -> str:
    if any(v is None or math.isnan(v) or math.isinf(v) for v in (numerator, denominator)):
        return "—"
    return f"{numerator / denominator:.2f}×"


def reach(rows, key: str) -> int | None:
    """The largest n before the first that took more than SECONDS (or was not proved)."""
    best = None
    for r in rows:
        value = r[key]
        if value is None or math.isnan(value):
            break
        if value > SECONDS or not r[{"total": "proved", "reference": "reference_proved",
                                      "psitip": "psitip_proved"}[key]]:
            break
        best = r["n"]
    return best


def both(row: dict, theirs: str) -> bool:
    """Whether ours and the other tool both proved the row's statement (a time ratio is
    reported only then)."""
    return bool(row["proved"]) and bool(row[theirs])


def scaling_lines(scale) -> list[str]:
    far, reference_far, psitip_far = reach(scale, "total"), reach(scale, "reference"), reach(
        scale, "psitip")
    over = next((r for r in scale if r["longer"] is not None), None)
    longer = ""
    if over is not None:
        more = over["longer"]

        def why(status, support):
            return f"HiGHS: {status}" + (f"; {support} columns in its solution"
                                         if support is not None else "")
        longer = (f" At n = {over['n']} it proves nothing in {SECONDS:g} s "
                  f"({why(over['status'], over['support'])}); given {6 * SECONDS:g} s it "
                  + (f"proves it in {more['total']:.1f} s (LP {more['lp']:.1f} s)"
                     if more["proved"] else
                     f"still proves nothing ({more['total']:.1f} s; "
                     f"{why(more['status'], more['support'])})") + ".")
    lines = [
        "",
        "### Scaling: Han's inequality (n − 1)·H(X1..Xn) ≤ Σ_i H(X1..Xn without Xi)",
        "",
        (f"**How far it goes in {SECONDS:g} s: ours n = {far}**, the reference LP n = "
        f"{reference_far}, psitip n = {psitip_far}.{longer} The prover's program: one column "
        "per elemental inequality (n + C(n,2)·2^(n−2)), one row per nonempty subset (2^n − 1); "
        "LP = its `linprog` call (HiGHS, minimizing the sum of the weights); exact = the rest of "
        "`prove_nonnegative` (building the program, rounding to rationals or solving exactly on "
        "the support, the exact check). The reference LP (the primal: the target minimized over "
        "the elemental cone) and psitip prove the same statement. Each tool is run until its "
        f"first n over {SECONDS:g} s; derive itself refuses statements with more than "
        "`MAX_VARIABLES` = 10 variables, since HiGHS does not honour its time limit while it "
        "sets up a larger program."),
        "",
        ("| n | elementals | LP rows × columns | LP (s) | exact (s) | ours total (s) | "
        "exact / LP | elementals in the certificate | reference LP (s) | ours / reference | "
        "psitip (s) | ours / psitip |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in scale:
        listed = "" if r.get("listed", r["elementals"]) == r["elementals"] else (
            f" (the prover lists {r['listed']})")
        ran = not math.isnan(r["total"])
        rest = r["total"] - r["lp"] if ran else math.nan
        total = seconds_cell(r["total"], r["proved"])
        if ran and r["proved"] and not r["checked"]:
            total += " (check FAILED)"
        lines.append(
            f"| {r['n']} | {r['elementals']}{listed} | {r['rows']} × {r['columns']} | "
            f"{seconds_cell(r['lp'])} | {seconds_cell(rest)} | {total} | "
            f"{ratio_cell(rest, r['lp']) if r['proved'] else '—'} | "
            f"{r['certificate'] if r['proved'] else '—'} | "
            f"{seconds_cell(r['reference'], r['reference_proved'])} | "
            f"{ratio_cell(r['total'], r['reference']) if both(r, 'reference_proved') else '—'} | "
            f"{seconds_cell(r['psitip'], r['psitip_proved'], 6 * SECONDS)} | "
            f"{ratio_cell(r['total'], r['psitip']) if both(r, 'psitip_proved') else '—'} |")
    lines.append("")
    return lines


def run() -> str:
    results = {"load": [os.getloadavg()[0]]}
    for name, function in (("compare", compare), ("scaling", scaling)):
        start = time.perf_counter()
        results[name] = function()
        print(f"shannon {name}: done in {time.perf_counter() - start:.1f} s", file=sys.stderr,
              flush=True)
    results["load"].append(os.getloadavg()[0])
    return section(results)


HEADING = "## Shannon-type inequalities"


def splice(text: str, path: Path = HERE / "RESULTS.md") -> None:
    """Put the section into RESULTS.md in place of an earlier one (to the next "## " heading),
    or at its end."""
    old = path.read_text()
    start = old.find(HEADING)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(HEADING))
        new = old[:start] + text.rstrip("\n") + "\n" + (old[end:] if end >= 0 else "")
    path.write_text(new)


if __name__ == "__main__":
    if "--psitip-worker" in sys.argv:
        psitip_worker()
    else:
        markdown = run()
        print(markdown)
        if "--splice" in sys.argv:
            splice(markdown)
