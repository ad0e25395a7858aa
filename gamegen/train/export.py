"""ONNX export of a trained generator, and the model card written beside it.

The model's config travels with the weights twice: in the card and in the
ONNX file's metadata (``gamegen.config``), so a model can always be rebuilt.
"""

from __future__ import annotations

import io
import json
import platform
import subprocess
import warnings
from pathlib import Path

import onnx
import torch

from gamegen.files import atomic_write_bytes, atomic_write_text, sha256_bytes

OPSET = 18


def export_onnx(module: torch.nn.Module, example: torch.Tensor, dynamic_shapes: dict, input_name: str, output_name: str, metadata: dict) -> bytes:
    """Trace ``module`` on ``example`` with the torch.export-based exporter → ONNX bytes."""
    return export_graph(module, (example,), (dynamic_shapes,), [input_name], [output_name], metadata)


def export_graph(module: torch.nn.Module, examples: tuple, dynamic_shapes: tuple, input_names: list[str], output_names: list[str], metadata: dict) -> bytes:
    """``export_onnx`` for a module of several inputs and outputs (one dynamic-shape dict per input)."""
    module = module.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            module,
            examples,
            input_names=list(input_names),
            output_names=list(output_names),
            opset_version=OPSET,
            dynamo=True,
            dynamic_shapes=dynamic_shapes,
            verbose=False,
        )
    if program is None:
        raise RuntimeError("torch.onnx.export returned no program")  # only with dynamo=False, which this export never uses
    model = program.model_proto
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    buffer = io.BytesIO()
    onnx.save_model(model, buffer)
    return buffer.getvalue()


def git_commit(folder: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def training_run(name: str, data: str, seed: int, iterations: int, config: dict, duration_s: float, threads: int, cpu_note: str = "") -> dict:
    """The provenance every model card's ``training`` shares: how to rerun it, with what, on what."""
    return {
        "commit": git_commit(Path(__file__).resolve().parent),
        "command": f"gamegen train {name} --data {data} --seed {seed} --iterations {iterations}",
        "seed": seed,
        "config": config,
        "duration_s": duration_s,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {threads} torch thread{'s' if threads != 1 else ''}, CPU{cpu_note}",
    }


def write_model(out_dir: Path, name: str, onnx_bytes: bytes, card: dict, graphs: dict[str, tuple[bytes, dict]] | None = None) -> tuple[Path, Path]:
    """Write ``name.onnx`` and its card ``name.json`` (sha256, size, opset filled in here).

    ``graphs`` holds a model's further graphs (a VAE's encoder): graph name →
    (ONNX bytes, {"inputs": …, "outputs": …}); each is written as
    ``name-<graph>.onnx`` and listed under the card's ``graphs``. They are
    written before the card, so a card never names a file that is not there.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    card = dict(card)
    card["onnx"] = _onnx_entry(f"{name}.onnx", onnx_bytes)
    if graphs:
        card["graphs"] = {}
        for graph, (graph_bytes, spec) in sorted(graphs.items()):
            file = f"{name}-{graph}.onnx"
            atomic_write_bytes(out_dir / file, graph_bytes)
            card["graphs"][graph] = {**spec, "onnx": _onnx_entry(file, graph_bytes)}
    onnx_path = atomic_write_bytes(out_dir / f"{name}.onnx", onnx_bytes)
    card_path = atomic_write_text(out_dir / f"{name}.json", json.dumps(card, indent=2) + "\n")
    return onnx_path, card_path


def _onnx_entry(file: str, onnx_bytes: bytes) -> dict:
    return {"file": file, "sha256": sha256_bytes(onnx_bytes), "bytes": len(onnx_bytes), "opset": OPSET}
