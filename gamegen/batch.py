"""Seeds → items → exporters → files, and the manifest that lists them.

Files are named ``<model>-<seed>.<ext>`` and written atomically. The manifest,
``manifest.jsonl`` in the output folder, holds one JSON line per file: its
path (relative to the folder), sha256 and the item's provenance; it is merged
with the manifest already there (same path → the new line) and rewritten
atomically once the batch is done.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from tqdm import tqdm

from .files import atomic_write_text, atomic_write_bytes, ensure_writable_dir, sha256_bytes

__all__ = ["MANIFEST", "generate_to_folder", "read_manifest"]

MANIFEST = "manifest.jsonl"


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


def generate_to_folder(
    generator,
    seeds: Sequence[int],
    exporters: Sequence,
    out_dir: Path,
    width: int,
    batch_size: int = 32,
    progress: bool = True,
) -> list[dict]:
    """Generate one item per seed, write it in every format → the new manifest entries."""
    out_dir = ensure_writable_dir(out_dir)
    entries: list[dict] = []
    with tqdm(total=len(seeds), desc=f"generate {generator.name}", unit="level", disable=not progress) as bar:
        for start in range(0, len(seeds), batch_size):
            chunk = seeds[start : start + batch_size]
            for item in generator.generate_batch(chunk, width=width, batch_size=batch_size):
                for exporter in exporters:
                    data = exporter.export(item)
                    name = f"{generator.name}-{item.provenance['seed']}.{exporter.extension}"
                    atomic_write_bytes(out_dir / name, data)
                    entries.append({"path": name, "format": exporter.name, "sha256": sha256_bytes(data), "provenance": item.provenance})
                bar.update(1)
    _write_manifest(out_dir, entries)
    return entries
