"""World packs: byte-identical from a seed, a Tiled project Tiled opens, an index that validates,
locations reachable from the start, one-line errors and nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from gamegen.errors import ExportError, InvalidRequest
from gamegen.exporters import read_map
from gamegen.world.pack import DUNGEONS, LEVELS, TOWNS, build_world_pack, derive_seed

REPO = Path(__file__).resolve().parent.parent
SEED, SIZE = 42, 128


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("packs") / "world"
    build_world_pack(SEED, out, size=SIZE)
    return out


@pytest.fixture(scope="module")
def index(pack) -> dict:
    return json.loads((pack / "world.json").read_text(encoding="utf-8"))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_pack_byte_for_byte(pack, tmp_path):
    """A second pack made in another process holds the same files with the same bytes."""
    again = tmp_path / "again"
    done = subprocess.run([sys.executable, "-m", "gamegen", "world", "--seed", str(SEED), "--size", str(SIZE), "--out", str(again), "--quiet"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, second = _files(pack), _files(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    other = tmp_path / "other"
    build_world_pack(SEED + 1, other, size=SIZE)
    assert _files(other)["maps/overworld.tmx"] != first["maps/overworld.tmx"]


def test_index_validates_and_every_path_exists(pack, index):
    schema = json.loads((REPO / "exporters" / "world.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(index)
    paths = [index["tiled"]["project"], index["tiled"]["world"], *index["previews"].values()]
    paths += [m[k] for m in index["maps"] for k in ("tmx", "engine_json")]
    paths += [t[k] for t in index["tilesets"] for k in ("tsx", "image")]
    paths += [loc[k] for loc in index["locations"] for k in ("sprite_sheet", "sprite_atlas", "sprite_tileset") if loc[k]]
    assert all((pack / p).is_file() for p in paths), [p for p in paths if not (pack / p).is_file()]
    broken = dict(index, locations=[dict(index["locations"][0], kind="castle")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_locations_link_maps_and_stand_on_reachable_land(pack, index):
    overworld = read_map(pack / "maps/overworld.tmx")
    vocab = overworld.vocabulary
    walkable = vocab.mask("walkable")[overworld.grid]
    reached = np.zeros_like(walkable)
    reached[index["start"]["y"], index["start"]["x"]] = True
    assert walkable[index["start"]["y"], index["start"]["x"]]
    while True:  # flood by 4-neighbour steps on walkable tiles (independent of gamegen.world.pack.reachable)
        grown = reached.copy()
        grown[1:] |= reached[:-1]
        grown[:-1] |= reached[1:]
        grown[:, 1:] |= reached[:, :-1]
        grown[:, :-1] |= reached[:, 1:]
        grown &= walkable
        if (grown == reached).all():
            break
        reached = grown
    kinds = [loc["kind"] for loc in index["locations"]]
    assert kinds.count("town") == TOWNS and kinds.count("level") == LEVELS
    assert kinds.count("dungeon") == (DUNGEONS if "dungeon-vae" not in index["missing"] else 0)
    maps = {m["id"]: m for m in index["maps"]}
    tile_of = {"town": "town", "level": "level-entrance", "dungeon": "dungeon-entrance"}
    for loc in index["locations"]:
        assert reached[loc["y"], loc["x"]], loc
        assert vocab.tiles[overworld.grid[loc["y"], loc["x"]]].name == tile_of[loc["kind"]]
        if loc["kind"] == "town":
            assert loc["map"] is None
        elif loc["kind"] == "level" and "platformer-gan" not in index["missing"]:
            level = read_map(pack / maps[loc["map"]]["tmx"])
            assert level.vocabulary.name == "platformer" and level.provenance["seed"] == derive_seed(SEED, "level", int(loc["id"][6:]))
            from gamegen.platformer import PlatformerAgent

            assert PlatformerAgent(level.vocabulary).play(level).finishable, loc["id"]
    objects = {o["location"]: o for o in overworld.objects if o.get("location")}
    assert {o["name"] for o in overworld.objects if o["kind"] == "start"} == {"start"}
    for loc in index["locations"]:
        assert objects[loc["id"]]["name"] == loc["name"] and (objects[loc["id"]]["x"], objects[loc["id"]]["y"]) == (loc["x"], loc["y"])
        assert objects[loc["id"]].get("map") == (Path(maps[loc["map"]]["tmx"]).name if loc["map"] else None)
    if "names-lstm" not in index["missing"]:
        names = [loc["name"] for loc in index["locations"]]
        assert len(set(names)) == len(names) and all(loc["creatures"] for loc in index["locations"] if loc["kind"] != "town")


def test_tiled_world_and_project_files(pack, index):
    world = json.loads((pack / "world.world").read_text())
    assert world["type"] == "world" and len(world["maps"]) == len(index["maps"])
    for entry, m in zip(world["maps"], index["maps"]):
        assert entry["fileName"] == m["tmx"] and (entry["x"], entry["y"]) == (m["world_x"], m["world_y"])
    boxes = [(e["x"], e["y"], e["x"] + e["width"], e["y"] + e["height"]) for e in world["maps"]]
    for i, a in enumerate(boxes):  # no two maps overlap on the canvas
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    project = json.loads((pack / "world.tiled-project").read_text())
    assert project["folders"] == ["."]


@pytest.fixture
def tiled_env(tmp_path):
    if shutil.which("tmxrasterizer") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Tiled checks")
        pytest.skip("tmxrasterizer not installed")
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))


def test_tiled_renders_every_map_and_the_world(pack, index, tiled_env, tmp_path):
    from PIL import Image

    for m in index["maps"]:
        target = tmp_path / f"{m['id']}.png"
        done = subprocess.run(["tmxrasterizer", str(pack / m["tmx"]), str(target)], env=tiled_env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-500:]
        image = Image.open(target)
        assert image.size == (m["width"] * index["tile_size"], m["height"] * index["tile_size"])
        colours = np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)
        assert len(colours) > 4, f"{m['id']} rendered as a blank image"
    done = subprocess.run(["tmxrasterizer", "--size", "800", str(pack / "world.world"), str(tmp_path / "world.png")], env=tiled_env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "world.png").is_file(), done.stderr[-500:]


def test_existing_folder_needs_force_and_nothing_is_half_written(tmp_path, run_cli):
    out = tmp_path / "pack"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, _, err = run_cli("world", "--seed", "1", "--size", "64", "--out", out, "--quiet")
    assert code == 2 and "not empty" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    for args, message in ((("--size", "32"), "size 32 is outside"), (("--size", "5000"), "size 5000"), (("--seed", "-3"), "seed")):
        code, _, err = run_cli("world", *args, "--out", tmp_path / "never", "--quiet")
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1
        assert not (tmp_path / "never").exists()
    (tmp_path / "afile").write_text("x")
    code, _, err = run_cli("world", "--out", tmp_path / "afile", "--quiet")
    assert code == 2 and "not a folder" in err
    code, _out_text, err = run_cli("world", "--seed", "1", "--size", "64", "--out", out, "--force", "--quiet")
    assert code == 0, err
    assert not (out / "keep.txt").exists() and (out / "world.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "pack"], "no temporary folder is left beside the pack"


def test_a_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    """The disk fills after a few files: no pack, no staging folder, an old pack left as it was."""
    out = tmp_path / "pack"
    build_world_pack(3, out, size=64)
    before = _files(out)
    monkeypatch.setattr(Path, "write_bytes", _failing_after(Path.write_bytes, 5))
    with pytest.raises(ExportError, match="No space left"):
        build_world_pack(4, out, size=64, force=True)
    with pytest.raises(ExportError):
        build_world_pack(4, tmp_path / "new", size=64)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]
    assert _files(out) == before


def _failing_after(write, count):
    calls = {"n": 0}

    def wrapped(self, data):
        calls["n"] += 1
        if calls["n"] > count:
            raise OSError(28, "No space left on device")
        return write(self, data)

    return wrapped


def test_a_pack_without_some_models_lists_them(tmp_path, monkeypatch):
    import gamegen.api

    shipped = [name for name in gamegen.api.list_models() if name not in ("names-lstm", "platformer-gan")]
    monkeypatch.setattr(gamegen.api, "list_models", lambda: shipped)
    index = build_world_pack(5, tmp_path / "pack", size=64)
    assert {"names-lstm", "platformer-gan", "sprite-gan"} & set(index["missing"]) >= {"names-lstm", "platformer-gan"}
    assert [m["id"] for m in index["maps"]] == ["overworld"] + [m["id"] for m in index["maps"] if m["kind"] == "dungeon"]
    assert all(loc["name"] == loc["id"] for loc in index["locations"])


def test_bad_arguments_to_the_api(tmp_path):
    with pytest.raises(InvalidRequest, match="size 63 is outside"):
        build_world_pack(1, tmp_path / "a", size=63)
    with pytest.raises(InvalidRequest, match="seed"):
        build_world_pack(2**63, tmp_path / "a")
    assert not (tmp_path / "a").exists()


class _Card:
    def __init__(self, name):
        self.name, self.sha256 = name, "ab" * 32
        self.data = {"data_licence": {"licence": "CC-BY 4.0", "attribution": f"{name} test data"}}


class _FakeDungeons:
    """Stands in for dungeon-vae until it is shipped: a walled room per seed, of the real dungeon vocabulary."""

    name, min_rooms, max_rooms = "dungeon-vae", 1, 64

    def __init__(self):
        self.card = _Card(self.name)

    def generate(self, seed, rooms):
        from gamegen.tiles import TileMap, load_vocabulary

        vocab = load_vocabulary("dungeon")
        walls = [t.id for t in vocab.tiles if "solid" in t.tags or "wall" in t.tags] or [1]
        floor = [t.id for t in vocab.tiles if "walkable" in t.tags or "floor" in t.tags] or [2]
        grid = np.full((11, 16 + rooms), floor[0], dtype=np.int16)
        grid[0], grid[-1], grid[:, 0], grid[:, -1] = walls[0], walls[0], walls[0], walls[0]
        grid[5, 3 + seed % 7] = walls[0]
        return TileMap(grid, vocab, {"model": self.name, "seed": seed, "params": {"rooms": rooms}})


class _FakeSprites:
    name, categories = "sprite-gan", ["creature", "item"]

    def __init__(self):
        self.card = _Card(self.name)

    def generate(self, seed, n, category=None):
        from gamegen.sprites.generator import SpriteSet

        rng = np.random.Generator(np.random.PCG64(seed))
        pixels = rng.integers(0, 256, (n, 16, 16, 4), dtype=np.uint8)
        pixels[..., 3] = np.where(pixels[..., 3] > 100, 255, 0)
        provenance = {"model": self.name, "seed": seed, "params": {"n": n, "palette": None, "category": category}, "gamegen_version": "test"}
        return SpriteSet(pixels, [category or "creature"] * n, provenance, dict(self.card.data["data_licence"]))


def test_dungeons_and_sprite_sheets_join_the_pack_when_their_models_exist(tmp_path, monkeypatch, tiled_env):
    import gamegen.api
    import gamegen.world.pack as world

    real_shipped = gamegen.api.list_models()
    real_load = world.load_generators
    monkeypatch.setattr(gamegen.api, "list_models", lambda: sorted(set(real_shipped) | {"dungeon-vae", "sprite-gan"}))
    monkeypatch.setattr(world, "load_generators", lambda shipped: {
        **real_load(shipped & set(real_shipped)), "dungeon": _FakeDungeons(), "sprites": _FakeSprites()})  # fmt: skip
    index = build_world_pack(11, tmp_path / "a", size=96)
    build_world_pack(11, tmp_path / "b", size=96)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    schema = json.loads((REPO / "exporters" / "world.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(index)
    assert "dungeon-vae" not in index["missing"] and "sprite-gan" not in index["missing"]
    dungeons = [loc for loc in index["locations"] if loc["kind"] == "dungeon"]
    assert len(dungeons) == DUNGEONS and all(loc["map"] for loc in dungeons)
    maps = {m["id"]: m for m in index["maps"]}
    for loc in dungeons:
        assert read_map(tmp_path / "a" / maps[loc["map"]]["tmx"]).vocabulary.name == "dungeon"
        done = subprocess.run(["tmxrasterizer", str(tmp_path / "a" / maps[loc["map"]]["tmx"]), str(tmp_path / f"{loc['id']}.png")],
                              env=tiled_env, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr[-300:]
    for loc in index["locations"]:
        if loc["kind"] == "town":
            assert loc["sprite_sheet"] is None
            continue
        from PIL import Image

        sheet = Image.open(tmp_path / "a" / loc["sprite_sheet"])
        assert sheet.size[0] * sheet.size[1] >= 16 * 16 * len(loc["creatures"] or [0] * 6)
        atlas = json.loads((tmp_path / "a" / loc["sprite_atlas"]).read_text())
        assert atlas["meta"]["image"] == Path(loc["sprite_sheet"]).name
        assert (tmp_path / "a" / loc["sprite_tileset"]).is_file()
    assert index["licences"]["sprite-gan"]["attribution"] == "sprite-gan test data"
