"""Rendering a folder's checked proofs to Markdown and LaTeX documents, from templates.

The document's outline — title, introduction, sections, topics of prose, derivations and figures
— is declared next to the proof scripts (derive/proofs/outline.py); every line about a result
comes from the one formatter (derive/results/formatting.py).  The shells live in
`derive/rendering/templates/` (Jinja2; the LaTeX ones use `((* *))` and `((( )))` delimiters, as
nbconvert does, so they do not fight LaTeX's braces).  Output is reproducible: no dates, and
numeric errors are shown as a power-of-ten bound.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import jinja2

from derive.checking import cache
from derive.core.errors import UsageError
from derive.core.files import write_atomic
from derive.proofs.derivation import Derivation
from derive.proofs.outline import Figure, Outline, Section, key
from derive.rendering.figure import FIGURES, MISSING, write_figure
from derive.results import formatting
from derive.results.formatting import Row
from derive.results.model import DerivationReport
from derive.results.outcome import Outcome

TEMPLATES = Path(__file__).with_name("templates")
#: The name of the whole document (.md, .tex, .pdf) in the output folder.
DOCUMENT = "derivations"
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#",
                "$": r"\$", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}"}
SETTING_LABELS = {"discrete": "For a finite support (the discrete case)",
                  "continuous": "For densities (the continuous case)", "general": ""}


#: Characters derive's own messages use, as LaTeX that the document's fonts can set.
_TEX_UNICODE = {"≥": r"$\ge$", "≤": r"$\le$", "≠": r"$\neq$", "−": "-", "–": "--", "—": "---",
                "∞": r"$\infty$", "θ": r"$\theta$", "·": r"$\cdot$", "×": r"$\times$",
                "∥": r"$\parallel$", "∼": r"$\sim$", "…": r"\ldots{}", "∑": r"$\sum$",
                "∏": r"$\prod$", "∫": r"$\int$", "√": r"$\surd$", "𝒳": r"$\mathcal{X}$",
                "𝒴": r"$\mathcal{Y}$", "𝟙": r"$\mathbf{1}$", "∈": r"$\in$", "→": r"$\to$",
                "±": r"$\pm$", "½": r"$\frac{1}{2}$", "²": r"$^2$", "ε": r"$\varepsilon$"}


def tex_escape(text: str) -> str:
    """Plain text made safe for LaTeX: its special characters escaped, the symbols derive's
    messages use set in math, and any other character outside Latin-1 named by its code."""
    return "".join(_TEX_SPECIAL.get(c) or _TEX_UNICODE.get(c)
                   or (c if ord(c) < 256 else f"[U+{ord(c):04X}]") for c in text)


#: Characters of small typewriter text that fit the page's width.
TYPEWRITER_WIDTH = 88


def wrapped(lines: tuple[str, ...], width: int = TYPEWRITER_WIDTH) -> list[str]:
    """Lines of typewriter text cut to the page's width; a continuation is indented two more
    spaces than its line."""
    out: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        out += textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=True,
                             break_on_hyphens=False, drop_whitespace=True) or [""]
    return out


def prose_text(prose: str) -> str:
    """Prose (paragraphs apart by a blank line, inline math between $ signs) made LaTeX."""
    return "\n\n".join(prose_to_tex(paragraph) for paragraph in prose.split("\n\n"))


def prose_to_tex(prose: str) -> str:
    """Prose with inline math between $ signs (`\\$` is a dollar sign): the text escaped for
    LaTeX, the math kept."""
    pieces = [piece.replace("\0", "$") for piece in prose.replace(r"\$", "\0").split("$")]
    if len(pieces) % 2 == 0:
        raise UsageError(f"unbalanced $ in the prose: {prose!r}")
    return "$".join(piece if k % 2 else tex_escape(piece) for k, piece in enumerate(pieces))


@dataclass(frozen=True)
class ProseView:
    """A paragraph of prose (inline math between $ signs)."""

    text: str
    kind: str = "prose"


@dataclass(frozen=True)
class FigureView:
    """A figure: the image, or — without matplotlib — how to get it."""

    path: str
    caption: str
    missing: str
    kind: str = "figure"


@dataclass(frozen=True)
class ChainView:
    """What the templates need to show one checked derivation: its chain (rows whole for
    Markdown, broken by width for LaTeX), what it proves — or, when not proved, what it
    claimed and why not — its conditions, and its findings (with counterexamples)."""

    name: str
    setting: str
    label: str
    heading: str
    proved: bool
    verdict: str
    rows: tuple[Row, ...]
    rows_tex: tuple[Row, ...]
    conclusion: str
    conclusion_tex: tuple[str, ...]
    verification: str
    conditions: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    kind: str = "chain"

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.setting}"


@dataclass(frozen=True)
class TopicView:
    title: str
    blocks: tuple[ProseView | ChainView | FigureView, ...]

    @property
    def chains(self) -> tuple[ChainView, ...]:
        return tuple(b for b in self.blocks if isinstance(b, ChainView))


@dataclass(frozen=True)
class Unproved:
    """A result not proved, for the summary: where it is, its verdict, and why."""

    heading: str
    verdict: str
    reason: str


@dataclass(frozen=True)
class DocumentView:
    """The whole document: title, introduction, an honest summary, the sections."""

    title: str
    introduction: str
    seed: int
    sections: tuple[Section[TopicView], ...]
    counts: dict[str, int]
    unproved: tuple[Unproved, ...]
    failures: tuple[str, ...] = ()

    @property
    def chains(self) -> int:
        return sum(self.counts.values())


def chain_view(report: DerivationReport) -> ChainView:
    heading = f"{report.name} ({report.setting.value})"
    proved = report.verdict is Outcome.PROVED
    conclusion = report.statement_latex if report.conclusion is not None or not proved else ""
    rows = formatting.chain_rows(report)
    return ChainView(report.name, report.setting.value, SETTING_LABELS[report.setting.value],
                     heading, proved, report.verdict.value, rows, formatting.fitted(rows),
                     conclusion, formatting.broken_statement(report),
                     formatting.verification(report), formatting.conditions(report),
                     formatting.findings(report), report.assumptions)


def _first_reason(report: DerivationReport) -> str:
    step = next(s for s in report.steps if s.verdict is not Outcome.PROVED)
    return f"step {step.index} ({step.rule}): {step.check.reason()}"


def document_view(outline: Outline, reports: dict[tuple[str, str], DerivationReport],
                  seed: int, drawn: dict[str, bool], failures: tuple[str, ...] = ()
                  ) -> DocumentView:
    """The views of a folder's document; `reports` are by derivation (name, setting), `drawn`
    tells which figures exist, `failures` are the scripts that could not be run."""
    sections = []
    for section in outline.sections:
        topics = []
        for topic in section.topics:
            blocks: list[ProseView | ChainView | FigureView] = []
            for block in topic.body:
                if isinstance(block, str):
                    blocks.append(ProseView(block))
                elif isinstance(block, Derivation):
                    blocks.append(chain_view(reports[key(block)]))
                else:
                    blocks.append(_figure_view(block, drawn))
            topics.append(TopicView(topic.title, tuple(blocks)))
        sections.append(Section(section.name, tuple(topics)))
    checked = [reports[key(d)] for d in outline.derivations]
    counts = {v.value: sum(r.verdict is v for r in checked) for v in Outcome}
    unproved = tuple(Unproved(f"{r.name} ({r.setting.value})", r.verdict.value, _first_reason(r))
                     for r in checked if r.verdict is not Outcome.PROVED)
    return DocumentView(outline.title, outline.introduction, seed, tuple(sections), counts,
                        unproved, failures)


def _known(name: str) -> str:
    """The name of a figure derive draws, else a one-line error."""
    if name not in FIGURES:
        raise UsageError(f"unknown figure {name!r}; derive draws: {', '.join(FIGURES)}")
    return name


def _figure_view(figure: Figure, drawn: dict[str, bool]) -> FigureView:
    spec = FIGURES[_known(figure.name)]
    return FigureView(spec.filename, spec.caption, "" if drawn.get(figure.name) else MISSING)


def _environment(latex_delimiters: bool) -> jinja2.Environment:
    options = dict(block_start_string="((*", block_end_string="*))",
                   variable_start_string="(((", variable_end_string=")))",
                   comment_start_string="((=", comment_end_string="=))") if latex_delimiters else {}
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                                     keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined,
                                     bytecode_cache=_bytecode_cache(), **options)
    environment.filters["tex"] = tex_escape
    environment.filters["prose"] = prose_text
    environment.filters["wrapped"] = wrapped
    return environment


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in derive's cache folder (Jinja checks them against the source)."""
    if not cache.ENABLED:
        return None
    directory = cache.folder() / "templates"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


