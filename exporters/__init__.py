"""Exporters and readers of gamegen content (installed as ``gamegen.exporters``).

Formats are found by name. An exporter is any object with ``name``,
``extension``, ``description`` and ``export(content) -> bytes``; the caller
writes the bytes atomically. Third-party packages add formats through the
entry-point group ``gamegen.exporters`` (each entry point names a class).

    >>> from gamegen.exporters import get_exporter
    >>> data = get_exporter("png").export(level)
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Protocol

from gamegen.errors import InvalidRequest

from .png import PngExporter
from .text import TextExporter, read_text

__all__ = ["Exporter", "available_formats", "get_exporter", "parse_formats", "read_text"]

ENTRY_POINT_GROUP = "gamegen.exporters"
_BUILTIN = {cls.name: cls for cls in (TextExporter, PngExporter)}


class Exporter(Protocol):
    name: str
    extension: str
    description: str

    def export(self, content) -> bytes: ...


def _plugins() -> dict[str, object]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_formats() -> list[str]:
    return sorted(set(_BUILTIN) | set(_plugins()))


def get_exporter(name: str) -> Exporter:
    if name in _BUILTIN:
        return _BUILTIN[name]()
    plugin = _plugins().get(name)
    if plugin is None:
        raise InvalidRequest(f"unknown format {name!r}; available: {', '.join(available_formats())}")
    return plugin.load()()


def parse_formats(spec: str) -> list[Exporter]:
    """``"txt,png"`` → exporters, in order, without repeats."""
    names = list(dict.fromkeys(part.strip() for part in spec.split(",") if part.strip()))
    if not names:
        raise InvalidRequest("--format needs at least one format name")
    return [get_exporter(name) for name in names]
