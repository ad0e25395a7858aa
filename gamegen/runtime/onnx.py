"""ONNX Runtime sessions: providers, threads, reuse.

One ``OnnxModel`` per loaded model holds one InferenceSession, created on first
use under a lock and reused; ``InferenceSession.run`` is safe to call from
several threads at once. Providers are an explicit ordered list ending in CPU:
CUDA first where it is available, overridable by argument or by the
``GAMEGEN_PROVIDERS`` environment variable (comma-separated, e.g.
``CPUExecutionProvider``). ONNX Runtime is imported here and only when a model
is first run, so ``import gamegen`` stays light.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gamegen.errors import InvalidRequest, ModelError, RuntimeMissing

__all__ = ["PREFERRED_PROVIDERS", "import_onnxruntime", "choose_providers", "OnnxModel"]

PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")
INSTALL_HINT = "ONNX Runtime is not installed: pip install 'gamegen[cpu]' (or 'gamegen[gpu]' for CUDA)"


def import_onnxruntime():
    try:
        import onnxruntime
    except ImportError:
        raise RuntimeMissing(INSTALL_HINT) from None
    return onnxruntime


def choose_providers(requested: Sequence[str] | str | None = None, available: Sequence[str] | None = None) -> list[str]:
    """The providers to use, in order: ``requested``, else ``$GAMEGEN_PROVIDERS``, else CUDA → CPU among those available."""
    if available is None:
        available = import_onnxruntime().get_available_providers()
    if requested is None:
        requested = os.environ.get("GAMEGEN_PROVIDERS") or None
    if isinstance(requested, str):
        requested = [p.strip() for p in requested.split(",") if p.strip()]
    if requested:
        missing = [p for p in requested if p not in available]
        if missing:
            raise InvalidRequest(f"provider {', '.join(missing)} is not available here; available: {', '.join(available)}")
        return list(requested)
    return [p for p in PREFERRED_PROVIDERS if p in available]


class OnnxModel:
    """A lazily created, shared InferenceSession for one ONNX file."""

    def __init__(self, path: Path, providers: Sequence[str] | str | None = None, threads: int | None = None):
        self.path = Path(path)
        self._requested = providers
        self._threads = threads
        self._session = None
        self._lock = threading.Lock()

    @property
    def session(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = self._create()
        return self._session

    def _create(self):
        ort = import_onnxruntime()
        options = ort.SessionOptions()
        if self._threads:
            options.intra_op_num_threads = self._threads
        try:
            return ort.InferenceSession(str(self.path), sess_options=options, providers=choose_providers(self._requested))
        except InvalidRequest:
            raise
        except Exception as exc:  # onnxruntime raises its own untyped errors for unreadable graphs
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"ONNX Runtime cannot load {self.path.name}: {first_line[:200]}") from None

    @property
    def providers(self) -> list[str]:
        return list(self.session.get_providers())

    def signature(self) -> dict[str, list[dict[str, Any]]]:
        """Input and output names, shapes (symbolic dims as strings) and types, as the graph declares them."""

        def describe(args):
            return [{"name": a.name, "shape": list(a.shape), "type": a.type} for a in args]

        return {"inputs": describe(self.session.get_inputs()), "outputs": describe(self.session.get_outputs())}

    def run(self, **feeds: np.ndarray) -> list[np.ndarray]:
        return self.session.run(None, feeds)
