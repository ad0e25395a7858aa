"""Writing a SpriteSet into a folder: the sheet formats once per call, single PNGs once per sprite, one manifest.

Files are written atomically through ``gamegen.output.batch.FolderWriter``, which
merges their lines (path, format, sha256, provenance) into the folder's
``manifest.jsonl``; a single sprite's provenance adds its ``index`` in the set.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_sprites"]


def write_sprites(content, exporters: list, out_dir: Path) -> list[dict]:
    """``content`` (a SpriteSet) → ``<stem>.png/.json/.tsx`` and ``<stem>-NNN.png`` in ``out_dir`` → the manifest entries.

    ``exporters`` come from ``gamegen.exporters.parse_formats(spec, "sprites")``; those marked ``per_sprite``
    write each sprite, the others the whole set.
    """
    from gamegen.output.batch import FolderWriter

    sheet_exporters = [e for e in exporters if not getattr(e, "per_sprite", False)]
    sprite_exporters = [e for e in exporters if getattr(e, "per_sprite", False)]
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
