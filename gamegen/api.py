"""``gamegen.load`` and ``gamegen.list_models``: from a name to a checked, running generator."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .cards import ModelCard, check_signature, find_card
from .cards import list_models as _list_cards
from .errors import ModelError
from .runtime import OnnxModel

__all__ = ["load", "list_models"]


def list_models() -> list[str]:
    """Names of the shipped models."""
    return [card.name for card in _list_cards()]


def load(name_or_path: str | Path, providers: Sequence[str] | str | None = None, threads: int | None = None):
    """A generator for a shipped model name or a model folder.

    The ONNX file is checked against its card (sha256, then input/output names,
    shapes and types) before it is used. ``providers`` overrides the CUDA → CPU
    order (so does ``$GAMEGEN_PROVIDERS``); ``threads`` caps ONNX Runtime's
    intra-op threads.
    """
    from .generators import GENERATOR_CLASSES

    card: ModelCard = find_card(name_or_path)
    card.check_file()
    model = OnnxModel(card.onnx_path, providers=providers, threads=threads)
    check_signature(card, model.signature())
    try:
        cls = GENERATOR_CLASSES[card.data["generator"]]
    except KeyError:
        raise ModelError(f"model {card.name}: this gamegen has no generator {card.data['generator']!r}; upgrade gamegen") from None
    return cls(card, model)
