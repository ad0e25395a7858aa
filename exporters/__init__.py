"""Exporters and readers of gamegen content (installed as ``gamegen.exporters``).

One registry, ``FORMATS``, holds every format by the content it writes (a
generator descriptor's ``content``): tile maps ``tmx``, ``tmj``, ``json``,
``png``, ``txt``, ``minimap``, ``maf`` and any that a third-party package adds
through the entry-point group ``gamegen.exporters`` (each entry point names an
exporter class); sprite sets ``sheet`` (PNG, TexturePacker atlas, Tiled TSX)
and ``png`` (one file per sprite); name lists ``txt`` and ``json``.

An exporter is an object with ``name``, ``extension``, ``description`` and
``export(content) -> bytes`` (the item's own file). One whose file refers to
other files (a TMX map to its TSX tileset and PNG) also has
``companions(content) -> {file name: bytes}``: files shared by every item of
an output folder, written once beside them (see ``gamegen.output.batch``).

A format name may carry options after colons, passed to the exporter's
constructor: ``tmx:zlib:embed`` (flags), ``png:scale=2`` (integers).

    >>> from gamegen.exporters import get_exporter, read_map
    >>> data = get_exporter("tmx").export(level)
    >>> level = read_map("out/platformer-gan-7.tmx")   # TMX, TMJ, engine JSON or corpus text
"""

from __future__ import annotations

import inspect
import os
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from gamegen.errors import DataError, InvalidRequest
from gamegen.exporters.engine import EngineJsonExporter, read_engine_json
from gamegen.exporters.maf import MafExporter
from gamegen.exporters.minimap import MinimapExporter
from gamegen.exporters.names import NAMES_FORMATS
from gamegen.exporters.png import PngExporter
from gamegen.exporters.spritesheet import SHEET_FORMATS, SpritePng
from gamegen.exporters.text import TextExporter, read_text
from gamegen.exporters.tmj import TmjExporter, read_tmj
from gamegen.exporters.tmx import TmxExporter, read_tmx
from gamegen.exporters.tsj import load_json
from gamegen.tiles import TileMap

__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMATS",
    "Exporter",
    "available_formats",
    "companions",
    "get_exporter",
    "parse_formats",
    "read_map",
    "read_text",
    "read_tmx",
    "read_tmj",
    "read_engine_json",
    "READERS",
]

ENTRY_POINT_GROUP = "gamegen.exporters"
_BUILTIN = {cls.name: cls for cls in (TmxExporter, TmjExporter, EngineJsonExporter, PngExporter, TextExporter, MinimapExporter, MafExporter)}
# content → format name → the exporter classes that format writes (a sprite "sheet" is three files)
FORMATS: dict[str, dict[str, tuple[type, ...]]] = {
    "tilemap": {name: (cls,) for name, cls in _BUILTIN.items()},
    "sprites": {"sheet": SHEET_FORMATS, "png": (SpritePng,)},
    "names": {cls.name: (cls,) for cls in NAMES_FORMATS},
}


class Exporter(Protocol):
    name: str
    extension: str
    description: str

    def export(self, content) -> bytes: ...


def companions(exporter: Exporter, content) -> dict[str, bytes]:
    """The shared files ``exporter`` needs beside its output (none for most formats)."""
    method = getattr(exporter, "companions", None)
    return dict(method(content)) if method else {}


def _plugins() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_formats() -> list[str]:
    return sorted(set(_BUILTIN) | set(_plugins()))


def _construct(name: str, cls: type, options: dict[str, Any]) -> Exporter:
    """``cls(**options)``, with an unknown option reported by name instead of a TypeError."""
    accepted = [p for p in inspect.signature(cls).parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD or p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - {p.name for p in accepted})
    if unknown:
        offered = ", ".join(p.name for p in accepted) or "none"
        raise InvalidRequest(f"format {name!r} has no option {unknown[0]!r}; its options: {offered}")
    return cls(**options)


def get_exporter(name: str, **options: Any) -> Exporter:
    """The exporter of format ``name``, built with ``options``."""
    if name in _BUILTIN:
        return _construct(name, _BUILTIN[name], options)
    plugin = _plugins().get(name)
    if plugin is None:
        raise InvalidRequest(f"unknown format {name!r}; available: {', '.join(available_formats())}")
    return _construct(name, plugin.load(), options)


def _option(text: str, spec: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not key.isidentifier():
        raise InvalidRequest(f"format option {text!r} in {spec!r} is not a name or name=integer")
    if not sep:
        return key, True
    try:
        return key, int(value)
    except ValueError:
        raise InvalidRequest(f"format option {text!r} in {spec!r}: the value must be an integer") from None


def _content_formats(spec: str, content: str) -> list[Exporter]:
    """Formats of sprite sets or name lists (no options, no plugins) → their exporters, in order."""
    known = FORMATS[content]
    names = list(dict.fromkeys(part.strip() for part in spec.split(",") if part.strip()))
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        offered = ", ".join(f"{name} ({getattr(classes[0], 'description', name)})" for name, classes in known.items())  # a sheet's PNG names its atlas and TSX
        raise InvalidRequest(f"format {', '.join(unknown) or repr(spec)} does not apply to {content}; {content} formats: {offered}")
    return [cls() for name in names for cls in known[name]]


def parse_formats(spec: str, content: str = "tilemap") -> list[Exporter]:
    """``"tmx:zlib,tmj,png:scale=2"`` → exporters, in order; one format with two option sets is refused.

    ``content`` is what they will write (a descriptor's ``content``: tilemap, sprites or names).
    """
    if not isinstance(spec, str):
        raise InvalidRequest(f"formats are given as a string such as 'tmx,png:scale=2', got {spec!r}")
    if content not in FORMATS:
        raise InvalidRequest(f"no formats write {content!r}; contents: {', '.join(FORMATS)}")
    if content != "tilemap":
        return _content_formats(spec, content)
    exporters: list[Exporter] = []
    seen: dict[str, str] = {}
    for part in (p.replace(" ", "") for p in spec.split(",")):
        name, *raw = part.split(":")
        if not part or seen.get(name) == part:  # an exact repeat is harmless
            continue
        if name in seen:
            raise InvalidRequest(f"format {name!r} is given twice with different options in --format {spec!r}")
        seen[name] = part
        exporters.append(get_exporter(name, **dict(_option(opt, spec) for opt in raw)))
    if not exporters:
        raise InvalidRequest("--format needs at least one format name")
    return exporters


def _read_json(path: Path) -> TileMap:
    """``.json`` is either engine JSON or a Tiled map saved under the old extension: look inside."""
    doc = load_json(path)
    if isinstance(doc, dict) and doc.get("type") == "map" and "format" not in doc:
        return read_tmj(path)
    return read_engine_json(path)


READERS = {".tmx": read_tmx, ".tmj": read_tmj, ".json": _read_json, ".txt": read_text}


def read_map(path: Path | str) -> TileMap:
    """Read a map back by its extension (TMX, TMJ, engine JSON, corpus text) with its provenance and objects."""
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidRequest(f"read_map needs a file path, got {type(path).__name__}")
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DataError(f"cannot read {path}: unknown extension {path.suffix or '(none)'!r}; readable: {', '.join(READERS)}")
    if path.is_dir():
        raise DataError(f"{path} is a folder; give a map file")
    return reader(path)
