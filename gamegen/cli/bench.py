"""``gamegen bench``: speed as ratios measured in one run (the train extra: PyTorch is the reference)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gamegen.cli.app import cli, require

__all__ = ["bench_command"]


@cli.command("bench")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None, help="Write the results here.")
@click.option("--quick", is_flag=True, help="Short timings: a smoke run, not a measurement.")
def bench_command(json_path: Path | None, quick: bool) -> None:
    """Measure speed as ratios in one run: ONNX Runtime vs PyTorch, FLOP/s vs the matmul peak, end to end."""
    require("torch", "train", "gamegen bench")  # before any timing, not after the first graph
    from gamegen.bench.run import run_bench
    from gamegen.files import atomic_write_text
    from gamegen.runtime.cards import list_models

    result = run_bench([card.name for card in list_models() if card.data["kind"] == "tilemap"], quick=quick, log=lambda line: click.echo(line))
    if json_path:
        atomic_write_text(json_path, json.dumps(result, indent=2) + "\n")
