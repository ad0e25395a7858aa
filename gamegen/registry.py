"""Generators, one module per kind of content, chosen by the card's ``generator`` field."""

from __future__ import annotations

from gamegen.dungeon.generator import DungeonGenerator
from gamegen.names.generator import NamesGenerator
from gamegen.overworld.generator import OverworldGenerator
from gamegen.platformer.generator import PlatformerGenerator
from gamegen.sprites.generator import SpriteGenerator

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
