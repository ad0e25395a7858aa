"""Tiled TMJ maps (JSON): the mirror of ``tmx.py``, key for attribute; their TSJ tilesets are in ``tsj.py``.

    map.tmj ──tileset source──> platformer.tsj ──image──> platformer-tileset.png

Same options as TMX: ``embed`` puts the tileset inside the map, ``zlib``
writes the layer as base64 of zlib-compressed gids instead of an array.
The reader also follows a ``.tsx`` source, as Tiled itself writes when it
converts one of our TMX maps to JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gamegen.errors import DataError
from gamegen.exporters import _tiled as T
from gamegen.exporters._input import check_dimensions
from gamegen.exporters.objects import objects_for
from gamegen.exporters.tileart import TILE
from gamegen.exporters.tsj import get_field, json_bytes, load_json, properties_json, read_properties, read_tsj, tileset_object, tileset_vocabulary
from gamegen.exporters.tsx import read_tsx
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["TmjExporter", "read_tmj"]  # the tileset half is gamegen.exporters.tsj


# -- writing --------------------------------------------------------------


def _tile_layer(level: TileMap, use_zlib: bool) -> dict[str, Any]:
    gids = T.level_gids(level)  # (H, W)
    layer: dict[str, Any] = {"id": 1, "name": "tiles", "type": "tilelayer", "width": level.width, "height": level.height}
    if use_zlib:
        layer.update(encoding="base64", compression="zlib", data=T.encode_base64(gids))
    else:
        layer["data"] = gids.ravel().tolist()
    layer.update(opacity=1, visible=True, x=0, y=0)
    return layer


def _object_layer(points: list[dict[str, Any]]) -> dict[str, Any]:
    objects = []
    for p in points:
        obj = {"id": p["id"], "name": p["name"], "point": True, "x": p["x"], "y": p["y"], "width": 0, "height": 0, "rotation": 0, "type": "", "visible": True}
        if p["properties"]:
            obj["properties"] = properties_json(p["properties"])
        objects.append(obj)
    return {"id": 2, "name": "objects", "type": "objectgroup", "draworder": "topdown", "objects": objects, "opacity": 1, "visible": True, "x": 0, "y": 0}


def _map_object(level: TileMap, use_zlib: bool, embed: bool) -> dict[str, Any]:
    points = T.object_points(objects_for(level))
    tileset = tileset_object(level.vocabulary, T.FIRSTGID) if embed else {"firstgid": T.FIRSTGID, "source": T.tileset_files(level.vocabulary)["tsj"]}
    return {
        "type": "map", "version": T.FORMAT_VERSION, "tiledversion": T.TILED_VERSION, "orientation": "orthogonal", "renderorder": "right-down",
        "width": level.width, "height": level.height, "tilewidth": TILE, "tileheight": TILE, "infinite": False,
        "backgroundcolor": T.background_hex(level.vocabulary), "compressionlevel": -1, "nextlayerid": 3, "nextobjectid": len(points) + 1,
        "properties": properties_json(T.provenance_properties(level.provenance)),
        "tilesets": [tileset],
        "layers": [_tile_layer(level, use_zlib), _object_layer(points)],
    }  # fmt: skip


class TmjExporter:
    """Tiled TMJ map; the TSJ tileset and its PNG are companions shared by the folder."""

    name = "tmj"
    extension = "tmj"
    description = "Tiled TMJ map (JSON) with a TSJ tileset beside it; options: zlib, embed"

    def __init__(self, zlib: bool = False, embed: bool = False):
        self.zlib = T.flag("zlib", zlib)
        self.embed = T.flag("embed", embed)

    def export(self, level: TileMap) -> bytes:
        T.check_objects(T.require_map(level), objects_for(level))
        return json_bytes(_map_object(level, self.zlib, self.embed))

    def companions(self, level: TileMap) -> dict[str, bytes]:
        files = T.tileset_files(T.require_map(level).vocabulary)
        out = {files["png"]: T.tileset_png(level.vocabulary)}
        if not self.embed:
            out[files["tsj"]] = json_bytes(tileset_object(level.vocabulary, None))
        return out


# -- reading --------------------------------------------------------------


def _tileset(doc: dict[str, Any], path: Path) -> tuple[int, Vocabulary]:
    tilesets = get_field(doc, "tilesets", list, str(path))
    if len(tilesets) != 1 or not isinstance(tilesets[0], dict):
        raise DataError(f"{path}: gamegen maps have exactly one tileset, this one has {len(tilesets)}")
    firstgid = get_field(tilesets[0], "firstgid", int, str(path))
    source = tilesets[0].get("source")
    if source is None:
        return firstgid, tileset_vocabulary(tilesets[0], str(path))
    T.check_tileset_file(path.parent / str(source), path)
    if str(source).lower().endswith(".tsx"):
        return firstgid, read_tsx(path.parent / str(source))
    return firstgid, read_tsj(path.parent / str(source))


def _layer_gids(doc: dict[str, Any], width: int, height: int, where: str):
    layers = [layer for layer in get_field(doc, "layers", list, where) if isinstance(layer, dict) and layer.get("type") == "tilelayer"]
    if not layers:
        raise DataError(f"{where}: no tile layer")
    layer = layers[0]
    if "chunks" in layer:
        raise DataError(f"{where}: infinite maps (chunks) are not supported")
    if layer.get("encoding", "csv") == "base64":
        return T.decode_base64(get_field(layer, "data", str, where), str(layer.get("compression", "")), width, height, where)
    return T.decode_csv(get_field(layer, "data", list, where), width, height, where)


def _objects(doc: dict[str, Any], where: str) -> list[dict[str, Any]]:
    points = []
    for layer in doc["layers"]:
        if isinstance(layer, dict) and layer.get("type") == "objectgroup":
            for obj in get_field(layer, "objects", list, where):
                x, y = get_field(obj, "x", (int, float), where), get_field(obj, "y", (int, float), where)
                points.append((str(obj.get("name", "")), x, y, read_properties(obj, where)))
    return T.objects_from_points(points, TILE, TILE)


def read_tmj(path: Path | str) -> TileMap:
    """A TMJ map written by gamegen (or converted by Tiled from our TMX) → TileMap."""
    path = Path(path)
    where = str(path)
    doc = load_json(path)
    if not isinstance(doc, dict) or doc.get("type", "map") != "map":
        raise DataError(f"{where}: not a Tiled map (a JSON object with \"type\": \"map\")")
    if doc.get("infinite"):
        raise DataError(f"{where}: infinite maps are not supported")
    width, height = get_field(doc, "width", int, where), get_field(doc, "height", int, where)
    check_dimensions(width, height, where)
    firstgid, vocabulary = _tileset(doc, path)
    grid = T.grid_from_gids(_layer_gids(doc, width, height, where), vocabulary, firstgid, where)
    try:
        provenance = T.provenance_from_properties(read_properties(doc, where))
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None
    return T.build_map(grid, vocabulary, provenance, _objects(doc, where), where)
