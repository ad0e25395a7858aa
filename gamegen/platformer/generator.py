"""Platformer levels from a tile GAN: seed → latent → ONNX Runtime → tile ids.

Two latent layouts, named by the card's ``generator`` field:

* ``sequence`` (platformer-gan): one latent column per 4 level columns, plus a
  margin on each side that the graph crops; any width in one pass.
* ``segments`` (the MarioGAN-style baseline): one latent vector per 28-column
  segment; the segments are laid side by side and cropped to the width.

Determinism: each item's latent is drawn from its own
``Generator(PCG64(seed))``, in column order, so it does not depend on the batch
it is generated in; decoding is an argmax in numpy.

Playability (``playable=True``, the default): a level the agent cannot finish
first gets up to ``RESAMPLES`` local latent re-draws around the column where
the agent stops (from generators seeded by ``(seed, attempt)``, so still a
function of the seed alone); what is left is repaired by minimal local edits
(``gamegen.platformer.repair``). The provenance reports both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.platformer.agent import PlatformerAgent, standing_spots
from gamegen.platformer.expressive import expressive_range
from gamegen.platformer.repair import RepairResult, repair_level
from gamegen.platformer.targets import EVALUATIONS, Blocks, check_targets, parse_targets, search_latent, target_score
from gamegen.protocol import DEFAULT_BATCH, Descriptor, GeneratorBase, Options, option, provenance
from gamegen.runtime.cards import ModelCard
from gamegen.runtime.onnx import OnnxModel
from gamegen.seeds import check_int, rng_for
from gamegen.tiles import TileMap, load_vocabulary

__all__ = ["PlatformerGenerator", "PlatformerOptions"]

COLUMNS_PER_LATENT = 4  # level columns per latent column of the sequence layout (gamegen.train.platformer_gan builds to it)
RESAMPLES = 3  # local latent re-draws before edits
RESAMPLE_SPAN = 6  # latent columns re-drawn around the stuck column (24 level columns)
BLOCK_LATENT = 4  # latent columns per block when a level is composed to targets (16 level columns)
CONTROL_ROUNDS = 3  # search rounds, each aiming past the drift repair added in the last


@dataclass(frozen=True)
class PlatformerOptions(Options):
    """What a platformer level is asked for; the model's card narrows the width range."""

    width: int = option(200, "Level width in columns.", low=28, high=8192)
    playable: bool = option(True, "Sane and finishable (repaired); --raw: the network's own output.", flag="--playable/--raw")
    targets: dict | None = option(None, "Expressive-range targets, e.g. density=0.15,leniency=0.8,linearity=0.9.", type=dict,
                                  flag="--target", checker=check_targets, parse=parse_targets)


