"""Finding and running proof scripts: Python files whose top-level names hold derivations."""

from __future__ import annotations

import runpy
import sys
import traceback
from pathlib import Path

from derive.core.errors import DeriveError, ProofScriptError, UsageError
from derive.proofs.derivation import Derivation
from derive.proofs.outline import Document, Outline, Script, Topic, humanised, outline


def proof_files(paths: list[str]) -> list[Path]:
    """The proof scripts named by files and folders (a folder's *.py, in name order), each
    once."""
    files: dict[Path, Path] = {}
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
            if not found:
                raise UsageError(f"{name}: no proof scripts (*.py) in this folder")
            files.update((p.resolve(), p) for p in found)
        elif path.is_file():
            if path.suffix != ".py":
                raise UsageError(f"{name}: a proof script is a Python file (*.py)")
            files.setdefault(path.resolve(), path)
        else:
            raise UsageError(f"{name}: no such file or folder")
    return list(files.values())


def run_script(path: Path) -> dict:
    """Run a Python file (a proof script, or definitions of quantities) with its folder on the
    import path; returns its top-level names.  Any failure is a one-line ProofScriptError."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    try:
        return runpy.run_path(str(path), run_name=f"derive_script_{path.stem}")
    except DeriveError as error:
        raise ProofScriptError(f"{path}:{_line(error, path)}: {error}") from None
    except SystemExit as error:  # a script that exits must not end derive's run, or its code
        raise ProofScriptError(f"{path}:{_line(error, path)}: the script called "
                               f"sys.exit({error.code!r})") from None
    except SyntaxError as error:
        raise ProofScriptError(f"{path}:{error.lineno}: syntax error: {error.msg}") from None
    except Exception as error:  # a proof script is user code: any failure is reported, not raised
        raise ProofScriptError(f"{path}:{_line(error, path)}: the script raised "
                               f"{type(error).__name__}: {error}") from None
    finally:
        sys.path.remove(folder)


def load(path: Path) -> Script:
    """Run one proof script and return what it declares — derivations, topics, a document — in
    the order defined."""
    namespace = run_script(path)
    found: dict[int, Derivation | Topic | Document] = {}
    for value in namespace.values():
        if isinstance(value, (Derivation, Topic, Document)):
            found.setdefault(id(value), value)
        elif isinstance(value, (list, tuple, dict)):  # derivations made in a loop
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, Derivation):
                    found.setdefault(id(item), item)
    values = list(found.values())
    if not values:
        raise ProofScriptError(f"{path}: defines no derivation (a top-level Derivation), topic "
                               "or document")
    return Script(path, namespace.get("__doc__") or "",
                  tuple(v for v in values if isinstance(v, Derivation)),
                  tuple(v for v in values if isinstance(v, Topic)),
                  tuple(v for v in values if isinstance(v, Document)))


def _line(error: BaseException, path: Path) -> str:
    """The line of the proof script where the error arose."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if Path(frame.filename).resolve() == path.resolve()]
    return str(lines[-1]) if lines else "?"


def collect(paths: list[str]) -> tuple[Outline, list[ProofScriptError]]:
    """The document of the proof scripts at `paths` (derivation names unique per setting), and
    the scripts that could not be run, each as its one-line error: one bad script does not stop
    the others.  Untitled, the document is named after the (first) folder given."""
    scripts: list[Script] = []
    failures: list[ProofScriptError] = []
    for path in proof_files(paths):
        try:
            scripts.append(load(path))
        except ProofScriptError as error:
            failures.append(error)
    first = Path(paths[0]).resolve() if paths else Path.cwd()
    folder = first if first.is_dir() else first.parent
    try:
        return outline(scripts, humanised(folder.name)), failures
    except UsageError as error:
        raise ProofScriptError(str(error)) from None
