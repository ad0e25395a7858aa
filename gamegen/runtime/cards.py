"""Model cards and the registry of shipped models.

A card (``models/<name>.json``) describes its ONNX file: name, content kind,
run-time generator layout, vocabulary, input/output names and shapes, latent
size, sha256 and opset of the ONNX file, training provenance, measured
metrics, and the licence and attribution of the training data. Before a model
is first used its file is checked against the card: the sha256 first (a
corrupt or swapped file never reaches ONNX Runtime), then the graph's names,
ranks, fixed dimensions and element types.

Model folders are untrusted input (a user's ``gamegen.load("my-model/")``, a
downloaded model), so before ONNX Runtime sees a file:

* the card is at most MAX_CARD_BYTES of JSON with the fields and types the
  loader relies on; names that become file names are plain names;
* the ONNX file lies inside the card's folder (no absolute path, no ``..``, no
  symbolic link leading out) and, with any external-data files, is at most
  MAX_MODEL_BYTES, measured before a byte is hashed;
* every external-data ``location`` in the graph (read by ``gamegen.runtime.onnxscan``,
  without the ``onnx`` package) is a relative path inside the folder, and the
  card lists that file with its sha256 under ``onnx.external_data``, so every
  byte ONNX Runtime reads is covered by the card.

ONNX has no pickle and runs no Python code; these checks keep a model from
reading outside its folder or exhausting memory.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PureWindowsPath
from typing import Any

from gamegen.errors import InvalidRequest, ModelError, ModelIntegrityError, UnknownModel
from gamegen.files import sha256_file
from gamegen.runtime.onnxscan import OnnxScanError, external_data_refs

__all__ = [
    "ModelCard",
    "shipped_models_dir",
    "list_models",
    "find_card",
    "check_signature",
    "MAX_MODEL_BYTES",
    "MAX_CARD_BYTES",
    "MAX_WIDTH",
]

MAX_MODEL_BYTES = 512 << 20  # an ONNX file and its external data together; the shipped ones are 1.4 and 3.2 MB
MAX_CARD_BYTES = 1 << 20  # the shipped cards are 4 KB
MAX_WIDTH = 16_384  # the widest level a card may offer: (32, 13, 14, W) float32 logits stay under 400 MB
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")  # model and vocabulary names become file names
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")

# ONNX Runtime's names for the element types a card may declare.
_ORT_TYPES = {"float32": "tensor(float)", "float16": "tensor(float16)", "int64": "tensor(int64)", "int32": "tensor(int32)"}
_REQUIRED = ("name", "kind", "generator", "vocabulary", "inputs", "outputs", "onnx")


def _shape_problem(side: str, specs: Any) -> str | None:
    if not isinstance(specs, list) or not specs:
        return f"{side} must be a non-empty list"
    for spec in specs:
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not isinstance(spec.get("shape"), list):
            return f"each of {side} needs a name and a shape"
        if not all(isinstance(d, str) or (type(d) is int and d >= 0) for d in spec["shape"]):
            return f"{side} {spec['name']!r}: a dimension is neither a name nor a size"
        if not isinstance(spec.get("type", "float32"), str):
            return f"{side} {spec['name']!r}: type must be a string"
    return None


def _limits_problem(data: dict[str, Any]) -> str | None:
    """What the generator sizes memory by: the widths offered and the latent layout."""
    width = data.get("width", {"min": 1, "max": 1})
    if not isinstance(width, dict) or not all(type(width.get(k)) is int for k in ("min", "max")):
        return "width must hold integer min and max"
    if not 1 <= width["min"] <= width["max"] <= MAX_WIDTH:
        return f"width {width['min']}-{width['max']} is not inside 1-{MAX_WIDTH}"
    config = data.get("config", {})
    if not isinstance(config, dict):
        return "config must be an object"
    for key in ("latent", "margin", "window", "rows", "n_tiles"):
        if key in config and not (type(config[key]) is int and 0 <= config[key] <= 4096):
            return f"config.{key} must be an integer in [0, 4096]"
    return None


def _card_problem(data: Any) -> str | None:
    """The first thing wrong with a card's structure, or None: checked once, so later code may index it freely."""
    if not isinstance(data, dict):
        return "is not a JSON object"
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        return f"lacks {', '.join(missing)}"
    for key in ("name", "kind", "generator", "vocabulary"):
        if not isinstance(data[key], str):
            return f"{key} must be a string"
    for key in ("name", "vocabulary"):
        if not _PLAIN_NAME.match(data[key]):
            return f"{key} {data[key]!r} must be a plain name (letters, digits, . _ -)"
    onnx = data["onnx"]
    if not isinstance(onnx, dict) or not isinstance(onnx.get("file"), str) or not isinstance(onnx.get("sha256"), str):
        return "onnx must hold a file name and a sha256"
    if not _SHA256.match(onnx["sha256"]):
        return "onnx.sha256 must be 64 lower-case hex digits"
    extra = onnx.get("external_data", {})
    if not isinstance(extra, dict) or not all(isinstance(k, str) and isinstance(v, str) and _SHA256.match(v) for k, v in extra.items()):
        return "onnx.external_data must map file names to sha256 digests"
    return _shape_problem("inputs", data["inputs"]) or _shape_problem("outputs", data["outputs"]) or _limits_problem(data) or _graphs_problem(data)


