"""Tile vocabularies (read from ``gamegen/vocabularies/*.json``) and the TileMap.

A vocabulary is data: id, symbol, name, tags and the name of its art recipe for
every tile. Training, generators, exporters and the viewer all read the same
table, so no module re-declares what a tile means.

A TileMap is a grid of tile ids (row 0 is the top of the screen), the
vocabulary that gives them meaning, and the provenance that regenerates it.
Its text form is the corpus format: one character per tile, one line per row,
each line ending in a newline.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from gamegen.errors import DataError, InvalidRequest

__all__ = ["Tile", "Vocabulary", "TileMap", "load_vocabulary", "list_vocabularies", "MAX_MAP_CELLS", "MAX_MAP_SIDE", "MAX_TILES"]

# Limits that keep a map (made, read or exported) from exhausting memory: the widest generated
# level is 16,384 x 14 = 229,376 cells, the largest overworld 4,096 x 4,096 = 16,777,216 (its TMX
# with tmx:zlib is ~1 MB; as CSV TMX it is 34 MB, past the 32 MiB the readers accept).
MAX_MAP_CELLS = 1 << 24
MAX_MAP_SIDE = 1 << 16
MAX_TILES = 4096  # tiles in a vocabulary


@dataclass(frozen=True)
class Tile:
    id: int
    symbol: str
    name: str
    tags: frozenset[str]
    art: str

    def __repr__(self) -> str:
        """Tags shown as a sorted set ({'ground', 'solid'}), not as frozenset({...}) in hash order."""
        tags = "{" + ", ".join(repr(t) for t in sorted(self.tags)) + "}"
        return f"Tile(id={self.id}, symbol={self.symbol!r}, name={self.name!r}, tags={tags}, art={self.art!r})"


class Vocabulary:
    """An ordered tile table; ids are positions, symbols are single characters."""

    def __init__(self, name: str, tiles: Iterable[Tile], empty: str, description: str = ""):
        self.name = name
        self.description = description
        self.tiles: tuple[Tile, ...] = tuple(tiles)
        if not 1 <= len(self.tiles) <= MAX_TILES:
            raise DataError(f"vocabulary {name!r} has {len(self.tiles)} tiles; a vocabulary has 1 to {MAX_TILES}")
        for position, tile in enumerate(self.tiles):
            if tile.id != position:
                raise DataError(f"vocabulary {name!r}: tile {tile.symbol!r} has id {tile.id}, expected {position}")
            if len(tile.symbol) != 1 or not " " <= tile.symbol < "\x7f":  # the text format is ASCII, one byte a tile
                raise DataError(f"vocabulary {name!r}: symbol {tile.symbol!r} must be one printable ASCII character")
        self._by_symbol = {tile.symbol: tile for tile in self.tiles}
        self._masks: dict[str, np.ndarray] = {}  # tag → lookup table; the agent and repair ask thousands of times a level
        if len(self._by_symbol) != len(self.tiles):
            raise DataError(f"vocabulary {name!r} repeats a symbol")
        if empty not in self._by_symbol:
            raise DataError(f"vocabulary {name!r}: empty symbol {empty!r} is not a tile")
        self.empty_id = self._by_symbol[empty].id
        # A 256-entry lookup turns text into ids in one numpy take.
        self._symbol_to_id = np.full(256, -1, dtype=np.int16)
        for tile in self.tiles:
            self._symbol_to_id[ord(tile.symbol)] = tile.id
        self._id_to_symbol = np.array([ord(t.symbol) for t in self.tiles], dtype=np.uint8)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vocabulary:
        try:
            tiles = [
                Tile(int(t["id"]), str(t["symbol"]), str(t["name"]), frozenset(t["tags"]), str(t.get("art", t["name"])))
                for t in data["tiles"]
            ]
            return cls(str(data["name"]), tiles, str(data["empty"]), str(data.get("description", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"malformed vocabulary: missing or bad field {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "empty": self.tiles[self.empty_id].symbol,
            "tiles": [
                {"id": t.id, "symbol": t.symbol, "name": t.name, "tags": sorted(t.tags), "art": t.art}
                for t in self.tiles
            ],
        }

    def __len__(self) -> int:
        return len(self.tiles)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.name, self.tiles))

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {len(self)} tiles)"

    def by_symbol(self, symbol: str) -> Tile:
        try:
            return self._by_symbol[symbol]
        except KeyError:
            raise InvalidRequest(f"symbol {symbol!r} is not in the {self.name} vocabulary") from None

    def ids_with(self, tag: str) -> list[int]:
        """Ids of the tiles that carry ``tag`` (for example every ``solid`` tile)."""
        return [t.id for t in self.tiles if tag in t.tags]

    def mask(self, tag: str) -> np.ndarray:
        """Boolean lookup table by id: ``vocab.mask('solid')[grid]`` is the solid mask (read-only, shared)."""
        table = self._masks.get(tag)
        if table is None:
            table = np.zeros(len(self), dtype=bool)
            table[self.ids_with(tag)] = True
            table.flags.writeable = False
            self._masks[tag] = table
        return table

    def encode(self, rows: list[str]) -> np.ndarray:
        """Text rows → (H, W) int16 ids; raises on ragged rows or unknown symbols."""
        if not rows:
            raise InvalidRequest("a map needs at least one row")
        width = len(rows[0])
        for r, row in enumerate(rows):
            if len(row) != width:
                raise InvalidRequest(f"row {r} has {len(row)} tiles, row 0 has {width}: maps must be rectangular")
        try:
            raw = np.frombuffer("".join(rows).encode("ascii"), dtype=np.uint8)
        except UnicodeEncodeError:
            raise InvalidRequest("map text must be ASCII, one character per tile") from None
        ids = self._symbol_to_id[raw]
        if (ids < 0).any():
            at = int(np.argmax(ids < 0))
            raise InvalidRequest(
                f"symbol {chr(raw[at])!r} at row {at // width}, column {at % width} is not in the {self.name} vocabulary"
            )
        return ids.reshape(len(rows), width)

    def decode(self, grid: np.ndarray) -> list[str]:
        """(H, W) ids → text rows."""
        return [bytes(self._id_to_symbol[row]).decode("ascii") for row in grid]


def list_vocabularies() -> list[str]:
    folder = resources.files("gamegen") / "vocabularies"
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load_vocabulary(name: str) -> Vocabulary:
    """The shipped vocabulary ``name`` (``platformer``, ...)."""
    if not isinstance(name, str) or not name.replace("-", "_").isidentifier():
        raise InvalidRequest(f"a vocabulary is named by a plain name such as 'platformer', got {name!r}")
    return _load_vocabulary(name)


@functools.cache
def _load_vocabulary(name: str) -> Vocabulary:
    path = resources.files("gamegen") / "vocabularies" / f"{name}.json"
    if not path.is_file():
        raise InvalidRequest(f"unknown vocabulary {name!r}; shipped: {', '.join(list_vocabularies())}")
    return Vocabulary.from_dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass(eq=False)
class TileMap:
    """A grid of tile ids with its vocabulary and provenance.

    ``grid`` is (H, W), row 0 at the top. ``provenance`` holds what regenerates
    the map (model, model sha256, seed, parameters, gamegen version) or where it
    was read from. ``objects`` holds points the content defines, each a dict
    with ``name``, ``x`` and ``y`` in tiles (player start, exit, ...).
    """

    grid: np.ndarray
    vocabulary: Vocabulary
    provenance: dict[str, Any] = field(default_factory=dict)
    objects: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.vocabulary, Vocabulary):
            raise InvalidRequest(f"a tile map needs a Vocabulary, got {type(self.vocabulary).__name__}")
        if not isinstance(self.provenance, dict) or not isinstance(self.objects, list):
            raise InvalidRequest("a tile map's provenance is a dict and its objects a list")
        try:
            grid = np.asarray(self.grid)
        except (ValueError, TypeError) as exc:  # ragged rows
            raise InvalidRequest(f"a tile map grid must be a rectangular 2-D array of tile ids ({exc})") from None
        if grid.ndim != 2 or grid.size == 0:
            raise InvalidRequest(f"a tile map grid must be 2-D and non-empty, got shape {grid.shape}")
        h, w = grid.shape  # checked before min/max or astype touch (or copy) a single cell
        if h > MAX_MAP_SIDE or w > MAX_MAP_SIDE or h * w > MAX_MAP_CELLS:
            raise InvalidRequest(f"a {w}x{h} map is too large: gamegen handles up to {MAX_MAP_CELLS:,} tiles, {MAX_MAP_SIDE:,} a side")
        if not np.issubdtype(grid.dtype, np.integer):
            raise InvalidRequest(f"a tile map grid holds integer tile ids, got {grid.dtype}")
        if grid.min() < 0 or grid.max() >= len(self.vocabulary):
            bad = int(grid.min()) if grid.min() < 0 else int(grid.max())
            raise InvalidRequest(f"tile id {bad} is outside the {self.vocabulary.name} vocabulary (0..{len(self.vocabulary) - 1})")
        self.grid = grid.astype(np.int16, copy=False)

    @property
    def height(self) -> int:
        return int(self.grid.shape[0])

    @property
    def width(self) -> int:
        return int(self.grid.shape[1])

    @classmethod
    def from_text(cls, text: str, vocabulary: Vocabulary | str = "platformer", provenance: dict | None = None) -> TileMap:
        """Read the corpus text format (one character per tile, one line per row)."""
        vocab = vocabulary if isinstance(vocabulary, Vocabulary) else load_vocabulary(vocabulary)
        if not isinstance(text, str):
            raise InvalidRequest(f"map text must be a str, got {type(text).__name__}")
        if len(text) > 2 * MAX_MAP_CELLS + 2 * MAX_MAP_SIDE:  # tiles, plus a line end (maybe CRLF) per row
            raise InvalidRequest(f"map text of {len(text):,} characters is too large: gamegen handles up to {MAX_MAP_CELLS:,} tiles")
        first_row = text.find("\n")
        if (len(text) if first_row < 0 else first_row) > MAX_MAP_SIDE + 1:  # one enormous row: refused before it is encoded
            raise InvalidRequest(f"map text with a row of more than {MAX_MAP_SIDE:,} tiles is too large")
        rows = text.split("\n")
        if rows and rows[-1] == "":
            rows.pop()
        rows = [row[:-1] if row.endswith("\r") else row for row in rows]
        return cls(vocab.encode(rows), vocab, dict(provenance or {}))

    def to_text(self) -> str:
        return "".join(row + "\n" for row in self.vocabulary.decode(self.grid))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TileMap)
            and self.vocabulary == other.vocabulary
            and self.grid.shape == other.grid.shape
            and bool((self.grid == other.grid).all())
        )

    def __repr__(self) -> str:
        return f"TileMap({self.vocabulary.name}, {self.height}x{self.width}, seed={self.provenance.get('seed')})"
