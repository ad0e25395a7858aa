"""Atomic file writes and the sha256 every manifest records.

Every write goes to a temporary file in the destination's own folder and is
moved into place with ``os.replace``, which is atomic on POSIX and Windows: a
crash or a kill leaves either the old file or the new one, never a part.
On Linux the temporary file is unnamed (``O_TMPFILE``) while it is written, so
a kill mid-write does not even leave a temporary file behind: a new file is
linked straight to its name, and only a file that replaces another one gets a
temporary name for the instant between the link and the rename. Elsewhere a
named ``.<name>.*.tmp`` is used and removed on any error Python sees.

A write that fails for lack of space (``ENOSPC``) or on a read-only file
system raises ExportError and leaves the old file, or nothing, in place.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import tempfile
from pathlib import Path

from gamegen.errors import ExportError

__all__ = ["atomic_write_bytes", "atomic_write_text", "sha256_bytes", "sha256_file", "ensure_writable_dir"]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_all(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb", closefd=False) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.fchmod(fd, 0o644)


def _publish_unnamed(path: Path, data: bytes) -> bool:
    """Write through an unnamed file (Linux ``O_TMPFILE``) and link it to its name; if a file is there already,
    link it under a temporary name and rename that into place.

    Until the link the file has no name, so a kill mid-write leaves nothing in
    the folder at all. False where the platform or filesystem cannot do it.
    """
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        fd = os.open(path.parent, flag | os.O_WRONLY, 0o600)
    except OSError:
        return False  # the named fallback reports a real problem (no folder, no permission) properly
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        _write_all(fd, data)
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            # A dir fd makes CPython call linkat(AT_SYMLINK_FOLLOW), which follows the /proc link to the
            # unnamed inode; plain link() would try to link the /proc symlink itself (EXDEV).
            try:
                os.link(f"/proc/self/fd/{fd}", path.name, dst_dir_fd=folder, follow_symlinks=True)
                return True  # a new file: in place, atomically, never under another name
            except FileExistsError:
                os.link(f"/proc/self/fd/{fd}", tmp.name, dst_dir_fd=folder, follow_symlinks=True)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            return False  # no /proc: write again the named way
        finally:
            os.close(folder)
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def _publish_named(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that a reader, a crash or a kill sees the old file or the new one, never a part."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file path")
    try:
        if not _publish_unnamed(path, data):
            _publish_named(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
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
