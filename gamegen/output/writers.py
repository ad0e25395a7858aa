"""From a generate request to files: tile maps one per seed (locally or on Ray), sprite sets and name lists one per call.

The content a kind's descriptor names decides the writer; the CLI hands every
request here the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gamegen.output.batch import MANIFEST, generate_to_folder

__all__ = ["GenerateRequest", "Written", "write_request"]


@dataclass(frozen=True)
class GenerateRequest:
    """Everything ``generate`` was asked, checked: which seeds, which options, where the files go."""

    model: str
    content: str  # the descriptor's: tilemap, sprites or names
    seeds: list[int]
    options: dict[str, Any]  # the kind's option values (checked against its Options class)
    formats: str
    out: Path
    batch_size: int
    providers: str | None
    progress: bool
    contact_sheet: bool
    ray: dict[str, Any] | None  # address and workers, when --backend ray


@dataclass(frozen=True)
class Written:
    """What a request wrote: manifest entries, items, and (on Ray) the workers used."""

    entries: list[dict]
    items: int
    what: str  # "items", "sprites", "creature names", ...
    workers: int = 0
    replaced: int = 0

    def summary(self, out: Path) -> str:
        where = f" on {self.workers} Ray workers" + (f", {self.replaced} replaced" if self.replaced else "") if self.workers else ""
        return f"wrote {len(self.entries)} files for {self.items} {self.what} to {out}/{where} (manifest: {out / MANIFEST})"


def write_request(request: GenerateRequest) -> Written:
    """Generate what ``request`` asks and write it with its manifest."""
    if request.ray is not None:
        return _on_ray(request)
    if request.content == "sprites":
        return _sprite_sets(request)
    if request.content == "names":
        return _name_lists(request)
    return _tile_maps(request)


def _load(request: GenerateRequest):
    from gamegen.api import load

    return load(request.model, providers=request.providers)


def _tile_maps(request: GenerateRequest) -> Written:
    from gamegen.exporters import parse_formats

    exporters = parse_formats(request.formats)
    generator = _load(request)
    options = generator.options(request.options)  # this model's limits, before any file is written
    entries = generate_to_folder(generator, request.seeds, exporters, request.out, options, request.batch_size,
                                 progress=request.progress, contact_sheet=request.contact_sheet)
    return Written(entries, len(request.seeds), "items")


def _on_ray(request: GenerateRequest) -> Written:
    from gamegen.exporters import parse_formats
    from gamegen.ray.driver import generate_on_ray

    ray = request.ray or {}
    done = generate_on_ray(request.model, request.seeds, parse_formats(request.formats), request.out, request.options, request.batch_size,
                           address=ray.get("address"), workers=ray.get("workers"), providers=request.providers,
                           progress=request.progress, contact_sheet=request.contact_sheet)
    return Written(done.entries, len(request.seeds), "items", done.workers, done.replaced)


def _per_call(request: GenerateRequest, write) -> tuple[list[dict], Any]:
    """One call per seed (sprite sets, name lists), each written by ``write(content, exporters, out)`` → (entries, options)."""
    from gamegen.exporters import parse_formats

    exporters = parse_formats(request.formats, request.content)  # a bad format fails before the model loads
    generator = _load(request)
    entries: list[dict] = []
    for seed in request.seeds:
        entries += write(generator.generate(seed, request.options), exporters, request.out)
    return entries, generator.options(request.options)


def _sprite_sets(request: GenerateRequest) -> Written:
    from gamegen.sprites.files import write_sprites

    entries, options = _per_call(request, write_sprites)
    return Written(entries, options.n * len(request.seeds), "sprites")


def _name_lists(request: GenerateRequest) -> Written:
    from gamegen.names.files import write_names

    entries, options = _per_call(request, write_names)
    return Written(entries, options.n * len(request.seeds), f"{options.kind} names")
