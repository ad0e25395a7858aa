"""The plan of a dungeon: rooms on a grid, the doors between them, the entrance, the boss, keys and locks.

``plan_dungeon(rng, n, stats)`` is the whole algorithm, seeded by the caller's
generator and nothing else:

1. Grow a tree of ``n`` rooms on a grid from the entrance at (0, 0): each new
   room is a free grid cell beside a random room already placed, never below
   the entrance row (a Zelda dungeon is entered from the bottom of its map).
2. The boss room is the room farthest from the entrance (a leaf of the tree).
3. Loops: ``round(loops_per_room · n)`` extra doors between neighbouring rooms
   not yet joined (never into the boss room), as many as the corpus graphs
   hold per room.
4. Locks: the boss door, and ``round(key_locked_share · doors) − 1`` more, all
   on bridges (doors that no loop goes round, so a lock really closes the way).
   Locks are ordered by the depth of the room they lead to; the key of lock i
   lies in a random room reachable from the entrance with locks 0..i−1 open and
   locks i.. closed, so every key can be fetched before its door. With
   ``n`` ≥ 2 there is always at least the boss lock and its key.
5. Enemies: each room but the entrance and the boss room holds monsters with
   the probability ``enemy_room_share`` (62% of the corpus graphs' rooms; the
   tile maps mark monsters in only 26% of their rooms).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from gamegen.dungeon.rooms import OPPOSITE, SIDES, STEP

__all__ = ["Door", "Plan", "plan_dungeon"]


@dataclass
class Door:
    a: int  # room ids; ``side`` is the side of room a the door is in
    b: int
    side: str
    key: int | None = None  # the key that opens it, None for an open door


@dataclass
class Plan:
    cells: list[tuple[int, int]]  # room id → (x, y) on the room grid, entrance first, then normalised to ≥ 0
    doors: list[Door]
    entrance: int = 0
    boss: int = 0
    keys: list[int] = field(default_factory=list)  # key id → the room that holds it
    enemies: list[bool] = field(default_factory=list)  # room id → does it hold monsters

    def masks(self) -> np.ndarray:
        """(n, 4) door masks in SIDES order; the entrance also has its south door to the outside."""
        masks = np.zeros((len(self.cells), len(SIDES)), dtype=bool)
        for door in self.doors:
            masks[door.a, SIDES.index(door.side)] = True
            masks[door.b, SIDES.index(OPPOSITE[door.side])] = True
        masks[self.entrance, SIDES.index("south")] = True
        return masks

    def neighbours(self, open_keys: set[int] | None = None) -> list[list[int]]:
        """Adjacency over the doors a player can pass holding ``open_keys`` (None: every door)."""
        adjacency: list[list[int]] = [[] for _ in self.cells]
        for door in self.doors:
            if door.key is None or open_keys is None or door.key in open_keys:
                adjacency[door.a].append(door.b)
                adjacency[door.b].append(door.a)
        return adjacency


def _distances(adjacency: list[list[int]], start: int) -> list[int]:
    dist = [-1] * len(adjacency)
    dist[start] = 0
    queue = deque([start])
    while queue:
        room = queue.popleft()
        for other in adjacency[room]:
            if dist[other] < 0:
                dist[other] = dist[room] + 1
                queue.append(other)
    return dist


def _grow(rng: np.random.Generator, n: int) -> tuple[list[tuple[int, int]], list[Door]]:
    cells, doors = [(0, 0)], []
    where = {(0, 0): 0}
    while len(cells) < n:
        options = [
            (room, side) for room, (x, y) in enumerate(cells) for side in SIDES
            if (x + STEP[side][0], y + STEP[side][1]) not in where and y + STEP[side][1] <= 0
        ]  # fmt: skip
        room, side = options[int(rng.integers(len(options)))]
        x, y = cells[room]
        cell = (x + STEP[side][0], y + STEP[side][1])
        where[cell] = len(cells)
        cells.append(cell)
        doors.append(Door(room, len(cells) - 1, side))
    return cells, doors


def _add_loops(rng: np.random.Generator, plan: Plan, count: int) -> None:
    where = {cell: room for room, cell in enumerate(plan.cells)}
    joined = {frozenset((d.a, d.b)) for d in plan.doors}
    candidates = []
    for room, (x, y) in enumerate(plan.cells):
        for side in ("east", "north"):  # each neighbouring pair once
            other = where.get((x + STEP[side][0], y + STEP[side][1]))
            if other is not None and frozenset((room, other)) not in joined and plan.boss not in (room, other):
                candidates.append(Door(room, other, side))
    for index in rng.permutation(len(candidates))[:count]:
        plan.doors.append(candidates[int(index)])


def _bridges(plan: Plan) -> list[int]:
    """Indices of the doors whose removal cuts the dungeon in two (checked by search: dungeons are small)."""
    bridges = []
    for index in range(len(plan.doors)):
        others = Plan(plan.cells, [d for i, d in enumerate(plan.doors) if i != index])
        if -1 in _distances(others.neighbours(), plan.entrance):
            bridges.append(index)
    return bridges


def _lock_and_key(rng: np.random.Generator, plan: Plan, count: int) -> None:
    depth = _distances(plan.neighbours(), plan.entrance)
    boss_door = next(i for i, d in enumerate(plan.doors) if plan.boss in (d.a, d.b))
    others = [i for i in _bridges(plan) if i != boss_door]
    chosen = [boss_door] + [others[int(i)] for i in rng.permutation(len(others))[: max(count - 1, 0)]]
    chosen.sort(key=lambda i: (max(depth[plan.doors[i].a], depth[plan.doors[i].b]), i))
    for key, index in enumerate(chosen):
        plan.doors[index].key = key
    holding: set[int] = set()
    for key in range(len(chosen)):
        region = [room for room, d in enumerate(_distances(plan.neighbours(set(range(key))), plan.entrance)) if d >= 0]
        free = [room for room in region if room not in holding and room != plan.entrance] or region
        room = free[int(rng.integers(len(free)))]
        holding.add(room)
        plan.keys.append(room)


def plan_dungeon(rng: np.random.Generator, n: int, stats: dict) -> Plan:
    """A plan of ``n`` rooms (1 ≤ n), drawn from ``rng``, with the corpus ``stats`` of loops, locks and enemies."""
    cells, doors = _grow(rng, n)
    plan = Plan(cells, doors)
    if n >= 2:
        depth = _distances(plan.neighbours(), plan.entrance)
        plan.boss = max(range(n), key=lambda room: (depth[room], room))
        _add_loops(rng, plan, int(round(stats["loops_per_room"] * n)))  # noqa: RUF046 - stats may hold NumPy scalars, which round to floats on NumPy 1.x
        _lock_and_key(rng, plan, int(round(stats["key_locked_share"] * len(plan.doors))))  # noqa: RUF046 - as above
    drawn = rng.random(n) < stats["enemy_room_share"]
    plan.enemies = [bool(hit) and room not in (plan.entrance, plan.boss) for room, hit in enumerate(drawn)]
    low_x, low_y = min(x for x, _ in cells), min(y for _, y in cells)
    plan.cells = [(x - low_x, y - low_y) for x, y in cells]
    return plan
