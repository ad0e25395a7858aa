"""Engine JSON: one small, self-describing file per map for game engines.

    {
     "format": "gamegen-map", "version": 1, "width": 200, "height": 14, "tile_size": 16,
     "vocabulary": {"name": "platformer", "empty": 0, "tiles": [{"id": 0, "symbol": "-", "name": "empty", "tags": [...]}, ...]},
     "grid": [[0, 0, ...], ...],          # (H, W) tile ids, grid[y][x], row 0 at the top
     "objects": [{"name": "start", "x": 0, "y": 12}, ...],
     "rooms": {...},                     # dungeons only: the room graph (rooms, doors, keys, entrance, stairs)
     "provenance": {"model": ..., "model_sha256": ..., "seed": ..., "params": {...}, "gamegen_version": ...}
    }

``engine.schema.json`` beside this module is the format's JSON Schema (shipped
as package data). The exporter validates what it writes against it, so a
file it wrote always validates; the reader validates what it reads, then
checks what a schema cannot say (row lengths, ids inside the vocabulary).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from gamegen.errors import DataError, InvalidRequest
from gamegen.exporters import _tiled as T
from gamegen.exporters._input import check_dimensions
from gamegen.exporters.objects import objects_for
from gamegen.exporters.tileart import TILE
from gamegen.exporters.tsj import load_json
from gamegen.tiles import MAX_TILES, TileMap, Vocabulary

__all__ = ["EngineJsonExporter", "read_engine_json", "engine_schema", "engine_document", "FORMAT", "VERSION"]

FORMAT = "gamegen-map"
VERSION = 1
MAX_OBJECTS = 100_000  # checked before the schema walks them (jsonschema takes ~50 µs an item)
_MAX_ID = 2**31  # ids are checked by code against the vocabulary; this bound keeps numpy from overflowing first


@functools.lru_cache(maxsize=1)
def engine_schema() -> dict[str, Any]:
    """The shipped JSON Schema of the engine format."""
    return json.loads((resources.files("gamegen.exporters") / "engine.schema.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = engine_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _grid_problem(rows: list) -> str | None:
    """What the schema says of ``grid``, checked by code: jsonschema walks every id (40 ms for 200 columns)."""
    if not rows:
        return "[] should be non-empty at grid"
    for y, row in enumerate(rows):
        if not isinstance(row, list) or not row:
            return f"row {y} is not a non-empty list at grid/{y}"
        if not all(type(v) is int and 0 <= v < _MAX_ID for v in row):
            return f"row {y} holds something other than non-negative integers at grid/{y}"
    return None


def _size_problem(doc: dict) -> str | None:
    """Lists the schema would walk item by item, refused first when they are far longer than any map's."""
    vocabulary = doc.get("vocabulary")
    tiles = vocabulary.get("tiles") if isinstance(vocabulary, dict) else None
    if isinstance(tiles, list) and len(tiles) > MAX_TILES:
        return f"{len(tiles)} tiles is more than the {MAX_TILES} a vocabulary may hold at vocabulary/tiles"
    objects = doc.get("objects")
    if isinstance(objects, list) and len(objects) > MAX_OBJECTS:
        return f"{len(objects)} objects is more than the {MAX_OBJECTS} a map may hold at objects"
    return None


