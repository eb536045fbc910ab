"""The committed output/ is exactly what `derive prove` writes, and writing is reproducible."""

from pathlib import Path

from tests.conftest import ROOT


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in {".md", ".tex", ".png"}}


def test_committed_output_is_up_to_date(proved):
    result, out = proved
    assert result.returncode == 0, result.stderr
    fresh, committed = files(out), files(ROOT / "output")
    assert sorted(fresh) == sorted(committed), "regenerate output/ with `derive prove`"
    for name in fresh:
        assert fresh[name] == committed[name], f"output/{name} is stale: run `derive prove`"


def test_no_temporary_files_are_left(proved):
    _, out = proved
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
