"""``gamegen world``: a whole content pack as a Tiled project with an engine-JSON index."""

from __future__ import annotations

from pathlib import Path

import click

from gamegen.cli.app import cli

__all__ = ["world_command"]


@cli.command("world")
@click.option("--seed", type=int, default=0, show_default=True, help="World seed; every map of the pack derives its seed from it.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Pack folder (must be new or empty unless --force).")
@click.option("--force", is_flag=True, help="Replace an existing non-empty --out folder.")
@click.option("--size", type=int, default=None, help="Overworld side in tiles (default 256).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def world_command(seed: int, out: Path, force: bool, size: int | None, quiet: bool) -> None:
    """Make a world pack: an overworld with towns and entrances, a level or dungeon per entrance,
    creature sprite sheets and place names, as a Tiled project with an engine-JSON index."""
    from gamegen.world.pack import DEFAULT_SIZE, build_world_pack

    index = build_world_pack(seed, out, size=size or DEFAULT_SIZE, force=force, progress=not quiet)
    click.echo(f"wrote a world pack of {len(index['maps'])} maps and {len(index['locations'])} locations to {out}/ (index: {out / 'world.json'})")
