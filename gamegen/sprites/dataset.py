"""Sprite corpora: the DawnLike and Crawl packs read as RGBA, quantised to palette indices.

    >>> corpus = load_sprite_corpus("dawnlike", data_dir)      # SpriteCorpus: (N, 16, 16, 4) uint8 + categories
    >>> palette = corpus_palette(corpus.sprites, 16, seed=1)   # (16, 3) uint8
    >>> indices = quantise(corpus.sprites, palette)            # (N, 16, 16) int64, 0 = transparent

Packs (read each one's SOURCE.md in ``shared/data/sprites``):

* ``dawnlike``: the original 16x16 sheets, ``sheets/Characters/*.png`` →
  creature, ``sheets/Items/*.png`` → item, cut into 16x16 cells; empty cells
  dropped; the last 8 rows of the two 248-pixel Reptile sheets cropped.
* ``crawl``: Dungeon Crawl Stone Soup, ``mon/**`` → creature, ``item/**`` →
  item; only the 32x32 files (tall 32x48 monsters are skipped).

Every PNG mode the packs use (palette with tRNS, grey, grey+alpha, RGB, RGBA)
is converted to RGBA; a pixel is opaque when its alpha is at least 128.
Exact duplicates (an animation frame that does not move) are kept once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gamegen.errors import DataError, InvalidRequest

__all__ = ["SpriteCorpus", "PACKS", "CATEGORIES", "ACCEPTED_MODES", "load_sprite_corpus", "sprites_root", "to_rgba", "read_png",
           "corpus_palette", "quantise", "render", "components", "largest_share", "remove_specks"]

CATEGORIES = ("creature", "item")
ACCEPTED_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA")  # 8-bit modes the packs use; 16-bit or float images are refused
ALPHA_THRESHOLD = 128
MAX_PNG_BYTES = 1 << 20


@dataclass(frozen=True)
class Pack:
    folder: str
    size: int
    licence: dict
    sources: dict  # category → folders (sheets cut into cells, or folders of single files)


PACKS = {
    "dawnlike": Pack(
        "dawnlike",
        16,
        {
            "corpus": "DawnLike 16x16 Universal Rogue-like tileset v1.81 via DawnLikeAtlas, commit 6bbe86b03b92280f9f279c031e22642750f98097",
            "licence": "CC-BY-4.0",
            "attribution": "DawnLike tileset by DragonDePlatino, palette by DawnBringer (CC-BY 4.0), https://opengameart.org/comment/60159 ; "
            "split and named by Tommy Ettinger (DawnLikeAtlas, CC-BY 4.0)",
            "url": "https://creativecommons.org/licenses/by/4.0/",
        },
        {"creature": ("sheets/Characters",), "item": ("sheets/Items",)},
    ),
    "crawl": Pack(
        "crawl-stone-soup-tiles",
        32,
        {
            "corpus": "Dungeon Crawl Stone Soup tiles, releases/Nov-2015 of github.com/crawl/tiles, commit a6ea1655db5c044829d9eea19a232fa6fcac87b0",
            "licence": "CC0-1.0",
            "attribution": "Dungeon Crawl Stone Soup tiles (CC0), by the DCSS developers/artists, via github.com/crawl/tiles (courtesy credit; not required)",
            "url": "https://creativecommons.org/publicdomain/zero/1.0/",
        },
        {"creature": ("mon",), "item": ("item",)},
    ),
}


@dataclass
class SpriteCorpus:
    pack: str
    sprites: np.ndarray  # (N, S, S, 4) uint8, alpha 0 or 255
    categories: np.ndarray  # (N,) int64 index into CATEGORIES
    files: list[str] = field(default_factory=list)  # per sprite: "path/in/pack.png" or "sheet.png#cell"

    @property
    def counts(self) -> dict[str, int]:
        return {c: int((self.categories == i).sum()) for i, c in enumerate(CATEGORIES)}


def sprites_root(data_dir: Path | str) -> Path:
    """``shared/data`` or ``shared/data/sprites`` → the ``sprites`` folder."""
    data_dir = Path(data_dir)
    for candidate in (data_dir, data_dir / "sprites"):
        if (candidate / "dawnlike").is_dir() or (candidate / "crawl-stone-soup-tiles").is_dir():
            return candidate
    raise DataError(f"no sprite packs under {data_dir}: pass --data pointing at shared/data or shared/data/sprites")


def to_rgba(image) -> np.ndarray:
    """A PIL image in one of ACCEPTED_MODES → (H, W, 4) uint8 with alpha 0 or 255."""
    if image.mode not in ACCEPTED_MODES:
        raise InvalidRequest(f"PNG mode {image.mode} is not supported; give an 8-bit palette, grey, RGB or RGBA image")
    rgba = np.array(image.convert("RGBA"), dtype=np.uint8)
    opaque = rgba[..., 3] >= ALPHA_THRESHOLD
    rgba[..., 3] = np.where(opaque, 255, 0)
    rgba[~opaque] = 0
    return rgba


def read_png(source, where: str = "image") -> np.ndarray:
    """A PNG file path or PNG bytes → (H, W, 4) uint8 RGBA (alpha 0 or 255); unreadable → DataError, bad mode → InvalidRequest."""
    from PIL import Image, UnidentifiedImageError

    try:
        if isinstance(source, (bytes, bytearray)):
            data = bytes(source)
        else:
            path = Path(source)
            if not path.is_file():
                raise DataError(f"{where} {path} is not a file")
            if path.stat().st_size > MAX_PNG_BYTES:
                raise DataError(f"{where} {path} is larger than {MAX_PNG_BYTES >> 10} KiB; a sprite PNG is a few KiB")
            data = path.read_bytes()
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            if image.width * image.height > 1 << 20:
                raise InvalidRequest(f"{where} is {image.width}x{image.height}; far larger than a sprite")
            image.load()
            return to_rgba(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, InvalidRequest):
            raise
        raise DataError(f"{where} is not a readable PNG ({type(exc).__name__}: {str(exc)[:120]})") from None


def _cells(rgba: np.ndarray, size: int) -> np.ndarray:
    h, w = rgba.shape[0] // size * size, rgba.shape[1] // size * size  # Reptile sheets: 248 rows → 240
    grid = rgba[:h, :w].reshape(h // size, size, w // size, size, 4).transpose(0, 2, 1, 3, 4)
    return grid.reshape(-1, size, size, 4)


def load_sprite_corpus(pack: str, data_dir: Path | str) -> SpriteCorpus:
    """Every sprite of ``pack`` (see PACKS), RGBA, deduplicated, in a fixed order."""
    from PIL import Image

    if pack not in PACKS:
        raise InvalidRequest(f"unknown sprite pack {pack!r}; packs: {', '.join(PACKS)}")
    spec = PACKS[pack]
    root = sprites_root(data_dir) / spec.folder
    sprites, categories, files, seen = [], [], [], set()
    for category, folders in spec.sources.items():
        for folder in folders:
            paths = sorted((root / folder).rglob("*.png"))
            if not paths:
                raise DataError(f"no PNG files in {root / folder}; is the {pack} pack complete? (see its SOURCE.md)")
            for path in paths:
                with Image.open(path) as image:
                    rgba = to_rgba(image)
                rel = str(path.relative_to(root))
                if pack == "dawnlike":
                    items = [(f"{rel}#{i}", cell) for i, cell in enumerate(_cells(rgba, spec.size))]
                elif rgba.shape[:2] == (spec.size, spec.size):
                    items = [(rel, rgba)]
                else:
                    items = []  # a tall monster or a GUI piece: not this model's size
                for name, cell in items:
                    key = cell.tobytes()
                    if cell[..., 3].any() and key not in seen:
                        seen.add(key)
                        sprites.append(cell)
                        categories.append(CATEGORIES.index(category))
                        files.append(name)
    return SpriteCorpus(pack, np.stack(sprites), np.array(categories, dtype=np.int64), files)


def corpus_palette(sprites: np.ndarray, k: int, seed: int = 1, iterations: int = 30) -> np.ndarray:
    """The ``k`` colours that best cover the opaque pixels: the colours themselves if there are at most ``k``,
    else a count-weighted k-means in CIELAB (deterministic for a seed) → (k', 3) uint8, sorted by lightness."""
    from gamegen.sprites.palettes import rgb_to_lab

    pixels = sprites.reshape(-1, 4)
    colours, counts = np.unique(pixels[pixels[:, 3] == 255, :3], axis=0, return_counts=True)
    if len(colours) <= k:
        chosen = colours
    else:
        lab, weight = rgb_to_lab(colours), counts.astype(np.float64)
        rng = np.random.Generator(np.random.PCG64(seed))
        centres = lab[rng.choice(len(lab), size=k, replace=False, p=weight / weight.sum())]
        for _ in range(iterations):
            nearest = np.argmin(((lab[:, None] - centres[None]) ** 2).sum(-1), axis=1)
            for j in range(k):
                members = nearest == j
                if members.any():
                    centres[j] = (lab[members] * weight[members, None]).sum(0) / weight[members].sum()
        nearest = np.argmin(((lab[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        # Each centre becomes the most used real colour of its cluster: pixel art keeps the artists' colours.
        chosen = np.array([colours[nearest == j][np.argmax(counts[nearest == j])] for j in range(k) if (nearest == j).any()])
    order = np.argsort(rgb_to_lab(chosen)[:, 0], kind="stable")
    return chosen[order].astype(np.uint8)


def quantise(sprites: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """(N, H, W, 4) RGBA → (N, H, W) int64: 0 where transparent, 1 + the nearest palette colour (CIELAB) elsewhere."""
    from gamegen.sprites.palettes import snap_colours

    flat = sprites.reshape(-1, 4)
    colours, inverse = np.unique(flat[:, :3], axis=0, return_inverse=True)
    index = snap_colours(colours, palette)[inverse.reshape(-1)] + 1
    index[flat[:, 3] < ALPHA_THRESHOLD] = 0
    return index.reshape(sprites.shape[:3]).astype(np.int64)


def render(indices: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """(..., H, W) palette indices (0 transparent) and (K, 3) colours of indices 1..K → (..., H, W, 4) uint8 RGBA."""
    table = np.zeros((len(colours) + 1, 4), dtype=np.uint8)
    table[1:, :3] = colours
    table[1:, 3] = 255
    return table[indices]


def components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """8-connected components of a (H, W) bool mask → (labels 1..n, 0 outside; n)."""
    h, w = mask.shape
    labels = np.zeros((h, w), dtype=np.int32)
    n = 0
    for y, x in zip(*np.nonzero(mask)):
        if labels[y, x]:
            continue
        n += 1
        stack = [(y, x)]
        labels[y, x] = n
        while stack:
            cy, cx = stack.pop()
            for ny in range(max(cy - 1, 0), min(cy + 2, h)):
                for nx in range(max(cx - 1, 0), min(cx + 2, w)):
                    if mask[ny, nx] and not labels[ny, nx]:
                        labels[ny, nx] = n
                        stack.append((ny, nx))
    return labels, n


def largest_share(mask: np.ndarray) -> float:
    """Share of a sprite's opaque pixels in its largest 8-connected component (1.0: one silhouette)."""
    labels, n = components(mask)
    if n == 0:
        return 0.0
    sizes = np.bincount(labels.ravel())[1:]
    return float(sizes.max() / sizes.sum())


def remove_specks(indices: np.ndarray, fraction: float = 0.1) -> np.ndarray:
    """(H, W) indices with every component smaller than ``fraction`` of the largest made transparent."""
    labels, n = components(indices > 0)
    if n <= 1:
        return indices
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    keep = sizes >= max(fraction * sizes.max(), 1)
    keep[0] = False
    return np.where(keep[labels], indices, 0)
