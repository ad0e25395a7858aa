"""World packs: one seed → an overworld with places, a map behind every entrance, creatures, names.

    gamegen world --seed 42 --out DIR [--size 256] [--force]
    >>> index = gamegen.world.pack.build_world_pack(42, "DIR")

What a pack holds (``gamegen.world.files`` writes it as a Tiled project):

* an overworld (``gamegen.load("overworld")``) on which the start and every
  location sit on walkable land of one connected region: towns, level
  entrances and dungeon entrances;
* behind each level entrance a platformer level (``platformer-gan``), behind
  each dungeon entrance a dungeon (``dungeon-vae``), and for each entrance a
  list of creature names (``names-lstm``) and a sprite sheet of them
  (``sprite-gan``); every location is named by ``names-lstm`` (kind place).

A part whose model this gamegen does not ship is left out and listed in the
index's ``missing``; the pack is complete with what exists.

Every part's seed is ``derive_seed(world seed, part, index)``, a hash, so a
part never depends on how many others there are, and the same world seed gives
the same pack, byte for byte.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.seeds import check_int, check_seed
from gamegen.tiles import TileMap

__all__ = ["build_world_pack", "plan_world", "derive_seed", "reachable", "WorldPlan", "Location", "DEFAULT_SIZE", "MIN_SIZE", "MAX_SIZE"]

DEFAULT_SIZE = 256
MIN_SIZE, MAX_SIZE = 64, 1024
TOWNS, LEVELS, DUNGEONS = 3, 4, 3
LEVEL_WIDTH = 160
DUNGEON_ROOMS = 8
CREATURES = 6  # creature names and sprites per entrance
OVERWORLD_TRIES = 8  # overworld seeds tried for one with enough connected land
MIN_LAND_SHARE = 0.15  # of the map, in the start's region
MODELS = {"level": "platformer-gan", "dungeon": "dungeon-vae", "names": "names-lstm", "sprites": "sprite-gan"}
# Where each kind of location prefers to stand (tile names of the overworld vocabulary).
PREFERRED = {"town": ("grass", "beach"), "level": ("grass", "forest", "hills"), "dungeon": ("hills", "forest")}
TILE_OF = {"town": "town", "level": "level-entrance", "dungeon": "dungeon-entrance"}


def derive_seed(world_seed: int, part: str, index: int) -> int:
    """The seed of one part of a world: sha256 of "world seed/part/index", 63 bits."""
    digest = hashlib.sha256(f"{check_seed(world_seed)}/{part}/{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass
class Location:
    id: str  # "town-1", "level-2", "dungeon-1"
    kind: str  # town, level, dungeon
    x: int
    y: int
    name: str = ""
    map: TileMap | None = None  # the level or dungeon behind an entrance
    creatures: list[str] = field(default_factory=list)
    sprites: Any = None  # the sprite model's SpriteSet (one sprite per creature), when that model is shipped


@dataclass
class WorldPlan:
    seed: int
    overworld: TileMap
    start: tuple[int, int]
    locations: list[Location]
    models: dict[str, str]  # model name → sha256 ("" for the model-free overworld)
    missing: list[str]
    licences: dict[str, dict] = field(default_factory=dict)  # model name → its card's data_licence (licence, attribution)


def _tile_ids(vocabulary, names) -> list[int]:
    return [t.id for t in vocabulary.tiles if t.name in names]


def reachable(grid: np.ndarray, walkable: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """(H, W) bool: tiles reached from ``start`` (x, y) through 4-neighbour steps on walkable tiles."""
    h, w = grid.shape
    ok = walkable[grid].ravel()
    seen = np.zeros(h * w, dtype=bool)
    first = start[1] * w + start[0]
    if not ok[first]:
        return seen.reshape(h, w)
    seen[first] = True
    queue = deque([first])
    while queue:
        at = queue.popleft()
        y, x = divmod(at, w)
        for nxt, inside in ((at - w, y > 0), (at + w, y < h - 1), (at - 1, x > 0), (at + 1, x < w - 1)):
            if inside and ok[nxt] and not seen[nxt]:
                seen[nxt] = True
                queue.append(nxt)
    return seen.reshape(h, w)


def _largest_region(grid: np.ndarray, walkable: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """The largest walkable region and its start: the region's tile nearest the map's centre."""
    h, w = grid.shape
    free = walkable[grid].copy()
    best, best_size = np.zeros_like(free), 0
    while free.any() and free.sum() > best_size:
        y, x = np.unravel_index(int(np.argmax(free)), free.shape)
        region = reachable(grid, walkable, (int(x), int(y)))
        free &= ~region
        if region.sum() > best_size:
            best, best_size = region, int(region.sum())
    ys, xs = np.nonzero(best)
    if not ys.size:
        return best, (w // 2, h // 2)
    nearest = int(np.argmin((xs - w / 2) ** 2 + (ys - h / 2) ** 2))
    return best, (int(xs[nearest]), int(ys[nearest]))


def _overworld(seed: int, size: int) -> tuple[TileMap, np.ndarray, tuple[int, int]]:
    """The first of OVERWORLD_TRIES derived overworlds whose start region holds MIN_LAND_SHARE of the map (else the largest)."""
    from gamegen.api import load

    gen: Any = load("overworld")  # the overworld generator: its vocabulary
    walkable = gen.vocabulary.mask("walkable")
    best: tuple[TileMap, np.ndarray, tuple[int, int]] | None = None
    for attempt in range(OVERWORLD_TRIES):
        level = gen.generate(derive_seed(seed, "overworld", attempt), width=size, height=size)
        region, start = _largest_region(level.grid, walkable)
        if best is None or region.sum() > best[1].sum():
            best = (level, region, start)
        if region.mean() >= MIN_LAND_SHARE:
            break
    assert best is not None  # OVERWORLD_TRIES >= 1
    return best


def _place(grid: np.ndarray, vocabulary, region: np.ndarray, start, kinds: list[str], rng: np.random.Generator) -> list[Location]:
    """Locations on the start's region, each on its preferred terrain when it can, spaced apart."""
    spacing = max(4, grid.shape[0] // 12)
    taken = [start]
    locations: list[Location] = []
    counts: dict[str, int] = {}
    for kind in kinds:
        preferred = region & np.isin(grid, _tile_ids(vocabulary, PREFERRED[kind]))
        spot = None
        for pool in (preferred, region):
            ys, xs = np.nonzero(pool)
            order = rng.permutation(ys.size)
            for gap in (spacing, spacing // 2, 1):
                for k in order[:4096]:
                    if all(abs(int(xs[k]) - tx) + abs(int(ys[k]) - ty) >= gap for tx, ty in taken):
                        spot = (int(xs[k]), int(ys[k]))
                        break
                if spot:
                    break
            if spot:
                break
        if spot is None:
            raise InvalidRequest("the overworld has no room for the pack's locations; try another seed or a larger --size")
        taken.append(spot)
        counts[kind] = counts.get(kind, 0) + 1
        locations.append(Location(f"{kind}-{counts[kind]}", kind, *spot))
    return locations


def _advance(bar: Any, part: str) -> None:
    bar.set_postfix_str(part)
    bar.update(1)


def plan_world(seed: int, size: int = DEFAULT_SIZE, progress: Callable[[str], None] = lambda _: None) -> WorldPlan:
    """Everything in a pack, in memory."""
    from gamegen import api

    seed, size = check_seed(seed), check_int("size", size, MIN_SIZE, MAX_SIZE)
    shipped = set(api.list_models())
    missing = sorted(name for name in MODELS.values() if name not in shipped)
    progress("overworld")
    overworld, region, start = _overworld(seed, size)
    kinds = ["town"] * TOWNS + ["level"] * LEVELS + (["dungeon"] * DUNGEONS if MODELS["dungeon"] in shipped else [])
    rng = np.random.Generator(np.random.PCG64(derive_seed(seed, "places", 0)))
    locations = _place(overworld.grid, overworld.vocabulary, region, start, kinds, rng)
    models = {"overworld": ""}
    generators = load_generators(shipped)
    models.update({gen.name: gen.card.sha256 for gen in generators.values()})
    licences = {gen.name: dict(gen.card.data.get("data_licence") or {}) for gen in generators.values()}
    _fill(seed, locations, generators, progress)
    grid = overworld.grid.copy()
    for loc in locations:
        grid[loc.y, loc.x] = _tile_ids(overworld.vocabulary, [TILE_OF[loc.kind]])[0]
    overworld = TileMap(grid, overworld.vocabulary, dict(overworld.provenance, world_seed=seed), _objects(start, locations))
    return WorldPlan(seed, overworld, start, locations, dict(sorted(models.items())), missing, dict(sorted(licences.items())))


def load_generators(shipped: set[str]) -> dict[str, Any]:
    """Part → generator, for the parts whose model is shipped."""
    from gamegen.api import load

    return {part: load(name) for part, name in MODELS.items() if name in shipped}


def _fill(seed: int, locations: list[Location], generators: dict, progress) -> None:
    """Names, levels, dungeons, creatures and sprites of the locations, each from its derived seed."""
    names = generators.get("names")
    if names is not None:
        places = names.generate(derive_seed(seed, "place-names", 0), kind="place", n=len(locations)).names
        for loc, name in zip(locations, places):
            loc.name = name
    for loc in locations:
        index = int(loc.id.rsplit("-", 1)[1])
        loc.name = loc.name or loc.id
        if loc.kind == "town":
            continue
        progress(loc.id)
        if loc.kind == "level" and "level" in generators:
            loc.map = generators["level"].generate(derive_seed(seed, "level", index), width=LEVEL_WIDTH)
        elif loc.kind == "dungeon" and "dungeon" in generators:
            dungeons = generators["dungeon"]
            rooms = min(max(DUNGEON_ROOMS, dungeons.min_rooms), dungeons.max_rooms)
            loc.map = dungeons.generate(derive_seed(seed, "dungeon", index), rooms=rooms)
        if names is not None:
            loc.creatures = names.generate(derive_seed(seed, f"{loc.kind}-creatures", index), kind="creature", n=CREATURES).names
        if "sprites" in generators:
            sprites = generators["sprites"]
            category = "creature" if "creature" in sprites.categories else None
            loc.sprites = sprites.generate(derive_seed(seed, f"{loc.kind}-sprites", index), n=CREATURES, category=category)


def _objects(start, locations: list[Location]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = [{"name": "start", "x": start[0], "y": start[1], "kind": "start"}]
    for loc in locations:
        obj = {"name": loc.name, "x": loc.x, "y": loc.y, "kind": loc.kind, "location": loc.id}
        if loc.map is not None:
            obj["map"] = f"{loc.id}.tmx"
        objects.append(obj)
    return objects


def build_world_pack(seed: int, out: Path | str, size: int = DEFAULT_SIZE, force: bool = False, progress: bool = False) -> dict:
    """Plan the world of ``seed`` and write it to ``out`` as a Tiled project → the index (also ``out/world.json``).

    ``out`` must be missing or empty unless ``force``; the pack is written into a
    temporary folder beside it and renamed into place, so a failure leaves no half pack.
    """
    from gamegen.world.files import check_destination, pack_files, publish_folder

    seed, size = check_seed(seed), check_int("size", size, MIN_SIZE, MAX_SIZE)
    out = check_destination(out, force)
    from tqdm import tqdm

    with tqdm(total=1 + LEVELS + DUNGEONS, desc="world pack", unit="part", disable=not progress) as bar:
        plan = plan_world(seed, size, progress=lambda part: _advance(bar, part))
        files, index = pack_files(plan)
        bar.update(bar.total - bar.n)
    publish_folder(files, out, force)
    return index
