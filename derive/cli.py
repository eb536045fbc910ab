"""The `derive` command line: library errors become one line on stderr and an exit code."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

from derive.errors import DeriveError, ProofScriptError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but bad usage is one line and exit code 2."""

    def error(self, message: str) -> None:
        raise UsageError(f"{message} (see `derive {self.prog.split()[-1]} --help`)"
                         if " " in self.prog else f"{message} (see `derive --help`)")


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed takes a whole number, not {value!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError("--seed takes a number ≥ 0")
    return seed


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description="Derive and verify identities of information "
                                                "theory: entropy, cross entropy, KL, likelihood.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    prove = commands.add_parser("prove", help="run proof scripts, check every step, write documents")
    prove.add_argument("paths", nargs="*", metavar="PATH",
                       help="proof scripts or folders of them (default: proofs/)")
    prove.add_argument("--out", default="output", metavar="DIR",
                       help="where the documents go (default: output/)")
    prove.add_argument("--seed", type=_seed, default=0, metavar="N",
                       help="seed of the numeric draws (default: 0)")
    prove.add_argument("--json", action="store_true", help="print a JSON report on stdout")
    prove.add_argument("--no-pdf", action="store_true",
                       help="do not compile the LaTeX document to PDF")
    prove.add_argument("--no-cache", action="store_true",
                       help="check every step afresh, ignoring the cache of earlier checks")
    prove.set_defaults(handler=_prove)

    check = commands.add_parser("check", help="prove or refute identities typed in LaTeX")
    check.add_argument("statements", nargs="+", metavar="STATEMENT",
                       help="statements in the field's notation, or - to read one per line "
                            "from standard input")
    check.add_argument("--json", action="store_true", help="one JSON object per statement per line")
    check.add_argument("--seed", type=_seed, default=0, metavar="N",
                       help="seed of the numeric draws (default: 0)")
    _load_option(check)
    check.set_defaults(handler=_check)

    evaluate = commands.add_parser("eval", help="evaluate an expression in a concrete, exact world")
    evaluate.add_argument("expression", metavar="EXPR", help="an expression in the field's notation")
    evaluate.add_argument("--dist", action="append", default=[], metavar="NAME=P1,P2,…",
                          help="a distribution on {1, …, n}, e.g. p=0.5,0.5,0 or p=1/3,1/3,1/3 "
                               "(exact; repeatable)")
    evaluate.add_argument("--density", action="append", default=[], metavar="NAME=SPEC",
                          help="a density on the line: N(0, 1^2), 1/2 N(0, 1^2) + 1/2 N(1, 2^2), "
                               "U(-1, 1) or hist(-1, 0, 1; 1/4, 3/4) (repeatable)")
    evaluate.add_argument("--data", action="append", default=[], metavar="NAME=X1,X2,…",
                          help="data points x_1 … x_n: categories, or numbers for densities")
    evaluate.add_argument("--value", action="append", default=[], metavar="NAME=V",
                          help="the value of a scalar, or of a free point x")
    evaluate.add_argument("--base", default=None, metavar="B",
                          help="base of the unbased log and of the quantities (default: e, "
                               "nats); \\ln stays natural")
    evaluate.add_argument("--json", action="store_true", help='print {"value": …}')
    _load_option(evaluate)
    evaluate.set_defaults(handler=_eval)

    listing = commands.add_parser("list", help="the defined quantities, rules and lemmas")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    _load_option(listing)
    listing.set_defaults(handler=_list)
    return parser


def _load_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--load", action="append", default=[], metavar="FILE",
                        help="a Python file defining quantities (define_quantity), run first")


def _load(files: list[str]) -> None:
    from derive.runner import run_script
    for name in files:
        run_script(Path(name))


def _check(args: argparse.Namespace) -> int:
    from derive.statements import check
    from derive.verdicts import Outcome

    _load(args.load)
    statements = args.statements
    if statements == ["-"]:
        statements = [line.strip() for line in sys.stdin if line.strip()
                      and not line.lstrip().startswith("#")]
        if not statements:
            raise UsageError("no statements on standard input (one per line)")
    elif "-" in statements:
        raise UsageError("- (read standard input) cannot be mixed with statements")
    outcomes = []
    for statement in statements:
        verdict = check(statement, args.seed)
        outcomes.append(verdict.outcome)
        if args.json:
            print(json.dumps(verdict.to_json(), ensure_ascii=False), flush=True)
        else:
            print("\n".join(verdict.lines()) + "\n", flush=True)
    return Outcome.combine(outcomes).exit_code


def _eval(args: argparse.Namespace) -> int:
    from derive.evaluation import evaluate, parse_assignment
    from derive.verdicts import json_number

    _load(args.load)
    given: dict[str, dict[str, str]] = {}
    for option in ("dist", "density", "data", "value"):
        given[option] = {}
        for spec in getattr(args, option):
            name, value = parse_assignment(spec, f"--{option}")
            if name in given[option]:
                raise UsageError(f"--{option} {name} is given twice")
            given[option][name] = value
    value = evaluate(args.expression, base=args.base, densities=given["density"],
                     data={name: v.split(",") for name, v in given["data"].items()},
                     values=given["value"], **given["dist"])
    print(json.dumps({"value": json_number(value)}) if args.json else repr(value))
    return 0


def _list(args: argparse.Namespace) -> int:
    from derive import listing

    _load(args.load)
    print(json.dumps(listing.as_json(), indent=2, ensure_ascii=False) if args.json
          else "\n".join(listing.lines()))
    return 0


def _prove(args: argparse.Namespace) -> int:
    from derive import documents
    from derive.report import run_json, summary, table
    from derive.runner import collect
    from derive.verdicts import Outcome

    if args.no_cache:
        from derive import cache
        cache.ENABLED = False
    derivations, failures = collect(args.paths or ["proofs"])
    for failure in failures:
        print(f"derive: error: {failure}", file=sys.stderr)
    if not derivations:
        return ProofScriptError.exit_code
    reports = [d.check(args.seed) for d in derivations]
    out = Path(args.out)
    written = documents.write(reports, out, args.seed)
    notices = [f"wrote {len(written)} files to {out}/"]
    if not args.no_pdf:
        from derive.pdf import compile_pdf
        pdf, problem = compile_pdf(out / f"{documents.DOCUMENT}.tex")
        notices.append(f"compiled {pdf}" if pdf else problem)
    if args.json:
        print(json.dumps(run_json(reports), indent=2, ensure_ascii=False))
    else:
        for report in reports:
            print("\n".join(table(report)) + "\n")
        print(summary(reports))
    for notice in notices:
        print(notice, file=sys.stderr if args.json else sys.stdout)
    if failures:
        return ProofScriptError.exit_code
    return 0 if all(r.verdict is Outcome.PROVED for r in reports) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except DeriveError as error:
        print(f"derive: error: {error}", file=sys.stderr)
        pointer = getattr(error, "pointer", None)
        if callable(pointer):
            print(pointer(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130


def program() -> None:
    """The `derive` program: `main`, then exit.  The objects left at exit are frozen first, so
    the interpreter's final garbage collection skips them (it took a fifth of a run's time).
    When the reader of the output goes away (`derive check … | head -1`), derive stops quietly."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    gc.freeze()
    sys.exit(code)
