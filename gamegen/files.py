"""Atomic file writes and the sha256 every manifest records.

Every write goes to a temporary file in the destination's own folder and is
moved into place with ``os.replace``, which is atomic on POSIX and Windows: a
crash or a kill leaves either the old file or the new one, never a part.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .errors import ExportError

__all__ = ["atomic_write_bytes", "atomic_write_text", "sha256_bytes", "sha256_file", "ensure_writable_dir"]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file path")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write in {path.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {path}: {exc.strerror}") from None
        raise
    return path


def atomic_write_text(path: Path | str, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def ensure_writable_dir(folder: Path | str) -> Path:
    """Create ``folder`` if needed and prove it writable before any work starts."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"--out {folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {exc.strerror or exc}; choose a writable --out") from None
    return folder
