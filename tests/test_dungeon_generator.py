"""The shipped dungeon VAE: rooms, encode / interpolate / variations, whole dungeons, reachability, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import gamegen
from gamegen.dungeon import Dungeon
from gamegen.dungeon.play import check_dungeon
from gamegen.dungeon.rooms import COLS, INTERIOR, ROWS, SIDES, door_mask, load_zelda_rooms, ring_problems
from gamegen.errors import InvalidRequest


@pytest.fixture(scope="module")
def gen():
    return gamegen.load("dungeon-vae", providers=["CPUExecutionProvider"], threads=1)


@pytest.fixture(scope="module")
def corpus_room(data_dir):
    rooms = load_zelda_rooms(data_dir)
    return next(r.grid for r in rooms if r.dungeon == "tloz1_1" and (r.grid == 2).sum() >= 6)  # a room with blocks


def test_card_holds_encoder_and_decoder(gen):
    assert gen.card.data["generator"] == "dungeon" and gen.card.graph_names == ["encoder"]
    assert [i["name"] for i in gen.decoder.signature()["inputs"]] == ["latent", "doors"]
    assert [o["name"] for o in gen.encoder.signature()["outputs"]] == ["mu", "logvar"]


def test_a_room_is_walled_with_its_doors(gen):
    for seed in range(20):
        room = gen.generate(seed)
        assert room.grid.shape == (ROWS, COLS) and not ring_problems(room.grid, gen.vocabulary)
        letters = room.provenance["params"]["doors"]
        assert "".join(side for side, has in zip("NESW", door_mask(room.grid, gen.vocabulary)) if has) == letters
    room = gen.generate(3, doors="NS")
    assert list(door_mask(room.grid, gen.vocabulary)) == [True, False, True, False]


def test_rooms_are_reproducible_and_not_noise(gen):
    a, b = gen.generate(11), gen.generate(11)
    assert a == b and a.provenance == b.provenance
    assert gen.generate(12) != a
    inside = np.stack([gen.generate(s).grid[INTERIOR] for s in range(50)])
    floor = gen.vocabulary.by_symbol("F").id
    assert (inside == floor).mean() > 0.5  # mostly floor, as corpus rooms are
    # Zelda rooms are drawn nearly symmetric; so are the generated ones, far more than random rooms would be.
    mirror = (inside == inside[:, :, ::-1]).mean()
    assert mirror > 0.8, mirror


def test_encode_decode_roundtrip_of_a_corpus_room(gen, corpus_room):
    latent = gen.encode(corpus_room)
    assert latent.shape == (gen.latent_size,) and latent.dtype == np.float32
    back = gen.decode(latent, door_mask(corpus_room, gen.vocabulary))
    assert (back.grid == corpus_room).mean() > 0.9
    text = gen.vocabulary.decode(corpus_room)
    assert np.array_equal(gen.encode(text), latent) and np.array_equal(gen.encode("\n".join(text) + "\n"), latent)


def test_interpolate_goes_from_a_to_b(gen, corpus_room):
    other = gen.generate(5, doors="".join(side for side, h in zip("NESW", door_mask(corpus_room, gen.vocabulary)) if h)).grid
    path = gen.interpolate(corpus_room, other, steps=6)
    assert len(path) == 6 and all(not ring_problems(r.grid, gen.vocabulary) for r in path)
    assert (path[0].grid == corpus_room).mean() > (path[-1].grid == corpus_room).mean()
    assert (path[-1].grid == other).mean() > (path[0].grid == other).mean()
    latents = gen.interpolate(gen.encode(corpus_room), gen.encode(other), steps=2, doors=door_mask(corpus_room, gen.vocabulary))
    assert latents[0] == path[0] and latents[-1] == path[-1]


def test_variations_stay_near_and_grow_with_strength(gen, corpus_room):
    near = gen.variations(corpus_room, n=8, strength=0.3, seed=1)
    far = gen.variations(corpus_room, n=8, strength=2.0, seed=1)
    assert len(near) == 8 and near == gen.variations(corpus_room, n=8, strength=0.3, seed=1)
    same = lambda rooms: np.mean([(r.grid == corpus_room).mean() for r in rooms])  # noqa: E731
    assert same(near) > same(far)
    assert all((door_mask(r.grid, gen.vocabulary) == door_mask(corpus_room, gen.vocabulary)).all() for r in far)


def test_a_dungeon_of_twelve_rooms(gen):
    dungeon = gen.generate(seed=3, rooms=12)
    assert isinstance(dungeon, Dungeon) and len(dungeon.rooms["rooms"]) == 12
    assert dungeon.provenance["valid"] and dungeon.provenance["params"] == {"rooms": 12}
    verdict = check_dungeon(dungeon)
    assert verdict.valid and verdict.rooms_reached == 12 and sorted(verdict.key_order) == [k["id"] for k in dungeon.rooms["keys"]]
    roles = [r["role"] for r in dungeon.rooms["rooms"]]
    assert roles.count("entrance") == 1 and roles.count("boss") == 1
    locked = [d for d in dungeon.rooms["doors"] if d["kind"] == "locked"]
    assert locked and len(locked) == len(dungeon.rooms["keys"])
    vocab = dungeon.vocabulary
    for door in locked:
        assert all(dungeon.grid[y, x] == vocab.by_symbol("L").id for x, y in door["cells"])
    for key in dungeon.rooms["keys"]:
        assert dungeon.grid[key["y"], key["x"]] == vocab.by_symbol("K").id
    assert (dungeon.grid == vocab.by_symbol("S").id).sum() == 1 and (dungeon.grid == vocab.by_symbol("Z").id).sum() == 1
    # Neighbouring rooms' doors line up: every doorway runs through both walls.
    for door in dungeon.rooms["doors"]:
        assert len(door["cells"]) in (8, 12)
    assert gen.generate(seed=3, rooms=12) == dungeon


def test_the_search_finds_a_sealed_room_and_a_key_behind_its_door(gen):
    dungeon = gen.generate(seed=3, rooms=12)
    vocab = dungeon.vocabulary
    sealed = Dungeon(dungeon.grid.copy(), vocab, dict(dungeon.provenance), list(dungeon.objects), rooms=dungeon.rooms)
    room = next(r["id"] for r in dungeon.rooms["rooms"] if r["role"] == "room")
    for door in dungeon.rooms["doors"]:
        if room in door["rooms"]:  # every doorway of that room walled up
            for x, y in door["cells"]:
                sealed.grid[y, x] = vocab.by_symbol("W").id
    verdict = check_dungeon(sealed)
    assert not verdict.valid and f"room {room} is not reachable from the entrance" in verdict.problems
    # The key of a lock moved behind that very lock: the search must refuse it.
    boss = dungeon.rooms["boss"]
    lock = next(d for d in dungeon.rooms["doors"] if boss in d["rooms"])  # the boss door: always locked
    assert lock["kind"] == "locked"
    far_room = next(r for r in dungeon.rooms["rooms"] if r["id"] == boss)
    graph = {**dungeon.rooms, "keys": [dict(k) for k in dungeon.rooms["keys"]]}
    key = next(k for k in graph["keys"] if k["id"] == lock["key"])
    key["x"], key["y"] = far_room["tile_x"] + 7, far_room["tile_y"] + 5
    moved = Dungeon(dungeon.grid.copy(), vocab, {}, [], rooms=graph)
    verdict = check_dungeon(moved)
    assert not verdict.valid and any("key" in p for p in verdict.problems)


@pytest.mark.parametrize("rooms", [1, 2, 3, 64])
def test_dungeon_sizes(gen, rooms):
    dungeon = gen.generate(seed=7, rooms=rooms)
    assert len(dungeon.rooms["rooms"]) == rooms and check_dungeon(dungeon).valid


def test_batch_equals_one_by_one(gen):
    assert gen.generate_batch([4, 5], rooms=6) == [gen.generate(4, rooms=6), gen.generate(5, rooms=6)]
    assert gen.generate_batch([9]) == [gen.generate(9)]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda g: g.generate(1, rooms=0), "rooms 0 is outside"),
        (lambda g: g.generate(1, rooms=65), "rooms 65 is outside"),
        (lambda g: g.generate(1, rooms="12"), "rooms must be an integer"),
        (lambda g: g.generate(-1), "seed"),
        (lambda g: g.generate(1, doors="NX"), "letters from N, E, S, W"),
        (lambda g: g.generate(1, rooms=3, doors="N"), "single room"),
        (lambda g: g.encode(np.zeros((16, 11), dtype=np.int16)), "11 rows x 16 columns"),
        (lambda g: g.encode(["WWWW"] * 11), "11 rows x 16 columns"),
        (lambda g: g.encode(["W" * 15 + "?"] * 11), "not in the dungeon vocabulary"),
        (lambda g: g.encode(np.full((11, 16), 99)), "tile ids 0..12"),
        (lambda g: g.encode(np.full((11, 16), 10)), "placed by dungeon assembly"),
        (lambda g: g.encode(np.full((11, 16), 1.5)), "integer tile ids"),
        (lambda g: g.decode(np.zeros(3), "NS"), "vector of"),
        (lambda g: g.decode(np.full(g.latent_size, np.nan), "NS"), "finite"),
        (lambda g: g.interpolate(np.zeros(g.latent_size, np.float32), np.ones(g.latent_size, np.float32)), "needs doors"),
        (lambda g: g.interpolate(g.generate(1).grid, g.generate(2).grid, steps=1), "steps 1 is outside"),
        (lambda g: g.variations(g.generate(1).grid, n=0), "n 0 is outside"),
        (lambda g: g.variations(g.generate(1).grid, strength=-1), "strength"),
        (lambda g: g.generate_batch([1], width=200), "does not apply to dungeon-vae"),
    ],
)
def test_bad_input_is_one_line(gen, call, message):
    with pytest.raises(InvalidRequest, match=message) as info:
        call(gen)
    assert "\n" not in str(info.value)


def test_sides_order():
    assert SIDES == ("north", "east", "south", "west")
