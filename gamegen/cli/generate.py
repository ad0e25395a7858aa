"""``gamegen generate`` for each kind of model: sprites, dungeons, names, model-free generators, and the Ray backend.

``gamegen.cli.commands.generate_command`` checks the options common to every model and
hands over here by the card's kind; the tile-map path on the local backend
stays in ``cli``.
"""

from __future__ import annotations

import click

from gamegen.errors import InvalidRequest


def _load(model: str, providers: str | None):
    from gamegen.api import load

    return load(model, providers=providers)


def _generate_sprites(model, seed, count, formats, out, providers, backend) -> None:
    """``generate`` for a sprite model: COUNT sprites from the one seed, as a sheet (png + json atlas + tsx) and/or single PNGs."""
    from gamegen.output.batch import MANIFEST
    from gamegen.exporters.spritesheet import parse_sprite_formats
    from gamegen.sprites.files import write_sprites

    context = click.get_current_context()
    options = {"width": "--width", "target": "--target", "raw": "--raw", "kind": "--kind", "temperature": "--temperature", "top_k": "--top-k",
               "sheet": "--contact-sheet"}
    changed = [flag for name, flag in options.items() if context.get_parameter_source(name) != click.core.ParameterSource.DEFAULT]
    if changed or backend != "local" or context.meta.get("rooms") is not None:
        given = ", ".join(changed) or "--backend/--rooms"
        raise InvalidRequest(f"{model} makes sprites: {given} {'does' if len(changed) == 1 else 'do'} not apply (options: --count, --palette, --category, --format)")
    sheet, single = parse_sprite_formats(formats)
    content = _load(model, providers).generate_set(seed, n=count, palette=context.meta.get("palette"), category=context.meta.get("category"))
    entries = write_sprites(content, sheet, single, out)
    click.echo(f"wrote {len(entries)} files of {count} sprites to {out}/ (manifest: {out / MANIFEST})")


def _generate_dungeons(model, seed, count, formats, out, batch_size, providers, quiet, sheet, target, raw, kind, backend) -> None:
    """``generate`` for a dungeon model: one room per seed, or with --rooms N one whole dungeon per seed."""
    from gamegen.output.batch import MANIFEST, generate_to_folder
    from gamegen.exporters import parse_formats
    from gamegen.seeds import MAX_SEED, check_seed

    context = click.get_current_context()
    if target or raw or kind is not None or context.get_parameter_source("width") != click.core.ParameterSource.DEFAULT:
        raise InvalidRequest(f"{model} makes dungeons: --width, --target, --raw and --kind do not apply (use --rooms)")
    if backend != "local":
        raise InvalidRequest(f"{model}: --backend ray is for platformer levels; dungeons are generated locally")
    check_seed(seed)
    if seed + count > MAX_SEED:
        raise InvalidRequest(f"seeds {seed}..{seed + count - 1} run past 2**63 - 1")
    exporters = parse_formats(formats)
    generator = _load(model, providers)
    rooms = context.meta.get("rooms")
    generator.generate_batch([], rooms=rooms)  # validates --rooms before any file is written
    entries = generate_to_folder(generator, list(range(seed, seed + count)), exporters, out, None, batch_size, progress=not quiet, contact_sheet=sheet, rooms=rooms)
    what = f"dungeons of {rooms} rooms" if rooms else "rooms"
    click.echo(f"wrote {len(entries)} files for {count} {what} to {out}/ (manifest: {out / MANIFEST})")


def _generate_on_ray(model, seed, count, exporters, out, width, batch_size, providers, quiet, sheet, address, workers, options) -> None:
    """``generate --backend ray``: the seeds spread over Ray workers; the same files and manifest as local."""
    from gamegen.output.batch import MANIFEST
    from gamegen.ray.driver import generate_on_ray

    done = generate_on_ray(model, range(seed, seed + count), exporters, out, width, batch_size, address=address, workers=workers,
                           providers=providers, progress=not quiet, contact_sheet=sheet, **options)
    replaced = f", {done.replaced} replaced" if done.replaced else ""
    click.echo(f"wrote {len(done.entries)} files for {count} items to {out}/ on {done.workers} Ray workers{replaced} (manifest: {out / MANIFEST})")


def _generate_model_free(model, seed, count, width, formats, out, quiet, sheet, target, raw, kind, temperature, top_k) -> None:
    """``generate overworld``: COUNT maps of --width x --height tiles from seeds SEED, SEED+1, ... (no model)."""
    from gamegen.output.batch import MANIFEST, generate_to_folder
    from gamegen.exporters import parse_formats
    from gamegen.seeds import MAX_SEED, check_seed

    ctx = click.get_current_context()
    level_only = {"--target": target, "--raw": raw or None, "--kind": kind, "--top-k": top_k, "--contact-sheet": sheet or None,
                  "--temperature": None if temperature == 1.0 else temperature, "--backend": None if ctx.params.get("backend", "local") == "local" else 1}
    given = [name for name, value in level_only.items() if value is not None]
    if given:
        raise InvalidRequest(f"{given[0]} does not apply to {model}, which makes terrain from noise (options: --width, --height, --format)")
    check_seed(seed)
    if seed + count > MAX_SEED:
        raise InvalidRequest(f"seeds {seed}..{seed + count - 1} run past 2**63 - 1")
    exporters = parse_formats(formats or "tmx,minimap")
    height = width if ctx.meta.get("height") is None else ctx.meta["height"]
    generator = _load(model, None)
    generator.generate_batch([], width=width, height=height)  # validates the size before any file is written
    entries = generate_to_folder(generator, list(range(seed, seed + count)), exporters, out, width, 1, progress=not quiet, height=height)
    click.echo(f"wrote {len(entries)} files for {count} maps to {out}/ (manifest: {out / MANIFEST})")


def _generate_names(model, seed, count, kind, temperature, top_k, formats, out, providers) -> None:
    """``generate`` for a names model: one call of COUNT names, written in each names format."""
    from gamegen.output.batch import MANIFEST
    from gamegen.names.files import parse_name_formats, write_names

    writers = parse_name_formats(formats)
    content = _load(model, providers).generate_list(seed, kind=kind or "creature", n=count, temperature=temperature, top_k=top_k)
    entries = write_names(content, writers, out)
    click.echo(f"wrote {len(entries)} files of {count} {content.kind} names to {out}/ (manifest: {out / MANIFEST})")
