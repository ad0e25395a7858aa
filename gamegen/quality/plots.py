"""PNG plots of an evaluation (matplotlib, the ``plots`` extra): expressive range beside the corpus', edits."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.files import atomic_write_bytes

__all__ = ["write_eval_plots"]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InvalidRequest("plots need matplotlib: pip install 'gamegen[plots]'") from None
    return plt


def _save(fig, path: Path) -> Path:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return atomic_write_bytes(path, buffer.getvalue())


def write_eval_plots(result: dict, corpus: dict[str, list[float]], out_dir: Path) -> list[Path]:
    """expressive-range.png (2-D histograms, generated beside corpus) and edits.png → the paths written."""
    plt = _pyplot()
    measures = result["_measures"]
    pairs = (("density", "linearity"), ("density", "leniency"), ("leniency", "linearity"))
    fig, axes = plt.subplots(2, 3, figsize=(13, 8), constrained_layout=True)
    for row, (label, data) in enumerate(((f"{result['model']} ({result['levels']} levels)", measures), (f"corpus ({len(corpus['density'])} windows)", corpus))):
        for col, (mx, my) in enumerate(pairs):
            ax = axes[row, col]
            ax.hist2d(data[mx], data[my], bins=30, range=[[0, 1], [0, 1]] if mx != "density" else [[0, 0.4], [0, 1]], cmap="viridis", cmin=1)
            ax.set_xlabel(mx)
            ax.set_ylabel(my)
            ax.set_title(label, fontsize=9)
    fig.suptitle(f"Expressive range, {result['width']}-column levels")
    paths = [_save(fig, out_dir / "expressive-range.png")]
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    edits = np.array(result["_edits"])
    ax.hist(edits, bins=np.arange(0, max(int(edits.max()), 1) + 2) - 0.5 if edits.max() < 60 else 60, color="#4a7")
    ax.set_xlabel("tiles changed by repair")
    ax.set_ylabel("levels")
    rates = f"raw playable {result['raw_playable_rate']:.1%}, after repair {result['playable_rate']:.1%}"
    ax.set_title(f"{result['model']}: {rates}, mean edits {result['edits_mean']}")
    paths.append(_save(fig, out_dir / "edits.png"))
    plt.close(fig)
    return paths
