"""Dungeon rooms: their on-screen shape, their doors, and the Zelda corpus cut into rooms (numpy only).

A room is 11 rows × 16 columns on screen, as in The Legend of Zelda: a wall
two tiles thick around a 7 × 12 interior. A door sits in the inner layer of a
wall, centred: two tiles wide in the north and south walls (columns 7–8), three
tall in the west and east walls (rows 4–6). A room's *door mask* says which of
its four sides (north, east, south, west) has a door.

The VGLC stores each dungeon map transposed (a room is a 16-row × 11-column
block of the text). ``load_zelda_rooms`` transposes the whole map, so rooms and
their neighbours come out in on-screen order, cuts it into 11 × 16 blocks, and
keeps the blocks that are not all void: 459 rooms in the 18 maps.
``check_cut`` proves the cut right: every room walled, doors only in the door
slots of the walls, and the door of a room facing the door of its neighbour
(766 of 790 doors; 18 more are the entrances, a south door in the bottom row of
each map; the other 6, all but one in ``tloz9_2``, face a wall or no room).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gamegen.errors import DataError, InvalidRequest
from gamegen.tiles import TileMap, Vocabulary, load_vocabulary

__all__ = [
    "ROWS", "COLS", "SIDES", "OPPOSITE", "STEP", "DOOR_CELLS", "OUTER_CELLS", "INTERIOR",
    "CorpusRoom", "tile_id", "zelda_folder", "load_zelda_rooms", "door_mask", "shape_room", "ring_problems", "check_cut", "interior_void",
]

ROWS, COLS = 11, 16
INTERIOR = (slice(2, ROWS - 2), slice(2, COLS - 2))  # 7 × 12
SIDES = ("north", "east", "south", "west")
OPPOSITE = {"north": "south", "south": "north", "east": "west", "west": "east"}
STEP = {"north": (0, -1), "south": (0, 1), "east": (1, 0), "west": (-1, 0)}  # (dx, dy) on the room grid
# The door slot of each side, in the inner layer of the wall, and the outer-layer cells behind it.
DOOR_CELLS = {
    "north": [(1, 7), (1, 8)],
    "south": [(ROWS - 2, 7), (ROWS - 2, 8)],
    "west": [(4, 1), (5, 1), (6, 1)],
    "east": [(4, COLS - 2), (5, COLS - 2), (6, COLS - 2)],
}
OUTER_CELLS = {
    "north": [(0, 7), (0, 8)],
    "south": [(ROWS - 1, 7), (ROWS - 1, 8)],
    "west": [(4, 0), (5, 0), (6, 0)],
    "east": [(4, COLS - 1), (5, COLS - 1), (6, COLS - 1)],
}
ZELDA = "The Legend of Zelda"


@dataclass(frozen=True)
class CorpusRoom:
    dungeon: str  # file stem, e.g. "tloz1_1"
    x: int  # column of the room on its dungeon's room grid (on screen)
    y: int  # row
    grid: np.ndarray  # (11, 16) tile ids, on-screen orientation


def tile_id(vocab: Vocabulary, tag: str, without: str | None = None) -> int:
    """The one tile that carries ``tag`` (and not ``without``): code names tiles by meaning, never by symbol."""
    ids = [t.id for t in vocab.tiles if tag in t.tags and (without is None or without not in t.tags)]
    if len(ids) != 1:
        raise DataError(f"vocabulary {vocab.name} must have exactly one tile tagged {tag!r}" + (f" and not {without!r}" if without else "")
                        + f", it has {len(ids)}")
    return ids[0]


def _ring() -> np.ndarray:
    ring = np.ones((ROWS, COLS), dtype=bool)
    ring[INTERIOR] = False
    return ring


RING = _ring()


def door_mask(grid: np.ndarray, vocab: Vocabulary) -> np.ndarray:
    """(4,) bool, in SIDES order: does that side's door slot hold a door tile?"""
    door = vocab.mask("door")[grid]
    return np.array([any(door[r, c] for r, c in DOOR_CELLS[side]) for side in SIDES])


def shape_room(grid: np.ndarray, mask, vocab: Vocabulary) -> tuple[np.ndarray, int]:
    """``grid`` with its wall ring made exact for ``mask`` (walls, and doors where the mask says) → (grid, tiles changed)."""
    wall, door = tile_id(vocab, "wall"), tile_id(vocab, "door", without="locked")
    want = np.where(RING, wall, grid).astype(np.int16)
    for side, has in zip(SIDES, mask):
        if has:
            for r, c in DOOR_CELLS[side]:
                want[r, c] = door
    return want, int((want != grid).sum())


def ring_problems(grid: np.ndarray, vocab: Vocabulary) -> list[str]:
    """What is wrong with a room's walls: a ring tile other than wall or door, a door outside a slot, a half door."""
    problems = []
    wall, door = vocab.mask("wall")[grid], vocab.mask("door")[grid]
    if not (wall | door)[RING].all():
        problems.append("its wall ring has a tile that is neither wall nor door")
    slots = np.zeros_like(RING)
    for cells in DOOR_CELLS.values():
        for r, c in cells:
            slots[r, c] = True
    if (door & ~slots).any():
        problems.append("a door lies outside the door slots of the walls")
    for side in SIDES:
        states = {bool(door[r, c]) for r, c in DOOR_CELLS[side]}
        if len(states) > 1:
            problems.append(f"the {side} door fills only part of its slot")
    return problems


