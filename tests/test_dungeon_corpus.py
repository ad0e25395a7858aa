"""The dungeon vocabulary, the Zelda corpus cut into rooms, its checks, and the graph statistics."""

from __future__ import annotations

import numpy as np
import pytest

from gamegen.dungeon.graphs import graph_statistics, load_zelda_graphs
from gamegen.dungeon.rooms import (
    COLS,
    DOOR_CELLS,
    ROWS,
    SIDES,
    CorpusRoom,
    check_cut,
    door_mask,
    interior_void,
    load_zelda_rooms,
    ring_problems,
    shape_room,
    zelda_folder,
)  # fmt: skip
from gamegen.errors import DataError
from gamegen.tiles import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary("dungeon")


@pytest.fixture(scope="module")
def rooms(data_dir, vocab):
    return load_zelda_rooms(data_dir, vocab)


def test_vocabulary_is_the_corpus_legend_with_tags(vocab, data_dir):
    legend = (zelda_folder(data_dir) / "Processed" / "README.txt").read_text()
    corpus = [t for t in vocab.tiles if "assembly" not in t.tags]
    assert sorted(t.symbol for t in corpus) == sorted(line.split("=")[0].strip() for line in legend.splitlines() if "=" in line)
    assert [t.id for t in corpus] == list(range(len(corpus)))  # the network's tiles come first
    tags = {t.symbol: t.tags for t in vocab.tiles}
    assert "passable" in tags["F"] and "solid" in tags["W"] and "solid" in tags["B"]
    assert "hazard" in tags["P"] and "passable" not in tags["P"]
    assert {"door", "passable"} <= tags["D"] and {"door", "locked"} <= tags["L"] and "passable" not in tags["L"]
    assert "stair" in tags["S"] and "monster" in tags["M"] and "key" in tags["K"] and "boss" in tags["Z"]
    assert vocab.tiles[vocab.empty_id].symbol == "-"


def test_459_rooms_cut_on_screen(rooms, vocab, data_dir):
    assert len(rooms) == 459
    assert all(r.grid.shape == (ROWS, COLS) for r in rooms)
    # The first map's text, read as stored, is the transpose of the screen: a room there is 16 rows of 11.
    text = (zelda_folder(data_dir) / "Processed" / "tloz1_1.txt").read_text().split("\n")
    first = next(r for r in rooms if r.dungeon == "tloz1_1")
    block = np.array([list(line[first.y * 11 : first.y * 11 + 11]) for line in text[first.x * 16 : first.x * 16 + 16]])
    assert block.shape == (16, 11)
    assert vocab.decode(first.grid) == ["".join(row) for row in block.T]


def test_cut_is_verified(rooms, vocab):
    report = check_cut(rooms, vocab)
    assert report["walled"] == 459
    assert report["doors"] == report["doors_facing_a_door"] + report["entrances"] + report["doors_facing_none"]
    assert report["entrances"] == 18  # one way in per dungeon map, at the bottom
    assert report["doors_facing_a_door"] == 766 and report["doors_facing_none"] == 6
    assert report["void_interiors"] == 38
    # Every door is centred in its wall, as on screen: 2 wide north/south, 3 tall west/east.
    for room in rooms:
        expected = sum(len(DOOR_CELLS[side]) for side, has in zip(SIDES, door_mask(room.grid, vocab)) if has)
        assert int(vocab.mask("door")[room.grid].sum()) == expected
        assert not ring_problems(room.grid, vocab)


def test_ring_problems_catch_a_bad_cut(rooms, vocab):
    room = rooms[0].grid.copy()
    room[0, 0] = vocab.by_symbol("F").id  # a hole in the wall
    room[0, 3] = vocab.by_symbol("D").id  # a door outside a slot
    room[DOOR_CELLS["west"][0]] = vocab.by_symbol("D").id  # a third of a door
    problems = ring_problems(room, vocab)
    assert len(problems) == 3
    shaped, changed = shape_room(room, door_mask(rooms[0].grid, vocab), vocab)
    assert changed >= 2 and not ring_problems(shaped, vocab)


def test_shape_room_makes_exactly_the_asked_doors(rooms, vocab):
    room = next(r.grid for r in rooms if not interior_void(r.grid, vocab))
    for bits in range(16):
        mask = np.array([bool(bits >> i & 1) for i in range(4)])
        shaped, _ = shape_room(room, mask, vocab)
        assert (door_mask(shaped, vocab) == mask).all() and not ring_problems(shaped, vocab)


def test_missing_corpus_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no Zelda corpus"):
        load_zelda_rooms(tmp_path)


def test_graph_statistics(data_dir):
    graphs = load_zelda_graphs(data_dir)
    assert len(graphs) == 18
    stats = graph_statistics(graphs)
    assert stats["room_labels"]["start"] == 18 and stats["room_labels"]["boss"] == 18
    assert 0 < stats["key_locked_share"] < 0.5 and 0 < stats["loops_per_room"] < 0.5
    assert stats["door_sides"]["key locked"] > 0 and stats["door_sides"]["open"] > stats["door_sides"]["key locked"]
    # Every room of each graph has at least one door, and doors join rooms of that graph.
    for graph in graphs:
        touched = {room for pair in graph.doors for room in pair}
        assert touched == set(graph.rooms), graph.name


def test_corpus_room_is_frozen():
    room = CorpusRoom("x", 0, 0, np.zeros((ROWS, COLS), dtype=np.int16))
    with pytest.raises(AttributeError):
        room.x = 1  # type: ignore[misc]
