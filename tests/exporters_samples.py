"""Maps for the exporter tests: a hand-made level holding every platformer tile, and corpus slices.

No model is needed: every map is made from text, so the tests run anywhere.
The corpus slices are used where ``../shared/data/vglc`` is present.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from gamegen.errors import DataError
from gamegen.protocol import Descriptor, GeneratorBase, Options, option
from gamegen.tiles import TileMap

# Every one of the 13 platformer symbols appears at least once.
ALL_TILES = """\
----------------
--o----?S?Q-----
----------------
-------------B--
--E----<>----b--
XXXXX--[]--XXXXX
XXXXX--[]--XXXXX
"""

PROVENANCE = {
    "model": "platformer-gan",
    "model_sha256": "ab" * 32,
    "seed": 7,
    "params": {"width": 16},
    "gamegen_version": "0.1.0",
}


def all_tiles_level(**provenance) -> TileMap:
    return TileMap.from_text(ALL_TILES, "platformer", dict(PROVENANCE, **provenance))


@functools.lru_cache(maxsize=1)
def _corpus():
    from gamegen.corpus import load_platformer_corpus

    try:
        return load_platformer_corpus()
    except DataError:
        return None


def corpus_level(index: int, columns: int = 80) -> TileMap:
    """The first ``columns`` columns of corpus level ``index``, with generator-like provenance."""
    corpus = _corpus()
    if corpus is None:
        pytest.skip("the VGLC corpus is not at ../shared/data/vglc")
    entry = corpus[index % len(corpus)]
    grid = entry.level.grid[:, :columns]
    return TileMap(grid, entry.level.vocabulary, dict(PROVENANCE, seed=1000 + index, params={"width": int(grid.shape[1])}, corpus=entry.name))


@dataclass(frozen=True)
class FakeOptions(Options):
    width: int = option(32, "Level width in columns.", low=1, high=8192)


class FakeGenerator(GeneratorBase[TileMap, FakeOptions]):
    """Stands in for a loaded model: seeds → corpus-like levels made from ALL_TILES, repeated to ``width``."""

    options_type = FakeOptions
    descriptor = Descriptor("fake-gan", "platformer", "a test fake", FakeOptions)

    def _generate(self, seed: int, options: FakeOptions) -> TileMap:
        base = TileMap.from_text(ALL_TILES).grid
        width = options.width
        grid = np.roll(np.tile(base, (1, -(-width // base.shape[1])))[:, :width], seed % 5, axis=1)
        return TileMap(grid, TileMap.from_text(ALL_TILES).vocabulary, dict(PROVENANCE, seed=seed, params={"width": width}))


class ShoutExporter:
    """A third-party exporter as a plugin would ship it: the corpus text, upper-cased."""

    name = "shout"
    extension = "shout.txt"
    description = "corpus text in capitals (test plugin)"

    def export(self, level) -> bytes:
        return level.to_text().upper().encode("ascii")


def run(*cmd: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)
