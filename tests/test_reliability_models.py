"""Model folders are untrusted: size cap before hashing, external data only inside the folder and covered by
the card, malformed cards refused, the protobuf scan agrees with ``onnx`` and survives garbage; no unpickling."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gamegen
import gamegen.runtime.cards as cards
from gamegen import ModelError, ModelIntegrityError
from gamegen.files import sha256_file
from gamegen.runtime.cards import shipped_models_dir
from gamegen.runtime.onnxscan import OnnxScanError, external_data_refs

REPO = Path(__file__).resolve().parent.parent
SHIPPED_ONNX = shipped_models_dir() / "platformer-gan.onnx"


def _card(folder: Path) -> Path:
    return folder / "platformer-gan.json"


def _edit_card(folder: Path, change) -> None:
    data = json.loads(_card(folder).read_text())
    change(data)
    _card(folder).write_text(json.dumps(data))


# -- size cap -----------------------------------------------------------------


def test_a_model_past_the_size_cap_is_refused_before_a_byte_is_hashed(model_copy, monkeypatch):
    onnx = model_copy / "platformer-gan.onnx"
    with open(onnx, "r+b") as fh:  # sparse: 513 MiB on paper, nothing on disk
        fh.truncate(cards.MAX_MODEL_BYTES + (1 << 20))
    monkeypatch.setattr(cards, "sha256_file", lambda path: pytest.fail("hashed a file past the cap"))
    with pytest.raises(ModelIntegrityError, match="past 512 MiB; gamegen refuses larger models"):
        gamegen.load(model_copy)


def test_an_oversized_card_is_refused_unread(model_copy):
    _card(model_copy).write_bytes(b" " * (cards.MAX_CARD_BYTES + 1))
    with pytest.raises(ModelError, match="larger than 1024 KiB"):
        gamegen.load(model_copy)


# -- malformed cards ------------------------------------------------------------

BAD_CARDS = {
    "name-with-path": (lambda c: c.update(name="../../evil"), "name '../../evil' must be a plain name"),
    "vocabulary-with-path": (lambda c: c.update(vocabulary="../../../tmp/x"), "vocabulary .* must be a plain name"),
    "onnx-file-escapes": (lambda c: c["onnx"].update(file="../../platformer-gan.onnx"), "points outside the model folder"),
    "onnx-file-absolute": (lambda c: c["onnx"].update(file=str(SHIPPED_ONNX)), "points outside the model folder"),
    "sha256-not-hex": (lambda c: c["onnx"].update(sha256="zz"), "64 lower-case hex digits"),
    "onnx-not-object": (lambda c: c.update(onnx="model.onnx"), "onnx must hold a file name"),
    "inputs-not-list": (lambda c: c.update(inputs={"name": "latent"}), "inputs must be a non-empty list"),
    "shape-holds-float": (lambda c: c["inputs"][0].update(shape=["batch", 32.5, "cols"]), "neither a name nor a size"),
    "huge-width": (lambda c: c["width"].update(max=10**9), "width 28-1000000000 is not inside 1-16384"),
    "width-not-int": (lambda c: c["width"].update(min="28"), "integer min and max"),
    "latent-not-int": (lambda c: c["config"].update(latent="32"), r"config.latent must be an integer"),
    "huge-latent": (lambda c: c["config"].update(latent=10**6), r"config.latent must be an integer in \[0, 4096\]"),
    "missing-name": (lambda c: c.pop("name"), "lacks name"),
    "external-data-not-hashes": (lambda c: c["onnx"].update(external_data={"w.bin": "nope"}), "external_data must map"),
    "no-config": (lambda c: c.pop("config"), "cannot configure a sequence generator"),
    "unknown-generator": (lambda c: c.update(generator="dungeon-vae"), "has no generator 'dungeon-vae'"),
}


@pytest.mark.parametrize("change, message", BAD_CARDS.values(), ids=BAD_CARDS.keys())
def test_malformed_cards_are_one_line_model_errors(model_copy, change, message):
    _edit_card(model_copy, change)
    with pytest.raises(ModelError, match=message) as info:
        gamegen.load(model_copy)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text", ["[1, 2]", "[" * 100_000, '{"name": 1e999999}', "\xff\xfe"], ids=["list", "deep", "huge-number", "not-utf8"])
def test_cards_that_are_not_card_json(model_copy, text):
    _card(model_copy).write_bytes(text.encode("latin-1"))
    with pytest.raises(ModelError):
        gamegen.load(model_copy)


def test_a_card_that_is_a_fifo_is_refused_without_blocking(model_copy):
    _card(model_copy).unlink()
    os.mkfifo(_card(model_copy))
    with pytest.raises(ModelError, match="not a regular file"):
        gamegen.load(model_copy)


def test_an_onnx_file_that_is_a_link_out_of_the_folder(model_copy):
    onnx = model_copy / "platformer-gan.onnx"
    onnx.unlink()
    onnx.symlink_to(SHIPPED_ONNX)  # the very bytes the card hashes, but outside the folder
    with pytest.raises(ModelIntegrityError, match="points outside the model folder"):
        gamegen.load(model_copy)


# -- external data ----------------------------------------------------------------


@pytest.fixture
def external_model(model_copy):
    """The shipped model with its weights moved to ``weights.bin`` beside it, listed in the card."""
    onnx = pytest.importorskip("onnx")
    from onnx.external_data_helper import convert_model_to_external_data

    path = model_copy / "platformer-gan.onnx"
    model = onnx.load(path)
    convert_model_to_external_data(model, all_tensors_to_one_file=True, location="weights.bin", size_threshold=1024)
    onnx.save_model(model, path)
    weights = model_copy / "weights.bin"
    _edit_card(model_copy, lambda c: c["onnx"].update(sha256=sha256_file(path), external_data={"weights.bin": sha256_file(weights)}))
    return model_copy


def _relocate(folder: Path, location: str) -> None:
    """Point every external tensor at ``location`` and make the card match the rewritten graph."""
    import onnx

    path = folder / "platformer-gan.onnx"
    model = onnx.load(path, load_external_data=False)
    for tensor in model.graph.initializer:
        for entry in tensor.external_data:
            if entry.key == "location":
                entry.value = location
    onnx.save_model(model, path)
    _edit_card(folder, lambda c: c["onnx"].update(sha256=sha256_file(path), external_data={location: sha256_file(folder / "weights.bin")}))


def test_external_data_inside_the_folder_loads_and_generates_the_same_level(external_model):
    assert np.array_equal(gamegen.load(external_model).generate(3, width=60).grid, gamegen.load("platformer-gan").generate(3, width=60).grid)


ESCAPES = ["../outside/weights.bin", "/tmp/weights.bin", "sub/../../weights.bin", "..\\weights.bin", "C:\\weights.bin", "\\\\server\\share\\w.bin", "link.bin"]


@pytest.mark.parametrize("location", ESCAPES)
def test_external_data_pointing_outside_the_folder_is_refused(external_model, tmp_path, location):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(external_model / "weights.bin", outside / "weights.bin")
    (external_model / "link.bin").symlink_to(outside / "weights.bin")  # a link inside that leads out
    _relocate(external_model, location)
    with pytest.raises(ModelIntegrityError, match=r"external data .* points outside the model folder"):
        gamegen.load(external_model)


def test_onnx_runtime_also_refuses_traversal_on_its_own(external_model, tmp_path):
    """Defence in depth: the ONNX Runtime installed here refuses it too (older releases may not)."""
    ort = pytest.importorskip("onnxruntime")
    (tmp_path / "weights.bin").write_bytes((external_model / "weights.bin").read_bytes())
    _relocate(external_model, "../weights.bin")
    with pytest.raises(Exception, match=r"escapes model directory|outside"):
        ort.InferenceSession(str(external_model / "platformer-gan.onnx"), providers=["CPUExecutionProvider"])


def test_external_data_must_be_listed_with_its_sha256(external_model):
    _edit_card(external_model, lambda c: c["onnx"].pop("external_data"))
    with pytest.raises(ModelIntegrityError, match="does not list with a sha256"):
        gamegen.load(external_model)
    _edit_card(external_model, lambda c: c["onnx"].update(external_data={"weights.bin": "0" * 64}))
    with pytest.raises(ModelIntegrityError, match="does not have the sha256 its card lists"):
        gamegen.load(external_model)


# -- the protobuf scan --------------------------------------------------------------


def test_the_scan_agrees_with_onnx(external_model):
    onnx = pytest.importorskip("onnx")
    from onnx.external_data_helper import _get_all_tensors, uses_external_data

    for path in [*shipped_models_dir().glob("*.onnx"), external_model / "platformer-gan.onnx"]:
        model = onnx.load(path, load_external_data=False)
        expected = [t.name for t in _get_all_tensors(model) if uses_external_data(t)]
        assert [ref.tensor for ref in external_data_refs(path.read_bytes())] == expected, path.name


def test_the_scan_finds_tensors_in_subgraphs_and_attributes():
    pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    def external(name: str, location: str) -> TensorProto:
        tensor = helper.make_tensor(name, TensorProto.FLOAT, [1], [0.0])
        tensor.ClearField("float_data")
        tensor.data_location = TensorProto.EXTERNAL
        tensor.external_data.add(key="location", value=location)
        return tensor

    branch = helper.make_graph([helper.make_node("Constant", [], ["y"], value=external("inner", "/etc/passwd"))], "b", [], [helper.make_tensor_value_info("y",
        TensorProto.FLOAT, [1])])
    node = helper.make_node("If", ["c"], ["y"], then_branch=branch, else_branch=branch)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("c", TensorProto.BOOL, [])], [helper.make_tensor_value_info("y", TensorProto.FLOAT,
        [1])], initializer=[external("w", "../w.bin")])
    refs = external_data_refs(helper.make_model(graph).SerializeToString())
    assert sorted((r.tensor, r.location) for r in refs) == [("inner", "/etc/passwd"), ("inner", "/etc/passwd"), ("w", "../w.bin")]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_scan_of_damaged_bytes_ends_in_a_result_or_its_own_error(data):
    raw = bytearray(SHIPPED_ONNX.read_bytes()[:4096])
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    with contextlib.suppress(OnnxScanError):
        external_data_refs(bytes(raw[:cut]))


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def test_the_scan_stops_at_its_depth_and_field_limits():
    chain = b""
    for _ in range(30):  # graph.node(1) → node.attribute(5) → attribute.g(6) → graph …: 90 levels
        chain = _field(1, _field(5, _field(6, chain)))
    with pytest.raises(OnnxScanError, match="nested deeper than 64"):
        external_data_refs(_field(7, chain))
    with pytest.raises(OnnxScanError, match="more than"):
        external_data_refs(b"\x08\x01" * 1000, max_fields=100)  # ir_version, a thousand times
    for bad in (b"\x3a\x05ab", b"\x3a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", b"\x0b", b"\x00\x00"):  # short, overlong, group, field 0
        with pytest.raises(OnnxScanError):
            external_data_refs(bad)


# -- nothing unpickles -----------------------------------------------------------------

UNSAFE = [
    (re.compile(r"torch\.load\((?![^)]*weights_only\s*=\s*True)"), "torch.load without weights_only=True"),
    (re.compile(r"\b(c?pickle|dill|joblib|shelve|marshal)\.loads?\("), "an unpickler"),
    (re.compile(r"allow_pickle\s*=\s*True"), "numpy allow_pickle=True"),
    (re.compile(r"yaml\.load\((?![^)]*SafeLoader)"), "yaml.load without SafeLoader"),
]


def test_the_code_base_never_unpickles():
    sources = [p for top in ("gamegen", "exporters", "viewer") for p in (REPO / top).rglob("*.py")]
    assert len(sources) > 20
    found = [f"{p.relative_to(REPO)}: {what}" for p in sources for pattern, what in UNSAFE if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == []
