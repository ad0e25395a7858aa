"""What the TMX and TMJ formats share: one model of a gamegen map in Tiled terms.

Both writers and both readers go through these functions, so the XML and the
JSON forms cannot drift apart:

* the tileset is the vocabulary: local tile id = vocabulary id, tile ``type``
  (Tiled's tile class) = tile name, properties ``symbol``, ``art`` and one
  ``bool`` property set to true per tag (``solid``, ``enemy``, ...);
* the empty tile is written as gid 0 (no tile); every other id as id + 1;
* provenance becomes map properties, one per key; a value Tiled cannot hold
  natively (a dict, a list, null, an int beyond 32 bits) is JSON text in a
  string property whose name ends in ``:json``;
* objects are Tiled point objects at the centre of their tile.

A property here is a ``(name, type, value)`` triple with a native Python value;
each format only spells it.
"""

from __future__ import annotations

import base64
import json
import math
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from gamegen.errors import DataError, InvalidRequest
from gamegen.exporters.preview import png_bytes
from gamegen.exporters.tileart import TILE, background_of, tileset_image
from gamegen.tiles import TileMap, Vocabulary

__all__ = [
    "FORMAT_VERSION",
    "TILED_VERSION",
    "FIRSTGID",
    "Property",
    "XML_UNSAFE",
    "background_hex",
    "tileset_files",
    "tileset_png",
    "tileset_properties",
    "tile_properties",
    "vocabulary_from_tileset",
    "provenance_properties",
    "provenance_from_properties",
    "object_points",
    "objects_from_points",
    "check_objects",
    "require_map",
    "flag",
    "check_tileset_file",
    "level_gids",
    "grid_from_gids",
    "encode_csv",
    "decode_csv",
    "encode_base64",
    "decode_base64",
    "json_text",
    "build_map",
]

FORMAT_VERSION = "1.10"  # the Tiled map format written; Tiled 1.8 and later read it
# The Tiled release whose format is written: some readers require the attribute and parse
# it as numbers; gamegen's own version travels in the map properties (provenance).
TILED_VERSION = "1.10.2"
FIRSTGID = 1
JSON_SUFFIX = ":json"
_FLAGS = 0xF0000000  # flip and rotation bits of a gid; gamegen maps never set them
_INT32 = 2**31
_MAX_FIRSTGID = 0x0FFFFFFF  # gids hold 28 bits beside the flip flags

Property = tuple[str, str, Any]  # (name, Tiled type, native value)
# Characters XML 1.0 cannot hold, and the carriage return that XML parsers turn into a newline.
XML_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def background_hex(vocabulary: Vocabulary) -> str:
    r, g, b, _ = background_of(vocabulary)
    return f"#{r:02x}{g:02x}{b:02x}"


def tileset_files(vocabulary: Vocabulary) -> dict[str, str]:
    """The file names of a vocabulary's shared tileset: one per format, one image."""
    name = vocabulary.name
    return {"tsx": f"{name}.tsx", "tsj": f"{name}.tsj", "png": f"{name}-tileset.png"}


def tileset_png(vocabulary: Vocabulary) -> bytes:
    return png_bytes(tileset_image(vocabulary))


# -- properties -----------------------------------------------------------


def _typed(name: str, value: Any) -> Property:
    """A value as the Tiled property that holds it exactly.

    JSON text (ASCII, escaped) also carries a string XML cannot hold (control
    characters; a carriage return, which XML turns into a newline), and any
    value whose own name ends in ``:json``, so that reading it back cannot
    mistake it for an escaped one.
    """
    if not name.endswith(JSON_SUFFIX):
        if isinstance(value, bool):
            return (name, "bool", value)
        if isinstance(value, int) and -_INT32 <= value < _INT32:
            return (name, "int", value)
        if isinstance(value, float):
            return (name, "float", value)
        if isinstance(value, str) and not XML_UNSAFE.search(value):
            return (name, "string", value)
    return (name + JSON_SUFFIX, "string", json.dumps(value, sort_keys=True))


