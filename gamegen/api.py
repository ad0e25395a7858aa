"""``gamegen.load`` and ``gamegen.list_models``: from a name to a checked, running generator."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gamegen.errors import InvalidRequest, ModelError
from gamegen.protocol import GeneratorBase
from gamegen.runtime.cards import ModelCard, check_signature, find_card
from gamegen.runtime.cards import list_models as _list_cards
from gamegen.runtime.onnx import OnnxModel

__all__ = ["load", "list_models"]


def list_models() -> list[str]:
    """Names of the shipped models."""
    return [card.name for card in _list_cards()]


def load(name_or_path: str | Path, providers: Sequence[str] | str | None = None, threads: int | None = None) -> GeneratorBase[Any, Any]:
    """A generator for a shipped model name or a model folder, or a model-free one (``"overworld"``).

    The ONNX file is checked against its card (sha256, then input/output names,
    shapes and types) before it is used. ``providers`` overrides the CUDA → CPU
    order (so does ``$GAMEGEN_PROVIDERS``); ``threads`` caps ONNX Runtime's
    intra-op threads.
    """
    from gamegen.registry import MODEL_FREE, generator_class

    _check_session_options(providers, threads)
    if isinstance(name_or_path, str) and name_or_path in MODEL_FREE:  # noise, not a model: no card to check, no session
        return MODEL_FREE[name_or_path]()
    card: ModelCard = find_card(name_or_path)
    model = _checked_model(card, providers, threads)
    graphs = {name: _checked_model(card.graph(name), providers, threads) for name in card.graph_names}
    cls = generator_class(card)
    try:
        # A model of several graphs (encoder + decoder) hands the others over by name.
        return cls(card, model, graphs=graphs) if graphs else cls(card, model)  # type: ignore[call-arg]
    except (KeyError, TypeError, ValueError) as exc:  # a card field the generator needs is missing or of the wrong kind
        raise ModelError(f"model {card.name}: its card cannot configure a {card.data['generator']} generator ({type(exc).__name__}: {exc})") from None


def _checked_model(card: ModelCard, providers, threads) -> OnnxModel:
    """One graph of a card: file checked (sha256, size, external data), then its signature."""
    card.check_file()
    model = OnnxModel(card.onnx_path, providers=providers, threads=threads)
    check_signature(card, model.signature())
    return model


def _check_session_options(providers, threads) -> None:
    """Refuse bad run-time options before any file is read (ONNX Runtime would report them obscurely, later)."""
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= 1024):
        raise InvalidRequest(f"threads must be None or an integer in [1, 1024], got {threads!r}")
    if providers is None or isinstance(providers, str):
        return
    if not isinstance(providers, (list, tuple)) or not all(isinstance(p, str) for p in providers):
        raise InvalidRequest(f"providers must be a name, a comma-separated string or a list of names, got {providers!r}")
