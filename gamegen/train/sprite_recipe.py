"""``gamegen train sprite-gan`` and ``gamegen train sprite-vae``: packs → palette indices → model → ONNX → card with measured quality.

    gamegen train sprite-gan --data ../shared/data [--seed S] [--iterations N]   # DawnLike 16x16, WGAN-GP
    gamegen train sprite-vae --data ../shared/data [--seed S] [--iterations N]   # Crawl 32x32, VAE + encoder

The palette is the corpus' own: DawnLike's 16 colours as they are, Crawl's
many colours reduced to 31 by a count-weighted k-means in CIELAB (each centre
replaced by the most used real colour of its cluster). Class 0 is transparent.
The quality figures are measured on the written ONNX files through the
run-time generator (``gamegen.sprites.generator``), on QUALITY_SPRITES sprites
of seed QUALITY_SEED, so they describe what ships.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from gamegen import __version__
from gamegen.sprites.dataset import CATEGORIES, PACKS, SpriteCorpus, corpus_palette, load_sprite_corpus, quantise, render
from gamegen.sprites.palettes import hex_colour
from gamegen.sprites.quality import sprite_quality
from gamegen.train.export import export_graph, training_run, write_model
from gamegen.train.sprite_gan import SpriteGANConfig, SpriteGANTrainConfig, train_sprite_gan
from gamegen.train.sprite_vae import SpriteVAEConfig, SpriteVAETrainConfig, encode_means, fit_gmm, train_sprite_vae

__all__ = ["train_sprite_gan_model", "train_sprite_vae_model", "record_metrics", "SPRITE_GAN", "SPRITE_VAE"]

SPRITE_GAN = (SpriteGANConfig(classes=17), SpriteGANTrainConfig())
SPRITE_VAE = (SpriteVAEConfig(classes=32, filters=32, latent=32), SpriteVAETrainConfig(iterations=3000))
QUALITY_SPRITES = 1000
QUALITY_SEED = 0
PRIOR_COMPONENTS = 8  # per category, in the VAE's sampling mixture


def _progress(name: str, total: int, progress: bool, key: str):
    bar = tqdm(total=total, desc=f"train {name}", unit="step", disable=not progress, mininterval=2.0)

    def on_step(step: int, record: dict) -> None:
        bar.update(1)
        if step % 50 == 0:
            shown = key if key in record else next(iter(record))  # the GAN's first stage reports autoencoder losses
            bar.set_postfix({shown: f"{record[shown]:.3f}"})

    return bar, on_step


def _prepared(pack: str, data_dir: Path, classes: int, seed: int) -> tuple[SpriteCorpus, np.ndarray, np.ndarray]:
    corpus = load_sprite_corpus(pack, data_dir)
    palette = corpus_palette(corpus.sprites, classes - 1, seed=seed)
    return corpus, palette, quantise(corpus.sprites, palette)


class _Decode(nn.Module):
    """The exported signature of a decoder/generator: (latent, category) → logits."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, latent: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        return self.net(latent, category)


def _export_decoder(net: nn.Module, latent: int, metadata: dict) -> bytes:
    batch = torch.export.Dim("batch", max=65536)
    examples = (torch.zeros(2, latent), torch.zeros(2, dtype=torch.int64))
    return export_graph(_Decode(net), examples, ({0: batch}, {0: batch}), ["latent", "category"], ["logits"], metadata)


def _card(name: str, pack: str, summary: str, architecture: str, cfg, tcfg, corpus: SpriteCorpus, palette: np.ndarray,
          history: dict, cpu_s: float, extra_training: dict) -> dict:
    k, s = cfg.classes, cfg.size
    return {
        "name": name,
        "kind": "sprites",
        "summary": summary,
        "generator": "sprites",
        "architecture": architecture,
        "vocabulary": f"{pack}-palette",
        "size": s,
        "latent_size": cfg.latent,
        "categories": list(CATEGORIES),
        "palette": [hex_colour(c) for c in palette],
        "inputs": [{"name": "latent", "shape": ["batch", cfg.latent], "type": "float32"}, {"name": "category", "shape": ["batch"], "type": "int64"}],
        "outputs": [{"name": "logits", "shape": ["batch", k, s, s], "type": "float32"}],
        "config": cfg.to_dict(),
        "training": {
            "corpus": f"sprites/{PACKS[pack].folder}: " + ", ".join(f"{c} <- {', '.join(f)}" for c, f in PACKS[pack].sources.items()),
            "sprites": len(corpus.sprites),
            "counts": corpus.counts,
            "files": sorted({f.split("#")[0] for f in corpus.files}) if pack == "dawnlike" else f"{len(corpus.files)} files of 32x32 (see corpus)",
            "palette": f"{len(palette)} colours + transparent (class 0); "
                       + ("the pack's own colours" if pack == "dawnlike" else "count-weighted k-means in CIELAB"),
            **training_run(name, "../shared/data", tcfg.seed, tcfg.iterations, tcfg.to_dict(), history["duration_s"], tcfg.threads,
                           " shared with other jobs (wall time in duration_s, CPU time of this process in cpu_s)"),
            "cpu_s": round(cpu_s, 1),
            **extra_training,
        },
        "metrics": {},
        "data_licence": PACKS[pack].licence,
        "gamegen_version": __version__,
    }


