"""Reading untrusted map files: every bound is checked before the parser allocates.

A build pipeline hands gamegen files it did not make. A parser's memory grows
with what the file declares or holds, not with what gamegen needs, so before
parsing:

* the path must name a regular file (a FIFO or ``/dev/zero`` would block or
  never end) of at most MAX_MAP_FILE_BYTES;
* the markup is counted with ``bytes.count``: XML elements, JSON objects and
  arrays, JSON strings; each parsed one costs ~100 bytes, so these caps bound
  the parse to a few hundred MB whatever the file holds;
* declared dimensions (``width=10**9``) are compared with the map limits of
  ``gamegen.tiles`` before any layer is decoded, and compressed layer data is
  inflated with a ceiling of exactly the declared number of gids (no zlib bomb).

The largest legitimate map (a 4096×4096 overworld, 16,777,216 tiles) is about
34 MB as CSV TMX, over MAX_MAP_FILE_BYTES; such maps are read back from
``tmx:zlib`` (1.1 MB). Every map of the other generators is a
few MB at most.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gamegen.errors import DataError
from gamegen.tiles import MAX_MAP_CELLS, MAX_MAP_SIDE

__all__ = ["MAX_MAP_FILE_BYTES", "MAX_MARKUP_ITEMS", "MAX_JSON_STRINGS", "read_limited", "check_markup", "check_dimensions"]

MAX_MAP_FILE_BYTES = 32 << 20
MAX_MARKUP_ITEMS = 500_000  # XML elements, or JSON objects + arrays (a 4,096-tile tileset needs ~60,000)
MAX_JSON_STRINGS = 1_000_000


def read_limited(path: Path | str) -> bytes:
    """The bytes of a regular file of at most MAX_MAP_FILE_BYTES; anything else is a one-line DataError."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise DataError(f"{path} is not a regular file" + (" but a folder; give a map file" if stat.S_ISDIR(mode) else ""))
        with open(path, "rb") as fh:  # read(n) reserves n bytes first: ask for what the file holds, one more to see growth
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(min(size, MAX_MAP_FILE_BYTES) + 1)
            if len(data) > size:  # it grew (or reports no size): read on, up to the cap
                data += fh.read(MAX_MAP_FILE_BYTES + 1 - len(data))
    except FileNotFoundError:
        raise DataError(f"no such file: {path}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise DataError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if len(data) > MAX_MAP_FILE_BYTES:
        raise DataError(f"{path} is larger than {MAX_MAP_FILE_BYTES >> 20} MiB; gamegen reads maps of up to {MAX_MAP_CELLS:,} tiles")
    return data


def check_markup(data: bytes, path: Path | str, kind: str) -> None:
    """Refuse a file whose element, container or string count alone would make the parse huge."""
    if kind == "xml":
        counts = {"XML elements": (data.count(b"<"), MAX_MARKUP_ITEMS)}
    else:
        counts = {
            "JSON objects and arrays": (data.count(b"{") + data.count(b"["), MAX_MARKUP_ITEMS),
            "JSON strings": (data.count(b'"') // 2, MAX_JSON_STRINGS),
        }
    for what, (count, limit) in counts.items():
        if count > limit:
            raise DataError(f"{path} holds more than {limit:,} {what}; no map gamegen reads needs that many")


def check_dimensions(width: int, height: int, where: str) -> None:
    """Declared map dimensions inside the limits, checked before a layer is decoded."""
    if not (1 <= width <= MAX_MAP_SIDE and 1 <= height <= MAX_MAP_SIDE) or width * height > MAX_MAP_CELLS:
        raise DataError(
            f"{where}: the map declares {width}x{height} tiles; gamegen reads maps of 1 to {MAX_MAP_SIDE:,} a side and at most {MAX_MAP_CELLS:,} tiles"
        )
