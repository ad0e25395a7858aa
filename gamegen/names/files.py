"""Writing a NameList into a folder: one file per format, ``<model>-<seed>-<kind>.<ext>``, one manifest.

Files are written atomically through ``gamegen.output.batch.FolderWriter``, which
also merges their lines into the folder's ``manifest.jsonl`` (path, format,
sha256, provenance). The formats are ``gamegen.exporters.names``'s, found with
``gamegen.exporters.parse_formats(spec, "names")``.
"""

from __future__ import annotations

from pathlib import Path

from gamegen.names.generator import NameList

__all__ = ["write_names"]


def write_names(content: NameList, formats: list, out_dir: Path) -> list[dict]:
    """Write ``content`` in every format into ``out_dir`` and merge the manifest → its manifest entries."""
    from gamegen.output.batch import FolderWriter

    writer = FolderWriter(out_dir, formats)
    provenance = content.provenance
    writer.write(content, f"{provenance['model']}-{provenance['seed']}-{content.kind}")
    writer.finish()
    return writer.entries
