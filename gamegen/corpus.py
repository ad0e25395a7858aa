"""Readers of the level corpora in ``../shared/data`` (numpy only, no torch).

Platformer corpus: Super Mario Bros (15 levels, all 14 rows) and Super Mario
Bros 2 Japan (22 levels, 12 to 16 rows), both read with the one platformer
vocabulary (the SMB2J legend lacks ``B``/``b`` although its levels use them).

The 14-row rule. Every level is bottom-aligned, because the ground, the pipes'
feet and the pits are measured from the bottom of the screen, and the sky is
what varies:

* a taller level loses rows from the top, and only rows that are all empty
  sky (every SMB2J level of 15 or 16 rows starts with at least two of them);
* a shorter level gains empty sky rows on top (SMB2J World 1-1 has 12 rows,
  World 6-3 has 13).

A taller level whose surplus top rows hold anything is refused with a
DataError: no level, and no tile, is ever dropped silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gamegen.errors import DataError
from gamegen.tiles import TileMap, Vocabulary, load_vocabulary

__all__ = ["CorpusLevel", "PLATFORMER_GAMES", "PLATFORMER_ROWS", "default_data_dir", "load_platformer_corpus", "fit_rows"]

PLATFORMER_ROWS = 14
# Folder of each game under the VGLC root.
PLATFORMER_GAMES = {"smb": "Super Mario Bros", "smb2j": "Super Mario Bros 2 (Japan)"}


@dataclass(frozen=True)
class CorpusLevel:
    game: str  # key of PLATFORMER_GAMES
    name: str  # file stem, e.g. "mario-1-1"
    level: TileMap  # brought to PLATFORMER_ROWS rows
    rows_dropped: int  # empty sky rows removed from the top
    rows_padded: int  # empty sky rows added on top


def default_data_dir() -> Path:
    """``$GAMEGEN_DATA``, else ``../shared/data`` beside the checkout, else beside the working folder."""
    if "GAMEGEN_DATA" in os.environ:
        return Path(os.environ["GAMEGEN_DATA"])
    beside_checkout = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    if beside_checkout.is_dir():
        return beside_checkout
    return Path.cwd().parent / "shared" / "data"


def _vglc_root(data_dir: Path) -> Path:
    """Accept either the data folder or its ``vglc`` folder."""
    data_dir = Path(data_dir)
    for candidate in (data_dir, data_dir / "vglc"):
        if (candidate / PLATFORMER_GAMES["smb"]).is_dir():
            return candidate
    raise DataError(f"no VGLC corpus under {data_dir}: pass --data pointing at shared/data or shared/data/vglc")


def fit_rows(grid: np.ndarray, rows: int, empty_id: int, where: str) -> tuple[np.ndarray, int, int]:
    """Bottom-align ``grid`` to ``rows`` rows by the module's rule → (grid, dropped, padded)."""
    height = grid.shape[0]
    if height > rows:
        surplus = grid[: height - rows]
        if (surplus != empty_id).any():
            raise DataError(f"{where}: {height} rows and its top {height - rows} rows are not empty sky; cannot fit {rows} rows")
        return grid[height - rows :], height - rows, 0
    if height < rows:
        sky = np.full((rows - height, grid.shape[1]), empty_id, dtype=grid.dtype)
        return np.vstack([sky, grid]), 0, rows - height
    return grid, 0, 0


def load_platformer_corpus(data_dir: Path | str | None = None, games: tuple[str, ...] = ("smb", "smb2j")) -> list[CorpusLevel]:
    """Every level of the chosen games, each brought to 14 rows, in file-name order."""
    root = _vglc_root(Path(data_dir) if data_dir is not None else default_data_dir())
    vocab: Vocabulary = load_vocabulary("platformer")
    levels = []
    for game in games:
        folder = root / PLATFORMER_GAMES[game] / "Processed"
        files = sorted(folder.glob("*.txt"))
        if not files:
            raise DataError(f"no level files in {folder}")
        for path in files:
            try:
                raw = TileMap.from_text(path.read_text(encoding="ascii"), vocab)
            except (UnicodeDecodeError, ValueError) as exc:
                raise DataError(f"{path}: {exc}") from None
            grid, dropped, padded = fit_rows(raw.grid, PLATFORMER_ROWS, vocab.empty_id, str(path))
            provenance = {"corpus": "vglc", "game": game, "file": path.name}
            levels.append(CorpusLevel(game, path.stem, TileMap(grid, vocab, provenance), dropped, padded))
    return levels
