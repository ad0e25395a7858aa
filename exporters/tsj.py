"""Tiled TSJ tilesets (JSON): the mirror of ``tsx.py``, and the JSON reading TMJ maps share with them.

A TSJ file is the tileset every TMJ map of a folder refers to; ``tileset_object``
also makes the tileset a map embeds. ``load_json`` is every JSON reader's way in
(engine JSON and gamegen's own JSON maps use it too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gamegen.errors import DataError
from gamegen.exporters import _tiled as T
from gamegen.exporters._input import check_markup, read_limited
from gamegen.exporters.pixelart import TILE
from gamegen.tiles import Vocabulary

__all__ = ["read_tsj", "tileset_object", "tileset_vocabulary", "properties_json", "json_bytes", "load_json", "get_field", "read_properties"]


# -- writing --------------------------------------------------------------


def properties_json(props: list[T.Property]) -> list[dict[str, Any]]:
    return [{"name": name, "type": kind, "value": value} for name, kind, value in props]


def tileset_object(vocabulary: Vocabulary, firstgid: int | None) -> dict[str, Any]:
    """The tileset of a vocabulary: a TSJ file (no firstgid) or embedded in a map."""
    count = len(vocabulary)
    head: dict[str, Any] = {"firstgid": firstgid} if firstgid is not None else {}
    tail: dict[str, Any] = {} if firstgid is not None else {"tiledversion": T.TILED_VERSION, "type": "tileset", "version": T.FORMAT_VERSION}
    return {
        **head,
        "columns": count,
        "image": T.tileset_files(vocabulary)["png"],
        "imageheight": TILE,
        "imagewidth": TILE * count,
        "margin": 0,
        "name": vocabulary.name,
        "properties": properties_json(T.tileset_properties(vocabulary)),
        "spacing": 0,
        "tilecount": count,
        "tileheight": TILE,
        "tiles": [
            {"id": tile.id, "properties": properties_json(T.tile_properties(vocabulary, tile.id)), "type": tile.name}
            for tile in vocabulary.tiles
        ],
        "tilewidth": TILE,
        **tail,
    }


def json_bytes(doc: dict[str, Any]) -> bytes:
    return (T.json_text(doc) + "\n").encode("utf-8")


# -- reading --------------------------------------------------------------


def load_json(path: Path) -> Any:
    """Parse a JSON file; a missing, unreadable, oversized or malformed one is a one-line DataError."""
    data = read_limited(path)
    check_markup(data, path, "json")
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path} is not valid JSON ({exc}); is it truncated?") from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits; nesting deeper than Python's stack
        raise DataError(f"{path} is not JSON gamegen can read ({type(exc).__name__}: {str(exc)[:120]})") from None


def get_field(doc: Any, key: str, kind: type | tuple, where: str) -> Any:
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataError(f"{where}: {key!r} is missing or not {getattr(kind, '__name__', 'valid')}")
    return value


def read_properties(doc: dict[str, Any], where: str) -> list[T.Property]:
    props = []
    for prop in get_field(doc, "properties", list, where) if "properties" in doc else []:
        if not isinstance(prop, dict) or not isinstance(prop.get("name"), str):
            raise DataError(f"{where}: a property is not an object with a name")
        props.append((prop["name"], str(prop.get("type", "string")), prop.get("value")))
    return props


def tileset_vocabulary(tileset: dict[str, Any], where: str) -> Vocabulary:
    tiles = {}
    for tile in get_field(tileset, "tiles", list, where):
        tile_id = get_field(tile, "id", int, where)
        tiles[tile_id] = (str(tile.get("type") or tile.get("class") or ""), read_properties(tile, where))
    props = {name: value for name, _, value in read_properties(tileset, where)}
    return T.vocabulary_from_tileset(props, tiles, get_field(tileset, "tilecount", int, where), where)


def read_tsj(path: Path | str) -> Vocabulary:
    """The vocabulary a TSJ tileset written by gamegen describes."""
    path = Path(path)
    doc = load_json(path)
    if not isinstance(doc, dict):
        raise DataError(f"{path}: a TSJ tileset is a JSON object")
    return tileset_vocabulary(doc, str(path))
