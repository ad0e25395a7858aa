"""Names for creatures, items and places: a character-level LSTM conditioned on the kind.

    gamegen train names-lstm --data ../shared/data            # the shipped model, a few minutes on one core
    gamegen train names-lstm --data ../shared/data --iterations 20   # a smoke run

The corpus (``names_corpus``) gives names per kind; a name is read as tokens
``[boundary] c1 c2 ... cn`` and predicts ``c1 ... cn [boundary]``. Each step's
input is the character's embedding beside the kind's embedding, through a stack
of one-layer LSTMs (dropout between them, its masks drawn from the training
seed's torch.Generator) and a linear head to the next character's logits.

The ONNX graph is one step of that network (token, kind, state in → logits,
state out), written out as the LSTM cell equations on the trained weights, so
sampling (temperature, top-k, rejection of known names) runs in numpy at run
time (``gamegen.names.generator``) without torch.

Quality, measured here and recorded in the card: per-character perplexity of
the held-out names of each kind, against a character-bigram baseline on the
same split whose add-alpha smoothing is the best of a small grid on those same
held-out names (so the comparison favours the baseline).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import cast

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from gamegen.train.names_corpus import ALPHABET, KINDS, NamesCorpus

__all__ = [
    "NamesLSTMConfig", "NamesTrainConfig", "NamesLSTM", "NamesLSTMStep", "TOKENS", "encode", "init_weights",
    "train_names_lstm", "perplexity", "bigram_perplexity", "best_bigram", "export_step", "signature",
]

BOUNDARY = 0  # token 0 starts every name and ends it
TOKENS = ["", *ALPHABET]  # token id → character ("" is the boundary)
BIGRAM_ALPHAS = (0.01, 0.03, 0.1, 0.3, 1.0)


@dataclass(frozen=True)
class NamesLSTMConfig:
    vocab: int = len(TOKENS)
    kinds: int = len(KINDS)
    char_embed: int = 32
    kind_embed: int = 16
    hidden: int = 192
    layers: int = 2
    dropout: float = 0.3
    max_chars: int = 24  # longest name trained on; sampling stops here

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class NamesTrainConfig:
    seed: int = 1
    steps: int = 3000
    batch: int = 64
    lr: float = 3e-3
    warmup: int = 100
    clip: float = 1.0
    kind_power: float = 0.7  # a batch's kinds are drawn ∝ (names of that kind) ** kind_power
    held_out: float = 0.1
    split_seed: int = 0
    threads: int = 1  # part of the recipe: a different count may round differently

    def to_dict(self) -> dict:
        return asdict(self)


def encode(name: str) -> np.ndarray:
    """'orc' → [15, 18, 3] (token ids, boundary not included)."""
    return np.array([TOKENS.index(ch) for ch in name], dtype=np.int64)


class NamesLSTM(nn.Module):
    """Character LSTM conditioned on the kind: (tokens, kind) → next-character logits."""

    def __init__(self, cfg: NamesLSTMConfig):
        super().__init__()
        self.cfg = cfg
        self.chars = nn.Embedding(cfg.vocab, cfg.char_embed)
        self.kinds = nn.Embedding(cfg.kinds, cfg.kind_embed)
        sizes = [cfg.char_embed + cfg.kind_embed] + [cfg.hidden] * (cfg.layers - 1)
        self.lstms = nn.ModuleList(nn.LSTM(size, cfg.hidden, batch_first=True) for size in sizes)
        self.head = nn.Linear(cfg.hidden, cfg.vocab)

    def inputs(self, tokens: torch.Tensor, kind: torch.Tensor) -> torch.Tensor:
        """(B, T) tokens, (B,) kinds → (B, T, E + K)."""
        chars = self.chars(tokens)  # (B, T, E)
        return torch.cat([chars, self.kinds(kind)[:, None, :].expand(-1, tokens.shape[1], -1)], dim=-1)

    def forward(self, tokens: torch.Tensor, kind: torch.Tensor, dropout: torch.Generator | None = None) -> torch.Tensor:
        """(B, T) tokens, (B,) kinds → (B, T, V) logits; with ``dropout`` (a generator), masks are drawn from it."""
        x = self.inputs(tokens, kind)
        for lstm in self.lstms:
            x, _ = lstm(x)  # (B, T, H)
            if dropout is not None and self.cfg.dropout > 0:
                keep = torch.rand(x.shape, generator=dropout) >= self.cfg.dropout
                x = x * keep / (1 - self.cfg.dropout)
        return self.head(x)


class NamesLSTMStep(nn.Module):
    """One step of a trained NamesLSTM, as the exported graph computes it.

    token (B,) int64, kind (B,) int64, h and c (L, B, H) → logits (B, V), h and c (L, B, H).
    The cell equations of torch.nn.LSTM (gates in the order i, f, g, o) on its weights.
    """

    def __init__(self, model: NamesLSTM):
        super().__init__()
        self.model = model

    def forward(self, token, kind, h, c):
        x = torch.cat([self.model.chars(token), self.model.kinds(kind)], dim=-1)  # (B, E + K)
        hs, cs = [], []
        for layer, module in enumerate(self.model.lstms):
            # nn.LSTM's parameters are dynamic attributes, typed Tensor | Module: read them as the tensors they are
            w_ih, b_ih, w_hh, b_hh = (cast(torch.Tensor, getattr(module, n)) for n in ("weight_ih_l0", "bias_ih_l0", "weight_hh_l0", "bias_hh_l0"))
            gates = x @ w_ih.T + b_ih + h[layer] @ w_hh.T + b_hh  # (B, 4H)
            i, f, g, o = gates.chunk(4, dim=-1)
            c_new = torch.sigmoid(f) * c[layer] + torch.sigmoid(i) * torch.tanh(g)  # (B, H)
            x = torch.sigmoid(o) * torch.tanh(c_new)
            hs.append(x)
            cs.append(c_new)
        return self.model.head(x), torch.stack(hs), torch.stack(cs)


def init_weights(model: NamesLSTM, generator: torch.Generator) -> None:
    """PyTorch's default schemes, drawn from ``generator`` instead of the global RNG."""
    with torch.no_grad():
        for embedding in (model.chars, model.kinds):
            embedding.weight.normal_(0.0, 1.0, generator=generator)
        for lstm in model.lstms:
            bound = 1.0 / math.sqrt(cast(nn.LSTM, lstm).hidden_size)
            for param in lstm.parameters():
                param.uniform_(-bound, bound, generator=generator)
        bound = 1.0 / math.sqrt(model.head.in_features)
        model.head.weight.uniform_(-bound, bound, generator=generator)
        model.head.bias.uniform_(-bound, bound, generator=generator)


