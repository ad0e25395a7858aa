"""PyTorch eager on the very weights of a shipped ONNX file, for ``gamegen bench``.

Every graph of every shipped model is rebuilt here as the torch module its
trainer exported (``gamegen/train/<architecture>.py``), and loaded with the
ONNX file's own initialisers, so both runtimes compute one function:

- the exporter folds a BatchNorm into the convolution before it: the ONNX
  file keeps the folded weight under the convolution's name and its bias as
  ``<conv>.bias`` (or ``<conv>.weight_bias`` where the convolution had none).
  The rebuild puts an identity where the BatchNorm was and gives the
  convolution that bias. A BatchNorm with nothing to fold into (the sprite
  decoder's first) stays, with its running statistics;
- a wrapper module at export time prefixes the names (``net.``, ``model.``):
  the prefix is found from the names;
- the names LSTM step computes ``x @ W.T``; the exporter stores each ``W.T``
  as an anonymous constant (``permute_*``), found here from the graph: the
  matmul of a state row ``h[layer]`` holds that layer's ``weight_hh``, the
  other matmul feeding the add of ``lstms.<layer>.bias_ih_l0`` its ``weight_ih``.

``eager_graph`` raises ``NotRebuilt`` for a graph it does not know how to
rebuild; the bench reports that instead of a figure. Whether a rebuild is
right is checked numerically against ONNX Runtime (``max_abs_difference``;
``tests/test_bench.py`` and every bench run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import cast

import numpy as np
import torch
from torch import nn

from gamegen.train import dungeon_vae, names_lstm, platformer_gan, segment_gan, sprite_gan, sprite_vae

__all__ = ["NotRebuilt", "eager_graph", "eager_generator", "max_abs_difference", "TOLERANCE"]

ARCHITECTURES = {"sequence": (platformer_gan, platformer_gan.PlatformerGANConfig), "segments": (segment_gan, segment_gan.SegmentGANConfig)}
TOLERANCE = 1e-5  # |torch - ONNX Runtime| ≤ TOLERANCE × max(1, largest |ONNX Runtime output|), float32 both


class NotRebuilt(Exception):
    """This graph has no eager rebuild (or its ONNX file does not fit the architecture); the message says why."""


def _config(cls, data: dict):
    fields = cls.__dataclass_fields__
    return cls(**{k: v for k, v in data.items() if k in fields})


def _platformer(card: dict, graph: str) -> nn.Module:
    module, config_cls = ARCHITECTURES[card["generator"]]
    return module.Generator(_config(config_cls, card["config"]))


def _names(card: dict, graph: str) -> nn.Module:
    return names_lstm.NamesLSTMStep(names_lstm.NamesLSTM(_config(names_lstm.NamesLSTMConfig, card["config"])))


def _dungeon(card: dict, graph: str) -> nn.Module:
    cfg = _config(dungeon_vae.DungeonVAEConfig, card["config"])
    return {"main": dungeon_vae.Decoder, "encoder": dungeon_vae.Encoder}[graph](cfg)


def _sprites(card: dict, graph: str) -> nn.Module:
    if "code" in card["config"]:  # the latent GAN chained to its autoencoder's decoder (sprite_gan.SpriteGAN)
        cfg = _config(sprite_gan.SpriteGANConfig, card["config"])
        return {"main": lambda: sprite_gan.SpriteGAN(sprite_gan.LatentGenerator(cfg), sprite_vae.Decoder(cfg.autoencoder()))}[graph]()
    cfg = _config(sprite_vae.SpriteVAEConfig, card["config"])
    return {"main": sprite_vae.Decoder, "encoder": sprite_vae.Encoder}[graph](cfg)


BUILDERS: dict[str, Callable[[dict, str], nn.Module]] = {"sequence": _platformer, "segments": _platformer, "names": _names, "dungeon": _dungeon,
    "sprites": _sprites}


class _Outputs(nn.Module):
    """The rebuilt module with the graph's calling convention: inputs in the graph's order → a tuple of outputs."""

    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner

    def forward(self, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.inner(*inputs)
        return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def eager_graph(card_data: dict, onnx_path, graph: str = "main") -> nn.Module:
    """The eager module of one graph of a model (``"main"`` or a name under the card's ``graphs``), on its ONNX weights.

    Call it with the graph's inputs in the graph's order (torch tensors); it returns the graph's outputs as a tuple.
    """
    import onnx

    builder = BUILDERS.get(card_data.get("generator", ""))
    if builder is None:
        raise NotRebuilt(f"no eager rebuild for generator {card_data.get('generator')!r} (add one to gamegen/train/eager.py)")
    try:
        module = builder(card_data, graph)
    except KeyError:
        raise NotRebuilt(f"no eager rebuild for graph {graph!r} of generator {card_data['generator']!r}") from None
    proto = onnx.load(str(onnx_path))
    _load_onnx_weights(module, _initialisers(proto))
    return _Outputs(module).eval()


def eager_generator(card_data: dict, onnx_path) -> nn.Module:
    """A platformer generator (``sequence`` / ``segments``) on its ONNX weights: latent → logits (one tensor)."""
    if card_data["generator"] not in ARCHITECTURES:
        raise NotRebuilt(f"{card_data['generator']!r} is not a platformer generator")
    return cast(nn.Module, eager_graph(card_data, onnx_path).inner)


def _initialisers(proto) -> dict[str, torch.Tensor]:
    from onnx import numpy_helper

    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in proto.graph.initializer}
    weights.update(_lstm_step_weights(proto, weights))
    return weights


def _lstm_step_weights(proto, weights: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """``<prefix>lstms.<layer>.weight_{ih,hh}_l0`` from the anonymous transposed constants of an LSTM step graph (names-lstm)."""
    producer = {out: node for node in proto.graph.node for out in node.output}
    consumers: dict[str, list] = {}
    for node in proto.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    found = {}
    for node in proto.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights or node.input[1].endswith("_l0"):
            continue
        source = producer.get(node.input[0])
        if source is not None and source.op_type == "Gather" and source.input[0] == "h" and source.input[1] in weights:
            layer, kind = int(weights[source.input[1]]), "hh"  # h[layer] @ W_hh.T
        else:
            adds = [b for c in consumers.get(node.output[0], []) if c.op_type == "Add" for b in c.input if b.endswith(".bias_ih_l0")]
            if len(adds) != 1:
                continue
            layer, kind = int(adds[0].rsplit(".", 2)[1]), "ih"  # "<prefix>lstms.<layer>.bias_ih_l0"
        stem = next(name for name in weights if name.endswith(f"lstms.{layer}.bias_ih_l0")).rsplit(".", 1)[0]
        found[f"{stem}.weight_{kind}_l0"] = weights[node.input[1]].T.contiguous()
    return found


def _fold_batchnorms(module: nn.Module, weights: dict[str, torch.Tensor], prefix: str) -> None:
    """Each BatchNorm the exporter folded away becomes an identity; the convolution before it gets the folded bias."""
    for seq_name, seq in list(module.named_modules()):
        if not isinstance(seq, nn.Sequential):
            continue
        for index, child in list(seq.named_children()):
            if not isinstance(child, nn.BatchNorm2d):
                continue
            path = f"{seq_name}.{index}" if seq_name else index
            if f"{prefix}{path}.running_mean" in weights:
                continue  # kept in the graph (nothing to fold into)
            conv = seq[int(index) - 1] if int(index) > 0 else None
            if not isinstance(conv, (nn.Conv2d, nn.ConvTranspose2d)):
                raise NotRebuilt(f"BatchNorm {path} is gone from the graph but follows no convolution")
            if conv.bias is None:
                conv.bias = nn.Parameter(torch.zeros(conv.out_channels))
            seq.add_module(index, nn.Identity())


def _load_onnx_weights(module: nn.Module, weights: dict[str, torch.Tensor]) -> None:
    keys = list(module.state_dict())
    prefixes = Counter(name[: len(name) - len(key)] for key in keys for name in weights
                       if name.endswith(key) and (name == key or name[len(name) - len(key) - 1] == "."))
    prefix = prefixes.most_common(1)[0][0] if prefixes else ""
    _fold_batchnorms(module, weights, prefix)
    state = {}
    for key, value in module.state_dict().items():
        candidates = [prefix + key, prefix + key[: -len(".bias")] + ".weight_bias" if key.endswith(".bias") else None]
        name = next((c for c in candidates if c in weights), None)
        if name is None:
            if key.endswith("num_batches_tracked"):
                state[key] = value
                continue
            raise NotRebuilt(f"the ONNX file has no weight for {key} (looked for {prefix + key})")
        if tuple(weights[name].shape) != tuple(value.shape):
            raise NotRebuilt(f"{name}: ONNX shape {tuple(weights[name].shape)}, module shape {tuple(value.shape)}")
        state[key] = weights[name]
    module.load_state_dict(state, strict=True)


def max_abs_difference(module: nn.Module, feeds: dict[str, np.ndarray], expected: list[np.ndarray]) -> tuple[float, float]:
    """(largest |eager − expected| over all outputs, largest |expected|): ``feeds`` in the graph's input order."""
    with torch.inference_mode():
        outputs = module(*(torch.from_numpy(v) for v in feeds.values()))
    if len(outputs) != len(expected):
        raise NotRebuilt(f"the rebuild gives {len(outputs)} outputs, the graph {len(expected)}")
    worst, scale = 0.0, 0.0
    for got, want in zip(outputs, expected):
        if tuple(got.shape) != tuple(want.shape):
            raise NotRebuilt(f"the rebuild's output shape {tuple(got.shape)} is not the graph's {tuple(want.shape)}")
        worst = max(worst, float(np.max(np.abs(got.numpy() - want), initial=0.0)))
        scale = max(scale, float(np.max(np.abs(want), initial=0.0)))
    return worst, scale
