"""Pixel-art sprites from a palette-index GAN or VAE, run with ONNX Runtime.

    >>> gen = gamegen.load("sprite-gan")
    >>> sprites = gen.generate(1, n=64)                      # a SpriteSet: .pixels (64, 16, 16, 4) uint8 RGBA, .categories
    >>> gen.generate(1, n=16, palette="pico8", category="item")
    >>> vae = gamegen.load("sprite-vae")
    >>> z = vae.encode("goblin.png")                         # (latent,) float32
    >>> vae.variations("goblin.png", n=8, strength=0.5, seed=3)
    >>> vae.interpolate("goblin.png", "orc.png", steps=8)

The networks output, per pixel, logits over the card's ``palette`` plus class 0
(transparent); the argmax picks each pixel, so alpha is exactly 0 or 255 and a
sprite has only palette colours. Opaque specks detached from the main
silhouette (components smaller than SPECK_FRACTION of the largest) are
cleared. ``palette=`` then snaps each of the model's colours to the nearest
colour (CIELAB) of a named palette (db16, db32, pico8) or of the caller's list.

Latents: the GAN decodes N(0, I) noise; the VAE decodes draws from the
Gaussian mixture its card carries (``latent_prior``, one per category, fitted
to the training sprites' posterior means), since its decoder makes fragments
where N(0, I) strays from the sprites it was trained on.

Determinism: sprite i of a call draws its noise vector and then two uniforms
(its category when none is asked for, its mixture component) from the call's
one ``Generator(PCG64(seed))``, in order, so ``generate(s, n=8)`` is the first
8 sprites of ``generate(s, n=64)``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gamegen.errors import InvalidRequest
from gamegen.protocol import Descriptor, GeneratorBase, Options, option, provenance
from gamegen.runtime.cards import ModelCard
from gamegen.runtime.onnx import OnnxModel
from gamegen.seeds import check_int, check_seed, rng_for
from gamegen.sprites.dataset import quantise, read_png, remove_specks, render, to_rgba
from gamegen.sprites.palettes import hex_colour, palette_name, parse_palette, snap_colours

__all__ = ["SpriteGenerator", "SpriteOptions", "SpriteSet", "Sprite", "MAX_SPRITES", "SPECK_FRACTION"]

MAX_SPRITES = 4096  # sprites in one call
MAX_STEPS = 256  # frames of one interpolation
MAX_STRENGTH = 4.0  # variations: standard deviations of latent noise
SPECK_FRACTION = 0.1
CHUNK = 256  # sprites per inference call: bounds memory, not results


@dataclass
class SpriteSet:
    """Sprites of one call, with what an exporter needs: categories, colours, provenance and the data's licence."""

    pixels: np.ndarray  # (n, H, W, 4) uint8, alpha 0 or 255
    categories: list[str]
    provenance: dict[str, Any] = field(default_factory=dict)
    licence: dict[str, Any] = field(default_factory=dict)  # the card's data_licence: licence, attribution

    @property
    def stem(self) -> str:
        """File stem of the sheet: ``<model>-<seed>``, plus ``-<category>`` when one was asked for."""
        p = self.provenance
        category = p.get("params", {}).get("category")
        return f"{p.get('model', 'sprites')}-{p.get('seed', 0)}" + (f"-{category}" if category else "")

    @property
    def frame_names(self) -> list[str]:
        return [f"{self.stem}-{i:03d}" for i in range(len(self.pixels))]

    def sprites(self) -> list[Sprite]:
        return [Sprite(px, cat, {**self.provenance, "index": i}, self.licence) for i, (px, cat) in enumerate(zip(self.pixels, self.categories))]


@dataclass
class Sprite:
    """One sprite of a SpriteSet (what the single-PNG format writes)."""

    pixels: np.ndarray  # (H, W, 4) uint8
    category: str
    provenance: dict[str, Any] = field(default_factory=dict)
    licence: dict[str, Any] = field(default_factory=dict)


def _checked_palette(palette):
    """A palette name or list of colours, checked; kept as given (provenance records its name or colours)."""
    parse_palette(palette)
    return palette


@dataclass(frozen=True)
class SpriteOptions(Options):
    """``n`` sprites from one seed; a palette to snap to; one category or all."""

    n: int = option(64, "Sprites in the call (the CLI's --count).", low=1, high=MAX_SPRITES, flag="")
    palette: Any = option(None, "Snap colours to db16, db32, pico8 or a list such as '#000000,#ffffff'.", type=object, checker=_checked_palette)
    category: str | None = option(None, "creature or item (default: both, drawn per sprite).", type=str)


