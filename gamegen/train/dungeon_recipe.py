"""``gamegen train dungeon-vae``: Zelda rooms → conditional VAE → decoder + encoder ONNX → card with measured quality.

    gamegen train dungeon-vae --data ../shared/data [--seed S] [--iterations STEPS]

The card also carries what generation needs from the corpus, so generation
needs no corpus: the graph statistics of the 18 dungeons (loops, locks,
contents), the door masks of the corpus rooms with their counts, and the
near-copy threshold. The corpus rooms themselves ship in the decoder's ONNX
metadata (``gamegen.corpus_rooms``), for the generator's novelty check.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from tqdm import tqdm

from gamegen import __version__
from gamegen.dungeon.graphs import graph_statistics, load_zelda_graphs
from gamegen.dungeon.quality import reconstruction, room_quality, validity
from gamegen.dungeon.rooms import INTERIOR, SIDES, check_cut, door_mask, interior_void, load_zelda_rooms
from gamegen.tiles import load_vocabulary
from gamegen.train.dungeon_vae import DungeonTrainConfig, DungeonVAEConfig, export_graphs, mirrors, signatures, train_dungeon_vae
from gamegen.train.export import training_run, write_model

__all__ = ["train_dungeon", "DUNGEON_MODEL", "DUNGEON_TRAIN", "NEAR_COPY_TILES"]

DUNGEON_TRAIN = DungeonTrainConfig()
NEAR_COPY_TILES = 5  # a room whose 84 inside tiles differ from a corpus room's in fewer than this is a near-copy (< 6%)
QUALITY_ROOMS = 1000
VALIDITY_DUNGEONS, VALIDITY_ROOMS = 1000, 12


def _model_config() -> DungeonVAEConfig:
    vocab = load_vocabulary("dungeon")
    return DungeonVAEConfig(n_tiles=sum("assembly" not in t.tags for t in vocab.tiles))


DUNGEON_MODEL = _model_config()


def _split(count: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.Generator(np.random.PCG64(seed)).permutation(count)
    held = round(share * count)
    return np.sort(order[held:]), np.sort(order[:held])


def train_dungeon(name: str, data_dir: Path, out_dir: Path, iterations: int | None = None, seed: int | None = None, progress: bool = True) -> Path:
    """Train, export and measure the dungeon VAE → its card path (``out_dir/name.json``)."""
    overrides = {k: v for k, v in (("steps", iterations), ("seed", seed)) if v is not None}
    tcfg = DungeonTrainConfig(**{**DUNGEON_TRAIN.to_dict(), **overrides})
    vocab, cfg = load_vocabulary("dungeon"), DUNGEON_MODEL
    all_rooms = load_zelda_rooms(data_dir, vocab)
    cut = check_cut(all_rooms, vocab)
    rooms = [r for r in all_rooms if not interior_void(r.grid, vocab)]
    grids = np.stack([r.grid for r in rooms])
    masks = np.stack([door_mask(g, vocab) for g in grids])
    train_idx, held_idx = _split(len(rooms), tcfg.held_out, tcfg.split_seed)
    train_grids, train_masks = mirrors(grids[train_idx], masks[train_idx])

    bar = tqdm(total=tcfg.steps, desc=f"train {name}", unit="step", disable=not progress, mininterval=2.0)

    def on_step(step: int, record: dict) -> None:
        bar.update(1)
        if step % 100 == 0:
            bar.set_postfix(rec=f"{record['reconstruction']:.2f}", kl=f"{record['kl']:.2f}")

    encoder, decoder, history = train_dungeon_vae(train_grids, train_masks, cfg, tcfg, on_step)
    bar.close()
    metadata = {
        "gamegen.name": name,
        "gamegen.config": cfg.to_dict(),
        "gamegen.corpus_rooms": "\n".join(row for g in grids for row in vocab.decode(g)),
    }
    decoder_bytes, encoder_bytes = export_graphs(encoder, decoder, cfg, metadata)
    stats = graph_statistics(load_zelda_graphs(data_dir))
    card = _card(name, cfg, tcfg, cut, rooms, train_idx, held_idx, stats, masks, history, grids)
    decoder_spec, encoder_spec = signatures(cfg)
    card.update(decoder_spec)
    graphs = {"encoder": (encoder_bytes, encoder_spec)}
    _, card_path = write_model(Path(out_dir), name, decoder_bytes, card, graphs=graphs)
    card["metrics"] = _measure(card_path, grids, train_idx, held_idx, progress)
    _, card_path = write_model(Path(out_dir), name, decoder_bytes, card, graphs=graphs)
    return card_path


def _measure(card_path: Path, grids: np.ndarray, train_idx: np.ndarray, held_idx: np.ndarray, progress: bool) -> dict:
    from gamegen.api import load
    from gamegen.metrics import tile_pattern_kl

    gen = load(card_path, providers=["CPUExecutionProvider"], threads=1)
    corpus = list(grids)
    bar = tqdm(total=VALIDITY_DUNGEONS, desc="validity", unit="dungeon", disable=not progress, mininterval=2.0)
    checked = validity(gen, VALIDITY_DUNGEONS, VALIDITY_ROOMS, progress=lambda done: bar.update(done - bar.n))
    bar.close()
    baseline = tile_pattern_kl(list(grids[train_idx]), list(grids[held_idx]))
    rooms = room_quality(gen, corpus, QUALITY_ROOMS)
    return {
        "tpkl_div": rooms["tpkl_div"],  # of generated rooms against the corpus rooms; what `gamegen models` shows
        "reconstruction_held_out": reconstruction(gen, list(grids[held_idx]), list(grids[train_idx])),
        "rooms": rooms,
        "tpkl_div_held_out_corpus_vs_train": {k: round(v, 4) for k, v in baseline.items()},
        "validity": checked,
    }


def symmetry_shares(grids: np.ndarray) -> dict[str, float]:
    """Share of rooms whose inside is mirror-symmetric left-right only, up-down only, both ways, or neither."""
    inside = grids[:, INTERIOR[0], INTERIOR[1]]
    lr = (inside == inside[:, :, ::-1]).all(axis=(1, 2))
    ud = (inside == inside[:, ::-1, :]).all(axis=(1, 2))
    shares = {"both": lr & ud, "left-right": lr & ~ud, "up-down": ud & ~lr, "none": ~lr & ~ud}
    return {kind: round(float(hit.mean()), 4) for kind, hit in shares.items()}


def _card(name, cfg, tcfg, cut, rooms, train_idx, held_idx, stats, masks, history, grids) -> dict:
    letters = Counter("".join(s[0].upper() for s, has in zip(SIDES, m) if has) for m in masks)
    licence = {
        "corpus": "The Video Game Level Corpus (VGLC), commit 0e86a8f31f20ecad4eaa5741ff061af88767f7fb",
        "licence": "MIT",
        "attribution": "Copyright (c) 2016 Adam Summerville, Santiago Ontanon, Sam Snodgrass. "
        "Summerville, Snodgrass, Mateas, Ontanon, 'The VGLC: The Video Game Level Corpus', PCG Workshop 2016 (arXiv:1606.07487).",
        "caveat": "The rooms and graphs transcribe The Legend of Zelda (Nintendo); the MIT grant covers the corpus authors' work, not the game's designs.",
    }
    return {
        "name": name,
        "kind": "dungeon",
        "summary": "Dungeon rooms from a conditional VAE (encode, interpolate, vary) and whole dungeons assembled on a grid with keys, locks and a boss.",
        "generator": "dungeon",
        "architecture": "conditional VAE: encoder MLP (room one-hot + door mask -> mu, logvar), decoder MLP (latent + door mask -> tile logits)",
        "vocabulary": "dungeon",
        "latent_size": cfg.latent,
        "config": cfg.to_dict(),
        "rooms": {"rows": cfg.rows, "cols": cfg.cols, "min": 1, "max": 64},
        "dungeon": {
            "statistics": stats,
            "door_masks": dict(sorted(letters.items())),
            "near_copy_tiles": NEAR_COPY_TILES,
            "symmetry": symmetry_shares(grids),
        },
        "training": {
            "corpus": ["vglc/The Legend of Zelda/Processed", "vglc/The Legend of Zelda/Graph Processed"],
            "cut": {k: v for k, v in cut.items() if k != "problems"} | {"doors_facing_none_list": cut["problems"]},
            "rooms_trained": len(train_idx),
            "rooms_held_out": len(held_idx),
            "augmentation": "four mirror images of each training room (doors mirrored alongside)",
            "split": f"{tcfg.held_out:.0%} of the {len(rooms)} rooms with a transcribed inside held out, by numpy PCG64 seed {tcfg.split_seed}",
            **training_run(name, "../shared/data", tcfg.seed, tcfg.steps, tcfg.to_dict(), history["duration_s"], tcfg.threads),
            "final_reconstruction_nats_mean_last100": round(float(np.mean(history["reconstruction"][-100:])), 4),
            "final_kl_nats_mean_last100": round(float(np.mean(history["kl"][-100:])), 4),
        },
        "metrics": {},
        "data_licence": licence,
        "gamegen_version": __version__,
    }
