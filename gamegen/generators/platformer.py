"""Platformer levels from a tile GAN: seed → latent → ONNX Runtime → tile ids.

Two latent layouts, named by the card's ``generator`` field:

* ``sequence`` (platformer-gan): one latent column per 4 level columns, plus a
  margin on each side that the graph crops; any width in one pass.
* ``segments`` (the MarioGAN-style baseline): one latent vector per 28-column
  segment; the segments are laid side by side and cropped to the width.

Determinism: each item's latent is drawn from its own
``Generator(PCG64(seed))``, in column order, so it does not depend on the batch
it is generated in; decoding is an argmax in numpy.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from .. import __version__
from ..cards import ModelCard
from ..errors import InvalidRequest
from ..runtime import OnnxModel
from ..seeds import check_int, check_seed, rng_for
from ..tiles import TileMap, load_vocabulary

__all__ = ["PlatformerGenerator"]

COLUMNS_PER_LATENT = 4
DEFAULT_BATCH = 32  # levels per ONNX Runtime call in generate_batch


class PlatformerGenerator:
    """Runs one platformer model; made by ``gamegen.load``."""

    def __init__(self, card: ModelCard, model: OnnxModel):
        self.card = card
        self.model = model
        self.name = card.name
        self.vocabulary = load_vocabulary(card.data["vocabulary"])
        self.layout = card.data["generator"]
        config = card.data["config"]
        self.latent_size = int(config["latent"])
        self.margin = int(config.get("margin", 0))
        self.segment = int(config.get("window", 28))
        self.min_width = int(card.data["width"]["min"])
        self.max_width = int(card.data["width"]["max"])

    def __repr__(self) -> str:
        return f"PlatformerGenerator({self.name!r}, widths {self.min_width}-{self.max_width})"

    # -- public API -------------------------------------------------------

    def generate(self, seed: int, width: int = 200) -> TileMap:
        """One level of ``width`` columns from ``seed``."""
        return self.generate_batch([seed], width=width)[0]

    def generate_batch(self, seeds: Iterable[int], width: int = 200, batch_size: int = DEFAULT_BATCH) -> list[TileMap]:
        """Levels for ``seeds``, identical to generating each alone."""
        seeds = [check_seed(s) for s in seeds]
        width = check_int("width", width, self.min_width, self.max_width)
        batch_size = check_int("batch_size", batch_size, 1, 4096)
        levels: list[TileMap] = []
        for start in range(0, len(seeds), batch_size):
            chunk = seeds[start : start + batch_size]
            grids = self._grids(chunk, width)
            levels.extend(TileMap(grid, self.vocabulary, self._provenance(seed, width)) for seed, grid in zip(chunk, grids))
        return levels

    # -- inside -----------------------------------------------------------

    def _provenance(self, seed: int, width: int) -> dict:
        return {
            "model": self.name,
            "model_sha256": self.card.sha256,
            "seed": seed,
            "params": {"width": width},
            "gamegen_version": __version__,
        }

    def latent(self, seed: int, width: int) -> np.ndarray:
        """The latent of one item: (Z, L) for ``sequence``, (segments, Z) for ``segments``."""
        rng = rng_for(seed)
        if self.layout == "sequence":
            columns = -(-width // COLUMNS_PER_LATENT) + 2 * self.margin
            return rng.standard_normal((columns, self.latent_size), dtype=np.float32).T.copy()  # (Z, L)
        if self.layout == "segments":
            segments = -(-width // self.segment)
            return rng.standard_normal((segments, self.latent_size), dtype=np.float32)  # (S, Z)
        raise InvalidRequest(f"model {self.name}: unknown latent layout {self.layout!r}")

    def _grids(self, seeds: Sequence[int], width: int) -> list[np.ndarray]:
        latents = [self.latent(seed, width) for seed in seeds]
        if self.layout == "sequence":
            (logits,) = self.model.run(latent=np.stack(latents))  # (B, T, H, W')
            return [self._decode(item)[:, :width] for item in logits]
        # segments: run every segment of every level in one call, then lay them side by side
        (logits,) = self.model.run(latent=np.concatenate(latents))  # (B·S, T, H, 28)
        per_level = np.split(logits, len(seeds))
        return [np.concatenate([self._decode(seg) for seg in segs], axis=1)[:, :width] for segs in per_level]

    @staticmethod
    def _decode(logits: np.ndarray) -> np.ndarray:
        """(T, H, W) tile logits → (H, W) tile ids."""
        return logits.argmax(axis=0).astype(np.int16)
