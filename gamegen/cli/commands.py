"""The ``gamegen`` command.

    gamegen models [--json]
    gamegen generate platformer-gan --seed 7 --count 20 --width 200 --format txt,png --out DIR
    gamegen generate names-lstm --seed 1 --count 50 --kind creature --format txt,json --out DIR
    gamegen generate sprite-gan --seed 1 --count 64 --format sheet,png [--palette db16] [--category item] --out DIR
    gamegen generate overworld --seed 42 --width 1024 --height 1024 --format tmx:zlib,minimap --out DIR
    gamegen world --seed 42 --out DIR [--force]
    gamegen generate platformer-gan --count 10000 --backend ray [--address HOST:PORT] [--workers 8] --out SHARED_DIR
    gamegen export level.tmx --format tmj,json,png:scale=2 --out DIR
    gamegen eval platformer-gan --n 1000 --json eval.json [--write-card]
    gamegen train platformer-gan --data ../shared/data/vglc
    gamegen train names-lstm --data ../shared/data
    gamegen view [FILE | MODEL] [--seed S] [--screenshot out.png]

Errors of the GamegenError tree print one line on stderr, no traceback, and
exit with the class's code (see ``gamegen.errors``; 2 also for usage errors).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gamegen import __version__
from gamegen.errors import GamegenError, InvalidRequest
from gamegen.cli.generate import _generate_dungeons, _generate_model_free, _generate_names, _generate_on_ray, _generate_sprites, _load
from gamegen.files import atomic_write_text

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gamegen")
def cli() -> None:
    """Procedural game content from trained models, reproducible from a seed."""


@cli.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print the card summaries as JSON.")
def models_command(as_json: bool) -> None:
    """List the shipped models with a summary of their cards."""
    from gamegen.runtime.cards import list_models

    summaries = [card.summary() for card in list_models()]
    if as_json:
        click.echo(json.dumps(summaries, indent=2))
        return
    for s in summaries:
        tpkl = s["metrics"].get("tpkl_div", {}).get("mean")
        click.echo(f"{s['name']:<26} {s['kind']:<8} widths {s['width'] or '-':<10} {s['onnx_bytes'] / 1e6:5.1f} MB  TPKL {tpkl if tpkl is not None else '-':<7} data {s['data_licence']}")
        click.echo(f"    {s['summary']}")


@cli.command("generate")
@click.argument("model")
@click.option("--seed", type=int, default=0, show_default=True, help="First seed; items use seed, seed+1, …")
@click.option("--count", type=click.IntRange(1, 1_000_000), default=1, show_default=True, help="How many items.")
@click.option("--width", type=int, default=200, show_default=True, help="Level width in columns.")
@click.option("--height", type=int, default=None, expose_value=False, callback=lambda ctx, _, value: ctx.meta.update(height=value),
              help="Overworld: map height in tiles (default: the width).")
@click.option("--format", "formats", default=None, help="Comma-separated formats.  [default: txt,png; txt,json for names models; sheet,png for sprite models]")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (created if missing).")
@click.option("--batch-size", type=click.IntRange(1, 4096), default=32, show_default=True, help="Items per inference call.")
@click.option("--providers", default=None, help="ONNX Runtime providers, comma-separated (default: CUDA, then CPU).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--contact-sheet", "sheet", is_flag=True, help="Also write contact-sheet.png: the first 16 items, each cut to 320 columns.")
@click.option("--target", "target", default=None, help="Expressive-range targets, e.g. density=0.15,leniency=0.8,linearity=0.9.")
@click.option("--raw", is_flag=True, help="Skip playability repair: the network's own output.")
@click.option("--kind", default=None, help="Names models: creature, item or place (default creature).")
@click.option("--temperature", type=float, default=1.0, show_default=True, help="Names models: sampling temperature, > 0.")
@click.option("--top-k", "top_k", type=int, default=None, help="Names models: sample among the k likeliest characters.")
@click.option("--rooms", type=int, default=None, expose_value=False, callback=lambda ctx, _, value: ctx.meta.update(rooms=value),
              help="Dungeon models: rooms per dungeon, 1-64 (default: each seed makes one room).")
@click.option("--palette", default=None, expose_value=False, callback=lambda ctx, _, value: ctx.meta.update(palette=value),
              help="Sprite models: snap colours to db16, db32, pico8 or a list such as '#000000,#ffffff'.")
@click.option("--category", default=None, expose_value=False, callback=lambda ctx, _, value: ctx.meta.update(category=value),
              help="Sprite models: creature or item (default: both, drawn per sprite).")
@click.option("--backend", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="ray: spread the seeds over a Ray cluster (the ray extra).")
@click.option("--address", default=None, help="Ray: the cluster's HOST:PORT, ray://HOST:PORT or auto (default: a local Ray instance).")
@click.option("--workers", type=click.IntRange(1, 100_000), default=None, help="Ray: worker actors, one CPU each (default: the cluster's CPUs).")
def generate_command(model, seed, count, width, formats, out, batch_size, providers, quiet, sheet, target, raw, kind, temperature, top_k, backend, address, workers) -> None:
    """Generate COUNT items of MODEL into OUT, with a manifest.

    Levels are sane and finishable unless --raw is given; --target steers them
    towards expressive-range values by latent search. For a names model, COUNT
    names of --kind from the one seed go to OUT/<model>-<seed>-<kind>.txt/.json.
    For a sprite model, COUNT sprites from the one seed go to a sheet
    (OUT/<model>-<seed>.png, .json TexturePacker atlas, .tsx Tiled tileset)
    and, with --format png, one PNG per sprite; --palette and --category apply.
    """
    from gamegen.runtime.cards import find_card
    from gamegen.registry import MODEL_FREE

    if model in MODEL_FREE:
        return _generate_model_free(model, seed, count, width, formats, out, quiet, sheet, target, raw, kind, temperature, top_k)
    if backend == "local" and (address is not None or workers is not None):
        raise InvalidRequest("--address and --workers apply to --backend ray")
    kind_of_model = find_card(model).data["kind"]  # the card is read once
    if backend == "ray" and kind_of_model == "names":
        raise InvalidRequest(f"{model} writes one list of names per call; --backend ray is for batches of tile maps")
    if kind_of_model == "sprites":
        return _generate_sprites(model, seed, count, formats or "sheet,png", out, providers, backend)
    if any(click.get_current_context().meta.get(k) is not None for k in ("palette", "category")):
        raise InvalidRequest(f"--palette and --category apply to sprite models; {model} does not make sprites")
    if kind_of_model == "dungeon":
        return _generate_dungeons(model, seed, count, formats or "txt,png", out, batch_size, providers, quiet, sheet, target, raw, kind, backend)
    if click.get_current_context().meta.get("rooms") is not None:
        raise InvalidRequest(f"--rooms applies to dungeon models; {model} does not make dungeons")
    if kind_of_model == "names":
        return _generate_names(model, seed, count, kind, temperature, top_k, formats or "txt,json", out, providers)
    if kind is not None or temperature != 1.0 or top_k is not None:
        raise InvalidRequest(f"--kind, --temperature and --top-k apply to names models; {model} makes tile maps")
    formats = formats or "txt,png"
    from gamegen.platformer.targets import parse_targets

    from gamegen.output.batch import MANIFEST, generate_to_folder
    from gamegen.exporters import parse_formats
    from gamegen.seeds import MAX_SEED, check_seed

    check_seed(seed)
    if seed + count > MAX_SEED:
        raise InvalidRequest(f"seeds {seed}..{seed + count - 1} run past 2**63 - 1")
    exporters = parse_formats(formats)
    if target:
        parse_targets(target)  # a bad --target fails before the model loads
    options = {"playable": not raw, "targets": parse_targets(target) if target else None}
    if backend == "ray":
        return _generate_on_ray(model, seed, count, exporters, out, width, batch_size, providers, quiet, sheet, address, workers, options)
    generator = _load(model, providers)
    generator.generate_batch([], width=width)  # validates the width before any file is written
    entries = generate_to_folder(
        generator, list(range(seed, seed + count)), exporters, out, width, batch_size, progress=not quiet, contact_sheet=sheet, **options
    )
    click.echo(f"wrote {len(entries)} files for {count} items to {out}/ (manifest: {out / MANIFEST})")


@cli.command("export")
@click.argument("inputs", metavar="IN...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "formats", required=True, help="Comma-separated formats, e.g. tmx,tmj,json,png (options: tmx:zlib:embed, png:scale=2).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output folder (created if missing).")
def export_command(inputs, formats, out) -> None:
    """Convert existing maps (.tmx, .tmj, .json, .txt) into other formats in OUT, with a manifest."""
    from gamegen.output.batch import MANIFEST, export_to_folder
    from gamegen.exporters import parse_formats, read_map

    exporters = parse_formats(formats)
    stems = [path.stem for path in inputs]
    if len(set(stems)) != len(stems):
        raise InvalidRequest("two inputs share a file name; their outputs would overwrite each other: export them to separate folders")
    items = [(path.stem, read_map(path)) for path in inputs]  # every input read before anything is written
    entries = export_to_folder(items, exporters, out)
    click.echo(f"wrote {len(entries)} files for {len(items)} maps to {out}/ (manifest: {out / MANIFEST})")


@cli.command("eval")
@click.argument("model")
@click.option("--n", "n", type=click.IntRange(2, 100_000), default=1000, show_default=True, help="Levels to generate.")
@click.option("--width", type=int, default=200, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="First seed.")
@click.option("--data", type=click.Path(path_type=Path), default=None, help="Corpus folder (default ../shared/data).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None, help="Write the results here.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None, help="Write eval.json and PNG plots (matplotlib) into this folder.")
@click.option("--targets", "n_targets", type=click.IntRange(0, 10_000), default=0, show_default=True,
              help="Also measure controllable generation on this many random targets from the corpus' range.")
@click.option("--write-card", is_flag=True, help="Record the results in the model card's metrics.")
def eval_command(model, n, width, seed, data, json_path, out_dir, n_targets, write_card) -> None:
    """Measure MODEL against the corpus: playability before and after repair, TPKL-Div,
    duplicates, diversity, novelty, expressive range."""
    from gamegen.quality.evaluate import evaluate_platformer
    from gamegen.files import ensure_writable_dir
    from gamegen.seeds import check_seed

    check_seed(seed)
    if out_dir is not None:
        ensure_writable_dir(out_dir)
    generator = _load(model, None)
    if generator.card.data["kind"] == "dungeon":
        return _eval_dungeon(generator, n, seed, data, json_path, out_dir, n_targets, write_card)
    if generator.card.data["kind"] != "tilemap":
        raise InvalidRequest(f"eval measures tile-map models; {generator.name}'s measured quality is in its card (gamegen models --json)")
    generator.generate_batch([], width=width)  # validates the width before the long run
    with ProgressBar(n, f"eval {generator.name}") as bar:
        result = evaluate_platformer(generator, n=n, width=width, first_seed=seed, data_dir=data, progress=bar.set)
    if n_targets:
        from gamegen.quality.evaluate import target_hit_rate

        result["control"] = target_hit_rate(generator, n_targets, width, data, seed)
    public = {k: v for k, v in result.items() if not k.startswith("_")}
    text = json.dumps(public, indent=2)
    click.echo(text)
    if json_path:
        atomic_write_text(json_path, text + "\n")
    if out_dir is not None:
        _write_eval_folder(result, text, generator, width, data, out_dir)
    if write_card:
        card = generator.card
        updated = dict(card.data, metrics={k: v for k, v in public.items() if k != "model"})
        atomic_write_text(card.folder / f"{card.name}.json", json.dumps(updated, indent=2) + "\n")
        click.echo(f"metrics recorded in {card.folder / (card.name + '.json')}", err=True)


def _eval_dungeon(generator, n, seed, data, json_path, out_dir, n_targets, write_card) -> None:
    """``eval`` of a dungeon model: N dungeons of 12 rooms proved reachable, N rooms against the corpus rooms."""
    from gamegen.dungeon.quality import evaluate_dungeon

    if out_dir is not None or n_targets or click.get_current_context().get_parameter_source("width") != click.core.ParameterSource.DEFAULT:
        raise InvalidRequest(f"{generator.name} makes dungeons: --width, --out and --targets do not apply (use --n, --seed, --json, --write-card)")
    with ProgressBar(n, f"eval {generator.name}") as bar:
        result = evaluate_dungeon(generator, n, seed, data, progress=bar.set)
    text = json.dumps(result, indent=2)
    click.echo(text)
    if json_path:
        atomic_write_text(json_path, text + "\n")
    if write_card:  # the trainer's other measures (reconstruction, ...) stay
        card = generator.card
        metrics = {**card.data.get("metrics", {}), **{k: v for k, v in result.items() if k != "model"}}
        atomic_write_text(card.folder / f"{card.name}.json", json.dumps(dict(card.data, metrics=metrics), indent=2) + "\n")
        click.echo(f"metrics recorded in {card.folder / (card.name + '.json')}", err=True)


def _write_eval_folder(result: dict, text: str, generator, width: int, data, out_dir: Path) -> None:
    from gamegen.corpus import load_platformer_corpus
    from gamegen.quality.evaluate import corpus_expressive_range
    from gamegen.quality.plots import write_eval_plots

    atomic_write_text(out_dir / "eval.json", text + "\n")
    corpus = corpus_expressive_range([c.level.grid for c in load_platformer_corpus(data)], generator.vocabulary, width)
    for path in write_eval_plots(result, corpus, out_dir):
        click.echo(f"wrote {path}", err=True)


class ProgressBar:
    """A progress bar whose position is set, not added to (evaluate reports levels done)."""

    def __init__(self, total: int, desc: str):
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=desc, unit="level", file=sys.stderr, disable=None)

    def __enter__(self):
        return self

    def set(self, done: int) -> None:
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc) -> None:
        self.bar.close()


@cli.command("bench")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None, help="Write the results here.")
@click.option("--quick", is_flag=True, help="Short timings: a smoke run, not a measurement.")
def bench_command(json_path, quick) -> None:
    """Measure speed as ratios in one run: ONNX Runtime vs PyTorch, FLOP/s vs the matmul peak, end to end."""
    from gamegen.bench.run import run_bench
    from gamegen.runtime.cards import list_models

    result = run_bench([card.name for card in list_models() if card.data["kind"] == "tilemap"], quick=quick, log=lambda line: click.echo(line))
    if json_path:
        atomic_write_text(json_path, json.dumps(result, indent=2) + "\n")


@cli.command("train")
@click.argument("name")
@click.option("--data", type=click.Path(path_type=Path), default=None, help="Corpus folder (default ../shared/data).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("models"), show_default=True, help="Where the ONNX file and card go.")
@click.option("--seed", type=int, default=None, help="Training seed (default: the recipe's).")
@click.option("--iterations", type=click.IntRange(1, 1_000_000), default=None, help="Generator updates of a GAN, optimiser steps of names-lstm (default: the recipe's).")
def train_command(name, data, out, seed, iterations) -> None:
    """Train NAME from the corpus with a fixed seed; write NAME.onnx and its card (needs the train extra)."""
    try:
        from gamegen.train.recipes import train
    except ImportError as exc:
        raise InvalidRequest(f"training needs the train extra ({exc.name} is missing): pip install 'gamegen[train]'") from None
    from gamegen.corpus import default_data_dir

    card_path = train(name, data or default_data_dir(), out, iterations=iterations, seed=seed)
    click.echo(f"wrote {card_path.with_suffix('.onnx')} and {card_path}")


@cli.command("view")
@click.argument("target", metavar="[FILE | MODEL]", required=False)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the first level (N/P/R change it).")
@click.option("--width", type=int, default=200, show_default=True, help="Level width in columns, for a model.")
@click.option("--zoom", type=int, default=None, help="Zoom 1 to 8 (default: the level's height fills the window).")
@click.option("--overlay", default="none", show_default=True, help="none, path or solid (O cycles them).")
@click.option("--grid", is_flag=True, help="Start with the tile grid shown (G toggles it).")
@click.option("--screenshot", type=click.Path(path_type=Path), default=None, help="Render one frame headless into this PNG and exit.")
@click.option("--size", default="1280x720", show_default=True, help="Window size, WIDTHxHEIGHT.")
@click.option("--export-dir", type=click.Path(path_type=Path), default=Path("view-exports"), show_default=True, help="Where E and S write.")
@click.option("--format", "formats", default="tmx,tmj,json,png", show_default=True, help="Formats E exports.")
def view_command(target, screenshot, **options) -> None:
    """Preview a map file (.tmx, .tmj, .json, .txt) or levels generated live by MODEL (needs the viewer extra)."""
    try:
        from gamegen.viewer import view
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] != "pygame":
            raise
        raise InvalidRequest("the viewer needs pygame, which is missing: pip install 'gamegen[viewer]'") from None
    written = view(target, screenshot=screenshot, **options)
    if written is not None:
        click.echo(f"wrote {written}")


@cli.command("world")
@click.option("--seed", type=int, default=0, show_default=True, help="World seed; every map of the pack derives its seed from it.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Pack folder (must be new or empty unless --force).")
@click.option("--force", is_flag=True, help="Replace an existing non-empty --out folder.")
@click.option("--size", type=int, default=None, help="Overworld side in tiles (default 256).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def world_command(seed, out, force, size, quiet) -> None:
    """Make a world pack: an overworld with towns and entrances, a level or dungeon per entrance,
    creature sprite sheets and place names, as a Tiled project with an engine-JSON index."""
    from gamegen.world.pack import DEFAULT_SIZE, build_world_pack

    index = build_world_pack(seed, out, size=size or DEFAULT_SIZE, force=force, progress=not quiet)
    click.echo(f"wrote a world pack of {len(index['maps'])} maps and {len(index['locations'])} locations to {out}/ (index: {out / 'world.json'})")


def main(argv: list[str] | None = None) -> int:
    try:
        code = cli.main(args=argv, prog_name="gamegen", standalone_mode=False)
    except GamegenError as exc:
        click.echo(f"gamegen: error: {exc}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("gamegen: interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
