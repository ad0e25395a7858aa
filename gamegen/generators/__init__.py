"""Generators, one module per kind of content, chosen by the card's ``generator`` field."""

from __future__ import annotations

from .dungeon import DungeonGenerator
from .names import NamesGenerator
from .overworld import OverworldGenerator
from .platformer import PlatformerGenerator
from .sprites import SpriteGenerator

# card["generator"] → the class that runs such a model.
GENERATOR_CLASSES = {
    "sequence": PlatformerGenerator,
    "segments": PlatformerGenerator,
    "names": NamesGenerator,
    "dungeon": DungeonGenerator,
    "sprites": SpriteGenerator,
}

# Generators that run no model (no card, no ONNX file): gamegen.load(name) builds them directly.
MODEL_FREE = {"overworld": OverworldGenerator}

__all__ = ["GENERATOR_CLASSES", "MODEL_FREE", "OverworldGenerator", "PlatformerGenerator", "NamesGenerator", "DungeonGenerator", "SpriteGenerator"]
