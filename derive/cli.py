"""The `derive` command line: its arguments, and library errors as one line on stderr and an exit
code.  What each command does is in derive/commands.py."""

from __future__ import annotations

import argparse
import gc
import os
import sys

from derive.commands import COMMANDS
from derive.core.errors import DeriveError, UsageError


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
    prove.set_defaults(command_name="prove")

    check = commands.add_parser("check", help="prove or refute identities typed in LaTeX")
    check.add_argument("statements", nargs="+", metavar="STATEMENT",
                       help="statements in the field's notation, or - to read one per line "
                            "from standard input")
    check.add_argument("--json", action="store_true", help="one JSON object per statement per line")
    check.add_argument("--seed", type=_seed, default=0, metavar="N",
                       help="seed of the numeric draws (default: 0)")
    _load_option(check)
    check.set_defaults(command_name="check")

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
    evaluate.add_argument("--joint", action="append", default=[], metavar="NAME=TABLE",
                          help="a joint table of the expression's random variables (axes in "
                               "the order X, Y, Z, W, U, V): nested brackets such as "
                               "[[1/4,1/4],[1/2,0]], or a .csv / .npy file")
    evaluate.add_argument("--base", default=None, metavar="B",
                          help="base of the unbased log and of the quantities (default: e, "
                               "nats); \\ln stays natural")
    evaluate.add_argument("--json", action="store_true", help='print {"value": …}')
    _load_option(evaluate)
    evaluate.set_defaults(command_name="eval")

    listing = commands.add_parser("list", help="the defined quantities, rules and lemmas")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    _load_option(listing)
    listing.set_defaults(command_name="list")
    return parser


def _load_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--load", action="append", default=[], metavar="FILE",
                        help="a Python file defining quantities (define_quantity), run first")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command_name](args)
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
