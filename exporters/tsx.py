"""Tiled TSX tilesets (XML), and the XML writing and reading TMX maps share with them.

A TSX file is the tileset every TMX map of a folder refers to; ``tileset_element``
also makes the ``<tileset>`` a map embeds. TMJ maps may refer to a TSX file too
(Tiled keeps the source when it converts one of our TMX maps to JSON), so the
reader lives here, where ``tmx.py`` and ``tmj.py`` both reach it.

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
from gamegen.exporters._input import check_markup, read_limited
from gamegen.exporters.pixelart import TILE
from gamegen.tiles import Vocabulary

__all__ = [
    "read_tsx", "tileset_element", "tileset_vocabulary",
    "xml_name", "write_properties", "xml_bytes", "parse_xml", "int_attribute", "read_properties",
]


# -- writing --------------------------------------------------------------


def xml_name(name: str) -> str:
    """A property or object name XML can hold; values it cannot hold travel as JSON text (``_tiled._typed``)."""
    if T.XML_UNSAFE.search(name):
        raise InvalidRequest(f"the name {name!r} holds a control character that a TMX (XML) file cannot store; use tmj or json")
    return name


def write_properties(parent: ET.Element, props: list[T.Property]) -> None:
    if not props:
        return
    holder = ET.SubElement(parent, "properties")
    for name, kind, value in props:
        xml_name(name)
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
    write_properties(tileset, T.tileset_properties(vocabulary))
    source = T.tileset_files(vocabulary)["png"]
    ET.SubElement(tileset, "image", source=source, width=str(TILE * count), height=str(TILE))
    for tile in vocabulary.tiles:
        element = ET.SubElement(tileset, "tile", id=str(tile.id), type=tile.name)
        write_properties(element, T.tile_properties(vocabulary, tile.id))
    return tileset


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


# -- reading --------------------------------------------------------------


def parse_xml(path: Path) -> ET.Element:
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


def int_attribute(element: ET.Element, attr: str, where: str, default: int | None = None) -> int:
    raw = element.get(attr)
    if raw is None and default is not None:
        return default
    try:
        return int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{where}: <{element.tag}> needs an integer {attr}, got {raw!r}") from None


def read_properties(element: ET.Element | None, where: str) -> list[T.Property]:
    props: list[T.Property] = []
    holder = element.find("properties") if element is not None else None
    for prop in holder.findall("property") if holder is not None else []:
        name, kind = prop.get("name", ""), prop.get("type", "string")
        text = prop.get("value", prop.text or "")
        try:
            parsers: dict[str, Callable[[str], Any]] = {"bool": lambda s: s == "true", "int": int, "float": float}
            parse = parsers.get(kind, str)
            value = parse(text)
        except ValueError:
            raise DataError(f"{where}: property {name!r} of type {kind} has value {text!r}") from None
        props.append((name, kind, value))
    return props


def tileset_vocabulary(tileset: ET.Element, where: str) -> Vocabulary:
    tiles = {
        int_attribute(tile, "id", where): (tile.get("type") or tile.get("class") or "", read_properties(tile, where))
        for tile in tileset.findall("tile")
    }
    props = {name: value for name, _, value in read_properties(tileset, where)}
    return T.vocabulary_from_tileset(props, tiles, int_attribute(tileset, "tilecount", where), where)


def read_tsx(path: Path | str) -> Vocabulary:
    """The vocabulary a TSX tileset written by gamegen describes."""
    path = Path(path)
    root = parse_xml(path)
    if root.tag != "tileset":
        raise DataError(f"{path}: the root element is <{root.tag}>, a TSX tileset has <tileset>")
    return tileset_vocabulary(root, str(path))
