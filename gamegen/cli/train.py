"""``gamegen train NAME``: rebuild a shipped model from the corpus with its fixed seed (the train extra)."""

from __future__ import annotations

from pathlib import Path

import click

from gamegen.cli.app import cli, require

__all__ = ["train_command"]


@cli.command("train")
@click.argument("name")
@click.option("--data", type=click.Path(path_type=Path), default=None, help="Corpus folder (default ../shared/data).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("models"), show_default=True, help="Where the ONNX file and card go.")
@click.option("--seed", type=int, default=None, help="Training seed (default: the recipe's).")
@click.option("--iterations", type=click.IntRange(1, 1_000_000), default=None,
    help="Generator updates of a GAN, optimiser steps of names-lstm (default: the recipe's).")
def train_command(name: str, data: Path | None, out: Path, seed: int | None, iterations: int | None) -> None:
    """Train NAME from the corpus with a fixed seed; write NAME.onnx and its card (needs the train extra)."""
    for module in ("torch", "onnx"):
        require(module, "train", "training")
    from gamegen.corpus import default_data_dir
    from gamegen.train.recipes import train

    card_path = train(name, data or default_data_dir(), out, iterations=iterations, seed=seed)
    click.echo(f"wrote {card_path.with_suffix('.onnx')} and {card_path}")
