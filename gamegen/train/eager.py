"""PyTorch eager on the very weights of a shipped ONNX file, for ``gamegen bench``.

The exporter folds each BatchNorm into the convolution before it, so the ONNX
initialisers are named like the torch module's convolutions (``body.0.weight``)
and the BatchNorm layers are gone. Rebuilding the architecture from the card's
config with the BatchNorms replaced by identities, and loading the ONNX
initialisers, gives the same function in eager PyTorch (checked against ONNX
Runtime by the caller).
"""

from __future__ import annotations

import torch
from torch import nn

from . import platformer_gan, segment_gan

ARCHITECTURES = {"sequence": (platformer_gan, platformer_gan.PlatformerGANConfig), "segments": (segment_gan, segment_gan.SegmentGANConfig)}


def eager_generator(card_data: dict, onnx_path) -> nn.Module:
    import onnx
    from onnx import numpy_helper

    module, config_cls = ARCHITECTURES[card_data["generator"]]
    fields = config_cls.__dataclass_fields__
    gen = module.Generator(config_cls(**{k: v for k, v in card_data["config"].items() if k in fields}))
    for name, child in list(gen.body.named_children()):
        if isinstance(child, nn.BatchNorm2d):
            gen.body.add_module(name, nn.Identity())
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(str(onnx_path)).graph.initializer}
    state = {k: weights[k] for k in gen.state_dict()}
    gen.load_state_dict(state, strict=True)
    return gen.eval()
