"""Compiling the LaTeX document to PDF with a real TeX engine (latexmk and pdflatex).

The build runs in a temporary folder (the output folder gets only the PDF), with
SOURCE_DATE_EPOCH fixed and the trailer ID emptied (pdfTeX hashes the time and the output path
into it, and the path is a fresh temporary folder), so that the same document gives the same PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from derive.core.files import write_atomic

#: Seconds a TeX run may take before it is stopped.
TIME_LIMIT = 120


def engine() -> str | None:
    """The latexmk found on PATH, or None."""
    return shutil.which("latexmk") if shutil.which("pdflatex") else None


def compile_pdf(tex: Path) -> tuple[Path | None, str]:
    """Compile `tex` into a PDF beside it: (the PDF, "") or (None, a one-line reason)."""
    latexmk = engine()
    if latexmk is None:
        return None, "no PDF: latexmk/pdflatex not found (install TeX Live to get one)"
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    with tempfile.TemporaryDirectory(prefix="derive-tex-") as build:
        try:
            result = subprocess.run(
                [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
                 r"-usepretex=\pdftrailerid{}", f"-outdir={build}", tex.name],
                cwd=tex.parent, env=env, capture_output=True, text=True, timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            return None, f"no PDF: TeX did not finish within {TIME_LIMIT} s"
        built = Path(build) / tex.with_suffix(".pdf").name
        if result.returncode != 0 or not built.exists():
            return None, "no PDF: " + first_error(Path(build) / tex.with_suffix(".log").name)
        target = tex.with_suffix(".pdf")
        write_atomic(target, built.read_bytes())
        return target, ""


def first_error(log: Path) -> str:
    """The first error line of a TeX log, for a one-line message."""
    if not log.exists():
        return "TeX failed before writing a log"
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("!") or re.match(r".*:\d+: ", line):
            return line.strip()
    return "TeX failed (see the log)"
