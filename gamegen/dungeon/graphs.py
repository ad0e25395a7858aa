"""The Zelda dungeon graphs (``Graph Processed/LoZ*.dot``) and the statistics assembly draws from.

Each ``.dot`` file is one dungeon: nodes are rooms, labelled with what they
hold (legend ``zelda.json``: ``e`` enemies, ``k`` key, ``K`` boss key, ``I`` key
item, ``b`` boss, ``s`` start, ``t`` triforce, ``p`` puzzle, ``S`` switch);
edges are door sides, listed once per direction, labelled with the lock
(``k`` key locked, ``K`` boss-key locked, ``I`` key-item locked, ``b``
bombable, ``l`` soft locked, ``S`` switch locked, ``s`` visible but
impassable; no label: an open door). Labels the legend does not list (``m``,
``i``, ``S1``) are counted as ``other``.

``graph_statistics`` turns the 18 graphs into the few numbers assembly uses:
rooms per dungeon, connections per room beyond a tree (the loops), the share of
connections locked by a key, and the share of rooms holding enemies and keys.
They are measured once, at training time, and stored in the model card, so
generation needs no corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gamegen.dungeon.rooms import zelda_folder
from gamegen.errors import DataError

__all__ = ["DungeonGraph", "load_zelda_graphs", "graph_statistics", "ROOM_LABELS", "DOOR_LABELS"]

ROOM_LABELS = {"e": "enemy", "S": "switch", "b": "boss", "k": "key", "K": "boss key", "I": "key item", "p": "puzzle", "s": "start", "t": "triforce"}
DOOR_LABELS = {"": "open", "S": "switch locked", "b": "bombable", "k": "key locked", "K": "boss key locked", "I": "key item locked", "l": "soft locked",
    "s": "impassable"}
# A label may hold a line break (some files break "e,k" before its closing quote), so the text is matched whole.
_NODE = re.compile(r'^\s*(\d+)\s*\[label="([^"]*)"\]', re.M)
_EDGE = re.compile(r'^\s*(\d+)\s*->\s*(\d+)\s*\[label="([^"]*)"\]', re.M)


@dataclass(frozen=True)
class DungeonGraph:
    name: str
    rooms: dict[int, frozenset[str]]  # node → its labels
    doors: dict[tuple[int, int], str]  # (from, to) → lock label of that side


def load_zelda_graphs(data_dir: Path | str) -> list[DungeonGraph]:
    folder = zelda_folder(data_dir) / "Graph Processed"
    files = sorted(folder.glob("LoZ*.dot"))
    if not files:
        raise DataError(f"no dungeon graphs (LoZ*.dot) in {folder}")
    graphs = []
    for path in files:
        text = path.read_text(encoding="ascii")
        rooms = {int(m[1]): frozenset(label.strip() for label in m[2].split(",") if label.strip()) for m in _NODE.finditer(text)}
        doors = {(int(m[1]), int(m[2])): m[3].strip() for m in _EDGE.finditer(text)}
        if not rooms or any(a not in rooms or b not in rooms for a, b in doors):
            raise DataError(f"{path}: not a dungeon graph (no rooms, or a door to an unknown room)")
        graphs.append(DungeonGraph(path.stem, rooms, doors))
    return graphs


def graph_statistics(graphs: list[DungeonGraph]) -> dict:
    """What a dungeon holds and how its doors are locked, over all graphs (rounded for the card)."""
    rooms = [len(g.rooms) for g in graphs]
    pairs = [{tuple(sorted(d)) for d in g.doors} for g in graphs]
    connections = sum(len(p) for p in pairs)
    extra = sum(len(p) - (len(g.rooms) - 1) for p, g in zip(pairs, graphs))
    sides = Counter(DOOR_LABELS.get(label, "other") for g in graphs for label in g.doors.values())
    key_locked = sum(1 for g, p in zip(graphs, pairs) for a, b in p if "k" in (g.doors.get((a, b)), g.doors.get((b, a))))
    held = Counter(ROOM_LABELS.get(label, "other") for g in graphs for labels in g.rooms.values() for label in labels)
    total_rooms = sum(rooms)
    return {
        "dungeons": len(graphs),
        "rooms": {"total": total_rooms, "min": min(rooms), "max": max(rooms), "mean": round(total_rooms / len(graphs), 2)},
        "connections": connections,
        "loops_per_room": round(extra / total_rooms, 4),
        "key_locked_share": round(key_locked / connections, 4),
        "door_sides": dict(sorted(sides.items())),
        "room_labels": dict(sorted(held.items())),
        "enemy_room_share": round(held["enemy"] / total_rooms, 4),
        "key_room_share": round(held["key"] / total_rooms, 4),
    }
