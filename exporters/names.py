"""The names formats: ``txt`` (one name per line, UTF-8, each ending in a newline) and ``json``.

    json   {"format": "gamegen-names", "version": 1, "kind": ..., "names": [...], "provenance": {...}}

Names are not tile maps: ``gamegen.exporters.parse_formats(spec, "names")`` offers these two.
"""

from __future__ import annotations

import json

from gamegen.names.generator import NameList

__all__ = ["NamesText", "NamesJson", "NAMES_FORMATS"]


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


NAMES_FORMATS = (NamesText, NamesJson)
