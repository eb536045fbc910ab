"""How a folder of proof scripts is presented: the document's title and introduction, its
sections, and in each section the topics — prose, derivations and figures in reading order.

Presentation is declared next to the proof scripts, never inside the package:

    Topic("Cross entropy and KL divergence",
          "Cross entropy splits into the entropy of $p$ plus ...",   # prose, math between $
          discrete, continuous,                                      # derivations
          Figure("cross-entropy-decomposition"),
          section="Relationships")

    Document("My identities", introduction="What this folder proves, and why.")

A folder without a `Document` is titled after the folder; a derivation placed in no topic gets a
topic of its own, in a section named after its script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from derive.core.errors import UsageError
from derive.proofs.derivation import Derivation


@dataclass(frozen=True)
class Figure:
    """A figure drawn by derive (its name, as `derive.rendering.figure.FIGURES` lists them)."""

    name: str


T = TypeVar("T")
#: What a topic shows, in order: prose (with inline math between $ signs), derivations, figures.
Block = str | Derivation | Figure


@dataclass(frozen=True, init=False)
class Topic:
    """A titled part of a section: prose, derivations and figures in reading order."""

    title: str
    body: tuple[Block, ...]
    section: str

    def __init__(self, title: str, *body: Block, section: str = "") -> None:
        if not isinstance(title, str) or not isinstance(section, str):
            raise UsageError(f"a topic's title and section are text, not {title!r}, {section!r}")
        for block in body:
            if not isinstance(block, (str, Derivation, Figure)):
                raise UsageError(f"topic {title!r}: a topic holds prose (str), derivations and "
                                 f"figures, not {type(block).__name__}")
            if isinstance(block, str) and block.replace(r"\$", "").count("$") % 2:
                raise UsageError(f"topic {title!r}: unbalanced $ in the prose {block!r}")
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "section", section)

    @property
    def derivations(self) -> tuple[Derivation, ...]:
        return tuple(b for b in self.body if isinstance(b, Derivation))


@dataclass(frozen=True)
class Document:
    """The title and introduction of a folder's document (prose with inline math)."""

    title: str
    introduction: str = ""


@dataclass(frozen=True)
class Section(Generic[T]):
    """A named section of topics (of a folder's `Topic`s, or of what shows them)."""

    name: str
    topics: tuple[T, ...]


@dataclass(frozen=True)
class Outline:
    """A folder's proofs as a document: title, introduction, sections of topics."""

    title: str
    introduction: str
    sections: tuple[Section[Topic], ...] = field(default=())

    @property
    def derivations(self) -> tuple[Derivation, ...]:
        """Every derivation shown, once each (one placed in two topics is checked once)."""
        shown = {key(d): d for s in self.sections for t in s.topics for d in t.derivations}
        return tuple(shown.values())


def key(derivation: Derivation) -> tuple[str, str]:
    """What identifies a derivation in a folder: its name and setting (they name its files)."""
    return derivation.name, derivation.setting.value


@dataclass(frozen=True)
class Script:
    """What one proof script declares: its derivations, topics and document, in order."""

    path: Path
    docstring: str
    derivations: tuple[Derivation, ...]
    topics: tuple[Topic, ...]
    documents: tuple[Document, ...]

    @property
    def heading(self) -> str:
        """The section of the script's derivations that no topic places: the first line of
        its docstring, else its file name without the leading number."""
        first = self.docstring.strip().split("\n")[0].strip().rstrip(".")
        return first or humanised(self.path.stem)


def humanised(name: str) -> str:
    """A file or folder name as a title: `02_my_proofs` → `My proofs`."""
    words = name.lstrip("0123456789_-").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def outline(scripts: list[Script], folder_title: str) -> Outline:
    """The document of these scripts: at most one `Document`; topics in the order declared,
    grouped by section; every derivation shown (one placed in no topic gets a topic of its own).
    A derivation imported by another script is the same derivation; two different ones with
    one name and setting are an error that names their scripts."""
    documents = list({id(d): d for s in scripts for d in s.documents}.values())
    if len(documents) > 1:
        titles = ", ".join(repr(d.title) for d in documents)
        raise UsageError(f"{len(documents)} documents are declared ({titles}); a folder has one")
    document = documents[0] if documents else Document(folder_title)
    origin: dict[tuple[str, str], tuple[Derivation, Path]] = {}
    for script in scripts:
        for d in (*script.derivations, *(d for t in script.topics for d in t.derivations)):
            first, where = origin.setdefault(key(d), (d, script.path))
            if first != d:
                raise UsageError(f"two different derivations are named {d.name!r} in the "
                                 f"{d.setting.value} setting ({where} and {script.path})")
    sections: dict[str, list[Topic]] = {}
    placed = {key(d) for s in scripts for t in s.topics for d in t.derivations}
    for script in scripts:
        for topic in script.topics:
            sections.setdefault(topic.section or script.heading, []).append(topic)
        loose: dict[str, list[Derivation]] = {}
        for d in script.derivations:
            if key(d) not in placed:
                placed.add(key(d))
                loose.setdefault(d.name, []).append(d)
        for name, group in loose.items():
            sections.setdefault(script.heading, []).append(Topic(name, *group))
    return Outline(document.title, document.introduction,
                   tuple(Section(name, tuple(topics)) for name, topics in sections.items()))
