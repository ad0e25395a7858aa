"""A conditional VAE of dungeon rooms: (room, door mask) → latent → room, trained on the Zelda rooms.

    gamegen train dungeon-vae --data ../shared/data [--seed S] [--iterations STEPS]

Both halves are small MLPs over the one-hot room (10 tile channels × 11 × 16),
and both see the room's door mask (north, east, south, west), so the decoder
makes a room for the doors a dungeon asks for:

    encoder: room (B, 10, 11, 16) ⊕ doors (B, 4) ─MLP 1764→512→256─> mu, logvar (B, Z)
    decoder: latent (B, Z) ⊕ doors (B, 4) ─MLP (Z+4)→256→512→1760─> logits (B, 10, 11, 16)

Training data: the 459 corpus rooms less the 38 whose inside was never
transcribed (all void), 10% held out by a fixed split for the reconstruction
measure, the rest seen in all four mirror images (a mirror swaps east and west
doors, or north and south: Zelda rooms are drawn symmetric, so a mirrored room
is still a Zelda room). Loss: cross-entropy of every tile plus β·KL, β warmed
up over the first WARMUP share of the steps. One numpy generator (batches)
and one torch generator (weights, noise) come from the seed; one torch thread.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from gamegen.dungeon.rooms import COLS, ROWS, SIDES

__all__ = ["DungeonVAEConfig", "DungeonTrainConfig", "Encoder", "Decoder", "train_dungeon_vae", "one_hot", "mirrors", "export_graphs"]


@dataclass(frozen=True)
class DungeonVAEConfig:
    n_tiles: int = 10  # the network's tiles: the vocabulary less those tagged "assembly"
    rows: int = ROWS
    cols: int = COLS
    latent: int = 16
    hidden: int = 512
    hidden2: int = 256

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DungeonTrainConfig:
    seed: int = 1
    steps: int = 6000
    batch: int = 64
    lr: float = 1e-3
    beta: float = 1.0
    warmup: float = 0.3  # share of the steps over which β rises from 0
    held_out: float = 0.1
    split_seed: int = 0
    threads: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


class Encoder(nn.Module):
    def __init__(self, cfg: DungeonVAEConfig):
        super().__init__()
        cells = cfg.n_tiles * cfg.rows * cfg.cols
        self.net = nn.Sequential(nn.Linear(cells + len(SIDES), cfg.hidden), nn.LeakyReLU(0.2), nn.Linear(cfg.hidden, cfg.hidden2), nn.LeakyReLU(0.2))
        self.mu = nn.Linear(cfg.hidden2, cfg.latent)
        self.logvar = nn.Linear(cfg.hidden2, cfg.latent)

    def forward(self, room: torch.Tensor, doors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.net(torch.cat([room.flatten(1), doors], dim=1))  # (B, hidden2)
        return self.mu(h), self.logvar(h)  # (B, Z) each


class Decoder(nn.Module):
    def __init__(self, cfg: DungeonVAEConfig):
        super().__init__()
        self.cfg = cfg
        self.net = nn.Sequential(
            nn.Linear(cfg.latent + len(SIDES), cfg.hidden2), nn.LeakyReLU(0.2),
            nn.Linear(cfg.hidden2, cfg.hidden), nn.LeakyReLU(0.2),
            nn.Linear(cfg.hidden, cfg.n_tiles * cfg.rows * cfg.cols),
        )  # fmt: skip

    def forward(self, latent: torch.Tensor, doors: torch.Tensor) -> torch.Tensor:
        out = self.net(torch.cat([latent, doors], dim=1))
        return out.view(-1, self.cfg.n_tiles, self.cfg.rows, self.cfg.cols)  # (B, T, 11, 16)


def one_hot(grids: np.ndarray, n_tiles: int) -> np.ndarray:
    """(N, 11, 16) ids → (N, T, 11, 16) float32."""
    return np.eye(n_tiles, dtype=np.float32)[grids].transpose(0, 3, 1, 2).copy()


def mirrors(grids: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every room in its four mirror images, with the door masks mirrored alongside (N, E, S, W)."""
    n, e, s, w = range(4)
    flipped_lr = (grids[:, :, ::-1], masks[:, [n, w, s, e]])
    flipped_ud = (grids[:, ::-1, :], masks[:, [s, e, n, w]])
    both = (grids[:, ::-1, ::-1], masks[:, [s, w, n, e]])
    pairs = [(grids, masks), flipped_lr, flipped_ud, both]
    return np.concatenate([g for g, _ in pairs]), np.concatenate([m for _, m in pairs])


