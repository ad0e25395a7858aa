"""Reachability in a dungeon: a breadth-first search over passable tiles and doors, with keys.

``check_dungeon`` walks from the entrance over every tile tagged ``passable``
(floor, doors, stairs, ...). A tile tagged ``locked`` (a locked doorway) is
passable only once the player holds the key of that door; keys are picked up
by reaching their tile. The search runs to a fixed point: walk, pick up every
key reached, open the doors those keys open, walk again. So a door is only
ever opened by a key that was reached *without* it, and the dungeon is valid
when every room, every key, the boss room and the stairs are reached.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from gamegen.tiles import TileMap

__all__ = ["DungeonCheck", "check_dungeon"]


@dataclass
class DungeonCheck:
    valid: bool
    rooms_reached: int
    rooms: int
    key_order: list[int] = field(default_factory=list)  # keys in the order the search picked them up
    problems: list[str] = field(default_factory=list)


def _walk(open_tiles: np.ndarray, seen: np.ndarray, frontier: list[tuple[int, int]]) -> None:
    """Extend ``seen`` from ``frontier`` over ``open_tiles`` (4-neighbour flood fill)."""
    height, width = open_tiles.shape
    queue = deque(cell for cell in frontier if open_tiles[cell])
    for cell in queue:
        seen[cell] = True
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < height and 0 <= nc < width and open_tiles[nr, nc] and not seen[nr, nc]:
                seen[nr, nc] = True
                queue.append((nr, nc))


def check_dungeon(dungeon: TileMap) -> DungeonCheck:
    """Is every room, key, the boss and the stairs reachable from the entrance, each key before its door?"""
    graph = getattr(dungeon, "rooms", None) or {}
    if not graph.get("rooms"):
        return DungeonCheck(False, 0, 0, problems=["the map carries no room graph"])
    vocab = dungeon.vocabulary
    open_tiles = vocab.mask("passable")[dungeon.grid]
    locked = vocab.mask("locked")[dungeon.grid]
    seen = np.zeros_like(open_tiles)
    entrance = (graph["entrance"]["y"], graph["entrance"]["x"])
    frontier, held, order = [entrance], set(), []
    doors = {door["key"]: door for door in graph["doors"] if door["key"] is not None}
    while True:
        _walk(open_tiles, seen, frontier)
        found = [key for key in graph["keys"] if key["id"] not in held and seen[key["y"], key["x"]]]
        if not found:
            break
        frontier = []
        for key in sorted(found, key=lambda k: k["id"]):
            held.add(key["id"])
            order.append(key["id"])
            door = doors.get(key["id"])
            for x, y in door["cells"] if door else []:
                if locked[y, x]:
                    open_tiles[y, x] = True
                    frontier.append((y, x))
    problems = []
    width, height = graph["room_size"]
    reached = 0
    for room in graph["rooms"]:
        inside = seen[room["tile_y"] + 2 : room["tile_y"] + height - 2, room["tile_x"] + 2 : room["tile_x"] + width - 2]
        if inside.any():
            reached += 1
        else:
            problems.append(f"room {room['id']} is not reachable from the entrance")
    problems += [f"key {k['id']} is not reachable before its door" for k in graph["keys"] if k["id"] not in held]
    if not seen[graph["stairs"]["y"], graph["stairs"]["x"]]:
        problems.append("the stairs are not reachable")
    if graph.get("boss_at") and not seen[graph["boss_at"]["y"], graph["boss_at"]["x"]]:
        problems.append("the boss is not reachable")
    return DungeonCheck(bool(not problems and seen[entrance]), reached, len(graph["rooms"]), order, problems)
