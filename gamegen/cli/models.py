"""``gamegen models``: the shipped models and the model-free generators, each by its descriptor."""

from __future__ import annotations

import json

import click

from gamegen.cli.app import cli

__all__ = ["models_command"]


@cli.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print the card summaries as JSON.")
def models_command(as_json: bool) -> None:
    """List the shipped models with a summary of their cards, then the model-free generators."""
    from gamegen.registry import MODEL_FREE
    from gamegen.runtime.cards import list_models

    summaries = [card.summary() for card in list_models()]
    free = [{"name": name, "kind": cls.descriptor.kind, "summary": cls.descriptor.summary, "model": None} for name, cls in MODEL_FREE.items()]
    if as_json:
        click.echo(json.dumps(summaries + free, indent=2))
        return
    for s in summaries:
        tpkl = s["metrics"].get("tpkl_div", {}).get("mean")
        click.echo(f"{s['name']:<26} {s['kind']:<8} widths {s['width'] or '-':<10} {s['onnx_bytes'] / 1e6:5.1f} MB  "
                   f"TPKL {tpkl if tpkl is not None else '-':<7} data {s['data_licence']}")
        click.echo(f"    {s['summary']}")
    for f in free:
        click.echo(f"{f['name']:<26} {f['kind']:<8} no model")
        click.echo(f"    {f['summary']}")
