"""``gamegen generate MODEL``: one request, built from the kind's declared options, for every kind.

    gamegen generate platformer-gan --seed 7 --count 20 --width 200 --format txt,png --out DIR
    gamegen generate names-lstm --seed 1 --count 50 --kind creature --format txt,json --out DIR
    gamegen generate sprite-gan --seed 1 --count 64 --format sheet,png [--palette db16] [--category item] --out DIR
    gamegen generate overworld --seed 42 --width 1024 --height 1024 --format tmx:zlib,minimap --out DIR
    gamegen generate platformer-gan --count 10000 --backend ray [--address HOST:PORT] [--workers 8] --out SHARED_DIR
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gamegen.cli.app import cli
from gamegen.cli.request import add_kind_flags, given, kind_options, refuse
from gamegen.errors import InvalidRequest
from gamegen.output.writers import GenerateRequest, write_request

__all__ = ["generate_command", "build_request"]

# Flags of the request itself (not of a kind), and what each needs of the kind.
TILEMAP_ONLY = ("sheet",)  # a contact sheet of tile maps
PER_SEED_ONLY = ("backend", "address", "workers")  # Ray spreads seeds, one item each; a model file every worker loads


@cli.command("generate")
@click.argument("model")
@click.option("--seed", type=int, default=0, show_default=True, help="First seed; tile maps use seed, seed+1, … (sprites and names: the one seed).")
@click.option("--count", type=click.IntRange(1, 1_000_000), default=1, show_default=True, help="How many items (sprites and names: in the one call).")
@click.option("--format", "formats", default=None,
    help="Comma-separated formats.  [default: txt,png; txt,json for names models; sheet,png for sprite models; tmx,minimap for the overworld]")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (created if missing).")
@click.option("--batch-size", type=click.IntRange(1, 4096), default=32, show_default=True, help="Items per inference call.")
@click.option("--providers", default=None, help="ONNX Runtime providers, comma-separated (default: CUDA, then CPU).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--contact-sheet", "sheet", is_flag=True, help="Tile maps: also write contact-sheet.png, the first 16 items, each cut to 320 columns.")
@add_kind_flags
@click.option("--backend", type=click.Choice(["local", "ray"]), default="local", show_default=True,
    help="ray: spread the seeds over a Ray cluster (the ray extra).")
@click.option("--address", default=None, help="Ray: the cluster's HOST:PORT, ray://HOST:PORT or auto (default: a local Ray instance).")
@click.option("--workers", type=click.IntRange(1, 100_000), default=None, help="Ray: worker actors, one CPU each (default: the cluster's CPUs).")
@click.pass_context
def generate_command(ctx: click.Context, **params: Any) -> None:
    """Generate COUNT items of MODEL into OUT, with a manifest.

    Levels are sane and finishable unless --raw is given; --target steers them
    towards expressive-range values by latent search. For a names model, COUNT
    names of --kind from the one seed go to OUT/<model>-<seed>-<kind>.txt/.json.
    For a sprite model, COUNT sprites from the one seed go to a sheet
    (OUT/<model>-<seed>.png, .json TexturePacker atlas, .tsx Tiled tileset)
    and, with --format png, one PNG per sprite. A flag another kind declares
    is refused with the flags this model takes.
    """
    request = build_request(ctx, params)
    written = write_request(request)
    click.echo(written.summary(request.out))


def build_request(ctx: click.Context, params: dict[str, Any]) -> GenerateRequest:
    """The request of one ``generate`` call, every flag checked against the model's kind before anything loads."""
    from gamegen.registry import describe
    from gamegen.seeds import MAX_SEED, check_seed

    descriptor = describe(params["model"])
    options = kind_options(ctx, descriptor)
    if params["backend"] == "local":
        if given(ctx, ["address", "workers"]):
            raise InvalidRequest("--address and --workers apply to --backend ray")
    elif descriptor.items_per_seed or descriptor.card is None:
        refuse(ctx, ["backend"], descriptor, ", which makes one call per seed locally" if descriptor.card else ", which runs no model")
    if descriptor.content != "tilemap":
        refuse(ctx, given(ctx, TILEMAP_ONLY), descriptor)
    seed, count = check_seed(params["seed"]), params["count"]
    if descriptor.items_per_seed:  # one call makes COUNT items from the one seed
        options[descriptor.items_per_seed] = count
        seeds = [seed]
    else:
        if seed + count > MAX_SEED:
            raise InvalidRequest(f"seeds {seed}..{seed + count - 1} run past 2**63 - 1")
        seeds = list(range(seed, seed + count))
    descriptor.options.build(options, owner=descriptor.name)  # a bad value fails before the model loads
    ray = {"address": params["address"], "workers": params["workers"]} if params["backend"] == "ray" else None
    return GenerateRequest(params["model"], descriptor.content, seeds, options,
                           params["formats"] or descriptor.formats, params["out"], params["batch_size"], params["providers"],
                           not params["quiet"], params["sheet"], ray)