def _untyped(props: Iterable[Property]) -> dict[str, Any]:
    """The inverse of ``_typed`` over a list of properties."""
    out: dict[str, Any] = {}
    for name, kind, value in props:
        if name.endswith(JSON_SUFFIX) and kind == "string":
            try:
                out[name[: -len(JSON_SUFFIX)]] = json.loads(value)
            except (TypeError, ValueError, RecursionError):  # not text; bad JSON; a huge int; nesting past the stack
                raise DataError(f"property {name!r} is not valid JSON text") from None
        else:
            out[name] = value
    return out


def provenance_properties(provenance: dict[str, Any]) -> list[Property]:
    return [_typed(key, provenance[key]) for key in sorted(provenance)]


def provenance_from_properties(props: Iterable[Property]) -> dict[str, Any]:
    return _untyped(props)


def tileset_properties(vocabulary: Vocabulary) -> list[Property]:
    return [
        ("description", "string", vocabulary.description),
        ("empty", "int", vocabulary.empty_id),
        ("vocabulary", "string", vocabulary.name),
    ]


def tile_properties(vocabulary: Vocabulary, tile_id: int) -> list[Property]:
    """``symbol`` and ``art`` strings, then one true bool per tag, sorted."""
    tile = vocabulary.tiles[tile_id]
    return [("art", "string", tile.art), ("symbol", "string", tile.symbol)] + [(tag, "bool", True) for tag in sorted(tile.tags)]


def vocabulary_from_tileset(
    tileset_props: dict[str, Any], tiles: dict[int, tuple[str, list[Property]]], tilecount: int, where: str
) -> Vocabulary:
    """Rebuild the vocabulary from a tileset's properties and its tiles' (type, properties)."""
    if "vocabulary" not in tileset_props or "empty" not in tileset_props:
        raise DataError(f"{where}: the tileset has no gamegen properties (vocabulary, empty); only maps written by gamegen can be read")
    rows = []
    for tile_id in range(tilecount):
        if tile_id not in tiles:
            raise DataError(f"{where}: tileset tile {tile_id} has no gamegen properties")
        name, props = tiles[tile_id]
        values = {n: v for n, _, v in props}
        tags = sorted(n for n, kind, v in props if kind == "bool" and v is True)
        rows.append({"id": tile_id, "symbol": values.get("symbol"), "name": name, "tags": tags, "art": values.get("art", name)})
    empty = tileset_props["empty"]
    if not isinstance(empty, int) or not 0 <= empty < tilecount or rows[empty]["symbol"] is None:
        raise DataError(f"{where}: tileset property empty={empty!r} is not a tile id")
    data = {
        "name": tileset_props["vocabulary"],
        "description": tileset_props.get("description", ""),
        "empty": rows[empty]["symbol"],
        "tiles": rows,
    }
    try:
        return Vocabulary.from_dict(data)
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None


def check_tileset_file(tileset: Path, map_path: Path) -> None:
    """An external tileset must be in its map's folder (an untrusted map may not make gamegen read
    ``/etc/...`` or ``../..``); say which one is missing, and the way out."""
    folder = map_path.parent.resolve()
    try:
        inside = "\x00" not in str(tileset) and tileset.resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # a symbolic-link loop
        inside = False
    if not inside:
        raise DataError(f"{map_path}: its tileset {str(tileset)[:200]!r} lies outside the map's folder; "
                        "copy it beside the map, or export with the embed option")
    if not tileset.is_file():
        raise DataError(f"{map_path}: its tileset {tileset.name} is not in {tileset.parent}; copy it there, or export with the embed option")


# -- objects --------------------------------------------------------------


def require_map(level: Any, what: str = "an exporter") -> TileMap:
    """Exporters take TileMaps; anything else is the caller's mistake, said in one line."""
    if not isinstance(level, TileMap):
        raise InvalidRequest(f"{what} needs a TileMap, got {type(level).__name__}")
    return level


def flag(name: str, value: Any) -> bool:
    """A format option that is on or off (``tmx:zlib`` passes True); a string such as "no" is refused, not taken as true."""
    if not isinstance(value, (bool, int)) or value not in (0, 1):
        raise InvalidRequest(f"format option {name} is on or off (True/False), got {value!r}")
    return bool(value)


