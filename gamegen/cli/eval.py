"""``gamegen eval MODEL``: a generator measured, by its kind's evaluation; optionally recorded in its card.

    gamegen eval platformer-gan --n 1000 --json eval.json [--out DIR] [--targets 100] [--write-card [--card PATH]]
    gamegen eval platformer-gan --n 200 --judge maf [--judge-n 40] [--mario small|big] [--no-judge-corpus] [--out DIR]
    gamegen eval dungeon-vae --n 200
    gamegen eval overworld --n 5 --width 128
"""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path
from typing import Any

import click

from gamegen.cli.app import ProgressBar, cli, require
from gamegen.errors import InvalidRequest

__all__ = ["eval_command"]

# The eval flags each kind takes beyond --n, --seed, --json (kinds not listed have no evaluation here).
JUDGE_FLAGS = ("judge", "judge_n", "mario", "judge_corpus")
KIND_FLAGS = {"platformer": ("width", "data", "out_dir", "n_targets", "write_card", "card", *JUDGE_FLAGS),
              "dungeon": ("data", "write_card", "card"),
              "overworld": ("width",)}
FLAG_NAMES = {"width": "--width", "data": "--data", "out_dir": "--out", "n_targets": "--targets", "write_card": "--write-card", "card": "--card",
              "judge": "--judge", "judge_n": "--judge-n", "mario": "--mario", "judge_corpus": "--no-judge-corpus"}


