"""Quality figures of generated sprites, as the model cards record them (numpy only).

* near-copy rate: share of generated sprites whose nearest training sprite
  (or its mirror image) differs in fewer than COPY_THRESHOLD of the pixels
  (RGBA compared exactly, the training sprites quantised to the model's palette);
* diversity: mean share of differing pixels between two generated sprites
  (the same figure of the training set is given beside it);
* alpha sanity: share of pixels whose alpha is exactly 0 or 255;
* silhouette: share of a sprite's opaque pixels in its largest 8-connected
  component (1.0 = one silhouette), mean and the share of sprites at >= 0.9;
* colours per sprite and opaque coverage, beside the training set's.
"""

from __future__ import annotations

import numpy as np

from gamegen.sprites.dataset import largest_share

__all__ = ["COPY_THRESHOLD", "nearest_distances", "sprite_quality", "diversity"]

COPY_THRESHOLD = 0.05


def _flat(sprites: np.ndarray) -> np.ndarray:
    """(n, H, W, 4) uint8 → (n, H·W) uint32: one code per pixel, so equal codes mean equal RGBA."""
    s = sprites.astype(np.uint32)
    return (s[..., 0] << 24 | s[..., 1] << 16 | s[..., 2] << 8 | s[..., 3]).reshape(len(sprites), -1)


def nearest_distances(generated: np.ndarray, training: np.ndarray, chunk: int = 32) -> np.ndarray:
    """(n,) share of differing pixels between each generated sprite and its nearest training sprite or mirror image."""
    train = np.concatenate([_flat(training), _flat(training[:, :, ::-1])])
    gen = _flat(generated)
    out = np.empty(len(gen))
    for start in range(0, len(gen), chunk):
        diff = (gen[start : start + chunk, None, :] != train[None]).mean(axis=2)
        out[start : start + chunk] = diff.min(axis=1)
    return out


def diversity(sprites: np.ndarray, pairs: int = 20000, seed: int = 0) -> float:
    """Mean share of differing pixels over random pairs of distinct sprites."""
    flat = _flat(sprites)
    rng = np.random.Generator(np.random.PCG64(seed))
    a = rng.integers(0, len(flat), pairs)
    b = (a + rng.integers(1, len(flat), pairs)) % len(flat)
    return float((flat[a] != flat[b]).mean())


def _colours(sprite: np.ndarray) -> int:
    opaque = sprite[sprite[..., 3] == 255][:, :3]
    return len(np.unique(opaque, axis=0)) if len(opaque) else 0


def sprite_quality(generated: np.ndarray, training: np.ndarray) -> dict:
    """The card's figures for ``generated`` (n, H, W, 4) against ``training`` (m, H, W, 4), both RGBA uint8."""
    distances = nearest_distances(generated, training)
    shares = np.array([largest_share(s[..., 3] == 255) for s in generated])
    flat = _flat(generated)
    return {
        "sprites": len(generated),
        "near_copy_threshold": f"fewer than {COPY_THRESHOLD:.0%} of pixels differ from a training sprite or its mirror image",
        "near_copy_rate": round(float((distances < COPY_THRESHOLD).mean()), 4),
        "exact_copy_rate": round(float((distances == 0).mean()), 4),
        "nearest_training_distance": {"mean": round(float(distances.mean()), 4), "min": round(float(distances.min()), 4)},
        "duplicates": int(len(flat) - len(np.unique(flat, axis=0))),
        "diversity": round(diversity(generated), 4),
        "diversity_training": round(diversity(training), 4),
        "alpha_sanity": round(float(np.isin(generated[..., 3], (0, 255)).mean()), 6),
        "silhouette_largest_share": {"mean": round(float(shares.mean()), 4), "at_least_0.9": round(float((shares >= 0.9).mean()), 4)},
        "colours_per_sprite": {"generated": round(float(np.mean([_colours(s) for s in generated])), 2),
                               "training": round(float(np.mean([_colours(s) for s in training])), 2)},
        "opaque_share": {"generated": round(float((generated[..., 3] == 255).mean()), 4), "training": round(float((training[..., 3] == 255).mean()), 4)},
        "empty_sprites": int((generated[..., 3] == 0).all(axis=(1, 2)).sum()),
    }
