"""Rooms made whole, and a planned dungeon laid out as one tile map with its room graph.

* ``connect_room``: every door slot (and the room's centre) inside one
  component of passable tiles. Where a block or water cuts a door off, the
  cheapest path to the rest (fewest tiles to clear, walls never) is cleared to
  floor: a minimal, deterministic edit, counted in the provenance.
* ``assemble``: the rooms side by side on the plan's grid (each room keeps
  its own two-tile wall, as in the corpus), every doorway opened through both
  walls (the corpus marks only the inner layer; a player walks through all
  four tiles), a locked doorway drawn in locked-door tiles, the entrance's
  south doorway open to the bottom edge of the map, monsters where the plan
  puts enemies, the stairs and the boss tile in the boss room, a key tile for
  each lock, and the room graph:
  rooms, doors, keys, what each room holds.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gamegen.dungeon.layout import Plan
from gamegen.dungeon.rooms import COLS, DOOR_CELLS, INTERIOR, OPPOSITE, OUTER_CELLS, ROWS, SIDES, tile_id
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["Dungeon", "connect_room", "assemble", "populate", "room_spot"]

CENTRE = (ROWS // 2, COLS // 2)


@dataclass(eq=False)
class Dungeon(TileMap):
    """A whole dungeon: the tile map of every room, plus ``rooms``, its room graph (see ``assemble``)."""

    rooms: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Dungeon({len(self.rooms.get('rooms', []))} rooms, {self.height}x{self.width}, seed={self.provenance.get('seed')})"


def _interior_mask() -> np.ndarray:
    inside = np.zeros((ROWS, COLS), dtype=bool)
    inside[INTERIOR] = True
    return inside


INSIDE = _interior_mask()


def _cheapest_path(blocked: np.ndarray, allowed: np.ndarray, start: tuple[int, int], goal: np.ndarray) -> list[tuple[int, int]]:
    """0-1 BFS: the path from ``start`` to any ``goal`` cell through ``allowed`` cells that crosses fewest ``blocked`` ones."""
    cost = np.full(blocked.shape, 1 << 20, dtype=np.int32)
    parent: dict[tuple[int, int], tuple[int, int]] = {}
    cost[start] = 0
    queue = deque([start])
    while queue:
        r, c = queue.popleft()
        if goal[r, c]:
            path = [(r, c)]
            while path[-1] != start:
                path.append(parent[path[-1]])
            return path
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < ROWS and 0 <= nc < COLS and allowed[nr, nc]:
                step = int(blocked[nr, nc])
                if cost[r, c] + step < cost[nr, nc]:
                    cost[nr, nc] = cost[r, c] + step
                    parent[(nr, nc)] = (r, c)
                    (queue.append if step else queue.appendleft)((nr, nc))
    return []


def _component(passable: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    seen = np.zeros_like(passable)
    if not passable[start]:
        return seen
    seen[start] = True
    queue = deque([start])
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < ROWS and 0 <= nc < COLS and passable[nr, nc] and not seen[nr, nc]:
                seen[nr, nc] = True
                queue.append((nr, nc))
    return seen


def connect_room(grid: np.ndarray, mask, vocab: Vocabulary) -> tuple[np.ndarray, int]:
    """``grid`` (walls already shaped) with its doors and centre joined by passable tiles → (grid, tiles cleared)."""
    grid = grid.copy()
    floor = tile_id(vocab, "floor")
    passable_of = vocab.mask("passable")
    targets = [DOOR_CELLS[side][0] for side, has in zip(SIDES, mask) if has] + [CENTRE]
    cleared = 0
    if not passable_of[grid[CENTRE]]:
        grid[CENTRE] = floor
        cleared += 1
    allowed = INSIDE.copy()
    for side, has in zip(SIDES, mask):
        if has:
            for cell in DOOR_CELLS[side]:
                allowed[cell] = True
    for target in targets:
        main = _component(passable_of[grid], CENTRE)
        if main[target]:
            continue
        for r, c in _cheapest_path(~passable_of[grid], allowed, target, main):
            if not passable_of[grid[r, c]]:
                grid[r, c] = floor
                cleared += 1
    return grid, cleared


def room_spot(grid: np.ndarray, vocab: Vocabulary, taken: set[tuple[int, int]]) -> tuple[int, int]:
    """The floor tile nearest the centre, reachable from it, not yet taken by another marker → (row, col) in the room."""
    reach = _component(vocab.mask("passable")[grid], CENTRE) & INSIDE
    floor = grid == tile_id(vocab, "floor")
    cells = [(int(r), int(c)) for r, c in np.argwhere(reach & floor)] or [(int(r), int(c)) for r, c in np.argwhere(reach)]
    cells = [cell for cell in cells if cell not in taken] or cells
    return min(cells, key=lambda rc: (abs(rc[0] - CENTRE[0]) + abs(rc[1] - CENTRE[1]), rc))


def populate(room: np.ndarray, enemy: bool, rng: np.random.Generator, vocab: Vocabulary) -> np.ndarray:
    """Monsters as the plan says: none in a room without enemies; in an enemy room the network left
    empty, one or two mirrored pairs on reachable floor (the corpus draws its monsters in pairs)."""
    room = room.copy()
    monster, floor = tile_id(vocab, "monster", without="boss"), tile_id(vocab, "floor")
    if not enemy:
        room[room == monster] = floor
        return room
    if (room == monster).any():
        return room
    free = _component(vocab.mask("passable")[room], CENTRE) & INSIDE & (room == floor)
    left = [(int(r), int(c)) for r, c in np.argwhere(free) if c < COLS // 2 and free[r, COLS - 1 - c]]
    for index in rng.permutation(len(left))[: int(rng.integers(1, 3))]:
        r, c = left[int(index)]
        room[r, c] = room[r, COLS - 1 - c] = monster
    return room


def assemble(plan: Plan, rooms: list[np.ndarray], vocab: Vocabulary, provenance: dict, rng: np.random.Generator) -> Dungeon:
    """The whole dungeon from its plan and its rooms (each shaped and connected; monsters, stairs, boss and keys not yet placed)."""
    width = (max(x for x, _ in plan.cells) + 1) * COLS
    height = (max(y for _, y in plan.cells) + 1) * ROWS
    grid = np.full((height, width), vocab.empty_id, dtype=np.int16)
    origin = [(y * ROWS, x * COLS) for x, y in plan.cells]
    rooms = [populate(room, enemy, rng, vocab) for room, enemy in zip(rooms, plan.enemies)]
    taken: list[set[tuple[int, int]]] = [set() for _ in rooms]

    def spot(room: int) -> tuple[int, int]:
        r, c = room_spot(rooms[room], vocab, taken[room])
        taken[room].add((r, c))
        return c + origin[room][1], r + origin[room][0]

    stair = tile_id(vocab, "stair")
    for room in rooms:  # the network's own stairs lead nowhere here: the one stair is the boss room's
        room[room == stair] = tile_id(vocab, "floor")
    def put(room: int, tile: int) -> tuple[int, int]:
        x, y = spot(room)
        rooms[room][y - origin[room][0], x - origin[room][1]] = tile
        return x, y

    sx, sy = put(plan.boss, stair)
    boss_at = put(plan.boss, tile_id(vocab, "boss")) if len(rooms) > 1 else None
    keys = [{"id": key, "room": room, **dict(zip(("x", "y"), put(room, tile_id(vocab, "key"))))} for key, room in enumerate(plan.keys)]
    for index, room in enumerate(rooms):
        r0, c0 = origin[index]
        grid[r0 : r0 + ROWS, c0 : c0 + COLS] = room
    doors = _open_doorways(plan, grid, origin, vocab)
    ex, ey = origin[plan.entrance][1] + DOOR_CELLS["south"][0][1], origin[plan.entrance][0] + ROWS - 1
    for cell in OUTER_CELLS["south"]:
        grid[origin[plan.entrance][0] + cell[0], origin[plan.entrance][1] + cell[1]] = tile_id(vocab, "door", without="locked")
    graph = {
        "room_size": [COLS, ROWS],
        "grid": [width // COLS, height // ROWS],
        "entrance": {"room": plan.entrance, "x": ex, "y": ey},
        "boss": plan.boss,
        "boss_at": None if boss_at is None else {"x": boss_at[0], "y": boss_at[1]},
        "stairs": {"room": plan.boss, "x": sx, "y": sy},
        "rooms": [_room_entry(i, plan, origin, rooms[i], vocab.mask("monster")) for i in range(len(rooms))],
        "doors": doors,
        "keys": [{**key, "opens": next(d["id"] for d in doors if d["key"] == key["id"])} for key in keys],
    }
    objects = _objects(graph)
    return Dungeon(grid, vocab, provenance, objects, rooms=graph)


def _open_doorways(plan: Plan, grid: np.ndarray, origin: list[tuple[int, int]], vocab: Vocabulary) -> list[dict]:
    """Doorways through both rooms' walls; a locked one in locked-door tiles → the graph's door entries."""
    door_id, locked_id = tile_id(vocab, "door", without="locked"), tile_id(vocab, "locked")
    doors = []
    for index, door in enumerate(plan.doors):
        tile = door_id if door.key is None else locked_id
        cells = []
        for room, side in ((door.a, door.side), (door.b, OPPOSITE[door.side])):
            r0, c0 = origin[room]
            for r, c in DOOR_CELLS[side] + OUTER_CELLS[side]:
                grid[r0 + r, c0 + c] = tile
                cells.append([c0 + c, r0 + r])
        cells.sort()
        doors.append({
            "id": index, "rooms": [door.a, door.b], "side": door.side, "kind": "open" if door.key is None else "locked",
            "key": door.key, "x": cells[0][0], "y": cells[0][1], "cells": cells,
        })  # fmt: skip
    return doors


def _room_entry(index: int, plan: Plan, origin: list[tuple[int, int]], room: np.ndarray, monster: np.ndarray) -> dict:
    holds = []
    if index == plan.entrance:
        holds.append("entrance")
    if index == plan.boss and len(plan.cells) > 1:
        holds.append("boss")
    if index == plan.boss:
        holds.append("stairs")
    holds += [f"key {key}" for key, room_of in enumerate(plan.keys) if room_of == index]
    monsters = int(monster[room].sum()) - (index == plan.boss and len(plan.cells) > 1)  # the boss is counted apart
    if monsters:
        holds.append("monsters")
    x, y = plan.cells[index]
    role = "entrance" if index == plan.entrance else "boss" if index == plan.boss else "room"
    return {"id": index, "x": x, "y": y, "tile_x": origin[index][1], "tile_y": origin[index][0], "role": role, "monsters": monsters, "holds": holds}


def _objects(graph: dict) -> list[dict[str, Any]]:
    """The room graph as map objects (Tiled points with properties): entrance, stairs, keys, locked doors, rooms."""
    objects = [{"name": "entrance", "x": graph["entrance"]["x"], "y": graph["entrance"]["y"], "room": graph["entrance"]["room"]}]
    if graph["boss_at"]:
        objects.append({"name": "boss", "x": graph["boss_at"]["x"], "y": graph["boss_at"]["y"], "room": graph["boss"]})
    objects.append({"name": "stairs", "x": graph["stairs"]["x"], "y": graph["stairs"]["y"], "room": graph["stairs"]["room"]})
    objects += [{"name": "key", "x": k["x"], "y": k["y"], "key": k["id"], "room": k["room"], "opens": k["opens"]} for k in graph["keys"]]
    for door in graph["doors"]:
        objects.append({"name": "door", "x": door["x"], "y": door["y"], "door": door["id"], "kind": door["kind"], "rooms": door["rooms"], "key": door["key"]})
    for room in graph["rooms"]:
        objects.append({"name": "room", "x": room["tile_x"] + COLS // 2, "y": room["tile_y"] + ROWS // 2, "room": room["id"], "role": room["role"],
            "holds": room["holds"]})
    return objects
