"""Model cards and the registry of shipped models.

A card (``models/<name>.json``) describes its ONNX file: name, content kind,
run-time generator layout, vocabulary, input/output names and shapes, latent
size, sha256 and opset of the ONNX file, training provenance, measured
metrics, and the licence and attribution of the training data. Before a model
is first used its file is checked against the card: the sha256 first (a
corrupt or swapped file never reaches ONNX Runtime), then the graph's names,
ranks, fixed dimensions and element types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ModelError, ModelIntegrityError, UnknownModel
from .files import sha256_file

__all__ = ["ModelCard", "shipped_models_dir", "list_models", "find_card", "check_signature"]

# ONNX Runtime's names for the element types a card may declare.
_ORT_TYPES = {"float32": "tensor(float)", "float16": "tensor(float16)", "int64": "tensor(int64)", "int32": "tensor(int32)"}
_REQUIRED = ("name", "kind", "generator", "vocabulary", "inputs", "outputs", "onnx")


@dataclass(frozen=True)
class ModelCard:
    data: dict[str, Any]
    folder: Path

    @classmethod
    def from_file(cls, path: Path) -> "ModelCard":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UnknownModel(f"no model card at {path}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"model card {path} is not readable JSON: {exc}") from None
        missing = [key for key in _REQUIRED if not isinstance(data, dict) or key not in data]
        if missing:
            raise ModelError(f"model card {path} lacks {', '.join(missing)}")
        return cls(data, Path(path).parent)

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def onnx_path(self) -> Path:
        return self.folder / self.data["onnx"]["file"]

    @property
    def sha256(self) -> str:
        return self.data["onnx"]["sha256"]

    def summary(self) -> dict[str, Any]:
        """What ``gamegen models`` shows of the card."""
        width = self.data.get("width", {})
        return {
            "name": self.name,
            "kind": self.data["kind"],
            "summary": self.data.get("summary", ""),
            "vocabulary": self.data["vocabulary"],
            "width": f"{width.get('min')}-{width.get('max')}" if width else None,
            "onnx_bytes": self.data["onnx"].get("bytes"),
            "sha256": self.sha256,
            "metrics": self.data.get("metrics", {}),
            "data_licence": self.data.get("data_licence", {}).get("licence"),
        }

    def check_file(self) -> None:
        """The ONNX file exists and its sha256 is the card's."""
        if not self.onnx_path.is_file():
            raise ModelError(f"model {self.name}: ONNX file {self.onnx_path} is missing; reinstall gamegen or retrain with gamegen train {self.name}")
        actual = sha256_file(self.onnx_path)
        if actual != self.sha256:
            raise ModelIntegrityError(
                f"model {self.name}: {self.onnx_path.name} has sha256 {actual[:12]}…, its card says {self.sha256[:12]}…; the file is corrupt or not the one the card describes"
            )


def shipped_models_dir() -> Path:
    return Path(str(resources.files("gamegen.models")))


def list_models() -> list[ModelCard]:
    """Cards of every shipped model, by name."""
    return [ModelCard.from_file(p) for p in sorted(shipped_models_dir().glob("*.json"))]


def find_card(name_or_path: str | Path) -> ModelCard:
    """A shipped model by name, or a user's model: a card, an ONNX file beside its card, or a folder holding one card."""
    shipped = shipped_models_dir() / f"{name_or_path}.json"
    if isinstance(name_or_path, str) and "/" not in name_or_path and shipped.is_file():
        return ModelCard.from_file(shipped)
    path = Path(name_or_path)
    if path.is_dir():
        cards = sorted(path.glob("*.json"))
        if len(cards) != 1:
            raise UnknownModel(f"model folder {path} must hold exactly one card (*.json), it holds {len(cards)}")
        return ModelCard.from_file(cards[0])
    if path.suffix == ".onnx" and path.is_file():
        return ModelCard.from_file(path.with_suffix(".json"))
    if path.suffix == ".json" and path.is_file():
        return ModelCard.from_file(path)
    names = ", ".join(card.name for card in list_models()) or "none"
    raise UnknownModel(f"unknown model {str(name_or_path)!r}; shipped models: {names} (or give a model folder)")


def _same_shape(declared: list, actual: list) -> bool:
    if len(declared) != len(actual):
        return False
    # A fixed dimension must match; a named (symbolic) one must not be fixed in the graph.
    return all((d == a) if isinstance(d, int) else not isinstance(a, int) for d, a in zip(declared, actual))


def check_signature(card: ModelCard, signature: dict[str, list[dict[str, Any]]]) -> None:
    """The graph's inputs and outputs are the card's: names, shapes and element types."""
    for side in ("inputs", "outputs"):
        declared, actual = card.data[side], signature[side]
        if [d["name"] for d in declared] != [a["name"] for a in actual]:
            raise ModelIntegrityError(
                f"model {card.name}: graph {side} are {[a['name'] for a in actual]}, the card declares {[d['name'] for d in declared]}"
            )
        for d, a in zip(declared, actual):
            if not _same_shape(d["shape"], a["shape"]) or _ORT_TYPES.get(d.get("type", "float32")) != a["type"]:
                raise ModelIntegrityError(
                    f"model {card.name}: {side[:-1]} {d['name']!r} is {a['type']} {a['shape']} in the graph, the card declares {d.get('type')} {d['shape']}"
                )
