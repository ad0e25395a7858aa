"""The jobs the App hands to its worker thread: plain functions, no pygame.

Each returns what the App shows: a (source, Shown) pair for content, a status
line for the others. Errors are raised as they are; the worker hands them back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gamegen.viewer.sources import FileSource, Shown

__all__ = ["make_content", "open_and_make", "export_map", "write_screenshot"]

MAX_SCREENSHOTS = 10_000


def make_content(source, seed: int | None) -> tuple[object, Shown]:
    return source, source.make(seed)


def open_and_make(path: Path) -> tuple[FileSource, Shown]:
    """Read a map file chosen while the viewer runs (a dropped file)."""
    source = FileSource.open(path)
    return source, source.make()


def export_map(level, stem: str, exporters, folder: Path) -> str:
    """``level`` as ``<stem>.<ext>`` in every format (companions and manifest as `gamegen export` writes them)."""
    from gamegen.output.batch import export_to_folder

    entries = export_to_folder([(stem, level)], exporters, folder)
    names = [entry["path"] for entry in entries if "provenance" in entry]
    return f"exported {', '.join(names)} to {folder}/"


def write_screenshot(pixels: np.ndarray, folder: Path, stem: str) -> str:
    """The frame as ``<stem>-view-<n>.png`` in ``folder``, the first n not taken; written atomically."""
    from gamegen.exporters.preview import png_bytes
    from gamegen.files import atomic_write_bytes, ensure_writable_dir

    folder = ensure_writable_dir(folder)
    for n in range(1, MAX_SCREENSHOTS):
        target = folder / f"{stem}-view-{n}.png"
        if not target.exists():
            atomic_write_bytes(target, png_bytes(pixels))
            return f"screenshot saved: {target}"
    raise FileExistsError(f"{folder} already holds {MAX_SCREENSHOTS - 1} screenshots of {stem}; clear some out")