def _measure(card_path: Path, corpus_rgba: np.ndarray) -> dict:
    from gamegen.api import load

    gen: Any = load(card_path, providers=["CPUExecutionProvider"], threads=1)  # the sprite generator: categories, _encode, interpolate
    generated = gen.generate(QUALITY_SEED, n=QUALITY_SPRITES).pixels
    metrics = {"seed": QUALITY_SEED, **sprite_quality(generated, corpus_rgba)}
    for category in gen.categories:
        one = gen.generate(QUALITY_SEED, n=200, category=category).pixels
        metrics.setdefault("per_category", {})[category] = {"opaque_share": round(float((one[..., 3] == 255).mean()), 4)}
    return metrics


def train_sprite_gan_model(name: str, data_dir: Path, out_dir: Path, iterations: int | None = None, seed: int | None = None, progress: bool = True) -> Path:
    """DawnLike creatures and items → the 16x16 WGAN-GP → ``out_dir/name.onnx`` and its card."""
    cfg, tcfg = SPRITE_GAN
    # --iterations N: N steps for each stage, the autoencoder and the latent GAN (a smoke run stays short).
    steps = {"iterations": iterations, "ae_iterations": iterations} if iterations is not None else {}
    tcfg = SpriteGANTrainConfig(**{**tcfg.to_dict(), **steps, **({"seed": seed} if seed is not None else {})})
    corpus, palette, indices = _prepared("dawnlike", Path(data_dir), cfg.classes, tcfg.seed)
    cfg = SpriteGANConfig(**{**cfg.to_dict(), "classes": len(palette) + 1})
    bar, on_step = _progress(name, tcfg.ae_iterations + tcfg.iterations, progress, "wasserstein")
    cpu = time.process_time()
    gen, history = train_sprite_gan(indices, corpus.categories, cfg, tcfg, on_step)
    cpu_s = time.process_time() - cpu
    bar.close()
    onnx_bytes = _export_decoder(gen, cfg.latent, {"gamegen.name": name, "gamegen.config": cfg.to_dict()})
    tail = history["wasserstein"][-100:]
    card = _card(name, "dawnlike", "16x16 pixel-art creatures and items from noise: a category-conditioned latent WGAN-GP chained to a "
                 "palette-index decoder (DawnLike).",
                 "l-GAN: MLP generator (noise, category) -> 32-number code, trained by WGAN-GP against an MLP critic on the codes of a "
                 "palette-index autoencoder; its ConvT decoder -> per-pixel logits over 16 colours + transparent",
                 cfg, tcfg, corpus, palette, history, cpu_s,
                 {"final_wasserstein_mean_last100": round(float(np.mean(tail)), 4), "autoencoder_losses_last100": history["autoencoder"]})
    _, card_path = write_model(Path(out_dir), name, onnx_bytes, card)
    return record_metrics(card_path, data_dir)


