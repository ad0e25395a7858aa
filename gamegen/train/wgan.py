"""One adversarial trainer (WGAN-GP, Gulrajani et al. 2017) for every tile GAN.

An architecture module gives ``Generator``, ``Critic``, ``sample_latent`` and
``fake_levels``; the data are integer windows (N, rows, window) of tile ids.
All randomness comes from one ``numpy.random.Generator`` (which windows) and
one ``torch.Generator`` (weights and latents), both made from the seed here:
no global RNG is touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 1
    iterations: int = 1500  # generator updates
    batch: int = 32
    n_critic: int = 3  # critic updates per generator update
    lr: float = 1e-4
    beta1: float = 0.5
    beta2: float = 0.9
    gp_weight: float = 10.0
    threads: int = 1  # part of the recipe: a different count may round differently
    # Keeping rare tiles alive. A softmax class the critic pushes down early
    # (a rare tile, at the uniform 1/T of a fresh generator) loses its gradient
    # (∝ p) and never comes back: the generator then never draws it. Starting
    # the output bias at the log corpus frequency removes that early push, and
    # a per-row marginal term keeps every tile's share near the corpus's.
    prior_bias: bool = False
    marginal_weight: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def corpus_windows(grids: list[np.ndarray], window: int) -> np.ndarray:
    """Every ``window``-wide slice (stride 1) of every level → (N, rows, window) int64."""
    slices = [np.lib.stride_tricks.sliding_window_view(g, window, axis=1) for g in grids if g.shape[1] >= window]
    # sliding_window_view gives (rows, N, window); bring N first.
    return np.concatenate([s.transpose(1, 0, 2) for s in slices]).astype(np.int64)


def init_weights(module: nn.Module, generator: torch.Generator) -> None:
    """DCGAN initialisation, N(0, 0.02) for convolutions, drawn from ``generator``."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            with torch.no_grad():
                m.weight.normal_(0.0, 0.02, generator=generator)
                if m.bias is not None:
                    m.bias.zero_()
        elif isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.normal_(1.0, 0.02, generator=generator)
                m.bias.zero_()


def row_marginals(windows: np.ndarray, n_tiles: int) -> torch.Tensor:
    """Share of each tile in each row of the corpus windows → (rows, T), rows summing to 1."""
    counts = np.stack([np.bincount(row.ravel(), minlength=n_tiles) for row in windows.transpose(1, 0, 2)])
    return torch.from_numpy(counts / counts.sum(axis=1, keepdims=True)).float()


def set_prior_bias(gen: nn.Module, marginals: torch.Tensor) -> None:
    """Start the generator's last layer at the corpus tile frequencies (log-prior bias)."""
    last = [m for m in gen.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))][-1]
    assert last.bias is not None, "the generator's last layer has a bias (its log-prior start)"
    with torch.no_grad():
        last.bias.copy_(torch.log(marginals.mean(dim=0) + 1e-6))


def marginal_kl(fake: torch.Tensor, marginals: torch.Tensor) -> torch.Tensor:
    """Sum over rows of KL(corpus row marginal ‖ generated row marginal); fake is (B, T, rows, W) probabilities."""
    generated = fake.mean(dim=(0, 3)).T  # (rows, T)
    # No 1e-7 floor on the generated side: it would flatten the log, and so the
    # gradient, exactly for the dead tiles this term is there to bring back.
    return (torch.special.xlogy(marginals, marginals) - marginals * torch.log(generated.clamp_min(1e-30))).sum()


def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    eps = torch.rand(real.shape[0], 1, 1, 1, generator=generator)
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def train_wgan_gp(
    arch: ModuleType,
    model_cfg,
    windows: np.ndarray,
    cfg: TrainConfig,
    on_step: Callable[[int, dict], None] | None = None,
) -> tuple[nn.Module, dict]:
    """Train ``arch.Generator`` against ``arch.Critic`` → (generator in eval mode, history)."""
    torch.set_num_threads(cfg.threads)
    rng = np.random.Generator(np.random.PCG64(cfg.seed))
    tgen = torch.Generator().manual_seed(cfg.seed)
    gen, critic = arch.Generator(model_cfg), arch.Critic(model_cfg)
    init_weights(gen, tgen)
    init_weights(critic, tgen)
    marginals = row_marginals(windows, model_cfg.n_tiles)
    if cfg.prior_bias:
        set_prior_bias(gen, marginals)
    opt_g = torch.optim.Adam(gen.parameters(), lr=cfg.lr, betas=(cfg.beta1, cfg.beta2))
    opt_c = torch.optim.Adam(critic.parameters(), lr=cfg.lr, betas=(cfg.beta1, cfg.beta2))
    data = torch.from_numpy(windows)
    history: dict[str, Any] = {"critic_loss": [], "wasserstein": [], "generator_loss": []}
    started = time.perf_counter()

    def real_batch() -> torch.Tensor:
        picks = torch.from_numpy(rng.integers(0, len(data), cfg.batch))
        return F.one_hot(data[picks], model_cfg.n_tiles).permute(0, 3, 1, 2).float()  # (B, T, H, W)

    for step in range(cfg.iterations):
        for _ in range(cfg.n_critic):
            real = real_batch()
            with torch.no_grad():
                fake = arch.fake_levels(gen, arch.sample_latent(model_cfg, cfg.batch, tgen))
            distance = critic(real).mean() - critic(fake).mean()
            loss_c = -distance + cfg.gp_weight * gradient_penalty(critic, real, fake, tgen)
            opt_c.zero_grad(set_to_none=True)
            loss_c.backward()
            opt_c.step()
        fake = arch.fake_levels(gen, arch.sample_latent(model_cfg, cfg.batch, tgen))
        loss_g = -critic(fake).mean()
        if cfg.marginal_weight:
            loss_g = loss_g + cfg.marginal_weight * marginal_kl(fake, marginals)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        record = {"critic_loss": loss_c.item(), "wasserstein": distance.item(), "generator_loss": loss_g.item()}
        for key, value in record.items():
            history[key].append(value)
        if on_step is not None:
            on_step(step, record)
    history["duration_s"] = round(time.perf_counter() - started, 1)
    return gen.eval(), history