def _graphs_problem(data: dict[str, Any]) -> str | None:
    """A model of several graphs (a VAE's encoder beside its decoder) lists the others under ``graphs``.

    Each entry is checked like the main graph: a plain name, its own ONNX file
    and sha256, inputs and outputs.
    """
    graphs = data.get("graphs", {})
    if not isinstance(graphs, dict):
        return "graphs must map graph names to their onnx, inputs and outputs"
    for name, spec in graphs.items():
        if not _PLAIN_NAME.match(name) or not isinstance(spec, dict):
            return f"graphs: {name!r} must be a plain name mapping to an object"
        problem = _card_problem({"name": f"{data['name']}.{name}", "kind": data["kind"], "generator": data["generator"], "vocabulary": data["vocabulary"],
            **spec})
        if problem:
            return f"graphs.{name} {problem}"
    return None


def _read_card(path: Path) -> Any:
    if path.exists() and not path.is_file():  # a FIFO would block the open below
        raise ModelError(f"model card {path} is not a regular file")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CARD_BYTES + 1)
    except FileNotFoundError:
        raise UnknownModel(f"no model card at {path}") from None
    except OSError as exc:
        raise ModelError(f"model card {path} is not readable: {exc.strerror or exc}") from None
    if len(raw) > MAX_CARD_BYTES:
        raise ModelError(f"model card {path} is larger than {MAX_CARD_BYTES >> 10} KiB; a card holds metadata only")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelError(f"model card {path} is not readable JSON: {str(exc)[:200]}") from None


def _escapes(location: str) -> bool:
    """An absolute path, a drive, or a ``..`` step, on POSIX or Windows spelling."""
    spelled = location.replace("\\", "/")
    windows = PureWindowsPath(location)
    return not location or "\x00" in location or spelled.startswith("/") or bool(windows.drive or windows.root) or ".." in spelled.split("/")


