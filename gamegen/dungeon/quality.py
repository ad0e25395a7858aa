"""Measured quality of a dungeon VAE, on the shipped ONNX graphs through the run-time generator (numpy only).

* reconstruction: held-out corpus rooms through encoder (mean) and decoder
  (argmax), share of tiles right, over the whole room and over its inside;
  also over the held-out rooms whose inside never occurs in training, and over
  generated rooms (no corpus room is near them);
* rooms: ``generate(seed)`` for n seeds against the corpus rooms: TPKL-Div
  (k = 2, 3, 4), diversity (mean pairwise share of differing inside tiles),
  novelty (tiles to the nearest corpus room or mirror image), the near-copy
  share before and after re-drawing, and how much shaping and joining changed;
* validity: whole dungeons for n seeds, each checked by the reachability search.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from gamegen.dungeon.rooms import INTERIOR, door_mask
from gamegen.metrics import mean_pairwise_hamming, tile_pattern_kl

__all__ = ["reconstruction", "room_quality", "validity", "evaluate_dungeon", "NOVEL_ROOMS", "EVAL_ROOMS"]

NOVEL_ROOMS = 200
EVAL_ROOMS = 12  # rooms per dungeon in the validity check


def _inside(grids) -> list[np.ndarray]:
    return [np.asarray(g)[INTERIOR] for g in grids]


def reconstruction(gen, held_out: list[np.ndarray], train: list[np.ndarray]) -> dict:
    seen = {g[INTERIOR].tobytes() for g in train}
    masks = np.stack([door_mask(g, gen.vocabulary) for g in held_out])
    latents = np.stack([gen.encode(g, m) for g, m in zip(held_out, masks)])
    out = gen._decode(latents, masks)  # raw argmax: the network's own reconstruction, before shaping
    truth = np.stack(held_out)
    unseen = np.array([g[INTERIOR].tobytes() not in seen for g in held_out])
    inner = (out[:, INTERIOR[0], INTERIOR[1]] == truth[:, INTERIOR[0], INTERIOR[1]]).reshape(len(out), -1).mean(axis=1)
    result: dict[str, Any] = {
        "rooms": len(held_out),
        "tile_accuracy": round(float((out == truth).mean()), 4),
        "interior_accuracy": round(float(inner.mean()), 4),
        "rooms_exact": round(float((out == truth).all(axis=(1, 2)).mean()), 4),
        "unseen_interiors": int(unseen.sum()),
    }
    if unseen.any():
        result["interior_accuracy_unseen"] = round(float(inner[unseen].mean()), 4)
    # Every held-out inside also occurs in training (the corpus repeats its rooms), so the encoder and
    # decoder are also measured on rooms no corpus room is near: NOVEL_ROOMS generated rooms, seeds from 10,000.
    novel = [gen.generate(seed).grid for seed in range(10_000, 10_000 + NOVEL_ROOMS)]
    masks = np.stack([door_mask(g, gen.vocabulary) for g in novel])
    out = gen._decode(np.stack([gen.encode(g, m) for g, m in zip(novel, masks)]), masks)
    truth = np.stack(novel)
    same = out[:, INTERIOR[0], INTERIOR[1]] == truth[:, INTERIOR[0], INTERIOR[1]]
    result["novel_rooms"] = {"rooms": NOVEL_ROOMS, "interior_accuracy": round(float(same.mean()), 4),
                             "rooms_exact": round(float(same.all(axis=(1, 2)).mean()), 4)}
    return result


def room_quality(gen, corpus: list[np.ndarray], n: int = 1000, first_seed: int = 0) -> dict:
    seeds = range(first_seed, first_seed + n)
    rooms = [gen.generate(seed) for seed in seeds]
    grids = [r.grid for r in rooms]
    raw_near = 0
    for seed in seeds:  # the first draw of each seed, before re-drawing: what the network makes on its own
        rng_mask, latent, symmetry = _first_draw(gen, seed)
        raw_near += gen.copy_distance(gen._decode(latent[None], rng_mask[None], symmetry)[0]) < gen.near_copy_tiles
    distances = np.array([gen.copy_distance(g) for g in grids])
    flat = [g.tobytes() for g in _inside(grids)]
    return {
        "rooms": n,
        "seeds": f"{first_seed}-{first_seed + n - 1}",
        "tpkl_div": {k: round(v, 4) for k, v in tile_pattern_kl(corpus, grids).items()},
        "diversity": round(mean_pairwise_hamming(_inside(grids)), 4),
        "corpus_diversity": round(mean_pairwise_hamming(_inside(corpus)), 4),
        "duplicate_rate": round(1 - len(set(flat)) / n, 4),
        "corpus_duplicate_rate": round(1 - len({g.tobytes() for g in _inside(corpus)}) / len(corpus), 4),
        "novelty_mean_tiles": round(float(distances.mean()), 2),
        "novelty_min_tiles": int(distances.min()),
        "near_copy_tiles": gen.near_copy_tiles,
        "near_copy_share": round(float((distances < gen.near_copy_tiles).mean()), 4),
        "near_copy_share_first_draw": round(raw_near / n, 4),
        "redrawn_share": round(float(np.mean([r.provenance["repair"]["redraws"] > 0 for r in rooms])), 4),
        "wall_tiles_shaped_mean": round(float(np.mean([r.provenance["repair"]["wall_tiles"] for r in rooms])), 3),
        "tiles_cleared_mean": round(float(np.mean([r.provenance["repair"]["cleared"] for r in rooms])), 3),
    }


def _first_draw(gen, seed: int):
    """The door mask, latent and symmetry ``generate(seed)`` draws first (the same calls, in the same order)."""
    from gamegen.seeds import rng_for

    rng = rng_for(seed)
    mask = gen._masks[int(rng.choice(len(gen._masks), p=gen._mask_p))]
    latent = rng.standard_normal((1, gen.latent_size), dtype=np.float32)[0]
    return mask, latent, gen._symmetries(rng, 1)


def validity(gen, n: int = 1000, rooms: int = 12, first_seed: int = 0, progress=None) -> dict:
    valid, cleared, redraws, invalid = 0, [], [], []
    start = time.perf_counter()
    for i, seed in enumerate(range(first_seed, first_seed + n)):
        dungeon = gen.generate(seed, rooms=rooms)
        verdict = gen.check(dungeon)
        valid += verdict.valid
        if not verdict.valid:
            invalid.append(seed)
        cleared.append(dungeon.provenance["repair"]["cleared"])
        redraws.append(dungeon.provenance["repair"]["redraws"])
        if progress:
            progress(i + 1)
    return {
        "dungeons": n,
        "rooms": rooms,
        "seeds": f"{first_seed}-{first_seed + n - 1}",
        "valid": valid,
        "valid_share": round(valid / n, 4),
        "invalid_seeds": invalid[:20],
        "tiles_cleared_mean": round(float(np.mean(cleared)), 3),
        "redraws_mean": round(float(np.mean(redraws)), 3),
        "seconds_per_dungeon": round((time.perf_counter() - start) / n, 4),
    }


def evaluate_dungeon(gen, n: int, first_seed: int = 0, data_dir=None, progress=None) -> dict:
    """``gamegen eval`` of a dungeon model: n dungeons of EVAL_ROOMS rooms checked, n rooms against the corpus rooms."""
    from gamegen.corpus import default_data_dir
    from gamegen.dungeon.rooms import interior_void, load_zelda_rooms

    rooms = load_zelda_rooms(data_dir if data_dir is not None else default_data_dir(), gen.vocabulary)
    corpus = [r.grid for r in rooms if not interior_void(r.grid, gen.vocabulary)]
    checked = validity(gen, n, EVAL_ROOMS, first_seed, progress)
    quality = room_quality(gen, corpus, n, first_seed)
    return {"model": gen.name, "tpkl_div": quality["tpkl_div"], "validity": checked, "rooms": quality}
