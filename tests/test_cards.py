"""Model cards: required fields, and the checks before first use."""

import json

import pytest

import gamegen
from gamegen import ModelError, ModelIntegrityError, UnknownModel
from gamegen.files import sha256_file
from gamegen.runtime.cards import list_models

SHIPPED = {"platformer-gan", "platformer-segment-gan"}


def test_shipped_models_and_their_cards():
    cards = {card.name: card for card in list_models()}
    assert set(cards) >= SHIPPED
    for card in cards.values():
        data = card.data
        assert sha256_file(card.onnx_path) == card.sha256
        for key in ("kind", "architecture", "vocabulary", "inputs", "outputs", "config", "training", "metrics", "data_licence"):
            assert key in data, (card.name, key)
        training = data["training"]
        for key in ("corpus", "commit", "command", "seed", "duration_s"):
            assert key in training, (card.name, key)
        if card.name not in SHIPPED:
            continue  # other models' cards are checked by their own tests (test_names.py)
        assert "latent_size" in data and len(training["files"]) == 37
        assert data["data_licence"]["licence"] == "MIT"
        assert "Summerville" in data["data_licence"]["attribution"]


def test_a_changed_byte_fails_the_sha256(model_copy):
    onnx = model_copy / "platformer-gan.onnx"
    data = bytearray(onnx.read_bytes())
    data[len(data) // 2] ^= 0xFF
    onnx.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="sha256"):
        gamegen.load(model_copy)


def test_a_missing_onnx_file(model_copy):
    (model_copy / "platformer-gan.onnx").unlink()
    with pytest.raises(ModelError, match="is missing"):
        gamegen.load(model_copy)


def _edit_card(folder, change):
    path = folder / "platformer-gan.json"
    card = json.loads(path.read_text())
    change(card)
    path.write_text(json.dumps(card))


def test_declared_shapes_are_checked(model_copy):
    _edit_card(model_copy, lambda c: c["inputs"][0].update(shape=["batch", 64, "latent_columns"]))
    with pytest.raises(ModelIntegrityError, match="input 'latent'"):
        gamegen.load(model_copy)


def test_declared_names_are_checked(model_copy):
    _edit_card(model_copy, lambda c: c["outputs"][0].update(name="tiles"))
    with pytest.raises(ModelIntegrityError, match="graph outputs are"):
        gamegen.load(model_copy)


def test_a_corrupt_graph_with_a_matching_card(model_copy):
    onnx = model_copy / "platformer-gan.onnx"
    onnx.write_bytes(b"not an onnx graph")
    _edit_card(model_copy, lambda c: c["onnx"].update(sha256=sha256_file(onnx)))
    with pytest.raises(ModelError, match="ONNX Runtime cannot load"):
        gamegen.load(model_copy)


def test_unknown_names_and_folders(tmp_path):
    with pytest.raises(UnknownModel, match="unknown model 'nope'; shipped models: "):
        gamegen.load("nope")
    with pytest.raises(UnknownModel, match="exactly one card"):
        gamegen.load(tmp_path)
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(ModelError, match="not readable JSON"):
        gamegen.load(tmp_path)


def _with_second_graph(folder):
    """The platformer-gan copy, given a second graph (a copy of its own file) as a VAE card lists its encoder."""
    import shutil

    shutil.copy(folder / "platformer-gan.onnx", folder / "platformer-gan-twin.onnx")
    card = json.loads((folder / "platformer-gan.json").read_text())
    spec = {"onnx": {"file": "platformer-gan-twin.onnx", "sha256": sha256_file(folder / "platformer-gan-twin.onnx")}}
    _edit_card(folder, lambda c: c.update(generator="two-graphs", graphs={"twin": {**spec, "inputs": card["inputs"], "outputs": card["outputs"]}}))


class _TwoGraphs:
    def __init__(self, card, model, graphs):
        self.card, self.model, self.graphs = card, model, graphs


def test_further_graphs_are_checked_and_handed_over(model_copy, monkeypatch):
    from gamegen.registry import GENERATOR_CLASSES

    monkeypatch.setitem(GENERATOR_CLASSES, "two-graphs", _TwoGraphs)
    _with_second_graph(model_copy)
    gen = gamegen.load(model_copy)
    assert list(gen.graphs) == ["twin"] and gen.graphs["twin"].path.name == "platformer-gan-twin.onnx"
    assert gen.graphs["twin"].signature() == gen.model.signature()

    twin = model_copy / "platformer-gan-twin.onnx"
    twin.write_bytes(twin.read_bytes()[:-1] + b"\0")
    with pytest.raises(ModelIntegrityError, match=r"platformer-gan\.twin.*sha256"):
        gamegen.load(model_copy)
    twin.unlink()
    with pytest.raises(ModelError, match="is missing"):
        gamegen.load(model_copy)


def test_a_further_graph_may_not_leave_the_folder(model_copy, monkeypatch):
    from gamegen.registry import GENERATOR_CLASSES

    monkeypatch.setitem(GENERATOR_CLASSES, "two-graphs", _TwoGraphs)
    _with_second_graph(model_copy)
    _edit_card(model_copy, lambda c: c["graphs"]["twin"]["onnx"].update(file="../platformer-gan-twin.onnx"))
    with pytest.raises(ModelIntegrityError, match="outside the model folder"):
        gamegen.load(model_copy)
    _edit_card(model_copy, lambda c: c["graphs"].update({"twin": {"inputs": []}}))
    with pytest.raises(ModelError, match=r"graphs\.twin lacks"):
        gamegen.load(model_copy)