@cli.command("eval")
@click.argument("model")
@click.option("--n", "n", type=click.IntRange(2, 100_000), default=1000, show_default=True, help="Items to generate.")
@click.option("--width", type=int, default=None, help="Platformer and overworld: width (default: the kind's).")
@click.option("--seed", type=int, default=0, show_default=True, help="First seed.")
@click.option("--data", type=click.Path(path_type=Path), default=None, help="Corpus folder (default ../shared/data).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None, help="Write the results here.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Platformer: write eval.json and PNG plots (the plots extra) into this folder.")
@click.option("--targets", "n_targets", type=click.IntRange(0, 10_000), default=0, show_default=True,
              help="Platformer: also measure controllable generation on this many random targets from the corpus' range.")
@click.option("--judge", type=click.Choice(["maf"]), default=None,
              help="Platformer: also play the shipped levels in the real engine (maf: the Mario AI Framework's A* agent; needs Java and the jar).")
@click.option("--judge-n", "judge_n", type=click.IntRange(1, 100_000), default=None,
              help="With --judge: judge the first K levels (default: min(n, 200)); seconds a level.")
@click.option("--mario", type=click.Choice(["small", "big"]), default="small", show_default=True,
              help="With --judge: Mario's mode in the engine.")
@click.option("--judge-corpus/--no-judge-corpus", "judge_corpus", default=True, show_default=True,
              help="With --judge: also judge the 15 Super Mario Bros corpus levels (a few minutes), the engine's yardstick.")
@click.option("--write-card", is_flag=True, help="Record the results in the model card's metrics.")
@click.option("--card", type=click.Path(path_type=Path), default=None,
              help="With --write-card: the card file to write (required for an installed package's card).")
@click.pass_context
def eval_command(ctx: click.Context, model: str, n: int, seed: int, json_path: Path | None, **params: Any) -> None:
    """Measure MODEL: platformer levels against the corpus (playability before and after repair, TPKL-Div,
    duplicates, diversity, novelty, expressive range; with --judge maf, the real engine's A* win rate),
    dungeons (validity, novelty), the overworld (tile shares, connected land)."""
    from gamegen.files import atomic_write_text
    from gamegen.registry import describe
    from gamegen.seeds import check_seed

    check_seed(seed)
    descriptor = describe(model)
    _check_kind_flags(ctx, descriptor)
    card_path = _card_target(descriptor, params) if params["write_card"] else None
    _check_judge_flags(ctx, params)  # a missing jar or JDK is reported now, not after the long run
    if params["out_dir"] is not None:
        require("matplotlib", "plots", "eval --out")  # before the run, not after it
        from gamegen.files import ensure_writable_dir

        ensure_writable_dir(params["out_dir"])
    result = _evaluate(descriptor, model, n, seed, params)
    public = {k: v for k, v in result.items() if not k.startswith("_")}
    text = json.dumps(public, indent=2)
    click.echo(text)
    if json_path:
        atomic_write_text(json_path, text + "\n")
    if params["out_dir"] is not None:
        _write_eval_folder(result, text, descriptor.name, params)
    if card_path is not None:
        _record_in_card(descriptor, public, card_path)


def _check_kind_flags(ctx: click.Context, descriptor) -> None:
    """One line for a kind without an evaluation, and one for the flags its evaluation does not take."""
    from gamegen.cli.request import given

    allowed = KIND_FLAGS.get(descriptor.kind)
    if allowed is None:
        raise InvalidRequest(f"{descriptor.name} makes {descriptor.content}; its measured quality is in its card (gamegen models --json)")
    stray = [FLAG_NAMES[name] for name in given(ctx, FLAG_NAMES) if name not in allowed]
    if stray:
        takes = "".join(", " + FLAG_NAMES[a] for a in allowed)
        verb = "does" if len(stray) == 1 else "do"
        raise InvalidRequest(f"{', '.join(stray)} {verb} not apply to eval {descriptor.name} (its flags: --n, --seed, --json{takes})")


def _evaluate(descriptor, model: str, n: int, seed: int, params: dict[str, Any]) -> dict:
    from gamegen.api import load

    generator = load(model)
    if descriptor.kind == "overworld":
        from gamegen.quality.overworld import evaluate_overworld

        options = generator.options(**({"width": params["width"]} if params["width"] is not None else {"width": 128}))
        with ProgressBar(n, f"eval {generator.name}", "map") as bar:
            return evaluate_overworld(generator, n, options, seed, progress=bar.set)
    if descriptor.kind == "dungeon":
        from gamegen.dungeon.quality import evaluate_dungeon

        with ProgressBar(n, f"eval {generator.name}", "dungeon") as bar:
            return evaluate_dungeon(generator, n, seed, params["data"], progress=bar.set)
    from gamegen.quality.evaluate import evaluate_platformer, target_hit_rate

    width = generator.options(width=params["width"] if params["width"] is not None else 200).width  # checked before the long run
    with ProgressBar(n, f"eval {generator.name}", "level") as bar:
        result = evaluate_platformer(generator, n=n, width=width, first_seed=seed, data_dir=params["data"], progress=bar.set)
    if params["n_targets"]:
        result["control"] = target_hit_rate(generator, params["n_targets"], width, params["data"], seed)
    if params["judge"]:
        _judge(generator, result, n, width, seed, params)
    return result


def _check_judge_flags(ctx: click.Context, params: dict[str, Any]) -> None:
    """--judge-n, --mario and --no-judge-corpus need --judge; with it, the judge must be installed."""
    from gamegen.cli.request import given

    if params["judge"] is None:
        stray = [FLAG_NAMES[name] for name in given(ctx, JUDGE_FLAGS[1:])]
        if stray:
            raise InvalidRequest(f"{', '.join(stray)} {'needs' if len(stray) == 1 else 'need'} --judge maf")
        return
    from gamegen.quality.judge import check_judge

    check_judge(params["judge"], params["mario"])


def _judge(generator, result: dict, n: int, width: int, seed: int, params: dict[str, Any]) -> None:
    """The real engine's verdicts on the first --judge-n shipped levels, into result["maf_judge"]."""
    from gamegen.quality.judge import DEFAULT_JUDGE_N, judge_generator

    k = min(n, params["judge_n"] or DEFAULT_JUDGE_N)
    corpus_note = " and the 15 SMB corpus levels" if params["judge_corpus"] else ""
    click.echo(f"judging {k} level(s) in the Mario AI Framework ({params['mario']} Mario, A*){corpus_note}...", err=True)
    judged = judge_generator(generator, k, width, seed, params["mario"], data_dir=params["data"], corpus=params["judge_corpus"])
    result["_judged"] = (judged.pop("_levels"), judged.pop("_results"))
    result["maf_judge"] = judged
    corpus = judged.get("corpus_smb")
    click.echo(f"MAF A* won {judged['won']}/{k} (win rate {judged['win_rate']}); gamegen finishable {judged['own_finishable_rate']}; "
               f"agreement {judged['agreement']}; losses {judged['loss_causes']}"
               + (f"; corpus SMB won {corpus['won']}/{corpus['judged']}" if corpus else ""), err=True)


def _card_target(descriptor, params: dict[str, Any]) -> Path:
    """Where --write-card writes: --card, or the card in place unless it belongs to an installed package."""
    if params["card"] is not None:
        return Path(params["card"])
    folder = descriptor.card.folder.resolve()
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    if any(folder.is_relative_to(site) for site in installed):
        raise InvalidRequest(f"{descriptor.name}'s card belongs to the installed gamegen package ({folder}); give --card PATH to write a copy")
    return folder / f"{descriptor.name}.json"


def _record_in_card(descriptor, public: dict, card_path: Path) -> None:
    """The results into the card's metrics (the trainer's other measures, such as reconstruction, stay)."""
    from gamegen.files import atomic_write_text

    card = descriptor.card
    metrics = {**card.data.get("metrics", {}), **{k: v for k, v in public.items() if k != "model"}}  # what this run measured replaces its keys
    atomic_write_text(card_path, json.dumps(dict(card.data, metrics=metrics), indent=2) + "\n")
    click.echo(f"metrics recorded in {card_path}", err=True)


def _write_eval_folder(result: dict, text: str, name: str, params: dict[str, Any]) -> None:
    from gamegen.corpus import load_platformer_corpus
    from gamegen.files import atomic_write_text
    from gamegen.quality.evaluate import corpus_expressive_range
    from gamegen.quality.plots import write_eval_plots
    from gamegen.tiles import load_vocabulary

    out_dir = params["out_dir"]
    atomic_write_text(out_dir / "eval.json", text + "\n")
    if "_judged" in result:
        from gamegen.quality.judge_picture import write_judged_pictures

        levels, results = result["_judged"]
        for path in write_judged_pictures(levels, results, out_dir):
            click.echo(f"wrote {path}", err=True)
    corpus = load_platformer_corpus(params["data"])
    ranges = corpus_expressive_range([c.level.grid for c in corpus], load_vocabulary("platformer"), params["width"] or 200)
    for path in write_eval_plots(result, ranges, out_dir):
        click.echo(f"wrote {path}", err=True)
