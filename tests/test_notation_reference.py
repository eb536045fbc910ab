"""docs/notation.md, the notation reference, stays true: every example it shows is run, and derive
must say what the page says it says.

The page marks its examples in two ways.

- Fenced blocks, whose info string says what to expect.  `check VERDICT [discrete=VERDICT]
  [continuous=VERDICT] [column=N|column=none]` holds one line `derive check [--load FILE]
  'STATEMENT'`; `eval VALUE` or `eval error` holds one line `derive eval 'EXPR' [options]`, VALUE
  being what derive prints, or its first digits followed by `…`; `output [exit=N]` holds
  `$ derive …` and exactly what that command prints.  Every fenced block of the page is one of
  these, so an example cannot drop out of the test through a typo in its marker.
- The rows of the table under "## Common mistakes": `| `STATEMENT` | VERDICT: … | `FIX` … |`.
  For an error, every code span of the middle cell is a piece of derive's message; the fix must be
  read without an error.

Statements are checked through `derive.check` (its outcome, and the readings and the error message
of its JSON form, the one `derive check --json` prints), or through the command line when they
need `--load`; values and printed output through the command line, as a reader runs them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import derive

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "notation.md"
VERDICTS = ("proved", "refuted", "undecided", "error")
EXIT_CODES = {"proved": 0, "refuted": 1, "error": 2, "undecided": 3}
READINGS = ("discrete", "continuous")
KATEX = ROOT / "tests" / "katex"
_VALUE = re.compile(r"-?(?:inf|\d+(?:\.\d+)?(?:e[-+]?\d+)?…?)")


@dataclass(frozen=True)
class Example:
    """One example of the page: what kind, what derive must say, and where it is."""

    kind: str  # "check", "eval", "output" or "mistake"
    expected: str  # a verdict, a printed value, or the printed output
    body: str  # the command (or, for a mistake, the statement)
    line: int
    options: dict[str, str] = field(default_factory=dict)
    fix: str = ""
    fragments: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"docs/notation.md line {self.line}: {self.body.splitlines()[0]}"


def fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """Every fenced block of a Markdown text: (line of its opening fence, info string, body)."""
    blocks, lines, k = [], text.splitlines(), 0
    while k < len(lines):
        if lines[k].startswith("```"):
            start, info, body = k + 1, lines[k][3:].strip(), []
            k += 1
            while k < len(lines) and not lines[k].startswith("```"):
                body.append(lines[k])
                k += 1
            if k == len(lines):
                raise ValueError(f"line {start}: a fenced block that is never closed")
            blocks.append((start, info, "\n".join(body)))
        k += 1
    return blocks


def parse_block(line: int, info: str, body: str) -> Example:
    """The example a fenced block marks; a malformed marker is an error, never skipped."""
    words = info.split()
    where = f"docs/notation.md line {line} ({info!r})"
    if not words or words[0] not in ("check", "eval", "output"):
        raise ValueError(f"{where}: every fenced block of the page is an example marked "
                         "check, eval or output")
    kind, rest = words[0], words[1:]
    if kind == "output":
        options = dict(w.split("=", 1) for w in rest if "=" in w)
        if any("=" not in w for w in rest) or set(options) - {"exit"} or \
                not body.startswith("$ derive "):
            raise ValueError(f"{where}: write output [exit=N] around '$ derive …' and its output")
        command, _, printed = body.partition("\n")
        return Example(kind, printed, command[2:], line, options)
    if len(body.splitlines()) != 1 or not body.startswith(f"derive {kind} "):
        raise ValueError(f"{where}: the block holds one line, derive {kind} …")
    if not rest:
        raise ValueError(f"{where}: say what derive gives")
    expected, options = rest[0], dict(w.split("=", 1) for w in rest[1:] if "=" in w)
    if any("=" not in w for w in rest[1:]):
        raise ValueError(f"{where}: options are written key=value")
    if kind == "eval":
        if expected != "error" and not _VALUE.fullmatch(expected) or options:
            raise ValueError(f"{where}: write eval VALUE, eval DIGITS… or eval error")
        return Example(kind, expected, body, line)
    bad = [k for k, v in options.items() if not (
        k in READINGS and v in VERDICTS or k == "column" and (v == "none" or v.isdigit()))]
    if expected not in VERDICTS or bad:
        raise ValueError(f"{where}: write check VERDICT [discrete=…] [continuous=…] [column=N]")
    return Example(kind, expected, body, line, options)


def mistakes(text: str) -> list[Example]:
    """The rows of the table under "## Common mistakes"."""
    lines = text.splitlines()
    start = lines.index("## Common mistakes")
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")),
               len(lines))
    rows = []
    for k in range(start, end):
        if not lines[k].startswith("| `"):
            continue
        cells = [c.strip() for c in lines[k].strip().strip("|").split(" | ")]
        if len(cells) != 3:
            raise ValueError(f"docs/notation.md line {k + 1}: a row has three cells and no "
                             "other | (write \\parallel for a divergence)")
        typed, says, instead = cells
        statement = re.fullmatch(r"`([^`]+)`", typed)
        verdict, _, explanation = says.partition(":")
        fix = re.match(r"`([^`]+)`", instead)
        if statement is None or verdict not in VERDICTS or fix is None:
            raise ValueError(f"docs/notation.md line {k + 1}: write | `STATEMENT` | VERDICT: … "
                             "| `FIX` … |")
        fragments = tuple(re.findall(r"`([^`]+)`", explanation)) if verdict == "error" else ()
        rows.append(Example("mistake", verdict, statement.group(1), k + 1, fix=fix.group(1),
                            fragments=fragments))
    return rows


def examples() -> list[Example]:
    text = DOC.read_text(encoding="utf-8")
    return [parse_block(*block) for block in fenced_blocks(text)] + mistakes(text)


EXAMPLES = examples()


def run(arguments: list[str]) -> subprocess.CompletedProcess:
    """The command line as a reader runs it (standard error after standard output)."""
    return subprocess.run([sys.executable, "-m", "derive", *arguments], cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=300)


def statement_of(example: Example) -> tuple[list[str], str]:
    """The options before the statement (such as --load FILE) and the statement."""
    words = shlex.split(example.body)
    assert words[:2] == ["derive", "check"] and len(words) >= 3, example.name
    return words[2:-1], words[-1]


def verdict(example: Example) -> tuple[str, dict[str, str], str]:
    """What derive says of a check example: the verdict, each reading's verdict, and the error
    message (empty when none)."""
    options, statement = statement_of(example)
    if not options:
        checked = derive.check(statement)
        found = checked.to_json()
        readings = {r["setting"]: r["verdict"] for r in found.get("readings", [])}
        return checked.outcome.value, readings, found.get("error", "")
    result = run(["check", "--json", *options, statement])
    assert result.stdout.strip(), f"{example.name}: nothing printed\n{result.stderr}"
    found = json.loads(result.stdout)
    assert result.returncode == EXIT_CODES[found["verdict"]], example.name
    readings = {r["setting"]: r["verdict"] for r in found.get("readings", [])}
    return found["verdict"], readings, found.get("error", "")


def by_kind(kind: str) -> list[Example]:
    return [e for e in EXAMPLES if e.kind == kind]


def ids(found: list[Example]) -> list[str]:
    return [f"line-{e.line}" for e in found]


@pytest.mark.parametrize("example", by_kind("check"), ids=ids(by_kind("check")))
def test_each_check_example_gets_the_verdict_the_page_shows(example):
    outcome, readings, error = verdict(example)
    said = f"{outcome} {readings or ''} {error}".strip()
    assert outcome == example.expected, \
        f"{example.name}\n  the page says {example.expected}; derive says {said}"
    for setting in READINGS:
        if setting in example.options:
            assert readings.get(setting) == example.options[setting], \
                f"{example.name}\n  the page says {setting}: {example.options[setting]}; " \
                f"derive says {said}"
    if any(setting in example.options for setting in READINGS):
        assert set(readings) == {s for s in READINGS if s in example.options}, \
            f"{example.name}\n  the page lists the readings {sorted(example.options)}; " \
            f"derive checked {sorted(readings)}"
    if "column" in example.options:
        column = re.match(r"column (\d+):", error)
        shown = column.group(1) if column else "none"
        assert shown == example.options["column"], \
            f"{example.name}\n  the page says column {example.options['column']}; " \
            f"derive says {error!r}"


@pytest.mark.parametrize("example", by_kind("eval"), ids=ids(by_kind("eval")))
def test_each_eval_example_prints_the_value_the_page_shows(example):
    words = shlex.split(example.body)
    result = run(words[1:])
    if example.expected == "error":
        assert result.returncode == EXIT_CODES["error"] and not result.stdout and \
            result.stderr.startswith("derive: error: "), \
            f"{example.name}\n  the page says error; derive printed {result.stdout!r} " \
            f"{result.stderr!r} (exit {result.returncode})"
        return
    printed = result.stdout.strip()
    assert result.returncode == 0, f"{example.name}\n  {result.stderr.strip()}"
    if example.expected.endswith("…"):
        digits = example.expected[:-1]
        assert printed.startswith(digits) and printed != digits, \
            f"{example.name}\n  the page says {example.expected}; derive printed {printed}"
    else:
        assert printed == example.expected, \
            f"{example.name}\n  the page says {example.expected}; derive printed {printed}"


@pytest.mark.parametrize("example", by_kind("output"), ids=ids(by_kind("output")))
def test_each_output_example_is_exactly_what_derive_prints(example):
    words = shlex.split(example.body)
    assert words[0] == "derive", example.name
    result = run(words[1:])
    printed = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
    while printed and not printed[-1]:
        printed.pop()
    assert printed == [line.rstrip() for line in example.expected.splitlines()], \
        f"{example.name}\n  derive printed:\n" + "\n".join(printed)
    if "exit" in example.options:
        assert result.returncode == int(example.options["exit"]), \
            f"{example.name}\n  the page says exit {example.options['exit']}; derive exited " \
            f"{result.returncode}"


@pytest.mark.parametrize("example", by_kind("mistake"), ids=ids(by_kind("mistake")))
def test_each_common_mistake_gets_the_verdict_the_table_shows_and_its_fix_is_read(example):
    checked = derive.check(example.body)
    found = checked.to_json()
    assert checked.outcome.value == example.expected, \
        f"{example.name}\n  the table says {example.expected}; derive says " \
        f"{checked.outcome.value} {found.get('error', '')}"
    for fragment in example.fragments:
        assert fragment in found.get("error", ""), \
            f"{example.name}\n  the table quotes {fragment!r}; derive says {found.get('error')!r}"
    fixed = derive.check(example.fix)
    assert fixed.outcome.value != "error", \
        f"docs/notation.md line {example.line}: the fix {example.fix!r} is not read: " \
        f"{fixed.to_json().get('error')}"


def test_the_page_shows_every_kind_of_example():
    """A reader of the markers that found nothing, or lost a kind, would pass every test above."""
    checks = by_kind("check")
    assert {e.expected for e in checks} == set(VERDICTS)
    assert len(checks) >= 20 and len(by_kind("mistake")) >= 8
    assert len(by_kind("eval")) >= 3 and len(by_kind("output")) >= 1
    assert {e.expected for e in by_kind("mistake")} >= {"error", "refuted"}


def test_a_wrong_marker_is_an_error_not_a_skipped_example():
    with pytest.raises(ValueError):
        parse_block(1, "chek proved", "derive check 'H(p) \\ge 0'")
    with pytest.raises(ValueError):
        parse_block(1, "check prooved", "derive check 'H(p) \\ge 0'")
    with pytest.raises(ValueError):
        parse_block(1, "check proved discrete=yes", "derive check 'H(p) \\ge 0'")
    with pytest.raises(ValueError):
        parse_block(1, "eval about 2", "derive eval 'H(p)' --dist p=1/2,1/2")
    with pytest.raises(ValueError):
        parse_block(1, "", "H(p) \\ge 0")
    assert parse_block(1, "eval 0.693147…", "derive eval 'H(p)' --dist p=1/2,1/2").expected == \
        "0.693147…"


def test_the_pages_links_lead_to_files_of_the_repository():
    text = DOC.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert links
    for link in links:
        assert "://" not in link, link
        assert (DOC.parent / link.split("#")[0]).resolve().is_file(), link


def formulas(markdown: str) -> list[dict]:
    """The page's $ … $ formulas, outside fenced blocks and code spans."""
    prose = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    return [{"tex": m, "display": False} for m in re.findall(r"\$([^$\n]+)\$", prose)]


def test_every_formula_of_the_page_renders_in_katex():
    node = shutil.which("node")
    if node is None or not (KATEX / "node_modules" / "katex").exists():
        if os.environ.get("DERIVE_REQUIRE_RENDERERS") == "1":
            pytest.fail("node with KaTeX is required here but missing")
        pytest.skip("node with KaTeX not installed (npm ci --prefix tests/katex)")
    found = formulas(DOC.read_text(encoding="utf-8"))
    assert len(found) > 20
    result = subprocess.run([node, str(KATEX / "check.js")], input=json.dumps(found),
                            capture_output=True, text=True, timeout=120, check=True)
    errors = [(f["tex"], e) for f, e in zip(found, json.loads(result.stdout)) if e]
    assert not errors, errors[:3]
