"""Dungeon rooms from a conditional VAE, and whole dungeons assembled from them.

    gen = gamegen.load("dungeon-vae")
    room = gen.generate(7)                       # one 11x16 room (TileMap), doors drawn as the corpus has them
    room = gen.generate(7, doors="NS")           # ... with doors north and south
    dungeon = gen.generate(3, rooms=12)          # a Dungeon: one TileMap of every room, plus dungeon.rooms (the graph)
    z = gen.encode(my_room)                      # a designer's room (11 rows of 16 symbols, or ids) → latent
    gen.interpolate(room_a, room_b, steps=8)     # rooms along the line between two latents
    gen.variations(my_room, n=8, strength=0.5, seed=1)

The decoder (the card's main graph) maps (latent, door mask) to tile logits;
the encoder (the card's ``graphs.encoder``) maps (room, door mask) to the
latent's mean and log-variance. Every room that leaves the generator has walls
exact for its doors (``rooms.shape_room``) and its doors joined inside
(``assembly.connect_room``); both edits are counted in the provenance.

Novelty: a decoded room whose inside differs from a corpus room (or a mirror
image of one) in fewer than ``near_copy_tiles`` tiles, or whose blocks and water
repeat an earlier room of the same dungeon, is drawn again, up to REDRAWS
times, from a generator seeded by (seed, room, attempt); the corpus rooms ship
in the decoder's ONNX metadata, so the sha256 covers them.

Symmetry: each new room draws a symmetry (none, left-right, up-down, both) in
the proportions of the corpus rooms (59% of them are symmetric both ways, 8%
neither); the decoder then also runs on the mirrored door masks and the
mirrored logits are flipped back and summed, so the room is exactly as
symmetric as drawn. ``decode``, ``interpolate`` and ``variations`` decode
plainly: they follow the room or latent they are given.

Determinism: one ``Generator(PCG64(seed))`` per item draws the plan, then the
door mask or the latents, then the symmetries, in a fixed order; decoding is an
argmax in numpy.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from gamegen.dungeon.assembly import Dungeon, assemble, connect_room
from gamegen.dungeon.layout import plan_dungeon
from gamegen.dungeon.play import check_dungeon
from gamegen.dungeon.rooms import COLS, INTERIOR, ROWS, SIDES, check_room_request, door_mask, shape_room, tile_id
from gamegen.errors import InvalidRequest, ModelError
from gamegen.protocol import Descriptor, GeneratorBase, Options, option, provenance
from gamegen.runtime.cards import ModelCard
from gamegen.runtime.onnx import OnnxModel
from gamegen.seeds import check_int, check_seed, rng_for
from gamegen.tiles import TileMap, load_vocabulary

__all__ = ["DungeonGenerator", "DungeonOptions", "MAX_ROOMS"]

MAX_ROOMS = 64  # rooms in one dungeon (the largest corpus dungeon has 57 rooms on its map)
REDRAWS = 32  # latent re-draws of a room that nearly copies a corpus room
MAX_STEPS = 64
MAX_VARIATIONS = 256
MAX_STRENGTH = 4.0
LETTERS = "NESW"  # door masks as letters, in SIDES order
# The flips of a room's (..., rows, columns) array summed for each symmetry: (flip rows, flip columns).
SYMMETRIES = {"none": ((False, False),), "left-right": ((False, False), (False, True)), "up-down": ((False, False), (True, False)),
              "both": ((False, False), (False, True), (True, False), (True, True))}


def _doors_letters(doors) -> str:
    """Doors as letters or four bools → the letters, checked ("NS")."""
    return _mask_letters(_check_doors(doors))


@dataclass(frozen=True)
class DungeonOptions(Options):
    """One room (``rooms=None``, doors drawn or given) or a whole dungeon of ``rooms`` rooms."""

    rooms: int | None = option(None, "Rooms per dungeon, 1-64 (default: each seed makes one room).", type=int, low=1, high=MAX_ROOMS)
    doors: str | None = option(None, "A single room's doors, letters of N, E, S, W (default: drawn as the corpus has them).",
                               type=str, flag="", checker=_doors_letters)

    def validate(self) -> None:
        if self.doors is not None and self.rooms is not None:
            raise InvalidRequest("doors applies to a single room; a dungeon's doors come from its plan")

    def matches(self, params: Mapping[str, Any]) -> bool:
        """A room made with drawn doors records them: only given doors must match."""
        return params.get("rooms") == self.rooms and (self.doors is None or params.get("doors") == self.doors)


class DungeonGenerator(GeneratorBase[TileMap, DungeonOptions]):
    """Runs one dungeon VAE (decoder + encoder); made by ``gamegen.load``."""

    options_type = DungeonOptions

    @classmethod
    def describe(cls, card: ModelCard) -> Descriptor:
        """What this generator is, from its card alone (no model loaded)."""
        return Descriptor(card.name, "dungeon", card.data.get("summary", ""), DungeonOptions, card, formats="txt,png")

    def __init__(self, card: ModelCard, model: OnnxModel, graphs: dict[str, OnnxModel] | None = None):
        if not graphs or "encoder" not in graphs:
            raise ModelError(f"model {card.name}: a dungeon VAE needs its encoder graph (card graphs.encoder); retrain with gamegen train {card.name}")
        self.card, self.decoder, self.encoder = card, model, graphs["encoder"]
        self.descriptor = self.describe(card)
        self.vocabulary = load_vocabulary(card.data["vocabulary"])
        config = card.data["config"]
        self.latent_size, self.n_tiles = int(config["latent"]), int(config["n_tiles"])
        dungeon = card.data["dungeon"]
        self.stats = {key: float(dungeon["statistics"][key]) for key in ("loops_per_room", "key_locked_share", "enemy_room_share")}
        masks = dungeon["door_masks"]  # letters → rooms of the corpus with those doors
        self._masks = [_letters_mask(letters) for letters in sorted(masks)]
        counts = np.array([masks[letters] for letters in sorted(masks)], dtype=np.float64)
        self._mask_p = counts / counts.sum()
        self.near_copy_tiles = int(dungeon["near_copy_tiles"])
        shares = dungeon["symmetry"]  # share of corpus rooms of each symmetry
        self._symmetry_kinds = sorted(SYMMETRIES)
        self._symmetry_p = np.array([float(shares[k]) for k in self._symmetry_kinds]) / sum(float(shares[k]) for k in self._symmetry_kinds)
        self._corpus: np.ndarray | None = None
        self.min_rooms, self.max_rooms = 1, MAX_ROOMS

    def __repr__(self) -> str:
        return f"DungeonGenerator({self.name!r}, rooms 1-{self.max_rooms})"

    # -- public API -------------------------------------------------------

    def _generate(self, seed: int, options: DungeonOptions) -> TileMap:
        """One room (``rooms=None``; ``doors`` such as "NS", else drawn) or a Dungeon of ``rooms`` rooms."""
        if options.rooms is None:
            return self._room(seed, None if options.doors is None else _letters_mask(options.doors))
        return self._dungeon(seed, options.rooms)

    def encode(self, room, doors=None) -> np.ndarray:
        """A room (11 rows of 16 symbols, an (11, 16) id grid or a TileMap) → its latent mean, (Z,) float32."""
        grid = self._network_room(room)
        mask = door_mask(grid, self.vocabulary) if doors is None else _check_doors(doors)
        mu, _ = self.encoder.run(room=_one_hot(grid[None], self.n_tiles), doors=mask[None].astype(np.float32))
        return mu[0]

    def decode(self, latent, doors) -> TileMap:
        """A latent (Z,) and a door mask → the room, walls shaped and doors joined."""
        latent = self._check_latent(latent)
        return self._finished(self._decode(latent[None], _check_doors(doors)[None])[0], _check_doors(doors), {"latent": "given"}, 0)

    def interpolate(self, a, b, steps: int = 8, doors=None) -> list[TileMap]:
        """``steps`` rooms along the straight line from ``a`` to ``b`` (rooms or latents), ends included.

        The doors are ``doors`` if given, else those of ``a`` (when ``a`` is a room), else of ``b``.
        """
        steps = check_int("steps", steps, 2, MAX_STEPS)
        if doors is None:
            doors = next((door_mask(self._network_room(x), self.vocabulary) for x in (a, b) if not _is_latent(x)), None)
            if doors is None:
                raise InvalidRequest("interpolating between two latents needs doors, e.g. doors='NS'")
        mask = _check_doors(doors)
        za, zb = (self._check_latent(x) if _is_latent(x) else self.encode(x, mask) for x in (a, b))
        weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
        latents = (1 - weights) * za + weights * zb  # (steps, Z)
        grids = self._decode(latents, np.repeat(mask[None], steps, axis=0))
        return [self._finished(grid, mask, {"interpolate": {"steps": steps, "at": round(float(w), 4)}}, 0) for grid, w in zip(grids, weights[:, 0])]

    def variations(self, room, n: int = 8, strength: float = 0.5, seed: int = 0) -> list[TileMap]:
        """``n`` rooms near ``room``: its latent plus ``strength`` times seeded Gaussian noise; same doors."""
        n = check_int("n", n, 1, MAX_VARIATIONS)
        if isinstance(strength, bool) or not isinstance(strength, numbers.Real) or not 0 <= strength <= MAX_STRENGTH:
            raise InvalidRequest(f"strength must be a number in [0, {MAX_STRENGTH:g}], got {strength!r}")
        seed = check_seed(seed)
        grid = self._network_room(room)
        mask = door_mask(grid, self.vocabulary)
        centre = self.encode(grid, mask)
        noise = rng_for(seed).standard_normal((n, self.latent_size), dtype=np.float32)
        grids = self._decode(centre + np.float32(strength) * noise, np.repeat(mask[None], n, axis=0))
        params = {"variations": {"n": n, "strength": float(strength)}}
        return [self._finished(g, mask, params, seed) for g in grids]

    def check(self, dungeon: TileMap):
        """The reachability verdict of a dungeon (``gamegen.dungeon.play.check_dungeon``)."""
        return check_dungeon(dungeon)

    # -- rooms --------------------------------------------------------------

    def _room(self, seed: int, mask: np.ndarray | None) -> TileMap:
        rng = rng_for(seed)
        if mask is None:
            mask = self._masks[int(rng.choice(len(self._masks), p=self._mask_p))]
        latent = rng.standard_normal((1, self.latent_size), dtype=np.float32)
        symmetry = self._symmetries(rng, 1)
        ((grid, walls, cleared, redraws),) = self._novel(self._decode(latent, mask[None], symmetry), mask[None], seed, symmetry)
        room = TileMap(grid, self.vocabulary, self._provenance(seed, {"doors": _mask_letters(mask)}))
        room.provenance["repair"] = {"wall_tiles": walls, "cleared": cleared, "redraws": redraws}
        return room

    def _finish(self, raw: np.ndarray, mask: np.ndarray, symmetry: str = "none") -> tuple[np.ndarray, int, int]:
        """Walls shaped for ``mask``, doors joined inside (what is cleared, cleared in the mirror too,
        so a symmetric room stays symmetric) → (grid, wall tiles changed, tiles cleared)."""
        shaped, walls = shape_room(raw, mask, self.vocabulary)
        grid, _ = connect_room(shaped, mask, self.vocabulary)
        inside = np.zeros(grid.shape, dtype=bool)
        inside[INTERIOR] = True
        changed = (grid != shaped) & inside
        mirrored = sum(_flipped(changed, rows, cols).astype(np.int8) for rows, cols in SYMMETRIES[symmetry]) > 0
        grid[mirrored & ~self.vocabulary.mask("passable")[grid]] = tile_id(self.vocabulary, "floor")
        return grid, walls, int((grid != shaped).sum())

    def _finished(self, raw: np.ndarray, mask: np.ndarray, params: dict, seed: int) -> TileMap:
        grid, walls, cleared = self._finish(raw, mask)
        provenance = self._provenance(seed, params)
        provenance["repair"] = {"wall_tiles": walls, "cleared": cleared, "redraws": 0}
        return TileMap(grid, self.vocabulary, provenance)

    def _novel(self, raw: np.ndarray, masks: np.ndarray, seed: int, symmetry: list[str]) -> list[tuple[np.ndarray, int, int, int]]:
        """Finish every room; re-draw, from (seed, room, attempt), those whose finished room nearly copies a corpus
        room or has the blocks and water of an earlier room of the same dungeon.

        → [(grid, wall tiles changed, tiles cleared, re-draws)] per room, in order.
        """
        done = [self._finish(grid, mask, kind) for grid, mask, kind in zip(raw, masks, symmetry)]
        redraws = [0] * len(done)
        for attempt in range(1, REDRAWS + 1):
            layouts = [self._layout(grid) for grid, _, _ in done]
            near = [i for i, (grid, _, _) in enumerate(done) if self.copy_distance(grid) < self.near_copy_tiles or layouts[i] in layouts[:i]]
            if not near:
                break
            rngs = [_redraw_rng(seed, i, attempt) for i in near]
            latents = np.stack([rng.standard_normal(self.latent_size, dtype=np.float32) for rng in rngs])
            kinds = [self._symmetries(rng, 1)[0] for rng in rngs]
            for i, grid, kind in zip(near, self._decode(latents, masks[near], kinds), kinds):
                done[i], redraws[i] = self._finish(grid, masks[i], kind), attempt
        return [(grid, walls, cleared, redraws[i]) for i, (grid, walls, cleared) in enumerate(done)]

    def _layout(self, grid: np.ndarray) -> bytes:
        """What a player sees of a room's inside: where it cannot walk (blocks, water, pits)."""
        return (~self.vocabulary.mask("passable")[grid[INTERIOR]]).tobytes()

    def corpus_interiors(self) -> np.ndarray:
        """(N, 84) interiors of the corpus rooms and their mirror images, from the decoder's metadata."""
        if self._corpus is None:
            meta = self.decoder.session.get_modelmeta().custom_metadata_map
            if "gamegen.corpus_rooms" not in meta:
                raise ModelError(f"model {self.name}: its ONNX file lacks the gamegen.corpus_rooms metadata; retrain with gamegen train {self.name}")
            rows = meta["gamegen.corpus_rooms"].split("\n")
            grids = self.vocabulary.encode(rows).reshape(-1, ROWS, COLS)
            inside = grids[:, INTERIOR[0], INTERIOR[1]]
            variants = np.concatenate([inside, inside[:, :, ::-1], inside[:, ::-1, :], inside[:, ::-1, ::-1]])
            self._corpus = np.unique(variants.reshape(len(variants), -1), axis=0)
        return self._corpus

    def copy_distance(self, grid: np.ndarray) -> int:
        """Tiles by which a room's inside differs from the nearest corpus room (or mirror image)."""
        inside = np.asarray(grid)[INTERIOR].reshape(-1)
        return int((self.corpus_interiors() != inside).sum(axis=1).min())

    # -- dungeons -----------------------------------------------------------

    def _dungeon(self, seed: int, count: int) -> Dungeon:
        rng = rng_for(seed)
        plan = plan_dungeon(rng, count, self.stats)
        masks = plan.masks()
        latents = rng.standard_normal((count, self.latent_size), dtype=np.float32)
        kinds = self._symmetries(rng, count)
        made = self._novel(self._decode(latents, masks, kinds), masks, seed, kinds)
        rooms = [grid for grid, _, _, _ in made]
        walls, cleared, redraws = (sum(m[k] for m in made) for k in (1, 2, 3))
        provenance = self._provenance(seed, {"rooms": count})
        dungeon = assemble(plan, rooms, self.vocabulary, provenance, rng)
        verdict = check_dungeon(dungeon)
        provenance["repair"] = {"wall_tiles": walls, "cleared": cleared, "redraws": redraws}
        provenance["valid"] = verdict.valid
        return dungeon

    # -- inside -----------------------------------------------------------

    def _provenance(self, seed: int, params: dict) -> dict:
        return provenance(self.descriptor, seed, params)

    def _symmetries(self, rng: np.random.Generator, count: int) -> list[str]:
        """The symmetry of each new room, drawn in the corpus rooms' proportions."""
        return [self._symmetry_kinds[int(i)] for i in rng.choice(len(self._symmetry_kinds), size=count, p=self._symmetry_p)]

    def _decode(self, latents: np.ndarray, masks: np.ndarray, symmetry: list[str] | None = None) -> np.ndarray:
        """(B, Z) latents and (B, 4) masks → (B, 11, 16) tile ids (one ONNX Runtime call).

        With ``symmetry`` (a key of SYMMETRIES per room), each room's logits are summed with
        their mirror images: a "left-right" room comes out exactly mirror-symmetric inside,
        as three quarters of the corpus rooms are (its doors are the mask's, set by shaping).
        """
        (logits,) = self.decoder.run(latent=np.ascontiguousarray(latents, dtype=np.float32), doors=np.asarray(masks, dtype=np.float32))
        if symmetry is not None:  # (B, T, 11, 16): each room's logits plus their mirror images
            logits = np.stack([_symmetric(item, kind) for item, kind in zip(logits, symmetry)])
        return logits.argmax(axis=1).astype(np.int16)  # (B, T, 11, 16) → (B, 11, 16)

    def _network_room(self, room) -> np.ndarray:
        grid = check_room_request(room, self.vocabulary)
        if grid.max() >= self.n_tiles:
            tile = self.vocabulary.tiles[int(grid.max())]
            raise InvalidRequest(f"tile {tile.symbol!r} ({tile.name}) is placed by dungeon assembly, not part of a room the network reads")
        return grid

    def _check_latent(self, latent) -> np.ndarray:
        try:
            array = np.asarray(latent, dtype=np.float32)
        except (TypeError, ValueError):
            raise InvalidRequest(f"a latent is a vector of {self.latent_size} numbers") from None
        if array.shape != (self.latent_size,) or not np.isfinite(array).all():
            raise InvalidRequest(f"a latent is a vector of {self.latent_size} finite numbers, got shape {array.shape}")
        return array


