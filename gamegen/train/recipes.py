"""What ``gamegen train NAME`` does for each trainable model.

``TRAINERS`` maps each name to its trainer function. The tile GANs share one
(``train_gan``), configured by a ``Recipe`` in ``RECIPES``: it builds the corpus
windows, trains with the fixed seed, exports to ONNX and writes the card with
the full provenance. ``names-lstm`` has its own (``names_recipe.train_names``).
``make train`` runs every recipe; a smaller ``iterations`` makes the smoke run
the tests use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import torch
from tqdm import tqdm

from gamegen import __version__
from gamegen.corpus import PLATFORMER_GAMES, load_platformer_corpus
from gamegen.errors import InvalidRequest
from gamegen.tiles import load_vocabulary
from gamegen.train import platformer_gan, segment_gan
from gamegen.train.dungeon_recipe import train_dungeon
from gamegen.train.export import export_onnx, training_run, write_model
from gamegen.train.names_recipe import train_names
from gamegen.train.sprite_recipe import train_sprite_gan_model, train_sprite_vae_model
from gamegen.train.wgan import TrainConfig, corpus_windows, train_wgan_gp

ModelConfig = platformer_gan.PlatformerGANConfig | segment_gan.SegmentGANConfig  # the tile GANs' configs share latent, rows, window

VGLC_LICENCE = {
    "corpus": "The Video Game Level Corpus (VGLC), commit 0e86a8f31f20ecad4eaa5741ff061af88767f7fb",
    "licence": "MIT",
    "attribution": "Copyright (c) 2016 Adam Summerville, Santiago Ontanon, Sam Snodgrass. "
    "Summerville, Snodgrass, Mateas, Ontanon, 'The VGLC: The Video Game Level Corpus', PCG Workshop 2016 (arXiv:1606.07487).",
    "caveat": "The levels transcribe commercial Nintendo games; the MIT grant covers the corpus authors' work, not the game designs.",
}


@dataclass(frozen=True)
class Recipe:
    name: str
    arch: ModuleType
    model_cfg: ModelConfig
    train_cfg: TrainConfig
    generator: str  # run-time generator layout, read by gamegen.platformer.generator
    summary: str
    export_input: Callable[[ModelConfig], tuple[torch.Tensor, dict]]  # example latent and its dynamic axes


def _sequence_input(cfg) -> tuple[torch.Tensor, dict]:
    example = torch.zeros(2, cfg.latent, cfg.latent_columns(64))
    return example, {0: torch.export.Dim("batch", max=4096), 2: torch.export.Dim("latent_columns", min=2 * cfg.margin + 7, max=4096)}


def _segment_input(cfg) -> tuple[torch.Tensor, dict]:
    return torch.zeros(2, cfg.latent), {0: torch.export.Dim("batch", max=65536)}


RECIPES = {
    "platformer-gan": Recipe(
        "platformer-gan",
        platformer_gan,
        platformer_gan.PlatformerGANConfig(gen_filters=32, critic_filters=48, window=32),
        TrainConfig(iterations=2500, lr=2e-4, prior_bias=True, marginal_weight=10.0),
        "sequence",
        "Platformer levels of any width (28-8192 columns) in one pass: a fully convolutional WGAN-GP generator over a latent sequence.",
        _sequence_input,
    ),
    "platformer-segment-gan": Recipe(
        "platformer-segment-gan",
        segment_gan,
        segment_gan.SegmentGANConfig(),
        TrainConfig(iterations=2500),
        "segments",
        "Baseline: MarioGAN-style DCGAN (latent 32, 64 filters, 32x32 cropped to 14x28) making 28-column segments laid side by side.",
        _segment_input,
    ),
}


def train(name: str, data_dir: Path, out_dir: Path, iterations: int | None = None, seed: int | None = None, progress: bool = True) -> Path:
    """Train the model ``name`` and write ``out_dir/name.onnx`` and its card → card path."""
    if name not in TRAINERS:
        raise InvalidRequest(f"no training recipe for {name!r}; trainable: {', '.join(TRAINERS)}")
    return TRAINERS[name](name, Path(data_dir), Path(out_dir), iterations=iterations, seed=seed, progress=progress)


def train_gan(name: str, data_dir: Path, out_dir: Path, iterations: int | None = None, seed: int | None = None, progress: bool = True) -> Path:
    """A tile GAN of RECIPES: corpus windows → WGAN-GP → ONNX and card."""
    recipe = RECIPES[name]
    overrides = {k: v for k, v in (("iterations", iterations), ("seed", seed)) if v is not None}
    train_cfg = TrainConfig(**{**recipe.train_cfg.to_dict(), **overrides})
    corpus = load_platformer_corpus(data_dir)
    windows = corpus_windows([c.level.grid for c in corpus], recipe.model_cfg.window)

    bar = tqdm(total=train_cfg.iterations, desc=f"train {name}", unit="it", disable=not progress, mininterval=2.0)

    def on_step(step: int, record: dict) -> None:
        bar.update(1)
        if step % 50 == 0:
            bar.set_postfix(w=f"{record['wasserstein']:.3f}", g=f"{record['generator_loss']:.3f}")

    gen, history = train_wgan_gp(recipe.arch, recipe.model_cfg, windows, train_cfg, on_step)
    bar.close()

    example, dynamic = recipe.export_input(recipe.model_cfg)
    model_config = {**recipe.model_cfg.to_dict(), "layout": recipe.generator}
    onnx_bytes = export_onnx(gen, example, dynamic, "latent", "logits", {"gamegen.config": model_config, "gamegen.name": name})
    card = _card(recipe, train_cfg, corpus, windows, history, data_dir)
    _, card_path = write_model(Path(out_dir), name, onnx_bytes, card)
    return card_path


def _card(recipe: Recipe, train_cfg: TrainConfig, corpus, windows: np.ndarray, history: dict, data_dir: Path) -> dict:
    cfg = recipe.model_cfg
    vocab = load_vocabulary("platformer")
    if recipe.generator == "sequence":
        inputs = [{"name": "latent", "shape": ["batch", cfg.latent, "latent_columns"], "type": "float32"}]
        outputs = [{"name": "logits", "shape": ["batch", len(vocab), cfg.rows, "columns"], "type": "float32"}]
    else:
        inputs = [{"name": "latent", "shape": ["batch", cfg.latent], "type": "float32"}]
        outputs = [{"name": "logits", "shape": ["batch", len(vocab), cfg.rows, cfg.window], "type": "float32"}]
    tail = history["wasserstein"][-100:]
    return {
        "name": recipe.name,
        "kind": "tilemap",
        "summary": recipe.summary,
        "generator": recipe.generator,
        "architecture": (recipe.arch.__doc__ or recipe.name).strip().splitlines()[0],
        "vocabulary": vocab.name,
        "rows": cfg.rows,
        "width": {"min": 28, "max": 8192},
        "latent_size": cfg.latent,
        "inputs": inputs,
        "outputs": outputs,
        "config": cfg.to_dict(),
        "training": {
            "corpus": [f"vglc/{PLATFORMER_GAMES[g]}/Processed" for g in sorted({c.game for c in corpus})],
            "files": [f"{c.game}/{c.name}.txt" for c in corpus],
            "levels": len(corpus),
            "windows": len(windows),
            **training_run(recipe.name, "../shared/data/vglc", train_cfg.seed, train_cfg.iterations, train_cfg.to_dict(),
                           history["duration_s"], train_cfg.threads),
            "final_wasserstein_mean_last100": round(float(np.mean(tail)), 4),
        },
        "metrics": {},
        "data_licence": VGLC_LICENCE,
        "gamegen_version": __version__,
    }


# ``gamegen train NAME`` → the function that trains NAME: (name, data_dir, out_dir, iterations=, seed=, progress=) → card path.
TRAINERS: dict[str, Callable[..., Path]] = {**dict.fromkeys(RECIPES, train_gan), "names-lstm": train_names, "dungeon-vae": train_dungeon,
                                      "sprite-gan": train_sprite_gan_model, "sprite-vae": train_sprite_vae_model}
