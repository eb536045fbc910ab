"""What each command of `derive` does, once the command line (derive/cli.py) has read its
arguments: check statements, evaluate an expression, list the vocabulary, prove a folder."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from derive.checking import cache
from derive.checking.evaluation import evaluate, parse_assignment
from derive.core.errors import ProofScriptError, UsageError
from derive.proofs.outline import key
from derive.proofs.scripts import collect, run_script
from derive.proofs.statements import check
from derive.rendering import catalogue, documents
from derive.rendering.pdf import compile_pdf
from derive.results.formatting import summary
from derive.results.outcome import Outcome, json_number


def load(files: list[str]) -> None:
    for name in files:
        run_script(Path(name))


def progress(items: list, unit: str) -> tqdm:
    """The items, with a progress line on stderr while there are several and stderr is a
    terminal (piped or redirected, nothing is drawn)."""
    return tqdm(items, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True,
                disable=len(items) < 2 or not sys.stderr.isatty())


def check_command(args: argparse.Namespace) -> int:
    load(args.load)
    statements = args.statements
    if statements == ["-"]:
        statements = [line.strip() for line in sys.stdin if line.strip()
                      and not line.lstrip().startswith("#")]
        if not statements:
            raise UsageError("no statements on standard input (one per line)")
    elif "-" in statements:
        raise UsageError("- (read standard input) cannot be mixed with statements")
    outcomes = []
    lines = progress(statements, "statement")
    for statement in lines:
        verdict = check(statement, args.seed)
        outcomes.append(verdict.outcome)
        if args.json:
            lines.write(json.dumps(verdict.to_json(), ensure_ascii=False), file=sys.stdout)
        else:
            lines.write("\n".join(verdict.lines()) + "\n", file=sys.stdout)
        sys.stdout.flush()
    return Outcome.combine(outcomes).exit_code


def eval_command(args: argparse.Namespace) -> int:
    load(args.load)
    given: dict[str, dict[str, str]] = {}
    for option in ("dist", "density", "data", "value", "joint"):
        given[option] = {}
        for spec in getattr(args, option):
            name, value = parse_assignment(spec, f"--{option}")
            if name in given[option]:
                raise UsageError(f"--{option} {name} is given twice")
            given[option][name] = value
    value = evaluate(args.expression, base=args.base, densities=given["density"],
                     data={name: v.split(",") for name, v in given["data"].items()},
                     values=given["value"], joints=given["joint"], **given["dist"])
    print(json.dumps({"value": json_number(value)}) if args.json else repr(value))
    return 0


def list_command(args: argparse.Namespace) -> int:
    load(args.load)
    print(json.dumps(catalogue.as_json(), indent=2, ensure_ascii=False) if args.json
          else "\n".join(catalogue.lines()))
    return 0


def prove_command(args: argparse.Namespace) -> int:
    if args.no_cache:
        cache.ENABLED = False
    outline, failures = collect(args.paths or ["proofs"])
    for failure in failures:
        print(f"derive: error: {failure}", file=sys.stderr)
    derivations = outline.derivations
    if not derivations:
        if not failures:
            print("derive: error: no derivation to check (a proof script defines a Derivation at "
                  "its top level)", file=sys.stderr)
        return ProofScriptError.exit_code
    reports = {key(d): d.check(args.seed) for d in progress(list(derivations), "derivation")}
    out = Path(args.out)
    written = documents.write(outline, reports, out, args.seed,
                              tuple(str(f) for f in failures))
    notices = [f"wrote {len(written)} files to {out}/"]
    if not args.no_pdf:
        pdf, problem = compile_pdf(out / f"{documents.DOCUMENT}.tex")
        notices.append(f"compiled {pdf}" if pdf else problem)
    checked = list(reports.values())
    if args.json:
        print(json.dumps({"title": outline.title, "derivations": [r.to_json() for r in checked],
                          "failures": [str(f) for f in failures]}, indent=2, ensure_ascii=False))
    else:
        for report in checked:
            print("\n".join(report.lines()) + "\n")
        print(summary(checked))
    for notice in notices:
        print(notice, file=sys.stderr if args.json else sys.stdout)
    if failures:
        return ProofScriptError.exit_code
    return 0 if all(r.verdict is Outcome.PROVED for r in checked) else 1


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": check_command, "eval": eval_command, "list": list_command, "prove": prove_command}
