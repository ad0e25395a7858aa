"""Writing a SpriteSet into a folder: the sheet formats once per call, single PNGs once per sprite, one manifest.

Files are written atomically through ``gamegen.output.batch.FolderWriter``, which
merges their lines (path, format, sha256, provenance) into the folder's
``manifest.jsonl``; a single sprite's provenance adds its ``index`` in the set.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_sprites"]


def write_sprites(content, sheet_exporters: list, sprite_exporters: list, out_dir: Path) -> list[dict]:
    """``content`` (a SpriteSet) → ``<stem>.png/.json/.tsx`` and ``<stem>-NNN.png`` in ``out_dir`` → the manifest entries."""
    from gamegen.output.batch import FolderWriter

    entries: list[dict] = []
    writers = []
    if sheet_exporters:
        writer = FolderWriter(out_dir, sheet_exporters)
        writer.write(content, content.stem)
        writers.append(writer)
    if sprite_exporters:
        writer = FolderWriter(out_dir, sprite_exporters)
        for name, sprite in zip(content.frame_names, content.sprites()):
            writer.write(sprite, name)
        writers.append(writer)
    for writer in writers:
        entries.extend(writer.entries)
    if writers:
        writers[-1].finish()
    return entries
