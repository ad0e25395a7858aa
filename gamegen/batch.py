"""Seeds → items → exporters → files, and the manifest that lists them.

Item files are named ``<stem>.<ext>`` (``<model>-<seed>`` for generated
items) and written atomically. Some formats refer to files shared by the
whole folder (a TMX map to ``platformer.tsx`` and ``platformer-tileset.png``):
those companions are written once per folder, before the first map that
needs them, and rewritten only when their bytes change.

Every file of an item is made in memory and every destination checked before
the first byte is written, so a bad item or a folder where a file should go
leaves nothing behind.

The manifest, ``manifest.jsonl`` in the output folder, holds one JSON line per
file: its path (relative to the folder), format, sha256, and the item's
provenance (companions and the contact sheet carry a ``role`` instead). It is
merged with the manifest already there (same path → the new line) and
rewritten atomically once the batch is done.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from tqdm import tqdm

from .errors import ExportError
from .files import atomic_write_bytes, atomic_write_text, ensure_writable_dir, sha256_bytes, sha256_file

__all__ = ["MANIFEST", "CONTACT_SHEET", "FolderWriter", "generate_to_folder", "export_to_folder", "read_manifest"]

MANIFEST = "manifest.jsonl"
CONTACT_SHEET = "contact-sheet.png"
SHEET_ITEMS = 16  # the contact sheet shows the first items of a batch ...
SHEET_COLUMNS = 320  # ... each cut to its first columns, so the sheet stays a few MB whatever the width


def read_manifest(folder: Path) -> list[dict]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_manifest(folder: Path, entries: Iterable[dict]) -> Path:
    merged = {entry["path"]: entry for entry in read_manifest(folder)}
    merged.update({entry["path"]: entry for entry in entries})
    lines = [json.dumps(merged[path], sort_keys=True) for path in sorted(merged)]
    return atomic_write_text(folder / MANIFEST, "".join(line + "\n" for line in lines))


class FolderWriter:
    """Writes items in several formats into one folder, companions once, and keeps the manifest entries."""

    def __init__(self, out_dir: Path, exporters: Sequence):
        from .exporters import companions

        self._companions = companions
        self.out_dir = ensure_writable_dir(out_dir)
        self.exporters = list(exporters)
        self.entries: list[dict] = []
        self._shared: dict[str, str] = {}  # companion name → sha256, once written (or found) this run

    def _planned(self, item, stem: str) -> tuple[list[tuple[str, str, bytes]], dict[str, tuple[str, bytes]]]:
        """Every file of ``item`` in memory → ([(name, format, bytes)], {companion name: (format, bytes)})."""
        files = [(f"{stem}.{e.extension}", e.name, e.export(item)) for e in self.exporters]
        shared: dict[str, tuple[str, bytes]] = {}
        for exporter in self.exporters:
            for name, data in self._companions(exporter, item).items():
                known = self._shared.get(name) or (sha256_bytes(shared[name][1]) if name in shared else None)
                if known is not None and known != sha256_bytes(data):
                    raise ExportError(f"two formats need different files named {name} in {self.out_dir}; write them to separate folders")
                shared.setdefault(name, (exporter.name, data))
        names = [name for name, _, _ in files]
        clash = (set(names) & (set(shared) | set(self._shared))) or {n for n in names if names.count(n) > 1}
        if clash:
            raise ExportError(f"{sorted(clash)[0]} would be written twice in {self.out_dir}: rename the input or use separate --out folders")
        return files, shared

    def _check_destinations(self, names: Iterable[str]) -> None:
        for name in names:
            if (self.out_dir / name).is_dir():
                raise ExportError(f"{self.out_dir / name} is a folder where a file should go; remove it or choose another --out")

    def write(self, item, stem: str) -> list[dict]:
        """Write ``item`` as ``stem.<ext>`` in every format (companions first) → its manifest entries."""
        files, shared = self._planned(item, stem)
        new_shared = {n: v for n, v in shared.items() if n not in self._shared}
        self._check_destinations([name for name, _, _ in files] + list(new_shared))
        entries = []
        for name, (fmt, data) in new_shared.items():
            digest = sha256_bytes(data)
            target = self.out_dir / name
            if not (target.is_file() and sha256_file(target) == digest):
                atomic_write_bytes(target, data)
            self._shared[name] = digest
            entries.append({"path": name, "format": fmt, "sha256": digest, "role": "companion"})
        for name, fmt, data in files:
            atomic_write_bytes(self.out_dir / name, data)
            entries.append({"path": name, "format": fmt, "sha256": sha256_bytes(data), "provenance": item.provenance})
        self.entries.extend(entries)
        return entries

    def write_contact_sheet(self, items: Sequence, name: str = CONTACT_SHEET) -> dict:
        """One PNG of the first items (each cut to SHEET_COLUMNS), labelled by seed."""
        from .exporters.preview import contact_sheet, png_bytes
        from .tiles import TileMap

        shown = [TileMap(i.grid[:, :SHEET_COLUMNS], i.vocabulary, i.provenance) for i in items[:SHEET_ITEMS]]
        labels = [f"seed {i.provenance.get('seed', '?')}" for i in shown]
        self._check_destinations([name])
        data = png_bytes(contact_sheet(shown, labels))
        atomic_write_bytes(self.out_dir / name, data)
        entry = {"path": name, "format": "png", "sha256": sha256_bytes(data), "role": "contact-sheet", "seeds": [i.provenance.get("seed") for i in shown]}
        self.entries.append(entry)
        return entry

    def finish(self) -> Path:
        return _write_manifest(self.out_dir, self.entries)


def generate_to_folder(
    generator,
    seeds: Sequence[int],
    exporters: Sequence,
    out_dir: Path,
    width: int,
    batch_size: int = 32,
    progress: bool = True,
    contact_sheet: bool = False,
    **generate_options,
) -> list[dict]:
    """Generate one item per seed, write it in every format → the new manifest entries.

    ``generate_options`` go to ``generator.generate_batch`` (``playable``, ``targets``).
    With ``contact_sheet`` also ``contact-sheet.png`` of the first SHEET_ITEMS items.
    """
    writer = FolderWriter(out_dir, exporters)
    sheet_items: list = []
    with tqdm(total=len(seeds), desc=f"generate {generator.name}", unit="level", disable=not progress) as bar:
        for start in range(0, len(seeds), batch_size):
            chunk = seeds[start : start + batch_size]
            for item in generator.generate_batch(chunk, width=width, batch_size=batch_size, **generate_options):
                writer.write(item, f"{generator.name}-{item.provenance['seed']}")
                if contact_sheet and len(sheet_items) < SHEET_ITEMS:
                    sheet_items.append(item)
                bar.update(1)
    if contact_sheet and sheet_items:
        writer.write_contact_sheet(sheet_items)
    writer.finish()
    return writer.entries


def export_to_folder(items: Sequence[tuple[str, object]], exporters: Sequence, out_dir: Path) -> list[dict]:
    """Write already-made items, given as (stem, content) pairs, in every format → the new manifest entries."""
    writer = FolderWriter(out_dir, exporters)
    for stem, item in items:
        writer.write(item, stem)
    writer.finish()
    return writer.entries
