"""The `derive` command line: library errors become one line on stderr and an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from derive.errors import DeriveError, UsageError


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
    prove.set_defaults(handler=_prove)
    return parser


def _prove(args: argparse.Namespace) -> int:
    from derive import documents
    from derive.report import run_json, summary, table
    from derive.runner import collect
    from derive.verdicts import Outcome

    derivations = collect(args.paths or ["proofs"])
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
    return 0 if all(r.verdict is Outcome.PROVED for r in reports) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except DeriveError as error:
        print(f"derive: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