def _batch(names: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Encoded names → inputs (B, T) starting with the boundary, targets (B, T) ending with it, padding = -100."""
    width = max(len(n) for n in names) + 1
    inputs = np.full((len(names), width), BOUNDARY, dtype=np.int64)
    targets = np.full((len(names), width), -100, dtype=np.int64)
    for row, name in enumerate(names):
        inputs[row, 1 : len(name) + 1] = name
        targets[row, : len(name)] = name
        targets[row, len(name)] = BOUNDARY
    return torch.from_numpy(inputs), torch.from_numpy(targets)


def _encoded(names: dict[str, list[str]]) -> list[list[np.ndarray]]:
    return [[encode(n) for n in names[kind]] for kind in KINDS]


def train_names_lstm(
    corpus: NamesCorpus, cfg: NamesLSTMConfig, tcfg: NamesTrainConfig, on_step: Callable[[int, dict], None] | None = None
) -> tuple[NamesLSTM, dict]:
    """Train on ``corpus.train`` → (model in eval mode, history). All randomness comes from ``tcfg.seed``."""
    torch.set_num_threads(tcfg.threads)
    rng = np.random.Generator(np.random.PCG64(tcfg.seed))  # which names
    tgen = torch.Generator().manual_seed(tcfg.seed)  # weights and dropout masks
    model = NamesLSTM(cfg)
    init_weights(model, tgen)
    data = _encoded(corpus.train)
    weights = np.array([len(d) for d in data], dtype=np.float64) ** tcfg.kind_power
    kind_p = weights / weights.sum()
    opt = torch.optim.Adam(model.parameters(), lr=tcfg.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / tcfg.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * s / tcfg.steps))))
    history: dict = {"loss": []}
    started = time.perf_counter()
    model.train()
    for step in range(tcfg.steps):
        kinds = rng.choice(len(KINDS), size=tcfg.batch, p=kind_p)
        names = [data[k][rng.integers(len(data[k]))] for k in kinds]
        inputs, targets = _batch(names)
        logits = model(inputs, torch.from_numpy(kinds), dropout=tgen)  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab), targets.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), tcfg.clip)
        opt.step()
        schedule.step()
        history["loss"].append(loss.item())
        if on_step is not None:
            on_step(step, {"loss": history["loss"][-1]})
    history["duration_s"] = round(time.perf_counter() - started, 1)
    return model.eval(), history


@torch.no_grad()
def perplexity(model: NamesLSTM, names: list[str], kind: int, batch: int = 512) -> float:
    """exp(mean negative log-likelihood per predicted token) of ``names``, the closing boundary included."""
    model.eval()
    total, count = 0.0, 0
    encoded = [encode(n) for n in names]
    for start in range(0, len(encoded), batch):
        inputs, targets = _batch(encoded[start : start + batch])
        logits = model(inputs, torch.full((len(inputs),), kind, dtype=torch.int64))
        total += F.cross_entropy(logits.reshape(-1, model.cfg.vocab), targets.reshape(-1), ignore_index=-100, reduction="sum").item()
        count += int((targets != -100).sum())
    return math.exp(total / count)


def bigram_perplexity(train: list[str], held_out: list[str], vocab: int = len(TOKENS), alpha: float = 0.1) -> float:
    """Per-token perplexity of ``held_out`` under add-``alpha`` character bigrams counted on ``train``.

    Same tokens as the LSTM's: P(c_t | c_{t-1}) over [boundary] c1..cn [boundary], n + 1 predictions a name.
    """
    counts = np.zeros((vocab, vocab), dtype=np.float64)
    for name in train:
        tokens = np.concatenate([[BOUNDARY], encode(name), [BOUNDARY]])
        np.add.at(counts, (tokens[:-1], tokens[1:]), 1.0)
    log_p = np.log(counts + alpha) - np.log(counts.sum(axis=1, keepdims=True) + alpha * vocab)
    total, n = 0.0, 0
    for name in held_out:
        tokens = np.concatenate([[BOUNDARY], encode(name), [BOUNDARY]])
        total -= log_p[tokens[:-1], tokens[1:]].sum()
        n += len(tokens) - 1
    return math.exp(total / n)


def best_bigram(train: list[str], held_out: list[str]) -> tuple[float, float]:
    """(perplexity, alpha) of the bigram baseline with its best smoothing from BIGRAM_ALPHAS."""
    return min((bigram_perplexity(train, held_out, alpha=a), a) for a in BIGRAM_ALPHAS)


def export_step(model: NamesLSTM, metadata: dict) -> bytes:
    """The one-step graph (``NamesLSTMStep``) as ONNX bytes, batch dimension dynamic."""
    from gamegen.train.export import export_graph

    cfg = model.cfg
    batch = torch.export.Dim("batch", max=65536)
    examples = (
        torch.zeros(2, dtype=torch.int64),
        torch.zeros(2, dtype=torch.int64),
        torch.zeros(cfg.layers, 2, cfg.hidden),
        torch.zeros(cfg.layers, 2, cfg.hidden),
    )
    dynamic = ({0: batch}, {0: batch}, {1: batch}, {1: batch})
    return export_graph(NamesLSTMStep(model).eval(), examples, dynamic, ["token", "kind", "h", "c"], ["logits", "h_out", "c_out"], metadata)


def signature(cfg: NamesLSTMConfig) -> tuple[list[dict], list[dict]]:
    """The graph's inputs and outputs as a card declares them."""
    state = [cfg.layers, "batch", cfg.hidden]
    inputs: list[dict] = [
        {"name": "token", "shape": ["batch"], "type": "int64"},
        {"name": "kind", "shape": ["batch"], "type": "int64"},
        {"name": "h", "shape": state, "type": "float32"},
        {"name": "c", "shape": state, "type": "float32"},
    ]
    outputs: list[dict] = [
        {"name": "logits", "shape": ["batch", cfg.vocab], "type": "float32"},
        {"name": "h_out", "shape": state, "type": "float32"},
        {"name": "c_out", "shape": state, "type": "float32"},
    ]
    return inputs, outputs