def interior_void(grid: np.ndarray, vocab: Vocabulary) -> bool:
    """A room of the corpus whose inside was not transcribed (all void): cut and checked, not trained on."""
    return bool((grid[INTERIOR] == vocab.empty_id).all())


def zelda_folder(data_dir: Path | str) -> Path:
    """The Zelda folder under ``data_dir`` (the data folder or its ``vglc`` folder)."""
    for candidate in (Path(data_dir), Path(data_dir) / "vglc"):
        if (candidate / ZELDA / "Processed").is_dir():
            return candidate / ZELDA
    raise DataError(f"no Zelda corpus under {data_dir}: pass --data pointing at shared/data or shared/data/vglc")


def load_zelda_rooms(data_dir: Path | str, vocab: Vocabulary | None = None) -> list[CorpusRoom]:
    """Every non-empty room of the 18 dungeon maps, on-screen orientation, in file and grid order."""
    vocab = vocab or load_vocabulary("dungeon")
    folder = zelda_folder(data_dir) / "Processed"
    files = sorted(folder.glob("tloz*.txt"))
    if not files:
        raise DataError(f"no dungeon maps (tloz*.txt) in {folder}")
    rooms = []
    for path in files:
        try:
            text = TileMap.from_text(path.read_text(encoding="ascii"), vocab).grid
        except (UnicodeDecodeError, ValueError) as exc:
            raise DataError(f"{path}: {exc}") from None
        screen = text.T  # the text is the transpose of the on-screen map
        if screen.shape[0] % ROWS or screen.shape[1] % COLS:
            raise DataError(f"{path}: {text.shape[0]}x{text.shape[1]} is not a grid of 16x11 (transposed) rooms")
        for y in range(screen.shape[0] // ROWS):
            for x in range(screen.shape[1] // COLS):
                block = screen[y * ROWS : (y + 1) * ROWS, x * COLS : (x + 1) * COLS]
                if (block != vocab.empty_id).any():
                    rooms.append(CorpusRoom(path.stem, x, y, np.ascontiguousarray(block)))
    return rooms


def check_cut(rooms: list[CorpusRoom], vocab: Vocabulary | None = None) -> dict:
    """Checks of the cut → counts, and the first problems found (empty lists when the cut is right)."""
    vocab = vocab or load_vocabulary("dungeon")
    walled = sum(not ring_problems(r.grid, vocab) for r in rooms)
    problems = [f"{r.dungeon} room ({r.x}, {r.y}): {p}" for r in rooms for p in ring_problems(r.grid, vocab)]
    at = {(r.dungeon, r.x, r.y): door_mask(r.grid, vocab) for r in rooms}
    bottom = {d: max(y for dd, _, y in at if dd == d) for d, _, _ in at}
    facing = unmatched = entrances = 0
    for (dungeon, x, y), mask in at.items():
        for i, side in enumerate(SIDES):
            if not mask[i]:
                continue
            dx, dy = STEP[side]
            other = at.get((dungeon, x + dx, y + dy))
            if other is not None and other[SIDES.index(OPPOSITE[side])]:
                facing += 1
            elif side == "south" and y == bottom[dungeon]:  # the way in, from outside the map
                entrances += 1
            else:
                unmatched += 1
                problems.append(f"{dungeon} room ({x}, {y}): its {side} door faces no door")
    return {
        "rooms": len(rooms),
        "walled": walled,
        "doors": int(sum(m.sum() for m in at.values())),
        "doors_facing_a_door": facing,
        "entrances": entrances,
        "doors_facing_none": unmatched,
        "void_interiors": sum(interior_void(r.grid, vocab) for r in rooms),
        "problems": problems,
    }


def check_room_request(grid, vocab: Vocabulary) -> np.ndarray:
    """A room handed in by a caller (ids or text rows) → (11, 16) int16 ids, or a one-line InvalidRequest."""
    if isinstance(grid, TileMap):
        if grid.vocabulary != vocab:
            raise InvalidRequest(f"a room must use the {vocab.name} vocabulary, this one uses {grid.vocabulary.name}")
        grid = grid.grid
    elif isinstance(grid, str):
        grid = TileMap.from_text(grid, vocab).grid
    elif isinstance(grid, (list, tuple)) and grid and all(isinstance(row, str) for row in grid):
        grid = vocab.encode(list(grid))
    try:
        array = np.asarray(grid)
    except (ValueError, TypeError):
        raise InvalidRequest("a room is an 11x16 grid of tile ids (rows of equal length)") from None
    if array.shape != (ROWS, COLS):
        raise InvalidRequest(f"a room is {ROWS} rows x {COLS} columns (on screen), got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        raise InvalidRequest(f"a room holds integer tile ids, got {array.dtype}")
    if array.min() < 0 or array.max() >= len(vocab):
        raise InvalidRequest(f"a room holds tile ids 0..{len(vocab) - 1} of the {vocab.name} vocabulary, got {int(array.min())}..{int(array.max())}")
    return array.astype(np.int16)
