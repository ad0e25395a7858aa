"""Generators, one module per kind of content, chosen by the card's ``generator`` field."""

from __future__ import annotations

from .names import NamesGenerator
from .platformer import PlatformerGenerator

# card["generator"] → the class that runs such a model.
GENERATOR_CLASSES = {
    "sequence": PlatformerGenerator,
    "segments": PlatformerGenerator,
    "names": NamesGenerator,
}

__all__ = ["GENERATOR_CLASSES", "PlatformerGenerator", "NamesGenerator"]
