"""``gamegen view [FILE | MODEL]``: the Pygame preview (the viewer extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gamegen.cli.app import cli, require

__all__ = ["view_command"]


@cli.command("view")
@click.argument("target", metavar="[FILE | MODEL]", required=False)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the first level (N/P/R change it).")
@click.option("--width", type=int, default=200, show_default=True, help="Level width in columns, for a model that takes one.")
@click.option("--zoom", type=int, default=None, help="Zoom 1 to 8 (default: the level's height fills the window).")
@click.option("--overlay", default="none", show_default=True, help="none, path or solid (O cycles them).")
@click.option("--grid", is_flag=True, help="Start with the tile grid shown (G toggles it).")
@click.option("--screenshot", type=click.Path(path_type=Path), default=None, help="Render one frame headless into this PNG and exit.")
@click.option("--size", default="1280x720", show_default=True, help="Window size, WIDTHxHEIGHT.")
@click.option("--export-dir", type=click.Path(path_type=Path), default=Path("view-exports"), show_default=True, help="Where E and S write.")
@click.option("--format", "formats", default="tmx,tmj,json,png", show_default=True, help="Formats E exports.")
def view_command(target: str | None, screenshot: Path | None, **options: Any) -> None:
    """Preview a map file (.tmx, .tmj, .json, .txt) or maps generated live by MODEL (needs the viewer extra)."""
    require("pygame", "viewer", "the viewer")
    from gamegen.viewer import view

    written = view(target, screenshot=screenshot, **options)
    if written is not None:
        click.echo(f"wrote {written}")
