"""A world plan as files: a Tiled project with an engine-JSON index, published as a whole folder.

    DIR/world.json              the index (format gamegen-world, schema exporters/world.schema.json)
    DIR/world.world             Tiled world: every map placed on one canvas (the overworld, the others in a column right of it)
    DIR/world.tiled-project     Tiled project over the folder
    DIR/maps/<id>.tmx, .json    each map as TMX and as engine JSON
    DIR/maps/<vocabulary>.tsx, <vocabulary>-tileset.png   the tilesets, shared by every map of a vocabulary
    DIR/sprites/<stem>.png, .json, .tsx   creature sprite sheets with their atlas and Tiled tileset (when the sprite model is shipped)
    DIR/previews/overworld.png  the overworld's minimap, two pixels a tile, the start and the locations marked

Every file is made in memory first; ``publish_folder`` writes them into a
temporary folder beside DIR and renames it into place, so an interrupted or
failed pack leaves DIR as it was.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from gamegen import __version__
from gamegen.errors import ExportError, InvalidRequest
from gamegen.tiles import TileMap

__all__ = ["FORMAT", "VERSION", "pack_files", "world_schema", "validate_index", "check_destination", "publish_folder"]

FORMAT, VERSION = "gamegen-world", 1
GAP = 64  # pixels between maps on the Tiled world canvas
PREVIEW_SCALE = 2
MARKERS = {"start": (255, 255, 255, 255), "town": (228, 40, 32, 255), "level": (252, 200, 0, 255), "dungeon": (160, 48, 200, 255)}


@functools.lru_cache(maxsize=1)
def world_schema() -> dict[str, Any]:
    """The shipped JSON Schema of the pack index."""
    return json.loads((resources.files("gamegen.exporters") / "world.schema.json").read_text(encoding="utf-8"))


def validate_index(index: dict[str, Any]) -> None:
    """Raise InvalidRequest with the first schema violation, in one line."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(world_schema())
    error = next(iter(sorted(validator.iter_errors(index), key=lambda e: len(e.absolute_path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise InvalidRequest(f"the world index breaks its schema: {error.message[:160]} at {where}")


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _map_files(map_id: str, level: TileMap, files: dict[str, bytes], tilesets: dict[str, dict]) -> dict[str, str]:
    from gamegen.exporters import companions, get_exporter

    tmx, engine = get_exporter("tmx"), get_exporter("json")
    files[f"maps/{map_id}.tmx"] = tmx.export(level)
    files[f"maps/{map_id}.json"] = engine.export(level)
    for name, data in companions(tmx, level).items():
        if files.setdefault(f"maps/{name}", data) != data:
            raise ExportError(f"two maps of the pack need different files named {name}")
    vocab = level.vocabulary.name
    tilesets[vocab] = {"vocabulary": vocab, "tsx": f"maps/{vocab}.tsx", "image": f"maps/{vocab}-tileset.png"}
    return {"tmx": f"maps/{map_id}.tmx", "engine_json": f"maps/{map_id}.json"}


def _sprite_files(sprites: Any, files: dict[str, bytes]) -> dict[str, str]:
    """A SpriteSet as its sheet PNG, TexturePacker atlas and Tiled tileset (``exporters.spritesheet``), named by its stem."""
    from gamegen.exporters.spritesheet import SheetAtlas, SheetPng, SheetTsx

    paths = {"sprite_sheet": f"sprites/{sprites.stem}.png", "sprite_atlas": f"sprites/{sprites.stem}.json", "sprite_tileset": f"sprites/{sprites.stem}.tsx"}
    for key, exporter in (("sprite_sheet", SheetPng()), ("sprite_atlas", SheetAtlas()), ("sprite_tileset", SheetTsx())):
        files[paths[key]] = exporter.export(sprites)
    return paths


def _preview(overworld: TileMap, start: tuple[int, int]) -> bytes:
    """The overworld's minimap at PREVIEW_SCALE, the start and each location marked by a framed square (MARKERS colours)."""
    from gamegen.exporters.minimap import render_minimap
    from gamegen.exporters.preview import png_bytes

    pixels = render_minimap(overworld, PREVIEW_SCALE).copy()
    h, w = pixels.shape[:2]
    for obj in overworld.objects:
        cx, cy = obj["x"] * PREVIEW_SCALE + PREVIEW_SCALE // 2, obj["y"] * PREVIEW_SCALE + PREVIEW_SCALE // 2
        y0, y1, x0, x1 = max(cy - 4, 0), min(cy + 5, h), max(cx - 4, 0), min(cx + 5, w)
        pixels[y0:y1, x0:x1] = (0, 0, 0, 255)
        pixels[y0 + 1 : y1 - 1, x0 + 1 : x1 - 1] = MARKERS.get(obj.get("kind", ""), MARKERS["start"])
    return png_bytes(pixels)


def pack_files(plan) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every file of the pack (relative path → bytes) and the index, validated against its schema."""
    from gamegen.exporters.tileart import TILE

    files: dict[str, bytes] = {}
    tilesets: dict[str, dict] = {}
    ow = plan.overworld
    maps = [{"id": "overworld", "kind": "overworld", "vocabulary": ow.vocabulary.name, **_map_files("overworld", ow, files, tilesets),
             "width": ow.width, "height": ow.height, "world_x": 0, "world_y": 0, "model": "overworld", "seed": ow.provenance["seed"]}]  # fmt: skip
    x, y = ow.width * TILE + GAP, 0  # the entrances' maps in a column right of the overworld
    locations = []
    for loc in plan.locations:
        entry = {"id": loc.id, "kind": loc.kind, "name": loc.name, "x": loc.x, "y": loc.y, "map": None, "creatures": list(loc.creatures),
                 "sprite_sheet": None, "sprite_atlas": None, "sprite_tileset": None}  # fmt: skip
        if loc.map is not None:
            level = loc.map
            maps.append({"id": loc.id, "kind": loc.kind, "vocabulary": level.vocabulary.name, **_map_files(loc.id, level, files, tilesets),
                         "width": level.width, "height": level.height, "world_x": x, "world_y": y,
                         "model": level.provenance.get("model", ""), "seed": level.provenance.get("seed", 0)})  # fmt: skip
            y += level.height * TILE + GAP
            entry["map"] = loc.id
        if loc.sprites is not None:
            entry.update(_sprite_files(loc.sprites, files))
        locations.append(entry)
    files["previews/overworld.png"] = _preview(ow, plan.start)
    files["world.world"] = _json_bytes({
        "maps": [{"fileName": m["tmx"], "x": m["world_x"], "y": m["world_y"], "width": m["width"] * TILE, "height": m["height"] * TILE} for m in maps],
        "onlyShowAdjacentMaps": False,
        "type": "world",
    })  # fmt: skip
    files["world.tiled-project"] = _json_bytes({
        "automappingRulesFile": "", "commands": [], "extensionsPath": "extensions", "folders": ["."], "propertyTypes": [],
    })  # fmt: skip
    index = {
        "format": FORMAT, "version": VERSION, "seed": plan.seed, "gamegen_version": __version__, "tile_size": TILE,
        "start": {"x": plan.start[0], "y": plan.start[1]},
        "overworld": "overworld",
        "maps": maps,
        "locations": locations,
        "tilesets": [tilesets[name] for name in sorted(tilesets)],
        "tiled": {"project": "world.tiled-project", "world": "world.world"},
        "previews": {"overworld": "previews/overworld.png"},
        "models": plan.models,
        "licences": plan.licences,
        "missing": plan.missing,
    }  # fmt: skip
    validate_index(index)
    files["world.json"] = _json_bytes(index)
    return files, index


def check_destination(out: Path | str, force: bool) -> Path:
    """``out`` may be missing or an empty folder; a non-empty one only with ``force`` (never a folder holding the working directory)."""
    if not isinstance(out, (str, os.PathLike)):
        raise InvalidRequest(f"the pack folder is a path, got {type(out).__name__}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InvalidRequest(f"--out {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise InvalidRequest(f"--out {out} is not empty; choose a new folder or pass --force to replace it")
        if Path.cwd().resolve().is_relative_to(out.resolve()):
            raise InvalidRequest(f"--out {out} holds the working directory; --force will not replace it")
    return out


def publish_folder(files: dict[str, bytes], out: Path, force: bool) -> None:
    """Write ``files`` into a temporary folder beside ``out``, then swap it into place."""
    check_destination(out, force)  # again: the folder may have changed while the pack was made
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise ExportError(f"cannot write beside {out}: {exc.strerror or exc}") from None
    try:
        for rel, data in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)  # mkdtemp makes 0700
        if out.exists():
            old = out.parent / f".{out.name}.{secrets.token_hex(4)}.old"
            os.rename(out, old)
            os.rename(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"cannot write the pack to {out}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
