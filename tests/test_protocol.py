"""The one Generator protocol: every kind has a descriptor, typed options declared once, and the same calls."""

from __future__ import annotations

import dataclasses
import importlib.util
import sysconfig

import pytest

import gamegen
from gamegen.cli.request import KINDS, kind_flags
from gamegen.errors import InvalidRequest
from gamegen.protocol import Descriptor, Generator, GeneratorBase, Options, provenance
from gamegen.registry import GENERATOR_CLASSES, MODEL_FREE, describe

EVERY_GENERATOR = ["platformer-gan", "platformer-segment-gan", "dungeon-vae", "sprite-gan", "sprite-vae", "names-lstm", "overworld"]


@pytest.mark.parametrize("name", EVERY_GENERATOR)
def test_every_generator_has_the_one_shape(name):
    descriptor = describe(name)
    assert isinstance(descriptor, Descriptor) and descriptor.name == name and descriptor.kind in KINDS
    assert issubclass(descriptor.options, Options) and dataclasses.is_dataclass(descriptor.options)
    gen = gamegen.load(name)
    assert isinstance(gen, Generator) and isinstance(gen, GeneratorBase)
    assert (gen.name, gen.kind) == (name, descriptor.kind) and gen.descriptor == descriptor
    options = gen.options()
    assert isinstance(options, descriptor.options)
    assert list(options.to_dict()) == [spec.name for spec in descriptor.options.declared()]
    assert (descriptor.card is None) == (name in MODEL_FREE)


def test_every_model_kind_is_registered_with_its_options():
    for cls in {*GENERATOR_CLASSES.values(), *MODEL_FREE.values()}:
        assert issubclass(cls.options_type, Options), cls


@pytest.mark.parametrize("name, small", [("overworld", {"width": 12, "height": 9}), ("names-lstm", {"n": 4, "kind": "place"}),
                                         ("dungeon-vae", {"doors": "NS"}), ("sprite-gan", {"n": 3, "category": "item"})])
def test_keywords_an_options_object_and_a_mapping_are_the_same_request(name, small):
    gen = gamegen.load(name)
    by_keywords = gen.generate(5, **small)
    by_object = gen.generate(5, gen.options(**small))
    by_mapping = gen.generate(seed=5, options=small)
    assert by_keywords.provenance == by_object.provenance == by_mapping.provenance
    assert gen.generate_batch([5, 6], small)[0].provenance == by_keywords.provenance


def test_an_option_another_kind_has_is_one_line():
    with pytest.raises(InvalidRequest) as caught:
        gamegen.load("overworld").generate(1, rooms=3)
    assert str(caught.value) == "rooms does not apply to overworld; its options are height, width"


def test_declared_ranges_are_checked_once_for_every_caller():
    gen = gamegen.load("names-lstm")
    for bad, message in [({"n": 0}, "n 0 is outside"), ({"temperature": 0}, "temperature must be"), ({"kind": "monster"}, "unknown kind")]:
        with pytest.raises(InvalidRequest, match=message):
            gen.options(**bad)


def test_provenance_is_made_by_one_helper():
    record = provenance(describe("overworld"), 7, {"width": 3}, algorithm="noise")
    assert list(record) == ["model", "seed", "params", "algorithm", "gamegen_version"]
    card_record = provenance(describe("platformer-gan"), 7, {"width": 60})
    assert list(card_record) == ["model", "model_sha256", "seed", "params", "gamegen_version"]
    assert gamegen.load("platformer-gan").generate(7, width=60, playable=False).provenance == dict(card_record, params={"width": 60, "playable": False})


def test_the_generate_flags_are_the_kinds_declared_options():
    declared = {spec.flag for kind in KINDS for spec in describe_kind(kind).declared() if spec.flag}
    assert {flag.flag for flag in kind_flags()} == declared


def describe_kind(kind: str) -> type[Options]:
    name = {"platformer": "platformer-gan", "dungeon": "dungeon-vae", "sprites": "sprite-gan", "names": "names-lstm", "overworld": "overworld"}[kind]
    return describe(name).options


@pytest.mark.parametrize("model, flag, value", [("platformer-gan", "--rooms", "3"), ("dungeon-vae", "--width", "40"), ("sprite-gan", "--kind", "place"),
                                                ("names-lstm", "--palette", "db16"), ("overworld", "--target", "density=0.1")])
def test_one_message_says_a_flag_does_not_apply(run_cli, tmp_path, model, flag, value):
    code, _, err = run_cli("generate", model, flag, value, "--out", tmp_path / "out")
    assert code == 2 and f"{flag} does not apply to {model} (its options:" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_bench_without_the_train_extra_fails_at_once(run_cli, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    code, out, err = run_cli("bench", "--quick")
    assert code == 2 and out == "" and "pip install 'gamegen[train]'" in err and err.count("\n") == 1


def test_eval_out_without_matplotlib_fails_before_the_run(run_cli, monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    code, out, err = run_cli("eval", "platformer-gan", "--n", "2", "--out", tmp_path / "eval")
    assert code == 2 and out == "" and "pip install 'gamegen[plots]'" in err


def test_write_card_never_overwrites_an_installed_package_card(run_cli, monkeypatch, tmp_path):
    card = describe("dungeon-vae").card
    assert card is not None
    before = (card.folder / "dungeon-vae.json").read_bytes()
    real = sysconfig.get_paths
    monkeypatch.setattr(sysconfig, "get_paths", lambda *a, **k: dict(real(*a, **k), purelib=str(card.folder.parent)))
    code, out, err = run_cli("eval", "dungeon-vae", "--n", "2", "--write-card")
    assert code == 2 and out == "" and "give --card PATH" in err
    assert (card.folder / "dungeon-vae.json").read_bytes() == before