def _init(module: nn.Module, generator: torch.Generator) -> None:
    """Kaiming-uniform weights drawn from ``generator`` (torch's own init would use the global RNG)."""
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            bound = float(np.sqrt(6.0 / layer.in_features))
            with torch.no_grad():
                layer.weight.uniform_(-bound, bound, generator=generator)
                layer.bias.zero_()


def train_dungeon_vae(grids: np.ndarray, masks: np.ndarray, cfg: DungeonVAEConfig, tcfg: DungeonTrainConfig, on_step=None):
    """Train on (N, 11, 16) ids with their (N, 4) door masks → (encoder, decoder, history)."""
    torch.set_num_threads(tcfg.threads)
    rng = np.random.Generator(np.random.PCG64(tcfg.seed))
    tgen = torch.Generator().manual_seed(tcfg.seed)
    encoder, decoder = Encoder(cfg), Decoder(cfg)
    _init(encoder, tgen)
    _init(decoder, tgen)
    rooms_all = torch.from_numpy(one_hot(grids, cfg.n_tiles))
    targets_all = torch.from_numpy(grids.astype(np.int64))
    doors_all = torch.from_numpy(masks.astype(np.float32))
    optimiser = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=tcfg.lr)
    history: dict[str, Any] = {"loss": [], "reconstruction": [], "kl": []}
    start = time.perf_counter()
    for step in range(tcfg.steps):
        index = torch.from_numpy(rng.integers(0, len(grids), tcfg.batch))
        rooms, targets, doors = rooms_all[index], targets_all[index], doors_all[index]
        mu, logvar = encoder(rooms, doors)
        noise = torch.randn(mu.shape, generator=tgen)
        logits = decoder(mu + noise * torch.exp(0.5 * logvar), doors)
        reconstruction = F.cross_entropy(logits, targets, reduction="sum") / len(index)  # nats per room
        kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)).mean()
        beta = tcfg.beta * min(1.0, step / max(1.0, tcfg.warmup * tcfg.steps))
        loss = reconstruction + beta * kl
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        record = {"loss": loss.item(), "reconstruction": reconstruction.item(), "kl": kl.item()}
        for key, value in record.items():
            history[key].append(value)
        if on_step:
            on_step(step, record)
    history["duration_s"] = round(time.perf_counter() - start, 1)
    return encoder.eval(), decoder.eval(), history


def export_graphs(encoder: Encoder, decoder: Decoder, cfg: DungeonVAEConfig, metadata: dict) -> tuple[bytes, bytes]:
    """(decoder ONNX bytes, encoder ONNX bytes), batch dimension dynamic."""
    from gamegen.train.export import export_graph

    batch = torch.export.Dim("batch", max=65536)
    doors = torch.zeros(2, len(SIDES))
    decoder_bytes = export_graph(decoder, (torch.zeros(2, cfg.latent), doors), ({0: batch}, {0: batch}), ["latent", "doors"], ["logits"], metadata)
    room = torch.zeros(2, cfg.n_tiles, cfg.rows, cfg.cols)
    encoder_bytes = export_graph(encoder, (room, doors), ({0: batch}, {0: batch}), ["room", "doors"], ["mu", "logvar"], metadata)
    return decoder_bytes, encoder_bytes


def signatures(cfg: DungeonVAEConfig) -> tuple[dict, dict]:
    """The card's inputs/outputs of the decoder (main graph) and of the encoder."""
    doors = {"name": "doors", "shape": ["batch", len(SIDES)], "type": "float32"}
    decoder = {
        "inputs": [{"name": "latent", "shape": ["batch", cfg.latent], "type": "float32"}, doors],
        "outputs": [{"name": "logits", "shape": ["batch", cfg.n_tiles, cfg.rows, cfg.cols], "type": "float32"}],
    }
    encoder = {
        "inputs": [{"name": "room", "shape": ["batch", cfg.n_tiles, cfg.rows, cfg.cols], "type": "float32"}, doors],
        "outputs": [{"name": "mu", "shape": ["batch", cfg.latent], "type": "float32"}, {"name": "logvar", "shape": ["batch", cfg.latent], "type": "float32"}],
    }
    return decoder, encoder
