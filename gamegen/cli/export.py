"""``gamegen export IN... --format F --out DIR``: convert existing maps into other formats, with a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from gamegen.cli.app import cli
from gamegen.errors import InvalidRequest

__all__ = ["export_command"]


@cli.command("export")
@click.argument("inputs", metavar="IN...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "formats", required=True, help="Comma-separated formats, e.g. tmx,tmj,json,png (options: tmx:zlib:embed, png:scale=2).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (created if missing).")
def export_command(inputs: tuple[Path, ...], formats: str, out: Path) -> None:
    """Convert existing maps (.tmx, .tmj, .json, .txt) into other formats in OUT, with a manifest."""
    from gamegen.exporters import parse_formats, read_map
    from gamegen.output.batch import MANIFEST, export_to_folder

    exporters = parse_formats(formats)
    stems = [path.stem for path in inputs]
    if len(set(stems)) != len(stems):
        raise InvalidRequest("two inputs share a file name; their outputs would overwrite each other: export them to separate folders")
    items = [(path.stem, read_map(path)) for path in inputs]  # every input read before anything is written
    entries = export_to_folder(items, exporters, out)
    click.echo(f"wrote {len(entries)} files for {len(items)} maps to {out}/ (manifest: {out / MANIFEST})")
