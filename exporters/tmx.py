"""Tiled TMX maps and TSX tilesets (XML): the writer and the reader mirror each other.

    map.tmx ──tileset source──> platformer.tsx ──image source──> platformer-tileset.png

The tileset files are shared by every map of a folder (``companions``); the
``embed`` option puts the tileset inside the map instead (the image stays a
file: Tiled cannot read an embedded image). Layer data is CSV, or base64 of
zlib-compressed little-endian gids with the ``zlib`` option.

XML is parsed with ``defusedxml``, so entity expansion ("billion laughs") and
external entities are refused instead of expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from gamegen.errors import DataError, InvalidRequest
from gamegen.exporters import _tiled as T
from gamegen.exporters._input import check_dimensions, check_markup, read_limited
from gamegen.exporters.objects import objects_for
from gamegen.exporters.tileart import TILE
from gamegen.tiles import TileMap, Vocabulary

__all__ = ["TmxExporter", "read_tmx", "read_tsx", "tileset_element"]


# -- writing --------------------------------------------------------------


def _xml_name(name: str) -> str:
    """A property or object name XML can hold; values it cannot hold travel as JSON text (``_tiled._typed``)."""
    if T.XML_UNSAFE.search(name):
        raise InvalidRequest(f"the name {name!r} holds a control character that a TMX (XML) file cannot store; use tmj or json")
    return name


def _properties(parent: ET.Element, props: list[T.Property]) -> None:
    if not props:
        return
    holder = ET.SubElement(parent, "properties")
    for name, kind, value in props:
        _xml_name(name)
        prop = ET.SubElement(holder, "property", name=name)
        if kind != "string":
            prop.set("type", kind)
        text = ("true" if value else "false") if kind == "bool" else str(value)
        if "\n" in text:  # Tiled keeps multi-line strings as element text
            prop.text = text
        else:
            prop.set("value", text)


def tileset_element(vocabulary: Vocabulary, firstgid: int | None) -> ET.Element:
    """The ``<tileset>`` of a vocabulary: in a TSX file (no firstgid) or embedded in a map."""
    count = len(vocabulary)
    attrs = {"firstgid": str(firstgid)} if firstgid is not None else {"version": T.FORMAT_VERSION, "tiledversion": T.TILED_VERSION}
    attrs.update(name=vocabulary.name, tilewidth=str(TILE), tileheight=str(TILE), tilecount=str(count), columns=str(count))
    tileset = ET.Element("tileset", attrs)
    _properties(tileset, T.tileset_properties(vocabulary))
    source = T.tileset_files(vocabulary)["png"]
    ET.SubElement(tileset, "image", source=source, width=str(TILE * count), height=str(TILE))
    for tile in vocabulary.tiles:
        element = ET.SubElement(tileset, "tile", id=str(tile.id), type=tile.name)
        _properties(element, T.tile_properties(vocabulary, tile.id))
    return tileset


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


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
    _properties(root, T.provenance_properties(level.provenance))
    if embed:
        root.append(tileset_element(level.vocabulary, T.FIRSTGID))
    else:
        ET.SubElement(root, "tileset", firstgid=str(T.FIRSTGID), source=T.tileset_files(level.vocabulary)["tsx"])
    layer = ET.SubElement(root, "layer", id="1", name="tiles", width=str(level.width), height=str(level.height))
    _data_element(layer, level, use_zlib)
    group = ET.SubElement(root, "objectgroup", id="2", name="objects")
    for point in points:
        obj = ET.SubElement(group, "object", id=str(point["id"]), name=_xml_name(point["name"]), x=str(point["x"]), y=str(point["y"]))
        _properties(obj, point["properties"])
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
        return _xml_bytes(_map_element(level, self.zlib, self.embed))

    def companions(self, level: TileMap) -> dict[str, bytes]:
        files = T.tileset_files(T.require_map(level).vocabulary)
        out = {files["png"]: T.tileset_png(level.vocabulary)}
        if not self.embed:
            out[files["tsx"]] = _xml_bytes(tileset_element(level.vocabulary, None))
        return out


# -- reading --------------------------------------------------------------


def _parse(path: Path) -> ET.Element:
    data = read_limited(path)
    check_markup(data, path, "xml")
    try:
        return SafeET.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise DataError(f"{path}: refused unsafe XML ({type(exc).__name__}); gamegen maps hold no DTD entities") from None
    except ET.ParseError as exc:
        raise DataError(f"{path} is not well-formed XML ({exc}); is it truncated?") from None
    except (LookupError, ValueError) as exc:  # an encoding Python does not know, or cannot decode
        raise DataError(f"{path} is not XML gamegen can read ({type(exc).__name__}: {str(exc)[:120]})") from None


def _int(element: ET.Element, attr: str, where: str, default: int | None = None) -> int:
    raw = element.get(attr)
    if raw is None and default is not None:
        return default
    try:
        return int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{where}: <{element.tag}> needs an integer {attr}, got {raw!r}") from None


def _read_properties(element: ET.Element | None, where: str) -> list[T.Property]:
    props: list[T.Property] = []
    holder = element.find("properties") if element is not None else None
    for prop in holder.findall("property") if holder is not None else []:
        name, kind = prop.get("name", ""), prop.get("type", "string")
        text = prop.get("value", prop.text or "")
        try:
            parsers: dict[str, Callable[[str], Any]] = {"bool": lambda s: s == "true", "int": int, "float": float}
            value: Any = parsers.get(kind, str)(text)
        except ValueError:
            raise DataError(f"{where}: property {name!r} of type {kind} has value {text!r}") from None
        props.append((name, kind, value))
    return props


def _vocabulary(tileset: ET.Element, where: str) -> Vocabulary:
    tiles = {
        _int(tile, "id", where): (tile.get("type") or tile.get("class") or "", _read_properties(tile, where))
        for tile in tileset.findall("tile")
    }
    props = {name: value for name, _, value in _read_properties(tileset, where)}
    return T.vocabulary_from_tileset(props, tiles, _int(tileset, "tilecount", where), where)


def read_tsx(path: Path | str) -> Vocabulary:
    """The vocabulary a TSX tileset written by gamegen describes."""
    path = Path(path)
    root = _parse(path)
    if root.tag != "tileset":
        raise DataError(f"{path}: the root element is <{root.tag}>, a TSX tileset has <tileset>")
    return _vocabulary(root, str(path))


def _tileset(root: ET.Element, path: Path) -> tuple[int, Vocabulary]:
    tilesets = root.findall("tileset")
    if len(tilesets) != 1:
        raise DataError(f"{path}: gamegen maps have exactly one tileset, this one has {len(tilesets)}")
    firstgid = _int(tilesets[0], "firstgid", str(path))
    source = tilesets[0].get("source")
    if source is None:
        return firstgid, _vocabulary(tilesets[0], str(path))
    tsx = path.parent / source
    T.check_tileset_file(tsx, path)
    if tsx.suffix.lower() == ".tsj":
        from gamegen.exporters.tmj import read_tsj

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
        points.append((obj.get("name", ""), x, y, _read_properties(obj, where)))
    return T.objects_from_points(points, TILE, TILE)


def read_tmx(path: Path | str) -> TileMap:
    """A TMX map written by gamegen → TileMap with its provenance and objects."""
    path = Path(path)
    where = str(path)
    root = _parse(path)
    if root.tag != "map":
        raise DataError(f"{where}: the root element is <{root.tag}>, a TMX map has <map>")
    if root.get("infinite", "0") != "0":
        raise DataError(f"{where}: infinite maps are not supported")
    width, height = _int(root, "width", where), _int(root, "height", where)
    check_dimensions(width, height, where)
    firstgid, vocabulary = _tileset(root, path)
    gids = _layer_gids(root, width, height, where)
    grid = T.grid_from_gids(gids, vocabulary, firstgid, where)
    try:
        provenance = T.provenance_from_properties(_read_properties(root, where))
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None
    return T.build_map(grid, vocabulary, provenance, _objects(root, where), where)
