"""The Ray worker of ``gamegen.ray.driver``: a plain class (importable without Ray) that Ray runs as an actor.

It loads the generator once and writes the items of the seeds the driver
hands it with the local writers, returning their manifest lines instead of
appending them: the driver alone writes the manifest.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from pathlib import Path

from gamegen import __version__
from gamegen.errors import ExportError, GamegenError, InvalidRequest
from gamegen.output.batch import FolderWriter

__all__ = ["GenerationWorker", "ReturningWriter", "PROBE"]

PROBE = ".gamegen-probe-"  # probe files of the shared-folder check, removed once the workers have answered


class ReturningWriter(FolderWriter):
    """A FolderWriter whose item lines go back to the driver instead of into the manifest."""

    def _record(self, entries: list[dict]) -> None:
        pass  # the driver appends them; withdrawals of replaced files are still appended here, before the write


class GenerationWorker:
    """One Ray actor: loads the generator once, then writes the items of the seeds the driver hands it."""

    def setup(self, model, providers, exporters, out_dir: str, options, batch_size: int, probe: str) -> dict:
        """Check the shared folder, load the model and check the arguments → facts for the driver, or an error."""
        host = socket.gethostname()
        try:
            reply = _answer_probe(Path(out_dir), probe, host)  # first: a folder that is not shared is never created here
            from gamegen.api import load

            self.generator = load(model, providers=providers, threads=1)  # one CPU per actor
            options = self.generator.options(options)  # this model's limits: refused before any item
            self.writer = ReturningWriter(Path(out_dir), exporters)
        except GamegenError as exc:
            return {"error": type(exc).__name__, "message": str(exc), "host": host}
        self.batch_size, self.options = batch_size, options
        self.cpu_s = 0.0
        return {"host": host, "pid": os.getpid(), "sha256": self.generator.descriptor.model_sha256, "version": __version__, "reply": reply,
                "providers": list(getattr(getattr(self.generator, "model", None), "providers", []) or [])}

    def generate(self, seeds: list[int]) -> list[dict]:
        """Generate and write ``seeds`` → the manifest entries of their files (companions the first time)."""
        started, entries = time.process_time(), []
        for item in self.generator.generate_batch(seeds, self.options, batch_size=self.batch_size):
            entries += self.writer.write(item, f"{self.generator.name}-{item.provenance['seed']}")
        self.writer.entries.clear()  # the driver keeps them; a long batch must not grow here
        self.cpu_s += time.process_time() - started
        return entries

    def cpu_seconds(self) -> float:
        """CPU time (all threads of this process) spent in ``generate``."""
        return self.cpu_s

    def contact_sheet(self, seeds: list[int]) -> list[dict]:
        """The contact sheet of ``seeds`` (made again in memory: same seeds, same levels) → its entry."""
        items = self.generator.generate_batch(seeds, self.options, batch_size=self.batch_size)
        return [self.writer.write_contact_sheet(items)]


def _answer_probe(out_dir: Path, token: str, host: str) -> str:
    """Read the driver's probe in ``out_dir`` and write this worker's own → its name."""
    try:
        seen = (out_dir / f"{PROBE}{token}").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        seen = None
    if seen != token:
        raise InvalidRequest(f"the output folder {out_dir} is not shared with the Ray worker on {host}: put --out on a file system every node mounts")
    name = f"{PROBE}{token}-{secrets.token_hex(4)}"
    try:
        (out_dir / name).write_text(host, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"the Ray worker on {host} cannot write in {out_dir}: {exc.strerror or exc}") from None
    return name
