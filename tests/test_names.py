"""The shipped names model: seeded names through the API and the CLI, its card, and one-line errors."""

import json
import subprocess
import sys

import numpy as np
import pytest

import gamegen
from gamegen import InvalidRequest
from gamegen.files import sha256_file
from gamegen.names.generator import sample_tokens

KINDS = ("creature", "item", "place")


@pytest.fixture(scope="module")
def gen():
    return gamegen.load("names-lstm")


def test_the_card_records_corpus_licences_and_quality(gen):
    card = gen.card.data
    assert card["kind"] == "names" and card["generator"] == "names"
    assert card["tokens"][0] == "" and set(card["kinds"]) == set(KINDS)
    for key in ("corpus", "counts", "commit", "command", "seed", "duration_s", "split"):
        assert key in card["training"], key
    sources = [s["licence"] for group in card["data_licence"]["sources"].values() for s in group]
    assert sorted(sources) == ["CC-BY-4.0", "CC-BY-4.0", "CC0-1.0"]
    assert "DawnBringer" in card["data_licence"]["attribution"] and "GeoNames" in card["data_licence"]["attribution"]
    metrics = card["metrics"]
    for kind in KINDS:
        ppl = metrics["held_out_perplexity"][kind]
        assert ppl["lstm"] < ppl["bigram"] and ppl["beats_bigram"]
        assert metrics["generate"][kind]["copy_rate"] < 0.05
        assert metrics["generate"][kind]["duplicates_within_a_call"] == 0
        assert len(metrics["samples"]["names"][kind]) == 20


def test_names_are_distinct_new_and_reproducible(gen):
    known = gen.known_names()
    for kind in KINDS:
        names = gen.generate(seed=1, kind=kind, n=50).names
        assert len(names) == len(set(names)) == 50
        assert not {n.lower() for n in names} & known
        assert names == gen.generate(seed=1, kind=kind, n=50).names
        assert names[:20] == gen.generate(seed=1, kind=kind, n=20).names  # a fixed round size: n does not change the draw
        assert names != gen.generate(seed=2, kind=kind, n=50).names
    assert gen.card.data["metrics"]["samples"]["names"]["place"] == gen.generate(seed=1, kind="place", n=20).names


def test_places_are_capitalised_and_things_are_not(gen):
    assert all(name[0].isupper() for name in gen.generate(seed=3, kind="place", n=20).names)
    assert all(name == name.lower() for name in gen.generate(seed=3, kind="creature", n=20).names)


def test_same_names_whatever_the_thread_count_or_the_process(gen):
    expected = gen.generate(seed=9, kind="item", n=30, temperature=0.8, top_k=10).names
    assert gamegen.load("names-lstm", threads=1).generate(seed=9, kind="item", n=30, temperature=0.8, top_k=10).names == expected
    code = "import gamegen, json; print(json.dumps(gamegen.load('names-lstm').generate(seed=9, kind='item', n=30, temperature=0.8, top_k=10).names))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == expected


def test_sampling_by_inverse_cdf_with_top_k():
    logits = np.log(np.array([[0.1, 0.2, 0.3, 0.4]], dtype=np.float32))
    assert sample_tokens(logits, np.array([0.05]), 1.0, None)[0] == 0
    assert sample_tokens(logits, np.array([0.25]), 1.0, None)[0] == 1
    assert sample_tokens(logits, np.array([0.999]), 1.0, None)[0] == 3
    assert sample_tokens(logits, np.array([0.0]), 1.0, 2)[0] == 2  # only the two likeliest remain
    assert sample_tokens(logits, np.array([0.99]), 0.01, None)[0] == 3  # a cold temperature is nearly greedy


@pytest.mark.parametrize("kwargs, message", [
    ({"kind": "monster"}, "unknown kind 'monster'"),
    ({"kind": None}, "unknown kind None"),
    ({"n": 0}, "n 0 is outside"),
    ({"n": 1001}, "n 1001 is outside"),
    ({"n": 2.5}, "n must be an integer"),
    ({"seed": -1}, "outside [0, 2**63)"),
    ({"seed": "one"}, "seed must be an integer"),
    ({"temperature": 0}, "temperature must be a number in (0"),
    ({"temperature": -1.0}, "temperature must be"),
    ({"temperature": float("nan")}, "temperature must be"),
    ({"temperature": "hot"}, "temperature must be"),
    ({"top_k": 0}, "top_k 0 is outside"),
    ({"top_k": 1.5}, "top_k must be an integer"),
])
def test_bad_input_is_one_line(gen, kwargs, message):
    with pytest.raises(InvalidRequest) as caught:
        gen.generate(**{"seed": 1, "kind": "creature", "n": 5, **kwargs})
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_greedy_sampling_cannot_find_many_new_names(gen):
    with pytest.raises(InvalidRequest, match="new distinct creature names of 5"):
        gen.generate(seed=1, kind="creature", n=5, top_k=1)


def test_cli_writes_names_and_manifest(gen, run_cli, tmp_path):
    out_dir = tmp_path / "out"
    code, _out, err = run_cli("generate", "names-lstm", "--seed", 1, "--count", 50, "--kind", "creature", "--format", "txt,json", "--out", out_dir)
    assert code == 0, err
    assert {p.name for p in out_dir.iterdir()} == {"names-lstm-1-creature.txt", "names-lstm-1-creature.json", "manifest.jsonl"}
    expected = gen.generate(seed=1, kind="creature", n=50).names
    assert (out_dir / "names-lstm-1-creature.txt").read_text(encoding="utf-8").splitlines() == expected
    doc = json.loads((out_dir / "names-lstm-1-creature.json").read_text(encoding="utf-8"))
    assert doc["names"] == expected and doc["kind"] == "creature" and doc["format"] == "gamegen-names"
    lines = [json.loads(line) for line in (out_dir / "manifest.jsonl").read_text().splitlines()]
    assert {line["path"] for line in lines} == {"names-lstm-1-creature.txt", "names-lstm-1-creature.json"}
    for line in lines:
        assert line["sha256"] == sha256_file(out_dir / line["path"])
        assert line["provenance"]["model_sha256"] == gen.card.sha256
        assert line["provenance"]["params"] == {"kind": "creature", "n": 50, "temperature": 1.0, "top_k": None}
    assert "names-lstm" in run_cli("models")[1]


@pytest.mark.parametrize("args, message", [
    (["--kind", "monster"], "unknown kind 'monster'"),
    (["--format", "txt,png"], "does not apply to names"),
    (["--temperature", "0"], "temperature must be"),
    (["--count", "5000"], "n 5000 is outside"),
])
def test_cli_bad_input_writes_nothing(run_cli, tmp_path, args, message):
    code, _, err = run_cli("generate", "names-lstm", "--out", tmp_path / "out", *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_cli_refuses_names_options_for_a_tile_model(run_cli, tmp_path):
    code, _, err = run_cli("generate", "platformer-gan", "--kind", "place", "--out", tmp_path / "out")
    assert code == 2 and "--kind does not apply to platformer-gan" in err
