"""Seeds → items → exporters → files, and the manifest that lists them; killed batches resume.

Item files are named ``<stem>.<ext>`` (``<model>-<seed>`` for generated
items) and written atomically. Some formats refer to files shared by the
whole folder (a TMX map to ``platformer.tsx`` and ``platformer-tileset.png``):
those companions are written once per folder, before the first map that
needs them, and rewritten only when their bytes change.

Every file of an item is made in memory and every destination checked before
the first byte is written, so a bad item or a folder where a file should go
leaves nothing behind.

The manifest (``gamegen.output.manifest``) holds one JSON line per file: its path
(relative to the folder), format (the name with any non-default options, as
``--format`` spells it: ``tmx:zlib``), sha256, and the item's provenance
(companions and the contact sheet carry a ``role`` instead). An item's lines
are appended as soon as its files are in place; the batch ends with an atomic,
sorted rewrite.

Resume: ``generate_to_folder`` first reads the manifest and skips every seed
whose files are all listed with the requested format, the same model, model
sha256, gamegen version, seed and parameters, and whose bytes on disk still
have the listed sha256. Only the rest is generated, so a batch killed at any
moment and run again with the same arguments ends with the files and the
manifest, byte for byte, of a run that was never interrupted.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from pathlib import Path

from tqdm import tqdm

from gamegen import __version__
from gamegen.errors import ExportError, InvalidRequest
from gamegen.files import atomic_write_bytes, ensure_writable_dir, sha256_bytes, sha256_file
from gamegen.output.manifest import MANIFEST, REWRITING, append_entries, read_manifest, rewrite_manifest
from gamegen.seeds import check_int, check_seeds

__all__ = ["MANIFEST", "CONTACT_SHEET", "SHEET_ITEMS", "FolderWriter", "generate_to_folder", "export_to_folder", "pending_seeds", "tidy", "read_manifest",
    "format_spec"]

CONTACT_SHEET = "contact-sheet.png"
SHEET_ITEMS = 16  # the contact sheet shows the first items of a batch ...
SHEET_COLUMNS = 320  # ... each cut to its first columns, so the sheet stays a few MB whatever the width


def format_spec(exporter) -> str:
    """``tmx``, ``tmx:zlib``, ``png:scale=2``: the exporter's name and the options that differ from their defaults.

    The manifest records it so that a resumed batch never keeps files written with other options.
    """
    options = []
    try:
        parameters: Iterable[inspect.Parameter] = inspect.signature(type(exporter)).parameters.values()
    except (TypeError, ValueError):
        parameters = []
    for p in parameters:
        value = getattr(exporter, p.name, p.default)
        if p.default is not inspect.Parameter.empty and value != p.default:
            options.append(p.name if value is True else f"{p.name}={value}")
    return ":".join([exporter.name, *options])


def _holds(target: Path, data: bytes) -> bool:
    """``target`` already holds exactly ``data``.

    A resumed batch finds the files of items it was killed after writing but
    before listing; leaving them alone means no rename, so not even a
    temporary name can be left by a second kill.
    """
    return target.is_file() and target.stat().st_size == len(data) and sha256_file(target) == sha256_bytes(data)


class FolderWriter:
    """Writes items in several formats into one folder, companions once, and appends their manifest lines."""

    def __init__(self, out_dir: Path, exporters: Sequence):
        from gamegen.exporters import companions

        if not isinstance(out_dir, (str, Path)):
            raise InvalidRequest(f"the output folder is a path, got {type(out_dir).__name__}")
        exporters = [] if isinstance(exporters, (str, bytes)) else list(exporters)
        if not exporters or not all(hasattr(e, "export") and hasattr(e, "extension") for e in exporters):
            raise InvalidRequest("exporters must be a non-empty list of exporters (see gamegen.exporters.parse_formats)")
        self._companions = companions
        self.out_dir = ensure_writable_dir(out_dir)
        self.exporters = exporters
        self.specs = [format_spec(e) for e in self.exporters]
        self.entries: list[dict] = []  # every entry written by this writer
        self._shared: dict[str, str] = {}  # companion name → sha256, once written (or found) this run

    def _planned(self, item, stem: str) -> tuple[list[tuple[str, str, bytes]], dict[str, tuple[str, bytes]]]:
        """Every file of ``item`` in memory → ([(name, format, bytes)], {companion name: (format, bytes)})."""
        files = [(f"{stem}.{e.extension}", spec, e.export(item)) for e, spec in zip(self.exporters, self.specs)]
        shared: dict[str, tuple[str, bytes]] = {}
        for exporter, spec in zip(self.exporters, self.specs):
            for name, data in self._companions(exporter, item).items():
                known = self._shared.get(name) or (sha256_bytes(shared[name][1]) if name in shared else None)
                if known is not None and known != sha256_bytes(data):
                    raise ExportError(f"two formats need different files named {name} in {self.out_dir}; write them to separate folders")
                shared.setdefault(name, (spec, data))
        names = [name for name, _, _ in files]
        clash = (set(names) & (set(shared) | set(self._shared))) or {n for n in names if names.count(n) > 1}
        if clash:
            raise ExportError(f"{sorted(clash)[0]} would be written twice in {self.out_dir}: rename the input or use separate --out folders")
        return files, shared

    def _check_destinations(self, names) -> None:
        for name in names:
            if (self.out_dir / name).is_dir():
                raise ExportError(f"{self.out_dir / name} is a folder where a file should go; remove it or choose another --out")

    def write(self, item, stem: str) -> list[dict]:
        """Write ``item`` as ``stem.<ext>`` in every format (companions first), then append its manifest lines."""
        files, shared = self._planned(item, stem)
        new_shared = {n: v for n, v in shared.items() if n not in self._shared}
        self._check_destinations([name for name, _, _ in files] + list(new_shared))
        entries = [{"path": n, "format": fmt, "sha256": sha256_bytes(data), "role": "companion"} for n, (fmt, data) in new_shared.items()]
        entries += [{"path": n, "format": fmt, "sha256": sha256_bytes(data), "provenance": item.provenance} for n, fmt, data in files]
        self._publish({**{n: data for n, (_, data) in new_shared.items()}, **{n: data for n, _, data in files}})  # companions first
        self._record(entries)  # only now: a kill before this line leaves the item to be made again
        self._shared.update((e["path"], e["sha256"]) for e in entries if e.get("role") == "companion")
        self.entries.extend(entries)
        return entries

    def _record(self, entries: list[dict]) -> None:
        """List the files just written in the manifest (a Ray worker hands them to its driver instead)."""
        append_entries(self.out_dir, entries)

    def _publish(self, contents: dict[str, bytes]) -> None:
        """Write every file whose bytes differ from ``contents``; the manifest first withdraws any it is about to replace."""
        changing = {name: data for name, data in contents.items() if not _holds(self.out_dir / name, data)}
        replaced = [name for name in changing if (self.out_dir / name).exists()]
        append_entries(self.out_dir, [{"path": name, REWRITING: True} for name in replaced])
        for name, data in changing.items():
            atomic_write_bytes(self.out_dir / name, data)

    def write_contact_sheet(self, items: Sequence, name: str = CONTACT_SHEET) -> dict:
        """One PNG of the first items (each cut to SHEET_COLUMNS), labelled by seed."""
        from gamegen.exporters.preview import contact_sheet, png_bytes
        from gamegen.tiles import TileMap

        shown = [TileMap(i.grid[:, :SHEET_COLUMNS], i.vocabulary, i.provenance) for i in items[:SHEET_ITEMS]]
        labels = [f"seed {i.provenance.get('seed', '?')}" for i in shown]
        self._check_destinations([name])
        data = png_bytes(contact_sheet(shown, labels))
        self._publish({name: data})
        entry = {"path": name, "format": "png", "sha256": sha256_bytes(data), "role": "contact-sheet", "seeds": [i.provenance.get("seed") for i in shown]}
        self._record([entry])
        self.entries.append(entry)
        return entry

    def finish(self) -> Path:
        """The final, sorted manifest (the lines were appended as the files landed)."""
        return rewrite_manifest(self.out_dir)

    # -- resume -------------------------------------------------------------

    def completed(self, stems: dict[int, str], wanted) -> dict[int, list[dict]]:
        """The seeds whose files are all listed, as ``wanted(provenance, seed)`` asks, and whole on disk → their entries."""
        listed = {entry["path"]: entry for entry in read_manifest(self.out_dir)}
        done: dict[int, list[dict]] = {}
        for seed, stem in stems.items():
            found = [listed.get(f"{stem}.{e.extension}") for e in self.exporters]
            entries = [entry for entry in found if entry is not None]
            if len(entries) == len(found) and all(self._verified(entry, spec) and wanted(entry["provenance"], seed)
                                                  for entry, spec in zip(entries, self.specs)):
                done[seed] = entries
        return done

    def companions_intact(self) -> bool:
        """Every companion the manifest lists is on disk with its sha256."""
        return all(self._verified(e, e.get("format")) for e in read_manifest(self.out_dir) if e.get("role") == "companion")

    def _verified(self, entry: dict | None, spec: str | None) -> bool:
        if entry is None or entry.get("format") != spec or not isinstance(entry.get("provenance", {}), dict):
            return False
        path = self.out_dir / entry["path"]
        try:
            return path.is_file() and sha256_file(path) == entry.get("sha256")
        except OSError:
            return False


def _wanted(generator, options):
    """``(provenance, seed) → bool``: would generating ``seed`` with ``options`` now give what this provenance records?"""
    sha256 = generator.descriptor.model_sha256

    def matches(provenance: dict, seed: int) -> bool:
        params = provenance.get("params", {})
        same_model = sha256 is None or (  # a generator without a model (the overworld, a test fake) is known by its name, in the stem
            provenance.get("model") == generator.name and provenance.get("model_sha256") == sha256 and provenance.get("gamegen_version") == __version__
        )
        return isinstance(params, dict) and options.matches(params) and same_model and provenance.get("seed") == seed

    return matches


def pending_seeds(writer: FolderWriter, generator, seeds: list[int], options) -> list[int]:
    """The seeds still to generate; the first is kept if a listed companion file is missing or changed."""
    stems = {seed: f"{generator.name}-{seed}" for seed in seeds}
    done = writer.completed(stems, _wanted(generator, options))
    pending = [seed for seed in seeds if seed not in done]
    if seeds and not pending and not writer.companions_intact():
        pending = seeds[:1]  # writing one item rewrites the companions it needs
    return pending


def generate_to_folder(
    generator,
    seeds: Sequence[int],
    exporters: Sequence,
    out_dir: Path,
    options=None,
    batch_size: int = 32,
    progress: bool = True,
    contact_sheet: bool = False,
) -> list[dict]:
    """Generate one item per seed (skipping those already complete), write it in every format → the entries written.

    ``options`` is the generator's options object or a mapping of option values
    (``{"width": 200, "playable": False}``). With ``contact_sheet`` also
    ``contact-sheet.png`` of the first SHEET_ITEMS items (those a resumed run
    skipped are generated again in memory for it).
    """
    seeds = check_seeds(seeds)
    batch_size = check_int("batch_size", batch_size, 1, 4096)
    options = generator.options(options)
    writer = FolderWriter(out_dir, exporters)
    pending = pending_seeds(writer, generator, seeds, options)
    sheet: dict[int, object] = {}
    wanted_on_sheet = set(seeds[:SHEET_ITEMS]) if contact_sheet else set()
    try:
        with tqdm(total=len(seeds), initial=len(seeds) - len(pending), desc=f"generate {generator.name}", unit="item", disable=not progress) as bar:
            for start in range(0, len(pending), batch_size):
                for item in generator.generate_batch(pending[start : start + batch_size], options, batch_size=batch_size):
                    writer.write(item, f"{generator.name}-{item.provenance['seed']}")
                    if item.provenance["seed"] in wanted_on_sheet:
                        sheet[item.provenance["seed"]] = item
                    bar.update(1)
        if wanted_on_sheet:
            missing = [s for s in seeds[:SHEET_ITEMS] if s not in sheet]
            sheet.update((i.provenance["seed"], i) for i in (generator.generate_batch(missing, options) if missing else []))
            writer.write_contact_sheet([sheet[s] for s in seeds[:SHEET_ITEMS]])
    except ExportError as exc:
        tidy(writer)
        complete = len(seeds) - len(pending) + sum(1 for e in writer.entries if "provenance" in e) // len(writer.exporters)
        raise ExportError(f"{exc}; {complete} of {len(seeds)} items are complete in {writer.out_dir}: run the same command again to finish") from None
    except BaseException:
        tidy(writer)
        raise
    writer.finish()
    return writer.entries


def tidy(writer: FolderWriter) -> None:
    """After a failure, sort the manifest if the disk allows; it is consistent (whole lines, whole files) either way."""
    try:
        if (writer.out_dir / MANIFEST).exists():  # a batch that wrote nothing leaves no manifest
            writer.finish()
    except (ExportError, OSError):
        pass


def export_to_folder(items: Sequence[tuple[str, object]], exporters: Sequence, out_dir: Path) -> list[dict]:
    """Write already-made items, given as (stem, content) pairs, in every format → the new manifest entries."""
    writer = FolderWriter(out_dir, exporters)
    try:
        for stem, item in items:
            writer.write(item, stem)
    except BaseException:
        tidy(writer)
        raise
    writer.finish()
    return writer.entries