def _flipped(array: np.ndarray, rows: bool, cols: bool) -> np.ndarray:
    return array[..., ::-1 if rows else 1, ::-1 if cols else 1]


def _symmetric(logits: np.ndarray, kind: str) -> np.ndarray:
    """(T, 11, 16) logits summed with their mirror images for ``kind``."""
    flips = [_flipped(logits, rows, cols) for rows, cols in SYMMETRIES[kind]]
    return np.sum(flips, axis=0) if len(flips) > 1 else flips[0]


def _is_latent(x) -> bool:
    return isinstance(x, np.ndarray) and x.ndim == 1


def _one_hot(grids: np.ndarray, n_tiles: int) -> np.ndarray:
    return np.eye(n_tiles, dtype=np.float32)[grids].transpose(0, 3, 1, 2).copy()  # (B, T, 11, 16)


def _redraw_rng(seed: int, room: int, attempt: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, room, attempt])))


def _letters_mask(letters: str) -> np.ndarray:
    return np.array([side in letters for side in LETTERS], dtype=bool)


def _mask_letters(mask: np.ndarray) -> str:
    return "".join(letter for letter, has in zip(LETTERS, mask) if has)


def _check_doors(doors) -> np.ndarray:
    """Doors as letters ("NS", "" for none) or four bools in N, E, S, W order → (4,) bool."""
    if isinstance(doors, str):
        if not set(doors.upper()) <= set(LETTERS) or len(set(doors.upper())) != len(doors):
            raise InvalidRequest(f"doors are given as letters from N, E, S, W (e.g. 'NS'), got {doors!r}")
        return _letters_mask(doors.upper())
    array = np.asarray(doors)
    if array.shape != (len(SIDES),) or array.dtype != bool:
        raise InvalidRequest(f"doors are letters such as 'NS' or four booleans (north, east, south, west), got {doors!r}")
    return array.copy()
