"""gamegen: procedural game content from trained models, seeded and reproducible.

    >>> import gamegen
    >>> gen = gamegen.load("platformer-gan")
    >>> level = gen.generate(7, width=200)          # a TileMap (every kind: gen.generate(seed, **options))
    >>> gen.descriptor.kind, gen.options()          # ('platformer', PlatformerOptions(width=200, playable=True, targets=None))
    >>> print(level.to_text())

``import gamegen`` imports neither torch nor pygame; ONNX Runtime is imported
when a model is first loaded.
"""

from __future__ import annotations

__version__ = "0.1.0"

from gamegen.api import list_models, load
from gamegen.errors import (
    DataError,
    ExportError,
    GamegenError,
    InvalidRequest,
    JudgeUnavailable,
    ModelError,
    ModelIntegrityError,
    RuntimeMissing,
    UnknownModel,
)
from gamegen.protocol import Descriptor, Generator, Options
from gamegen.tiles import Tile, TileMap, Vocabulary, load_vocabulary

__all__ = [
    "__version__",
    "load",
    "list_models",
    "Generator",
    "Descriptor",
    "Options",
    "TileMap",
    "Tile",
    "Vocabulary",
    "load_vocabulary",
    "GamegenError",
    "InvalidRequest",
    "ModelError",
    "UnknownModel",
    "ModelIntegrityError",
    "RuntimeMissing",
    "DataError",
    "JudgeUnavailable",
    "ExportError",
]
