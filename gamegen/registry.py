"""Generators, one module per kind of content, chosen by the card's ``generator`` field."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gamegen.dungeon.generator import DungeonGenerator
from gamegen.errors import ModelError
from gamegen.names.generator import NamesGenerator
from gamegen.overworld.generator import OverworldGenerator
from gamegen.platformer.generator import PlatformerGenerator
from gamegen.protocol import Descriptor, GeneratorBase, Options
from gamegen.runtime.cards import ModelCard
from gamegen.sprites.generator import SpriteGenerator

# card["generator"] → the class that runs such a model.
GENERATOR_CLASSES: dict[str, type[GeneratorBase]] = {
    "sequence": PlatformerGenerator,
    "segments": PlatformerGenerator,
    "names": NamesGenerator,
    "dungeon": DungeonGenerator,
    "sprites": SpriteGenerator,
}

# Generators that run no model (no card, no ONNX file): gamegen.load(name) builds them directly.
MODEL_FREE: dict[str, type[GeneratorBase]] = {"overworld": OverworldGenerator}

__all__ = ["GENERATOR_CLASSES", "MODEL_FREE", "describe", "generator_class", "options_for"]


def generator_class(card: ModelCard) -> type[GeneratorBase]:
    """The class that runs the model of ``card`` (by its ``generator`` field)."""
    try:
        return GENERATOR_CLASSES[card.data["generator"]]
    except KeyError:
        raise ModelError(f"model {card.name}: this gamegen has no generator {card.data['generator']!r}; upgrade gamegen") from None


def describe(name_or_path: str | Path) -> Descriptor:
    """The descriptor of a shipped model name, a model folder or a model-free generator, from its card alone."""
    if isinstance(name_or_path, str) and name_or_path in MODEL_FREE:
        return MODEL_FREE[name_or_path].descriptor
    from gamegen.runtime.cards import find_card

    card = find_card(name_or_path)
    return generator_class(card).describe(card)


def options_for(card: ModelCard, values: Mapping[str, Any] | Options | None = None) -> Options:
    """The options object of ``card``'s kind from ``values``, without loading the model (the Ray driver's view)."""
    options_type = generator_class(card).options_type
    if isinstance(values, Options):
        return values
    return options_type.build(values, owner=card.name)