def _first_error(doc: Any) -> str | None:
    """The schema violation nearest the root, as one short line, or None."""
    problem = _size_problem(doc) if isinstance(doc, dict) else None
    if problem:
        return problem
    if isinstance(doc, dict) and isinstance(doc.get("grid"), list):
        problem = _grid_problem(doc["grid"])
        if problem:
            return problem
        doc = dict(doc, grid=[[0]])  # the rest of the document goes through the schema itself
    error = next(iter(sorted(_validator().iter_errors(doc), key=lambda e: len(e.absolute_path))), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "the top level"
    message = error.message if len(error.message) <= 120 else error.message[:117] + "..."
    return f"{message} at {where}"


def _vocabulary_dict(vocabulary: Vocabulary) -> dict[str, Any]:
    return {
        "name": vocabulary.name,
        "description": vocabulary.description,
        "empty": vocabulary.empty_id,
        "tiles": [{"id": t.id, "symbol": t.symbol, "name": t.name, "tags": sorted(t.tags), "art": t.art} for t in vocabulary.tiles],
    }


def engine_document(level: TileMap) -> dict[str, Any]:
    """The engine JSON of ``level`` as a Python object (validated against the schema)."""
    objects = objects_for(T.require_map(level))
    T.check_objects(level, objects)
    doc = {
        "format": FORMAT, "version": VERSION, "width": level.width, "height": level.height, "tile_size": TILE,
        "vocabulary": _vocabulary_dict(level.vocabulary),
        "grid": level.grid.tolist(),
        "objects": objects,
        "provenance": level.provenance,
    }  # fmt: skip
    if getattr(level, "rooms", None):  # a dungeon's room graph (gamegen.dungeon.Dungeon); other maps have none
        doc["rooms"] = level.rooms  # type: ignore[attr-defined]  # present per the getattr above
    problem = _first_error(doc)
    if problem:
        raise InvalidRequest(f"this map cannot be written as engine JSON: {problem}")
    return doc


class EngineJsonExporter:
    """Engine JSON (grid of ids, vocabulary with tags, objects, provenance); schema: engine.schema.json."""

    name = "json"
    extension = "json"
    description = "engine JSON: grid of tile ids, vocabulary with tags, objects, provenance (JSON Schema shipped)"

    def export(self, level: TileMap) -> bytes:
        return (T.json_text(engine_document(level)) + "\n").encode("utf-8")


def _vocabulary_from(doc: dict[str, Any], where: str) -> Vocabulary:
    data = doc["vocabulary"]
    tiles = data["tiles"]
    for position, tile in enumerate(tiles):
        if tile["id"] != position:
            raise DataError(f"{where}: vocabulary tile {position} has id {tile['id']}; ids are positions")
    if data["empty"] >= len(tiles):
        raise DataError(f"{where}: the empty tile id {data['empty']} is not in the vocabulary (0..{len(tiles) - 1})")
    table = dict(data, empty=tiles[data["empty"]]["symbol"])
    try:
        return Vocabulary.from_dict(table)
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None


def _grid_from(doc: dict[str, Any], size: int, where: str) -> np.ndarray:
    rows = doc["grid"]
    if len(rows) != doc["height"] or any(len(row) != doc["width"] for row in rows):
        raise DataError(f"{where}: grid is not {doc['height']} rows of {doc['width']} ids")
    grid = np.asarray(rows, dtype=np.int64)  # (H, W)
    if grid.max() >= size:
        at = np.argwhere(grid >= size)[0]
        raise DataError(f"{where}: tile id {int(grid[tuple(at)])} at row {at[0]}, column {at[1]} is outside the vocabulary (0..{size - 1})")
    return grid.astype(np.int16)


def read_engine_json(path: Path | str) -> TileMap:
    """An engine JSON file → TileMap with its provenance and objects; a bad file is a one-line DataError."""
    path = Path(path)
    where = str(path)
    doc = load_json(path)
    problem = _first_error(doc)
    if problem:
        raise DataError(f"{where} is not a gamegen engine map: {problem}")
    check_dimensions(doc["width"], doc["height"], where)
    vocabulary = _vocabulary_from(doc, where)
    grid = _grid_from(doc, len(vocabulary), where)
    level = T.build_map(grid, vocabulary, dict(doc["provenance"]), [dict(o) for o in doc["objects"]], where)
    if "rooms" in doc:  # a dungeon comes back with its room graph
        from gamegen.dungeon import Dungeon

        return Dungeon(level.grid, level.vocabulary, level.provenance, level.objects, rooms=doc["rooms"])
    return level