class PlatformerGenerator(GeneratorBase[TileMap, PlatformerOptions]):
    """Runs one platformer model; made by ``gamegen.load``."""

    options_type = PlatformerOptions

    @classmethod
    def describe(cls, card: ModelCard) -> Descriptor:
        """What this generator is, from its card alone (no model loaded)."""
        return Descriptor(card.name, "platformer", card.data.get("summary", ""), PlatformerOptions, card, formats="txt,png")

    def __init__(self, card: ModelCard, model: OnnxModel):
        self.card = card
        self.model = model
        self.descriptor = self.describe(card)
        self.vocabulary = load_vocabulary(card.data["vocabulary"])
        self.layout = card.data["generator"]
        config = card.data["config"]
        self.latent_size = int(config["latent"])
        self.margin = int(config.get("margin", 0))
        self.segment = int(config.get("window", 28))
        self.min_width = int(card.data["width"]["min"])
        self.max_width = int(card.data["width"]["max"])
        self.agent = PlatformerAgent(self.vocabulary)

    def __repr__(self) -> str:
        return f"PlatformerGenerator({self.name!r}, widths {self.min_width}-{self.max_width})"

    # -- public API -------------------------------------------------------

    def options(self, values=None, /, **overrides) -> PlatformerOptions:
        options = super().options(values, **overrides)
        check_int("width", options.width, self.min_width, self.max_width)  # this model's range, within the kind's
        return options

    def _generate(self, seed: int, options: PlatformerOptions) -> TileMap:
        """One level of ``width`` columns from ``seed``; with ``playable``, sane and finishable.

        ``targets`` (for example ``{"density": 0.15, "linearity": 0.8}``) steers the
        level towards expressive-range values by latent search (``platformer.targets``).
        """
        if options.targets is None:
            return self._generate_batch([seed], options, DEFAULT_BATCH)[0]
        level, measured, used = self._controlled(seed, options.width, options.playable, options.targets)
        level.provenance["params"]["targets"] = options.targets
        level.provenance["control"] = {
            "measured": {k: round(v, 4) for k, v in measured.items()},
            "hit": target_score(measured, options.targets) <= 1.0,
            "evaluations": used,
        }
        return level

    def _generate_batch(self, seeds: list[int], options: PlatformerOptions, batch_size: int) -> list[TileMap]:
        """Levels for ``seeds``, identical to generating each alone."""
        if options.targets is not None:  # each search is its own sequence of batched inferences
            return [self._generate(seed, options) for seed in seeds]
        width, playable = options.width, options.playable
        levels: list[TileMap] = []
        for start in range(0, len(seeds), batch_size):
            chunk = seeds[start : start + batch_size]
            latents = [self.latent(seed, width) for seed in chunk]
            for seed, latent, grid in zip(chunk, latents, self._grids(latents, width)):
                levels.append(self._finish(seed, width, latent, grid) if playable else self._raw(seed, width, grid))
        return levels

    def play(self, level: TileMap):
        """The agent's verdict and path on ``level``."""
        if not isinstance(level, TileMap) or level.vocabulary != self.vocabulary:
            raise InvalidRequest(f"play needs a TileMap of the {self.vocabulary.name} vocabulary, got {level!r}")
        return self.agent.play(level)

    # -- inside -----------------------------------------------------------

    def _provenance(self, seed: int, width: int, playable: bool) -> dict:
        return provenance(self.descriptor, seed, {"width": width, "playable": playable})

    def _raw(self, seed: int, width: int, grid: np.ndarray) -> TileMap:
        return TileMap(grid, self.vocabulary, self._provenance(seed, width, False))

    def _finish(self, seed: int, width: int, latent: np.ndarray, grid: np.ndarray) -> TileMap:
        """Re-draw the latent locally while the agent is stuck, then repair by edits."""
        # Re-draws are judged on the cheap check (structure fixes, one play); only the last is widened by edits.
        result: RepairResult = repair_level(grid, self.vocabulary, self.agent, widen=False)
        resamples = 0
        while result.stuck_at >= 0 and resamples < RESAMPLES:
            resamples += 1
            latent = self._redraw(latent, seed, resamples, result.stuck_at)
            grid = self._grids([latent], width)[0]
            result = repair_level(grid, self.vocabulary, self.agent, widen=False)
        if not result.play.finishable:
            result = repair_level(grid, self.vocabulary, self.agent)
        level = TileMap(result.grid, self.vocabulary, self._provenance(seed, width, True))
        level.provenance["repair"] = {"resamples": resamples, "edits": result.edits, "last_resort": result.last_resort}
        level.objects = _markers(result, self.vocabulary.mask("solid")[result.grid])
        return level

    def _redraw(self, latent: np.ndarray, seed: int, attempt: int, column: int) -> np.ndarray:
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, attempt])))
        latent = latent.copy()
        if self.layout == "sequence":  # (Z, L): the columns that make level columns near ``column``
            centre = column // COLUMNS_PER_LATENT + self.margin
            lo, hi = max(centre - RESAMPLE_SPAN // 2, 0), min(centre + RESAMPLE_SPAN // 2 + 1, latent.shape[1])
            latent[:, lo:hi] = rng.standard_normal((hi - lo, latent.shape[0]), dtype=np.float32).T
        else:  # (S, Z): the segment holding ``column`` and the next one
            lo = min(column // self.segment, latent.shape[0] - 1)
            hi = min(lo + 2, latent.shape[0])
            latent[lo:hi] = rng.standard_normal((hi - lo, latent.shape[1]), dtype=np.float32)
        return latent

    def _controlled(self, seed: int, width: int, playable: bool, targets: dict) -> tuple[TileMap, dict, int]:
        """Latent search towards ``targets``, aware of repair → (level, its measures, evaluations used).

        Repair moves the measures (a bridged pit raises leniency and density), so the
        search is run in rounds: after each, the shipped level is measured, and the
        next round aims at the targets less the drift repair added. The best
        shipped level of the rounds is kept.
        """
        decode = lambda ls: self._grids(ls, width)  # noqa: E731 - one inference for a list of latents
        latent, aim, used = self.latent(seed, width), dict(targets), 0
        best: tuple[float, TileMap, dict[str, float]] | None = None
        for round_ in range(CONTROL_ROUNDS if playable else 1):
            budget = EVALUATIONS // 2 if round_ == 0 else EVALUATIONS // (2 * (CONTROL_ROUNDS - 1))
            latent, _, _, spent = search_latent(decode, self.vocabulary, latent, seed + round_, aim, self._blocks(width), budget)
            used += spent
            grid = decode([latent])[0]
            level = self._finish(seed, width, latent, grid) if playable else self._raw(seed, width, grid)
            measured = expressive_range(level.grid, self.vocabulary)
            score = target_score(measured, targets)
            if best is None or score < best[0]:
                best = (score, level, measured)
            if score <= 1.0:
                break
            aim = {k: float(np.clip(aim[k] - (measured[k] - v), 0.0, 1.0)) for k, v in targets.items()}  # shift by the miss
        assert best is not None  # one round at least
        return best[1], best[2], used

    def _blocks(self, width: int) -> Blocks:
        """The latent's pieces and the level columns each makes, for composing a level to targets."""
        if self.layout == "sequence":  # blocks of BLOCK_LATENT latent columns; the margins stay the seed's
            columns = -(-width // COLUMNS_PER_LATENT)
            starts = range(0, columns, BLOCK_LATENT)
            latent = tuple((self.margin + a, self.margin + min(a + BLOCK_LATENT, columns)) for a in starts)
            level = tuple((a * COLUMNS_PER_LATENT, min((a + BLOCK_LATENT) * COLUMNS_PER_LATENT, width)) for a in starts)
            return Blocks(1, latent, level)
        segments = -(-width // self.segment)
        return Blocks(0, tuple((s, s + 1) for s in range(segments)), tuple((s * self.segment, min((s + 1) * self.segment, width)) for s in range(segments)))

    def latent(self, seed: int, width: int) -> np.ndarray:
        """The latent of one item: (Z, L) for ``sequence``, (segments, Z) for ``segments``."""
        width = check_int("width", width, self.min_width, self.max_width)
        rng = rng_for(seed)
        if self.layout == "sequence":
            columns = -(-width // COLUMNS_PER_LATENT) + 2 * self.margin
            return rng.standard_normal((columns, self.latent_size), dtype=np.float32).T.copy()  # (Z, L)
        if self.layout == "segments":
            segments = -(-width // self.segment)
            return rng.standard_normal((segments, self.latent_size), dtype=np.float32)  # (S, Z)
        raise InvalidRequest(f"model {self.name}: unknown latent layout {self.layout!r}")

    def _grids(self, latents: Sequence[np.ndarray], width: int) -> list[np.ndarray]:
        """One ONNX Runtime call for all ``latents`` → (H, width) tile ids each."""
        if self.layout == "sequence":
            (logits,) = self.model.run(latent=np.stack(latents))  # (B, T, H, W')
            return [self._decode(item)[:, :width] for item in logits]
        # segments: every segment of every level in one call, then laid side by side
        (logits,) = self.model.run(latent=np.concatenate(latents))  # (B·S, T, H, 28)
        per_level = np.split(logits, len(latents))
        return [np.concatenate([self._decode(seg) for seg in segs], axis=1)[:, :width] for segs in per_level]

    @staticmethod
    def _decode(logits: np.ndarray) -> np.ndarray:
        """(T, H, W) tile logits → (H, W) tile ids."""
        return logits.argmax(axis=0).astype(np.int16)


def _markers(result: RepairResult, solid: np.ndarray) -> list[dict]:
    """Player start (where the agent starts) and exit (the lowest standing spot of the last column)."""
    if not result.play.finishable:
        return []
    assert result.play.start is not None  # a finishable level has a start
    (sx, sy) = result.play.start
    exit_rows = np.flatnonzero(standing_spots(solid)[:, -1])
    return [{"name": "start", "x": sx, "y": sy}, {"name": "exit", "x": solid.shape[1] - 1, "y": int(exit_rows[-1])}]