@dataclass(frozen=True)
class ModelCard:
    data: dict[str, Any]
    folder: Path

    @classmethod
    def from_file(cls, path: Path) -> ModelCard:
        data = _read_card(Path(path))
        problem = _card_problem(data)
        if problem:
            raise ModelError(f"model card {path} {problem}" if problem.startswith(("lacks", "is ")) else f"model card {path}: {problem}")
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

    @property
    def graph_names(self) -> list[str]:
        """The names of the card's further graphs (``graphs``), besides its main one."""
        return sorted(self.data.get("graphs", {}))

    def graph(self, name: str) -> ModelCard:
        """A further graph as a card of its own (same folder, same checks), named ``<model>.<graph>``."""
        spec = self.data.get("graphs", {}).get(name)
        if spec is None:
            raise ModelError(f"model {self.name} has no graph {name!r}; it has {', '.join(self.graph_names) or 'only its main graph'}")
        return ModelCard({**self.data, **spec, "name": f"{self.name}.{name}", "graphs": {}}, self.folder)

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

    def _inside(self, location: str, what: str) -> Path:
        """``location`` resolved inside the card's folder; a path or link leading out is refused."""
        folder = self.folder.resolve()
        target = (folder / location).resolve() if not _escapes(location) else None
        if target is None or not target.is_relative_to(folder):
            raise ModelIntegrityError(
                f"model {self.name}: {what} {location!r} points outside the model folder {folder}; "
                "a model may only read files inside its own folder"
            )
        return target

    def _sized(self, path: Path, what: str, budget: int) -> int:
        """The size of a regular file, refused above ``budget`` bytes before anything reads it."""
        if not path.is_file():
            raise ModelError(f"model {self.name}: {what} {path} is missing; reinstall gamegen or retrain with gamegen train {self.name}")
        size = path.stat().st_size
        if size > budget:
            raise ModelIntegrityError(
                f"model {self.name}: {what} {path.name} takes the model past {MAX_MODEL_BYTES >> 20} MiB; gamegen refuses larger models"
            )
        return size

    def check_file(self) -> None:
        """The ONNX file is inside the folder, within the size cap, has the card's sha256 and reads nothing outside the folder."""
        path = self._inside(self.data["onnx"]["file"], "ONNX file")
        size = self._sized(path, "ONNX file", MAX_MODEL_BYTES)
        actual = sha256_file(path)
        if actual != self.sha256:
            raise ModelIntegrityError(
                f"model {self.name}: {path.name} has sha256 {actual[:12]}…, its card says {self.sha256[:12]}…; "
                "the file is corrupt or not the one the card describes"
            )
        self._check_external_data(path, MAX_MODEL_BYTES - size)

    def _check_external_data(self, path: Path, budget: int) -> None:
        listed: dict[str, str] = self.data["onnx"].get("external_data", {})
        for location in sorted({ref.location for ref in _scan(path, self.name)}):
            target = self._inside(location, "external data")
            if location not in listed:
                raise ModelIntegrityError(
                    f"model {self.name}: the graph reads external data {location!r}, which its card does not list with a sha256 under onnx.external_data"
                )
            budget -= self._sized(target, "external data", budget)
            if sha256_file(target) != listed[location]:
                raise ModelIntegrityError(f"model {self.name}: external data {location} does not have the sha256 its card lists")


def _scan(path: Path, name: str):
    """The external-data references of an ONNX file, read through a read-only map (no copy of a large file)."""
    if path.stat().st_size == 0:
        return []  # nothing to map; ONNX Runtime refuses an empty graph with its own message
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return external_data_refs(mapped)
    except OnnxScanError as exc:
        raise ModelIntegrityError(f"model {name}: {path.name} is not a well-formed ONNX protobuf ({exc}); ONNX Runtime cannot load it") from None


def shipped_models_dir() -> Path:
    return Path(str(resources.files("gamegen.models")))


def list_models() -> list[ModelCard]:
    """Cards of every shipped model, by name."""
    return [ModelCard.from_file(p) for p in sorted(shipped_models_dir().glob("*.json"))]


def find_card(name_or_path: str | Path) -> ModelCard:
    """A shipped model by name, or a user's model: a card, an ONNX file beside its card, or a folder holding one card."""
    if not isinstance(name_or_path, (str, os.PathLike)) or not str(name_or_path).strip() or "\x00" in str(name_or_path):
        raise InvalidRequest(f"a model is a shipped model's name or a model folder's path, got {name_or_path!r}")
    shipped = shipped_models_dir() / f"{name_or_path}.json"
    if isinstance(name_or_path, str) and _PLAIN_NAME.match(name_or_path) and shipped.is_file():
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
