"""``manifest.jsonl``: one JSON line per file of an output folder, kept true while a batch runs.

Why it is written twice:

* while a batch runs, each item's lines are *appended* (and fsync'ed) right
  after the item's files are in place, so a batch killed at any moment leaves
  a manifest that lists exactly the files that are complete; a re-run reads
  it to skip them (``gamegen.output.batch``);
* when the batch ends, the manifest is *rewritten* atomically: one line per
  path (the last one appended wins), sorted by path, keys sorted. Its bytes
  depend only on what the folder holds, so a run that was killed and resumed
  ends with the manifest of a run that never stopped.

Before a file that is already there is replaced by different bytes, a line
``{"path": ..., "rewriting": true}`` is appended: from then until the file's
new line follows, the manifest claims nothing about that path, so it never
lists a sha256 the file does not have. A line torn by a kill mid-append (no
final newline) is ignored when read and cut off before the next append. Every read-modify-write holds an exclusive
``flock`` on the output folder itself (no lock file is left in the folder), so
two processes writing batches into one folder keep each other's lines. Where
``fcntl`` is missing (Windows) there is no lock: give each process its own folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from gamegen.errors import DataError, ExportError
from gamegen.files import atomic_write_text

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no advisory locks on Windows

__all__ = ["MANIFEST", "read_manifest", "read_manifest_lines", "manifest_lock", "append_entries", "rewrite_manifest", "entry_line", "REWRITING"]

MANIFEST = "manifest.jsonl"
REWRITING = "rewriting"  # the key of a line that withdraws a path's entry while its file is replaced
_TAIL = 1 << 20  # a torn line is one entry: far shorter than this


def entry_line(entry: dict) -> str:
    """The one spelling of an entry, used for appends and the final rewrite alike."""
    return json.dumps(entry, sort_keys=True) + "\n"


def _parse(text: str, path: Path) -> list[dict]:
    lines = text.split("\n")
    if lines[-1]:  # no final newline: the last append was torn by a kill; its item is simply not complete
        lines.pop()
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise DataError(f"{path} line {number} is not a manifest entry; remove the line (its files will be written again) or the manifest")
        entries.append(entry)
    return entries


def read_manifest(folder: Path | str) -> list[dict]:
    """The entries in force in ``folder``'s manifest: the last line of each path, unless it withdraws the path."""
    latest = {entry["path"]: entry for entry in read_manifest_lines(folder)}
    return [entry for entry in latest.values() if not entry.get(REWRITING)]


def read_manifest_lines(folder: Path | str) -> list[dict]:
    """Every whole line of ``folder``'s manifest, in file order."""
    path = Path(folder) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return _parse(text, path)


@contextlib.contextmanager
def manifest_lock(folder: Path | str) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the folder's own descriptor) for a read-modify-write."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _whole_lines(fd: int) -> int:
    """Cut a torn last line off the open manifest → its size, which now ends in a newline (or is 0)."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    start = max(0, size - _TAIL)
    tail = os.pread(fd, size - start, start)
    keep = start + tail.rfind(b"\n") + 1 if b"\n" in tail else 0
    os.ftruncate(fd, keep)
    return keep


def _write_fully(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def append_entries(folder: Path, entries: Iterable[dict]) -> None:
    """Append entries durably; on any failure (a full disk) the manifest is cut back to whole lines."""
    data = "".join(entry_line(e) for e in entries).encode("utf-8")
    if not data:
        return
    path = Path(folder) / MANIFEST
    try:
        with manifest_lock(folder):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                size = _whole_lines(fd)
                try:
                    _write_fully(fd, data)
                    os.fsync(fd)
                except BaseException:
                    os.ftruncate(fd, size)
                    raise
            finally:
                os.close(fd)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def rewrite_manifest(folder: Path) -> Path:
    """Rewrite the manifest atomically: one line per path, the last appended, sorted by path."""
    try:
        with manifest_lock(folder):
            for stale in Path(folder).glob(f".{MANIFEST}.*.tmp"):  # left by a rewrite killed between link and rename;
                stale.unlink(missing_ok=True)  # only a holder of the lock rewrites the manifest, so none is in flight
            merged = {entry["path"]: entry for entry in read_manifest(folder)}  # withdrawn paths are dropped
            return atomic_write_text(Path(folder) / MANIFEST, "".join(entry_line(merged[p]) for p in sorted(merged)))
    except ExportError:
        raise
    except OSError as exc:
        raise ExportError(f"cannot write {Path(folder) / MANIFEST}: {exc.strerror or exc}") from None
