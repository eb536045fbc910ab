"""The committed output/ is exactly what `derive prove` writes, and writing is reproducible.

Documents are compared byte for byte.  A figure is compared by its decoded pixels and its
metadata (the hash of what it was drawn from): the compressed bytes of the same pixels may differ
between zlib builds, and nothing may key on the float bits of a machine."""

import io
from pathlib import Path

import numpy as np
import pytest

from derive.rendering.figure import png_text
from tests.conftest import ROOT


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in {".md", ".tex", ".png"}}


def pixels(png: bytes) -> np.ndarray:
    image = pytest.importorskip("matplotlib.image")
    return image.imread(io.BytesIO(png), format="png")


def test_committed_output_is_up_to_date(proved):
    result, out = proved
    assert result.returncode == 0, result.stderr
    fresh, committed = files(out), files(ROOT / "output")
    assert sorted(fresh) == sorted(committed), "regenerate output/ with `derive prove`"
    for name in fresh:
        if name.endswith(".png"):
            assert png_text(fresh[name]) == png_text(committed[name]), \
                f"output/{name} was drawn from other inputs: run `derive prove`"
            assert np.array_equal(pixels(fresh[name]), pixels(committed[name])), \
                f"output/{name} has other pixels: run `derive prove`"
        else:
            assert fresh[name] == committed[name], f"output/{name} is stale: run `derive prove`"


def test_no_temporary_files_are_left(proved):
    _, out = proved
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