class SpriteGenerator(GeneratorBase[SpriteSet, SpriteOptions]):
    """Runs a sprite model (``generator: "sprites"``); the VAE's card adds an ``encoder`` graph. Made by ``gamegen.load``."""

    options_type = SpriteOptions

    @classmethod
    def describe(cls, card: ModelCard) -> Descriptor:
        """What this generator is, from its card alone (no model loaded)."""
        return Descriptor(card.name, "sprites", card.data.get("summary", ""), SpriteOptions, card, items_per_seed="n", content="sprites", formats="sheet,png")

    def __init__(self, card: ModelCard, model: OnnxModel, graphs: dict[str, OnnxModel] | None = None):
        self.card, self.model = card, model
        self.descriptor = self.describe(card)
        self.encoder = (graphs or {}).get("encoder")
        data = card.data
        self.size, self.latent = int(data["size"]), int(data["latent_size"])
        self.categories: list[str] = list(data["categories"])
        self.colours = parse_palette(list(data["palette"]))  # (K-1, 3): index i + 1
        self.temperature = float(data.get("sample_temperature", 1.0))
        self.prior = _mixtures(data.get("latent_prior"), self.categories, self.latent)  # category → (cdf, means, cholesky), or None
        if not (1 <= self.size <= 256 and 1 <= self.latent <= 4096 and self.categories and all(isinstance(c, str) for c in self.categories)):
            raise ValueError("size, latent_size and categories are out of range")

    def __repr__(self) -> str:
        return f"SpriteGenerator({self.name!r}, {self.size}x{self.size}, {len(self.colours)} colours{', encoder' if self.encoder else ''})"

    # -- generation ---------------------------------------------------------

    def options(self, values=None, /, **overrides) -> SpriteOptions:
        options = super().options(values, **overrides)
        self._category(options.category)  # this model's categories
        return options

    def _generate(self, seed: int, options: SpriteOptions) -> SpriteSet:
        """``n`` sprites from ``seed``, with categories and provenance (``.pixels``: (n, size, size, 4) uint8 RGBA)."""
        n, palette, category = options.n, options.palette, options.category
        colours, palette_param = self._palette(palette)
        fixed = self._category(category)
        rng = rng_for(seed)
        latents = np.empty((n, self.latent), dtype=np.float32)
        cats = np.empty(n, dtype=np.int64)
        for i in range(n):  # per sprite, in order and always the same draws: a prefix of a larger call is the same sprites
            noise, (u_category, u_component) = rng.standard_normal(self.latent), rng.random(2)
            cats[i] = fixed if fixed is not None else min(int(u_category * len(self.categories)), len(self.categories) - 1)
            latents[i] = self._latent(noise, u_component, int(cats[i]))
        pixels = render(self._decode(latents, cats), colours)
        record = provenance(self.descriptor, seed, {"n": n, "palette": palette_param, "category": category})
        return SpriteSet(pixels, [self.categories[c] for c in cats], record, dict(self.card.data.get("data_licence", {})))

    # -- the VAE's encoder ----------------------------------------------------

    def encode(self, png) -> np.ndarray:
        """A sprite (PNG path, PNG bytes or (size, size, 3|4) uint8 array) → its latent mean (latent,) float32."""
        return self._encode(png)[0]

    def classify(self, png) -> str:
        """The category the encoder sees in a sprite."""
        return self.categories[self._encode(png)[1]]

    def variations(self, png, n: int = 8, strength: float = 0.5, seed: int = 0, palette=None) -> np.ndarray:
        """``n`` sprites near ``png``: its latent plus ``strength`` x N(0, I) noise from ``seed`` → (n, size, size, 4)."""
        n = check_int("n", n, 1, MAX_SPRITES)
        if isinstance(strength, bool) or not isinstance(strength, numbers.Real) or not 0 <= strength <= MAX_STRENGTH:
            raise InvalidRequest(f"strength must be a number in [0, {MAX_STRENGTH:g}], got {strength!r}")
        rng = rng_for(check_seed(seed))
        colours, _ = self._palette(palette)
        mu, cat = self._encode(png)
        latents = (mu[None] + float(strength) * rng.standard_normal((n, self.latent))).astype(np.float32)
        return render(self._decode(latents, np.full(n, cat, dtype=np.int64)), colours)

    def interpolate(self, a, b, steps: int = 8, palette=None) -> np.ndarray:
        """``steps`` sprites from ``a`` to ``b`` along the line between their latents → (steps, size, size, 4)."""
        steps = check_int("steps", steps, 2, MAX_STEPS)
        colours, _ = self._palette(palette)
        (za, ca), (zb, cb) = self._encode(a, "a"), self._encode(b, "b")
        t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
        latents = ((1 - t) * za[None] + t * zb[None]).astype(np.float32)
        cats = np.where(t[:, 0] < 0.5, ca, cb).astype(np.int64)  # the category switches half way
        return render(self._decode(latents, cats), colours)

    # -- inside ---------------------------------------------------------------

    def _latent(self, noise: np.ndarray, u: float, category: int) -> np.ndarray:
        """N(0, t^2 I) noise → a latent: itself (a GAN), or a draw from the category's mixture component picked by ``u`` (the VAE)."""
        if self.prior is None:
            return noise * self.temperature
        cdf, means, cholesky = self.prior[category]
        j = min(int(np.searchsorted(cdf, u * cdf[-1], side="right")), len(cdf) - 1)
        return means[j] + cholesky[j] @ (noise * self.temperature)

    def _palette(self, palette) -> tuple[np.ndarray, Any]:
        """→ (colours of indices 1..K, the palette as provenance records it)."""
        if palette is None:
            return self.colours, None
        target = parse_palette(palette)
        param = palette_name(palette) or [hex_colour(c) for c in target]
        return target[snap_colours(self.colours, target)], param

    def _category(self, category) -> int | None:
        if category is None:
            return None
        if not isinstance(category, str) or category not in self.categories:
            raise InvalidRequest(f"unknown category {category!r}; {self.name} makes: {', '.join(self.categories)}")
        return self.categories.index(category)

    def _decode(self, latents: np.ndarray, cats: np.ndarray) -> np.ndarray:
        """(n, latent) and (n,) → (n, size, size) palette indices, specks cleared."""
        out = []
        for start in range(0, len(latents), CHUNK):
            (logits,) = self.model.run(latent=latents[start : start + CHUNK], category=cats[start : start + CHUNK])[:1]
            out.append(np.argmax(logits, axis=1))
        return np.stack([remove_specks(i, SPECK_FRACTION) for i in np.concatenate(out)])

    def _encode(self, png, where: str = "png") -> tuple[np.ndarray, int]:
        if self.encoder is None:
            raise InvalidRequest(f"{self.name} has no encoder; encode, variations and interpolate need a VAE such as sprite-vae")
        rgba = self._read(png, where)
        indices = quantise(rgba[None], self.colours)  # (1, S, S)
        onehot = np.eye(len(self.colours) + 1, dtype=np.float32)[indices].transpose(0, 3, 1, 2)  # (1, K, S, S)
        mu, _, cat_logits = self.encoder.run(onehot=onehot)[:3]
        return mu[0].astype(np.float32), int(np.argmax(cat_logits[0]))

    def _read(self, png, where: str) -> np.ndarray:
        if isinstance(png, np.ndarray):
            if png.dtype != np.uint8 or png.ndim != 3 or png.shape[2] not in (3, 4):
                raise InvalidRequest(f"{where}: an array sprite must be (H, W, 3 or 4) uint8, got {png.shape} {png.dtype}")
            rgba = png if png.shape[2] == 4 else np.concatenate([png, np.full((*png.shape[:2], 1), 255, np.uint8)], axis=2)
            rgba = to_rgba(_image(rgba))
        elif isinstance(png, (str, bytes, bytearray)) or hasattr(png, "__fspath__"):
            rgba = read_png(png, where)
        else:
            raise InvalidRequest(f"{where}: give a PNG path, PNG bytes or an RGBA array, got {type(png).__name__}")
        if rgba.shape[:2] != (self.size, self.size):
            raise InvalidRequest(f"{where} is {rgba.shape[1]}x{rgba.shape[0]}; {self.name} encodes {self.size}x{self.size} sprites")
        return rgba


def _mixtures(prior, categories: list[str], latent: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
    """The card's ``latent_prior`` ({category: {weights, means, cholesky}}) → per category id (weight cdf, means, cholesky)."""
    if prior is None:
        return None
    out = []
    for category in categories:
        spec = prior[category]
        weights = np.asarray(spec["weights"], dtype=np.float64)
        means = np.asarray(spec["means"], dtype=np.float64)
        cholesky = np.asarray(spec["cholesky"], dtype=np.float64)
        k = len(weights)
        if not (1 <= k <= 1024 and means.shape == (k, latent) and cholesky.shape == (k, latent, latent) and (weights >= 0).all() and weights.sum() > 0):
            raise ValueError(f"latent_prior of {category!r} needs k weights, (k, {latent}) means and (k, {latent}, {latent}) cholesky factors")
        out.append((np.cumsum(weights), means, cholesky))
    return out


def _image(rgba: np.ndarray):
    from PIL import Image

    return Image.fromarray(rgba, "RGBA")
