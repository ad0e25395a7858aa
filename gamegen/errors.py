"""The one exception tree of gamegen, and the CLI exit code of each class.

::

    GamegenError                                  exit 1
    ├── InvalidRequest(GamegenError, ValueError)  exit 2   bad argument: width, seed, format, path
    ├── ModelError                                exit 3   a model cannot be used
    │   ├── UnknownModel(ModelError, KeyError)    exit 3   no shipped model or folder of that name
    │   ├── ModelIntegrityError                   exit 3   sha256, names or shapes disagree with the card
    │   └── RuntimeMissing(ModelError, ImportError) exit 3 no ONNX Runtime installed
    ├── DataError                                 exit 4   a corpus or input file is missing or malformed
    ├── ExportError(GamegenError, OSError)        exit 5   an output cannot be written
    └── JudgeUnavailable                          exit 6   the real-engine judge (MAF jar, java, javac) is not installed

Messages are one line: what was wrong, and what to do. Expected failures of
generation (a level that is not playable yet) are values, never exceptions.
"""

from __future__ import annotations

__all__ = [
    "GamegenError",
    "InvalidRequest",
    "ModelError",
    "UnknownModel",
    "ModelIntegrityError",
    "RuntimeMissing",
    "DataError",
    "ExportError",
    "JudgeUnavailable",
]


class GamegenError(Exception):
    """Root of every error gamegen raises on purpose."""

    exit_code = 1

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else self.__class__.__name__


class InvalidRequest(GamegenError, ValueError):
    """An argument is out of range or of the wrong kind."""

    exit_code = 2


class ModelError(GamegenError):
    """A model cannot be found, trusted or run."""

    exit_code = 3


class UnknownModel(ModelError, KeyError):
    """No shipped model, and no model folder, has that name."""


class ModelIntegrityError(ModelError):
    """The ONNX file disagrees with its card (sha256, input/output names or shapes)."""


class RuntimeMissing(ModelError, ImportError):
    """ONNX Runtime is not installed."""


class DataError(GamegenError):
    """A corpus or an input file is missing or malformed."""

    exit_code = 4


class ExportError(GamegenError, OSError):
    """An output file or folder cannot be written."""

    exit_code = 5


class JudgeUnavailable(GamegenError):
    """The Mario AI Framework judge cannot run: its jar, java or javac is missing."""

    exit_code = 6
