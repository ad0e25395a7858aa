"""Files for generated names: the ``txt`` and ``json`` formats and the folder writer.

Names are not tile maps, so the map exporters do not apply. One call's names go
to ``<model>-<seed>-<kind>.<ext>`` per format, written atomically through
``gamegen.output.batch.FolderWriter``, which also merges their lines into the folder's
``manifest.jsonl`` (path, format, sha256, provenance)::

    txt    one name per line, UTF-8, each line ending in a newline
    json   {"format": "gamegen-names", "version": 1, "kind": ..., "names": [...], "provenance": {...}}
"""

from __future__ import annotations

import json
from pathlib import Path

from gamegen.errors import InvalidRequest
from gamegen.names.generator import NameList

__all__ = ["NamesText", "NamesJson", "NAME_FORMATS", "parse_name_formats", "write_names"]


class NamesText:
    name = "txt"
    extension = "txt"
    description = "one name per line"

    def export(self, content: NameList) -> bytes:
        return "".join(name + "\n" for name in content.names).encode("utf-8")


class NamesJson:
    name = "json"
    extension = "json"
    description = "the names with their kind and provenance"

    def export(self, content: NameList) -> bytes:
        doc = {"format": "gamegen-names", "version": 1, "kind": content.kind, "names": content.names, "provenance": content.provenance}
        return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


NAME_FORMATS = {cls.name: cls for cls in (NamesText, NamesJson)}


def parse_name_formats(spec: str) -> list:
    """``"txt,json"`` → writers, in order; a map format (png, tmx, ...) is refused with the names formats listed."""
    names = [part.strip() for part in str(spec).split(",") if part.strip()]
    unknown = [n for n in names if n not in NAME_FORMATS]
    if unknown or not names:
        raise InvalidRequest(f"format {', '.join(unknown) or spec!r} does not apply to names; names formats: {', '.join(NAME_FORMATS)}")
    return [NAME_FORMATS[n]() for n in dict.fromkeys(names)]


def write_names(content: NameList, formats: list, out_dir: Path) -> list[dict]:
    """Write ``content`` in every format into ``out_dir`` and merge the manifest → its manifest entries."""
    from gamegen.output.batch import FolderWriter

    writer = FolderWriter(out_dir, formats)
    provenance = content.provenance
    writer.write(content, f"{provenance['model']}-{provenance['seed']}-{content.kind}")
    writer.finish()
    return writer.entries
