"""Expressive range of platformer levels: density, leniency, linearity (each in [0, 1]).

Definitions follow the usual Mario expressive-range measures (Smith &
Whitehead 2010; as MarioGAN and its successors use them), computed from the
vocabulary's tags so no game symbol is named here:

* density: share of the level's tiles that are ``solid``;
* leniency: 1 − penalty / width, where the penalty counts each ``enemy`` as 1,
  each ``cannon-top`` as 1 and each column with no ground on the bottom row
  (a pit column) as 0.5, clipped to [0, 1] — higher is easier;
* linearity: how well the ground profile fits a straight line: the profile is
  the lowest standing spot of each column that has one; 1 − mean absolute
  residual of a least-squares line ÷ (rows ÷ 2), clipped to [0, 1].
"""

from __future__ import annotations

import numpy as np

from gamegen.platformer.agent import standing_spots
from gamegen.tiles import Vocabulary

__all__ = ["MEASURES", "expressive_range"]

MEASURES = ("density", "leniency", "linearity")


def expressive_range(grid: np.ndarray, vocab: Vocabulary) -> dict[str, float]:
    height, width = grid.shape
    solid = vocab.mask("solid")[grid]
    density = float(solid.mean())
    pits = int((~solid[-1]).sum())
    penalty = int(vocab.mask("enemy")[grid].sum()) + int(vocab.mask("cannon-top")[grid].sum()) + 0.5 * pits
    leniency = float(np.clip(1.0 - penalty / width, 0.0, 1.0))
    stand = standing_spots(solid)
    columns = np.flatnonzero(stand.any(axis=0))
    if len(columns) < 2:
        return {"density": density, "leniency": leniency, "linearity": 0.0}
    heights = np.argmax(stand[::-1, columns], axis=0)  # rows above the bottom of each column's lowest spot
    slope, intercept = np.polyfit(columns, heights, 1)
    residual = np.abs(heights - (slope * columns + intercept)).mean()
    linearity = float(np.clip(1.0 - residual / (height / 2), 0.0, 1.0))
    return {"density": density, "leniency": leniency, "linearity": linearity}