def check_objects(level: TileMap, objects: list[dict[str, Any]]) -> None:
    """Each object is a dict with a string ``name`` and integer tile ``x``, ``y`` inside the map."""
    for obj in objects:
        name, x, y = obj.get("name"), obj.get("x"), obj.get("y")
        if not isinstance(name, str) or not all(isinstance(v, int) and not isinstance(v, bool) for v in (x, y)):
            raise InvalidRequest(f"map object {obj!r} needs a string name and integer tile x, y")
        assert isinstance(x, int) and isinstance(y, int)  # checked above
        if not (0 <= x < level.width and 0 <= y < level.height):
            raise InvalidRequest(f"map object {name!r} at tile ({x}, {y}) is outside the {level.width}x{level.height} map")


def object_points(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Objects → Tiled points: id from 1, pixel x/y at the tile's centre, other keys as properties."""
    points = []
    for index, obj in enumerate(objects, start=1):
        extra = {k: v for k, v in obj.items() if k not in ("name", "x", "y")}
        points.append({
            "id": index,
            "name": obj["name"],
            "x": obj["x"] * TILE + TILE // 2,
            "y": obj["y"] * TILE + TILE // 2,
            "properties": [_typed(k, extra[k]) for k in sorted(extra)],
        })
    return points


def objects_from_points(points: list[tuple[str, float, float, list[Property]]], tile_w: int, tile_h: int) -> list[dict[str, Any]]:
    """(name, pixel x, pixel y, properties) → objects in tiles (the tile that holds the point)."""
    objects = []
    for name, x, y, props in points:
        if not (math.isfinite(x) and math.isfinite(y)):
            raise DataError(f"object {name!r} has a position that is not a finite number")
        obj: dict[str, Any] = {"name": name, "x": int(x // tile_w), "y": int(y // tile_h)}
        obj.update(_untyped(props))
        objects.append(obj)
    return objects


# -- layer data -----------------------------------------------------------


def level_gids(level: TileMap) -> np.ndarray:
    """(H, W) uint32 gids: the empty tile is 0 (no tile), tile id i is FIRSTGID + i."""
    gids = level.grid.astype(np.uint32) + FIRSTGID
    gids[level.grid == level.vocabulary.empty_id] = 0
    return gids


def grid_from_gids(gids: np.ndarray, vocabulary: Vocabulary, firstgid: int, where: str) -> np.ndarray:
    """(H, W) gids → tile ids; 0 becomes the empty tile; flips and foreign gids are refused."""
    if not 1 <= firstgid <= _MAX_FIRSTGID:
        raise DataError(f"{where}: the tileset's firstgid {firstgid} is outside 1..{_MAX_FIRSTGID}")
    if (gids & _FLAGS).any():
        raise DataError(f"{where}: the layer has flipped or rotated tiles, which gamegen maps never hold")
    ids = gids.astype(np.int64) - firstgid
    ids[gids == 0] = vocabulary.empty_id
    bad = (ids < 0) | (ids >= len(vocabulary))
    if bad.any():
        at = np.argwhere(bad)[0]
        raise DataError(
            f"{where}: gid {int(gids[tuple(at)])} at row {at[0]}, column {at[1]} is outside the "
            f"{vocabulary.name} tileset (gids {firstgid}..{firstgid + len(vocabulary) - 1})"
        )
    return ids.astype(np.int16)


def encode_csv(gids: np.ndarray) -> str:
    """Tiled's CSV layout: one row per line, every value followed by a comma except the last."""
    return "\n" + ",\n".join(",".join(map(str, row)) for row in gids.tolist()) + "\n"


def _shaped(values: list[int] | np.ndarray, width: int, height: int, where: str) -> np.ndarray:
    if len(values) != width * height:  # before numpy copies a single value
        raise DataError(f"{where}: the layer holds {len(values)} tiles, a {width}x{height} map needs {width * height}")
    try:
        flat = np.asarray(values, dtype=np.int64).ravel()
    except OverflowError:
        raise DataError(f"{where}: the layer holds a gid outside 0..2**32-1") from None
    if flat.size and (flat.min() < 0 or flat.max() > 0xFFFFFFFF):
        raise DataError(f"{where}: the layer holds a gid outside 0..2**32-1")
    return flat.astype(np.uint32).reshape(height, width)


def decode_csv(text: str | list, width: int, height: int, where: str) -> np.ndarray:
    """CSV text (TMX) or a list of ints (TMJ) → (H, W) gids."""
    if isinstance(text, list):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in text):
            raise DataError(f"{where}: layer data must be a list of integer gids")
        return _shaped(text, width, height, where)
    if text.count(",") > width * height:  # counted before a list of values is built
        raise DataError(f"{where}: the CSV layer data holds more than the {width * height} tiles of a {width}x{height} map")
    try:
        values = [int(v) for v in text.replace("\n", "").split(",") if v.strip()]
    except ValueError:
        raise DataError(f"{where}: the CSV layer data holds something that is not a gid") from None
    return _shaped(values, width, height, where)


def encode_base64(gids: np.ndarray) -> str:
    """Little-endian uint32 gids, zlib-compressed (level 9, deterministic), base64."""
    return base64.b64encode(zlib.compress(gids.astype("<u4").tobytes(), 9)).decode("ascii")


def _inflate(raw: bytes, wbits: int, limit: int, where: str) -> bytes:
    """Decompress at most ``limit`` bytes: a zlib bomb stops at the map's own size, not at the memory's."""
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(raw, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise DataError(f"{where}: the compressed layer data inflates to more than the {limit // 4} gids the map declares")
    if not inflater.eof:
        raise DataError(f"{where}: the base64 layer data is corrupt (incomplete or truncated stream)")
    return out


def decode_base64(text: str, compression: str, width: int, height: int, where: str) -> np.ndarray:
    try:
        raw = base64.b64decode(text.strip(), validate=False)
        if compression == "zlib":
            raw = _inflate(raw, zlib.MAX_WBITS, 4 * width * height, where)
        elif compression == "gzip":
            raw = _inflate(raw, 16 + zlib.MAX_WBITS, 4 * width * height, where)
        elif compression:
            raise DataError(f"{where}: layer compression {compression!r} is not supported (use zlib, gzip or none)")
    except (ValueError, zlib.error) as exc:
        raise DataError(f"{where}: the base64 layer data is corrupt ({exc})") from None
    if len(raw) % 4:
        raise DataError(f"{where}: the base64 layer data is truncated ({len(raw)} bytes is not a whole number of gids)")
    return _shaped(np.frombuffer(raw, dtype="<u4"), width, height, where)


def build_map(grid: np.ndarray, vocabulary: Vocabulary, provenance: dict, objects: list, where: str) -> TileMap:
    """The TileMap a reader recovered; a bad grid or object is the file's fault, so a DataError."""
    try:
        level = TileMap(grid, vocabulary, provenance, objects)
        check_objects(level, objects)
    except InvalidRequest as exc:
        raise DataError(f"{where}: {exc}") from None
    return level


# -- JSON text ------------------------------------------------------------


def _flat(value: Any) -> bool:
    """A scalar, or a list of scalars."""
    return not isinstance(value, dict) and not (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value))


def json_text(value: Any, indent: str = "") -> str:
    """Readable, diffable JSON: one item per line, but a list of scalars (a grid row, layer data) and a
    short object of flat values (a tile, a property, an object) each stay on one line."""
    step = indent + " "
    if isinstance(value, dict):
        one_line = json.dumps(value, separators=(", ", ": "))
        if all(_flat(v) for v in value.values()) and len(one_line) <= 160:
            return one_line
        items = [f"{step}{json.dumps(k)}: {json_text(v, step)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(step + json_text(v, step) for v in value) + "\n" + indent + "]"
    return json.dumps(value, separators=(",", ":") if isinstance(value, list) else (", ", ": "))
