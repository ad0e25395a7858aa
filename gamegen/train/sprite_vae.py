"""The sprite VAE: 32x32 palette-index sprites, an encoder and a category-conditioned decoder.

    gamegen train sprite-vae --data ../shared/data [--seed S] [--iterations N]

Like the GAN, it works on palette indices (class 0 transparent), not RGB: the
reconstruction loss is the cross-entropy of each pixel's class, so decoding by
argmax gives crisp edges, clean alpha and only palette colours, where an RGB
VAE would blur. The encoder also predicts the sprite's category, so
``encode(png)`` needs no label; the decoder takes the category as input.

    encoder: one-hot (B, K, 32, 32) ─conv s2 ×3─> (B, 4f, 4, 4) ─linear─> mu, logvar (B, Z), category logits (B, 2)
    decoder: z (B, Z) ⊕ category embedding ─linear─> (B, 4f, 4, 4) ─ConvT ×3─> logits (B, K, 32, 32)

Loss: pixel cross-entropy (summed over the sprite) + beta * KL(q(z|x) || N(0, I))
(beta warmed up from 0 over the first third) + the category cross-entropy.

Sampling: new sprites decode latents drawn from a Gaussian mixture fitted, per
category, to the training sprites' posterior means (``fit_gmm``), which the
card carries as ``latent_prior``; ``encode`` / ``variations`` / ``interpolate``
work on the posterior means themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from gamegen.train.wgan import init_weights

__all__ = ["SpriteVAEConfig", "SpriteVAETrainConfig", "Encoder", "Decoder", "train_sprite_vae", "init_dense", "encode_means", "fit_gmm"]


@dataclass(frozen=True)
class SpriteVAEConfig:
    size: int = 32
    classes: int = 32  # 1 transparent + palette colours
    categories: int = 2
    latent: int = 32
    filters: int = 32
    embed: int = 8

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SpriteVAETrainConfig:
    seed: int = 1
    iterations: int = 2000
    batch: int = 64
    lr: float = 2e-3
    beta: float = 0.5
    warmup: float = 0.33  # share of the steps over which beta rises from 0
    category_weight: float = 1.0
    threads: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


def _down(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2)]


def _up(cin: int, cout: int) -> list[nn.Module]:
    return [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class Encoder(nn.Module):
    """one-hot (B, classes, size, size) → (mu (B, Z), logvar (B, Z), category logits (B, C))."""

    def __init__(self, cfg: SpriteVAEConfig):
        super().__init__()
        f, self.latent = cfg.filters, cfg.latent
        self.body = nn.Sequential(*_down(cfg.classes, f), *_down(f, 2 * f), *_down(2 * f, 4 * f))  # (B, 4f, S/8, S/8)
        self.head = nn.Linear(4 * f * (cfg.size // 8) ** 2, 2 * cfg.latent + cfg.categories)

    def forward(self, onehot: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h = self.head(self.body(onehot).flatten(1))
        return h[:, : self.latent], h[:, self.latent : 2 * self.latent], h[:, 2 * self.latent :]


class Decoder(nn.Module):
    """(z (B, Z), category (B,) int64) → logits (B, classes, size, size)."""

    def __init__(self, cfg: SpriteVAEConfig):
        super().__init__()
        f, self.base = cfg.filters, cfg.size // 8
        self.embed = nn.Embedding(cfg.categories, cfg.embed)
        self.project = nn.Linear(cfg.latent + cfg.embed, 4 * f * self.base * self.base)
        self.body = nn.Sequential(
            nn.BatchNorm2d(4 * f), nn.ReLU(),
            *_up(4 * f, 2 * f), *_up(2 * f, f),  # (B, f, S/2, S/2)
            nn.Conv2d(f, f, 3, 1, 1, bias=False), nn.BatchNorm2d(f), nn.ReLU(),
            nn.ConvTranspose2d(f, cfg.classes, 4, 2, 1),  # (B, K, S, S)
        )

    def forward(self, z: torch.Tensor, category: torch.Tensor) -> torch.Tensor:
        h = self.project(torch.cat([z, self.embed(category)], dim=1))
        return self.body(h.view(z.shape[0], -1, self.base, self.base))


def train_sprite_vae(indices: np.ndarray, categories: np.ndarray, cfg: SpriteVAEConfig, tcfg: SpriteVAETrainConfig,
                     on_step: Callable[[int, dict], None] | None = None) -> tuple[Encoder, Decoder, dict]:
    """(N, S, S) palette indices and (N,) categories → (encoder, decoder, both in eval mode; history)."""
    torch.set_num_threads(tcfg.threads)
    rng = np.random.Generator(np.random.PCG64(tcfg.seed))
    tgen = torch.Generator().manual_seed(tcfg.seed)
    enc, dec = Encoder(cfg), Decoder(cfg)
    for module in (enc, dec):
        init_weights(module, tgen)
        init_dense(module, tgen)
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=tcfg.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=tcfg.lr, total_steps=tcfg.iterations, pct_start=0.1)
    data, cats = torch.from_numpy(indices), torch.from_numpy(categories)
    history: dict = {"reconstruction": [], "kl": [], "category": []}
    started = time.perf_counter()
    for step in range(tcfg.iterations):
        picks = torch.from_numpy(rng.integers(0, len(data), tcfg.batch))
        target, category = data[picks], cats[picks]
        if rng.random() < 0.5:  # left-right mirror: top-down sprites face either way
            target = target.flip(-1)
        onehot = F.one_hot(target, cfg.classes).permute(0, 3, 1, 2).float()  # (B, K, S, S)
        mu, logvar, cat_logits = enc(onehot)
        z = mu + torch.randn(mu.shape, generator=tgen) * (0.5 * logvar).exp()
        logits = dec(z, category)
        recon = F.cross_entropy(logits, target, reduction="sum") / len(target)
        kl = (-0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(1)).mean()
        cat_loss = F.cross_entropy(cat_logits, category)
        beta = tcfg.beta * min(1.0, step / max(1, tcfg.warmup * tcfg.iterations))
        loss = recon + beta * kl + tcfg.category_weight * cat_loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        record = {"reconstruction": recon.item(), "kl": kl.item(), "category": cat_loss.item()}
        for key, value in record.items():
            history[key].append(value)
        if on_step is not None:
            on_step(step, record)
    history["duration_s"] = round(time.perf_counter() - started, 1)
    return enc.eval(), dec.eval(), history


def init_dense(module: nn.Module, generator: torch.Generator) -> None:
    """Linear layers U(±1/sqrt(fan_in)) with zero bias, embeddings N(0, 1), drawn from ``generator``.

    ``init_weights`` draws the convolutions; without this the dense layers would
    keep torch's default initialisation from the global RNG, and a seed would not fix the weights.
    """
    for m in module.modules():
        with torch.no_grad():
            if isinstance(m, nn.Linear):
                bound = 1.0 / float(np.sqrt(m.weight.shape[1]))
                m.weight.uniform_(-bound, bound, generator=generator)
                m.bias.zero_()
            elif isinstance(m, nn.Embedding):
                m.weight.normal_(0.0, 1.0, generator=generator)


def encode_means(enc: Encoder, indices: np.ndarray, classes: int, chunk: int = 256) -> np.ndarray:
    """(N, S, S) palette indices → (N, Z) float64 posterior means."""
    out = []
    with torch.no_grad():
        for start in range(0, len(indices), chunk):
            onehot = F.one_hot(torch.from_numpy(indices[start : start + chunk]), classes).permute(0, 3, 1, 2).float()
            out.append(enc(onehot)[0].double().numpy())
    return np.concatenate(out)


def fit_gmm(x: np.ndarray, k: int, seed: int, iterations: int = 100, reg: float = 1e-2) -> dict:
    """A full-covariance Gaussian mixture fitted to ``x`` (N, D) by EM, seeded → {weights (k,), means (k, D), cholesky (k, D, D)}.

    This is the VAE's sampling prior ("ex-post density estimation", Ghosh et al.
    2020): samples from N(0, I) land where the decoder saw no training sprite
    and come out as fragments, samples from a mixture fitted to the training
    sprites' posterior means land where it did. ``reg`` is added to each
    covariance's diagonal to keep it well conditioned.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    n, d = x.shape
    k = min(k, n)
    means = x[rng.choice(n, k, replace=False)]
    covs = np.stack([np.cov(x.T) + reg * np.eye(d)] * k)
    weights = np.full(k, 1.0 / k)
    for _ in range(iterations):
        logp = np.empty((n, k))
        for j in range(k):  # E step: log w_j + log N(x | mean_j, cov_j), up to a constant
            chol = np.linalg.cholesky(covs[j])
            diff = np.linalg.solve(chol, (x - means[j]).T)
            logp[:, j] = np.log(weights[j]) - 0.5 * (diff**2).sum(0) - np.log(np.diag(chol)).sum()
        resp = np.exp(logp - logp.max(1, keepdims=True))
        resp /= resp.sum(1, keepdims=True)
        nk = resp.sum(0) + 1e-9  # M step
        weights, means = nk / n, (resp.T @ x) / nk[:, None]
        for j in range(k):
            diff = x - means[j]
            covs[j] = (resp[:, j, None] * diff).T @ diff / nk[j] + reg * np.eye(d)
    return {"weights": weights, "means": means, "cholesky": np.linalg.cholesky(covs)}