def render(view: DocumentView) -> dict[str, str]:
    """The documents, by file name relative to the output folder."""
    markdown, tex = _environment(False), _environment(True)
    documents = {
        DOCUMENT + ".md": markdown.get_template("document.md.j2").render(document=view),
        DOCUMENT + ".tex": tex.get_template("document.tex.j2").render(document=view),
    }
    for v in (chain for section in view.sections for topic in section.topics
              for chain in topic.chains):
        documents[f"derivations/{v.filename}.md"] = markdown.get_template(
            "single.md.j2").render(view=v)
        documents[f"derivations/{v.filename}.tex"] = tex.get_template(
            "single.tex.j2").render(view=v)
    return documents


#: The list of files the last run wrote in the output folder: only these are ever removed.
MANIFEST = ".derive-files"


def write(outline: Outline, reports: dict[tuple[str, str], DerivationReport], out: Path,
          seed: int, failures: tuple[str, ...] = ()) -> list[Path]:
    """Draw the figures and write every document atomically into `out`.  Files that an earlier
    run wrote (its manifest lists them) and this run does not are removed; no other file in
    `out` is touched.  Returns the paths written."""
    names = sorted({_known(b.name) for s in outline.sections for t in s.topics for b in t.body
                    if isinstance(b, Figure)})
    drawn = {name: write_figure(name, out) for name in names}
    written = [out / FIGURES[name].filename for name in names if drawn[name]]
    view = document_view(outline, reports, seed, drawn, failures)
    for name, content in render(view).items():
        write_atomic(out / name, content)
        written.append(out / name)
    manifest = out / MANIFEST
    current = sorted(p.relative_to(out).as_posix() for p in written)
    if manifest.is_file():
        for stale in set(manifest.read_text().split("\n")) - set(current) - {""}:
            if (out / stale).is_file() and out.resolve() in (out / stale).resolve().parents:
                (out / stale).unlink()
    write_atomic(manifest, "\n".join(current) + "\n")
    return written
