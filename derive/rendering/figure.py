"""The figure: H(p, q) = H(p) + D_KL(p ∥ q) for Bernoulli p and q, as a stacked decomposition.

The curves are computed by derive's own evaluator from the definitions (not from closed forms):
for a fixed Bernoulli p and q ranging over (0, 1), H(p) is the lower band, D_KL(p ∥ q) is stacked
on it, and the top edge is H(p, q).  The PNG is reproducible: no timestamp, no software tag.  It
records a hash of what it was drawn from (this module, matplotlib's version, the curves), and is
drawn again only when that changes: matplotlib is then not even imported.  The hash covers the
inputs — this module, the evaluator and the definitions that compute the curves, the parameters
and matplotlib's version — never the curves' float bits, which differ between CPUs while the pixels do not.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from derive.checking.numeric import evaluate as evaluate_module
from derive.checking.numeric.evaluate import Evaluator
from derive.checking.numeric.worlds import Table, World
from derive.core.files import write_atomic
from derive.vocabulary import quantities as quantities_module
from derive.vocabulary.context import Setting
from derive.vocabulary.distributions import distributions
from derive.vocabulary.quantities import CrossEntropy, Entropy, KLDivergence

#: The fixed Bernoulli parameter p = P(x = 1), and the grid of q values.
BERNOULLI_P = 0.3
Q_VALUES = np.linspace(0.005, 0.995, 199)
#: The PNG text entry that records what the figure was drawn from.
SOURCE_KEY = "derive-source"


def curves(p_value: float = BERNOULLI_P) -> dict[str, np.ndarray]:
    """H(p), D_KL(p ∥ q) and H(p, q) for Bernoulli p and every q of the grid, evaluated from
    the definitions."""
    p, q = distributions("p q")
    rows = len(Q_VALUES)
    world = World(Setting.DISCRETE, rows, 2, 2, 1,
                  {p: Table(np.tile([1 - p_value, p_value], (rows, 1))),
                   q: Table(np.column_stack([1 - Q_VALUES, Q_VALUES]))}, {}, {})
    evaluator = Evaluator(world)
    return {"q": Q_VALUES, "entropy": evaluator.value(Entropy(p)),
            "kl": evaluator.value(KLDivergence(p, q)),
            "cross_entropy": evaluator.value(CrossEntropy(p, q))}


def source_hash(p_value: float = BERNOULLI_P) -> str:
    """A hash of everything the figure's pixels depend on: the code that draws and computes it,
    its parameters, and matplotlib's version."""
    digest = hashlib.sha256()
    for module in (Path(__file__), Path(evaluate_module.__file__),
                   Path(quantities_module.__file__)):
        digest.update(module.read_bytes())
    digest.update(f"p={p_value!r} q={Q_VALUES[0]!r}..{Q_VALUES[-1]!r}/{len(Q_VALUES)}".encode())
    digest.update(importlib.metadata.version("matplotlib").encode())
    return digest.hexdigest()


def png_text(data: bytes) -> dict[str, str]:
    """The tEXt entries of a PNG."""
    entries, position = {}, 8
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        kind = data[position + 4:position + 8]
        if kind == b"tEXt":
            key, _, value = data[position + 8:position + 8 + length].partition(b"\0")
            entries[key.decode("latin-1")] = value.decode("latin-1")
        position += 12 + length
    return entries


def render_png(p_value: float = BERNOULLI_P) -> bytes:
    """The figure as PNG bytes (needs matplotlib), tagged with its source hash."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = curves(p_value)
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 10,
                                "svg.hashsalt": "derive", "path.simplify": False}):
        figure, axes = plt.subplots(figsize=(6.4, 3.8), dpi=150)
        q, h, kl, ce = data["q"], data["entropy"], data["kl"], data["cross_entropy"]
        axes.fill_between(q, 0, h, color="#9ecae1", label=r"$H(p)$")
        axes.fill_between(q, h, h + kl, color="#fdae6b",
                          label=r"$D_{\mathrm{KL}}(p \parallel q)$")
        axes.plot(q, ce, color="#222222", linewidth=1.6, label=r"$H(p, q)$")
        axes.axvline(p_value, color="#777777", linewidth=0.8, linestyle=":")
        axes.annotate(r"$q = p$: $D_{\mathrm{KL}} = 0$", (p_value, 0.05), xytext=(6, 0),
                      textcoords="offset points", color="#444444")
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 3)
        axes.set_xlabel(r"$q = P_q(x = 1)$")
        axes.set_ylabel("nats")
        axes.set_title(rf"Bernoulli $p = {p_value:g}$: $H(p, q) = H(p) + "
                       r"D_{\mathrm{KL}}(p \parallel q)$")
        axes.legend(loc="upper center", frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png",
                       metadata={"Software": None, SOURCE_KEY: source_hash(p_value)})
        plt.close(figure)
    return buffer.getvalue()


def matplotlib_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


@dataclass(frozen=True)
class Figure:
    """A figure a derivation can show: where it goes, what it says, how it is drawn."""

    filename: str
    caption: str
    render: Callable[[], bytes]
    source: Callable[[], str]


#: Figures by the name a derivation refers to them with.
FIGURES = {
    "cross-entropy-decomposition": Figure(
        "figures/cross-entropy-decomposition.png",
        f"Bernoulli p = {BERNOULLI_P:g}, q from 0 to 1: the entropy H(p) (blue) plus the KL "
        "divergence (orange) is the cross entropy H(p, q) (black), computed from the definitions.",
        render_png, source_hash),
}

MISSING = ('The figure needs matplotlib, which is not installed here: '
           'pip install matplotlib, then run derive prove again.')


def write_figure(name: str, out: Path) -> bool:
    """Draw the named figure into `out`; False when matplotlib is not installed."""
    if not matplotlib_available():
        return False
    figure = FIGURES[name]
    path = out / figure.filename
    if path.exists() and png_text(path.read_bytes()).get(SOURCE_KEY) == figure.source():
        return True
    write_atomic(path, figure.render())
    return True
