"""Shared fixtures: the distributions and settings most tests use."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sympy import Basic
from sympy.core.symbol import Str

from derive import Setting, distributions
from derive.vocabulary.context import Context
from derive.vocabulary.quantities import QUANTITIES


@pytest.fixture(autouse=True)
def quantities_as_built_in():
    """A quantity a test defines (or a proof script it runs, such as the Jensen–Shannon one) is
    forgotten after the test: each test reads the notation with the built-in quantities."""
    before = dict(QUANTITIES)
    yield
    QUANTITIES.clear()
    QUANTITIES.update(before)


@pytest.fixture
def pq():
    return distributions("p q")


@pytest.fixture(params=list(Setting), ids=lambda s: s.value)
def context(request):
    return Context(request.param)


ROOT = Path(__file__).resolve().parents[1]
# The tests keep their cache of step checks to themselves (subprocesses inherit this).
os.environ["DERIVE_CACHE_DIR"] = tempfile.mkdtemp(prefix="derive-test-cache-")


def derive(*args, cwd=ROOT):
    """Run the command line as a user would; returns the completed process."""
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="session")
def proved(tmp_path_factory):
    """`derive prove --json` over the project's proofs, with documents in a fresh folder."""
    out = tmp_path_factory.mktemp("out")
    return derive("prove", "--json", "--out", str(out)), out


def evaluated(expr: Basic) -> Basic:
    """`expr` with its arithmetic carried out (the reader builds exactly what was typed,
    `H(p)/H(p)` included): how a reading compares with an expression built in Python."""
    if not expr.args or isinstance(expr, Str):
        return expr
    return expr.func(*(evaluated(a) for a in expr.args))
