"""Tiled TMX maps (XML): the writer and the reader mirror each other; their TSX tilesets are in ``tsx.py``.

    map.tmx ──tileset source──> platformer.tsx ──image source──> platformer-tileset.png

The tileset files are shared by every map of a folder (``companions``); the
``embed`` option puts the tileset inside the map instead (the image stays a
file: Tiled cannot read an embedded image). Layer data is CSV, or base64 of
zlib-compressed little-endian gids with the ``zlib`` option.

XML is parsed with ``defusedxml`` (``tsx.parse_xml``), so entity expansion
("billion laughs") and external entities are refused instead of expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from gamegen.errors import DataError
from gamegen.exporters import _tiled as T
from gamegen.exporters._input import check_dimensions
from gamegen.exporters.objects import objects_for
from gamegen.exporters.tileart import TILE
from gamegen.exporters.tsj import read_tsj
from gamegen.exporters.tsx import (
    int_attribute,
    parse_xml,
    read_properties,
    read_tsx,
    tileset_element,
    tileset_vocabulary,
    write_properties,
    xml_bytes,
    xml_name,
)
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["TmxExporter", "read_tmx"]  # the tileset half is gamegen.exporters.tsx


# -- writing --------------------------------------------------------------


def _data_element(layer: ET.Element, level: TileMap, use_zlib: bool) -> None:
    gids = T.level_gids(level)  # (H, W)
    if use_zlib:
        data = ET.SubElement(layer, "data", encoding="base64", compression="zlib")
        data.text = T.encode_base64(gids)
    else:
        data = ET.SubElement(layer, "data", encoding="csv")
        data.text = T.encode_csv(gids)


def _map_element(level: TileMap, use_zlib: bool, embed: bool) -> ET.Element:
    points = T.object_points(objects_for(level))
    root = ET.Element("map", {
        "version": T.FORMAT_VERSION, "tiledversion": T.TILED_VERSION, "orientation": "orthogonal", "renderorder": "right-down",
        "width": str(level.width), "height": str(level.height), "tilewidth": str(TILE), "tileheight": str(TILE),
        "infinite": "0", "backgroundcolor": T.background_hex(level.vocabulary), "nextlayerid": "3", "nextobjectid": str(len(points) + 1),
    })  # fmt: skip
    write_properties(root, T.provenance_properties(level.provenance))
    if embed:
        root.append(tileset_element(level.vocabulary, T.FIRSTGID))
    else:
        ET.SubElement(root, "tileset", firstgid=str(T.FIRSTGID), source=T.tileset_files(level.vocabulary)["tsx"])
    layer = ET.SubElement(root, "layer", id="1", name="tiles", width=str(level.width), height=str(level.height))
    _data_element(layer, level, use_zlib)
    group = ET.SubElement(root, "objectgroup", id="2", name="objects")
    for point in points:
        obj = ET.SubElement(group, "object", id=str(point["id"]), name=xml_name(point["name"]), x=str(point["x"]), y=str(point["y"]))
        write_properties(obj, point["properties"])
        ET.SubElement(obj, "point")
    return root


class TmxExporter:
    """Tiled TMX map; the TSX tileset and its PNG are companions shared by the folder."""

    name = "tmx"
    extension = "tmx"
    description = "Tiled TMX map (XML) with a TSX tileset beside it; options: zlib, embed"

    def __init__(self, zlib: bool = False, embed: bool = False):
        self.zlib = T.flag("zlib", zlib)
        self.embed = T.flag("embed", embed)

    def export(self, level: TileMap) -> bytes:
        T.check_objects(T.require_map(level), objects_for(level))
        return xml_bytes(_map_element(level, self.zlib, self.embed))

    def companions(self, level: TileMap) -> dict[str, bytes]:
        files = T.tileset_files(T.require_map(level).vocabulary)
        out = {files["png"]: T.tileset_png(level.vocabulary)}
        if not self.embed:
            out[files["tsx"]] = xml_bytes(tileset_element(level.vocabulary, None))
        return out


# -- reading --------------------------------------------------------------


def _tileset(root: ET.Element, path: Path) -> tuple[int, Vocabulary]:
    tilesets = root.findall("tileset")
    if len(tilesets) != 1:
        raise DataError(f"{path}: gamegen maps have exactly one tileset, this one has {len(tilesets)}")
    firstgid = int_attribute(tilesets[0], "firstgid", str(path))
    source = tilesets[0].get("source")
    if source is None:
        return firstgid, tileset_vocabulary(tilesets[0], str(path))
    tsx = path.parent / source
    T.check_tileset_file(tsx, path)
    if tsx.suffix.lower() == ".tsj":
        return firstgid, read_tsj(tsx)
    return firstgid, read_tsx(tsx)


def _layer_gids(root: ET.Element, width: int, height: int, where: str):
    data = root.find("layer/data")
    if data is None:
        raise DataError(f"{where}: no tile layer with <data>")
    if data.find("chunk") is not None:
        raise DataError(f"{where}: infinite maps (chunks) are not supported")
    encoding, compression = data.get("encoding", ""), data.get("compression", "")
    if encoding == "csv":
        return T.decode_csv(data.text or "", width, height, where)
    if encoding == "base64":
        return T.decode_base64(data.text or "", compression, width, height, where)
    raise DataError(f"{where}: layer encoding {encoding or 'xml'!r} is not supported (use csv or base64)")


def _objects(root: ET.Element, where: str) -> list[dict[str, Any]]:
    points = []
    for obj in root.findall("objectgroup/object"):
        try:
            x, y = float(obj.get("x", "0")), float(obj.get("y", "0"))
        except ValueError:
            raise DataError(f"{where}: object {obj.get('name')!r} has a non-numeric position") from None
        points.append((obj.get("name", ""), x, y, read_properties(obj, where)))
    return T.objects_from_points(points, TILE, TILE)


def read_tmx(path: Path | str) -> TileMap:
    """A TMX map written by gamegen → TileMap with its provenance and objects."""
    path = Path(path)
    where = str(path)
    root = parse_xml(path)
    if root.tag != "map":
        raise DataError(f"{where}: the root element is <{root.tag}>, a TMX map has <map>")
    if root.get("infinite", "0") != "0":
        raise DataError(f"{where}: infinite maps are not supported")
    width, height = int_attribute(root, "width", where), int_attribute(root, "height", where)
    check_dimensions(width, height, where)
    firstgid, vocabulary = _tileset(root, path)
    gids = _layer_gids(root, width, height, where)
    grid = T.grid_from_gids(gids, vocabulary, firstgid, where)
    try:
        provenance = T.provenance_from_properties(read_properties(root, where))
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None
    return T.build_map(grid, vocabulary, provenance, _objects(root, where), where)