def train_sprite_vae_model(name: str, data_dir: Path, out_dir: Path, iterations: int | None = None, seed: int | None = None, progress: bool = True) -> Path:
    """Crawl monsters and items → the 32x32 VAE → ``out_dir/name.onnx`` (decoder), ``name-encoder.onnx`` and the card."""
    cfg, tcfg = SPRITE_VAE
    tcfg = SpriteVAETrainConfig(**{**tcfg.to_dict(), **{k: v for k, v in (("iterations", iterations), ("seed", seed)) if v is not None}})
    corpus, palette, indices = _prepared("crawl", Path(data_dir), cfg.classes, tcfg.seed)
    cfg = SpriteVAEConfig(**{**cfg.to_dict(), "classes": len(palette) + 1})
    bar, on_step = _progress(name, tcfg.iterations, progress, "reconstruction")
    cpu = time.process_time()
    enc, dec, history = train_sprite_vae(indices, corpus.categories, cfg, tcfg, on_step)
    cpu_s = time.process_time() - cpu
    bar.close()
    meta = {"gamegen.name": name, "gamegen.config": cfg.to_dict()}
    decoder = _export_decoder(dec, cfg.latent, meta)
    batch = torch.export.Dim("batch", max=65536)
    encoder = export_graph(enc, (torch.zeros(2, cfg.classes, cfg.size, cfg.size),), ({0: batch},), ["onehot"], ["mu", "logvar", "category_logits"], meta)
    encoder_spec = {
        "inputs": [{"name": "onehot", "shape": ["batch", cfg.classes, cfg.size, cfg.size], "type": "float32"}],
        "outputs": [{"name": "mu", "shape": ["batch", cfg.latent], "type": "float32"}, {"name": "logvar", "shape": ["batch", cfg.latent], "type": "float32"},
                    {"name": "category_logits", "shape": ["batch", cfg.categories], "type": "float32"}],
    }
    last = {k: round(float(np.mean(history[k][-100:])), 4) for k in ("reconstruction", "kl", "category")}
    card = _card(name, "crawl", "32x32 pixel-art monsters and items: a category-conditioned VAE over palette indices (Crawl), with its encoder for "
                 "encode, variations and interpolation.",
                 "VAE: conv encoder -> (mu, logvar, category logits); category-conditioned ConvT decoder -> per-pixel logits over 31 colours + transparent",
                 cfg, tcfg, corpus, palette, history, cpu_s, {"final_losses_mean_last100": last})
    card["latent_prior"] = _latent_prior(enc, indices, corpus.categories, cfg, tcfg.seed)
    graphs = {"encoder": (encoder, encoder_spec)}
    _, card_path = write_model(Path(out_dir), name, decoder, card, graphs=graphs)
    return record_metrics(card_path, data_dir)


def record_metrics(card_path: Path, data_dir: Path) -> Path:
    """Measure the written model (``card_path``) against its pack, quantised to its palette, and record the figures in its card."""
    from gamegen.files import atomic_write_text
    from gamegen.sprites.palettes import parse_palette

    card = json.loads(Path(card_path).read_text())
    pack = "dawnlike" if card["size"] == PACKS["dawnlike"].size else "crawl"
    corpus = load_sprite_corpus(pack, data_dir)
    rgba = render(quantise(corpus.sprites, parse_palette(card["palette"])), parse_palette(card["palette"]))
    metrics = _measure(card_path, rgba)
    if card.get("graphs", {}).get("encoder"):
        metrics.update(_reconstruction(card_path, rgba, corpus.categories))
    card["metrics"] = metrics
    atomic_write_text(Path(card_path), json.dumps(card, indent=2) + "\n")
    return Path(card_path)


def _latent_prior(enc, indices: np.ndarray, categories: np.ndarray, cfg: SpriteVAEConfig, seed: int) -> dict:
    """Per category, a Gaussian mixture of the training sprites' posterior means (rounded for the card)."""
    means = encode_means(enc, indices, cfg.classes)
    prior = {}
    for i, category in enumerate(CATEGORIES):
        fit = fit_gmm(means[categories == i], PRIOR_COMPONENTS, seed)
        prior[category] = {key: np.round(value, 5).tolist() for key, value in fit.items()}
    return prior


def _reconstruction(card_path: Path, rgba: np.ndarray, categories: np.ndarray, n: int = 300) -> dict:
    """Encode → decode of the first ``n`` training sprites (every 4th): share of pixels right, category accuracy."""
    from gamegen.api import load

    gen: Any = load(card_path, providers=["CPUExecutionProvider"], threads=1)  # the sprite generator: categories, _encode, interpolate
    picks = np.arange(0, len(rgba), 4)[:n]
    right, cats = [], []
    for i in picks:
        _mu, cat = gen._encode(rgba[i])
        out = gen.interpolate(rgba[i], rgba[i], steps=2)[0]
        right.append(float((out == rgba[i]).all(axis=-1).mean()))
        cats.append(cat == categories[i])
    return {"reconstruction": {"sprites": len(picks), "pixels_right": round(float(np.mean(right)), 4), "category_accuracy": round(float(np.mean(cats)), 4)}}
