"""Generators, one module per kind of content, chosen by the card's ``generator`` field."""

from __future__ import annotations

from .platformer import PlatformerGenerator

# card["generator"] → the class that runs such a model.
GENERATOR_CLASSES = {
    "sequence": PlatformerGenerator,
    "segments": PlatformerGenerator,
}

__all__ = ["GENERATOR_CLASSES", "PlatformerGenerator"]
