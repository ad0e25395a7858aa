"""What the viewer shows, and how it is made: a map file or a model's output for a seed.

Nothing here imports pygame: a source's ``make`` runs on the worker thread and
returns a ``Shown``, plain data (the content, its zoom-1 pixels, the agent's
verdict and path) that the main thread turns into surfaces.

A new kind of content (sprite sheets from a sprite model, say) is a new source
whose ``make`` returns its own ready-to-show record, and a view in the App that
draws it; the App picks the view by the record's type.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.tiles import TileMap

__all__ = ["Shown", "prepare", "FileSource", "ModelSource", "open_source", "DEFAULT_MODEL", "MAP_SUFFIXES"]

DEFAULT_MODEL = "platformer-gan"
MAP_SUFFIXES = (".tmx", ".tmj", ".json", ".txt")


@dataclass
class Shown:
    """One map, ready to show."""

    level: TileMap
    label: str  # the model's name, or the file's name
    stem: str  # exported files are named <stem>.<ext>
    seed: int | None  # None for a file
    elapsed_ms: float  # generating (or reading) the map
    pixels: np.ndarray  # (H·16, W·16, 4) RGBA, zoom 1, as exporters.preview draws it
    solid: np.ndarray | None  # (H, W) bool, where the content has solid tiles
    finishable: bool | None  # None: no agent plays this content
    reason: str = ""  # why not finishable
    path: list[tuple[int, int]] = field(default_factory=list)  # the agent's path, (x, y) tiles

    @property
    def edits(self) -> int | None:
        """How many tiles repair changed (None when the map does not say)."""
        repair = self.level.provenance.get("repair")
        edits = repair.get("edits") if isinstance(repair, dict) else None
        return len(edits) if isinstance(edits, (list, tuple)) else edits


def _agent_for(level: TileMap):
    """The agent that plays this vocabulary's maps, if any."""
    if level.vocabulary.name == "platformer" and level.vocabulary.ids_with("solid"):
        from gamegen.platformer import PlatformerAgent

        return PlatformerAgent(level.vocabulary)
    return None


def prepare(level: TileMap, label: str, stem: str, seed: int | None, elapsed_ms: float, agent) -> Shown:
    """Render and play ``level`` → everything the main thread needs to draw it."""
    from gamegen.exporters.preview import render_map

    solid_ids = level.vocabulary.ids_with("solid")
    solid = level.vocabulary.mask("solid")[level.grid] if solid_ids else None
    shown = Shown(level, label, stem, seed, elapsed_ms, render_map(level), solid, None)
    if agent is not None:
        result = agent.play(level)
        shown.finishable, shown.reason, shown.path = result.finishable, result.reason, list(result.path)
    return shown


class FileSource:
    """A map read from a TMX, TMJ, engine-JSON or corpus-text file."""

    steps_seeds = False

    def __init__(self, path: Path, level: TileMap, elapsed_ms: float):
        self.path = path
        self.level = level
        self.elapsed_ms = elapsed_ms

    @classmethod
    def open(cls, path: Path | str) -> FileSource:
        """Read ``path`` now (a DataError names a missing or malformed file)."""
        from gamegen.exporters import read_map

        path = Path(path)
        start = time.perf_counter()
        level = read_map(path)
        return cls(path, level, (time.perf_counter() - start) * 1000)

    @property
    def label(self) -> str:
        return self.path.name

    def make(self, seed: int | None = None) -> Shown:
        return prepare(self.level, self.label, self.path.stem, None, self.elapsed_ms, _agent_for(self.level))


class ModelSource:
    """Levels generated live from a loaded model, one per seed."""

    steps_seeds = True

    def __init__(self, generator, options):
        self.generator = generator
        self.options = options

    @property
    def label(self) -> str:
        return self.generator.name

    def make(self, seed: int | None = 0) -> Shown:
        seed = 0 if seed is None else seed
        start = time.perf_counter()
        level = self.generator.generate(seed, self.options)
        elapsed = (time.perf_counter() - start) * 1000
        agent = self.generator if hasattr(self.generator, "play") else None  # kinds with a playability agent show its path
        return prepare(level, self.label, f"{self.label}-{seed}", seed, elapsed, agent)


def _is_model_path(path: Path) -> bool:
    """A model folder, an ONNX file, or a card beside its ONNX file (a card is JSON too)."""
    if path.is_dir() or path.suffix == ".onnx":
        return True
    return path.suffix == ".json" and path.with_suffix(".onnx").is_file()


def open_source(target: str | None, width: int = 200):
    """A FileSource for a map file, else a ModelSource for a shipped model name or a model folder.

    Errors are raised here, before any window opens: DataError for a missing or
    malformed file, UnknownModel for a name that is neither, InvalidRequest for a
    bad width or content the viewer cannot show.
    """
    if target is None:
        target = DEFAULT_MODEL
    path = Path(target)
    if not _is_model_path(path) and (path.suffix.lower() in MAP_SUFFIXES or path.is_file()):
        return FileSource.open(path)
    from gamegen.api import load

    generator = load(target)
    content = generator.descriptor.content
    if content != "tilemap":  # sprite sheets get their own source and view when the viewer learns them
        raise InvalidRequest(f"{generator.name} makes {content}; the viewer shows tile maps so far")
    takes_width = any(spec.name == "width" for spec in generator.descriptor.options.declared())
    options = generator.options(width=width) if takes_width else generator.options()  # checked before the window opens
    return ModelSource(generator, options)
