"""Every public entry point checks its arguments and raises the GamegenError tree, before allocating.

Each row calls one entry point with one bad argument; it must raise the
expected class of the tree (never a bare TypeError, AttributeError,
MemoryError or a hang), with a one-line message, in seconds at most and
without allocating more than a few MB (``width=10**9`` is refused, not tried).
"""

from __future__ import annotations

import itertools
import time
import tracemalloc

import numpy as np
import pytest
from exporters_samples import FakeGenerator, all_tiles_level

import gamegen
from gamegen import DataError, ExportError, GamegenError, InvalidRequest, ModelError
from gamegen.exporters import get_exporter, parse_formats, read_map
from gamegen.exporters.preview import contact_sheet, render_map
from gamegen.output.batch import FolderWriter, export_to_folder, generate_to_folder
from gamegen.tiles import TileMap, Vocabulary, load_vocabulary


@pytest.fixture(scope="module")
def gen():
    return gamegen.load("platformer-gan")


VOCAB = load_vocabulary("platformer")
LEVEL = all_tiles_level()
HUGE = np.broadcast_to(np.int16(0), (10**6, 10**6))  # 10**12 cells that take no memory until copied

CASES = {
    # gamegen.load
    "load-int": (lambda g: gamegen.load(5), InvalidRequest, "shipped model's name or a model folder"),
    "load-empty": (lambda g: gamegen.load(""), InvalidRequest, "shipped model's name"),
    "load-unknown": (lambda g: gamegen.load("no-such-model"), ModelError, "unknown model"),
    "load-threads-0": (lambda g: gamegen.load("platformer-gan", threads=0), InvalidRequest, "threads must be"),
    "load-threads-str": (lambda g: gamegen.load("platformer-gan", threads="4"), InvalidRequest, "threads must be"),
    "load-providers-int": (lambda g: gamegen.load("platformer-gan", providers=3), InvalidRequest, "providers must be"),
    "load-providers-unknown": (lambda g: gamegen.load("platformer-gan", providers=["NopeExecutionProvider"]), InvalidRequest, "not available"),
    # generate / generate_batch / play / latent
    "width-1e9": (lambda g: g.generate(1, width=10**9), InvalidRequest, r"width 1000000000 is outside \[28, 8192\]"),
    "width-float": (lambda g: g.generate(1, width=200.0), InvalidRequest, "width must be an integer"),
    "width-negative": (lambda g: g.generate(1, width=-200), InvalidRequest, "outside"),
    "seed-negative": (lambda g: g.generate(-1), InvalidRequest, "outside"),
    "seed-2**63": (lambda g: g.generate(2**63), InvalidRequest, "outside"),
    "seed-float": (lambda g: g.generate(1.5), InvalidRequest, "seed must be an integer"),
    "seed-bool": (lambda g: g.generate(True), InvalidRequest, "seed must be an integer"),
    "seed-str": (lambda g: g.generate("7"), InvalidRequest, "seed must be an integer"),
    "playable-str": (lambda g: g.generate(1, playable="yes"), InvalidRequest, "playable must be"),
    "playable-str-targets": (lambda g: g.generate(1, playable="no", targets={"density": 0.2}), InvalidRequest, "playable must be"),
    "targets-bad": (lambda g: g.generate(1, targets={"density": 2}), InvalidRequest, "target density"),
    "targets-unknown": (lambda g: g.generate(1, targets={"fun": 0.5}), InvalidRequest, "unknown target"),
    "batch-not-iterable": (lambda g: g.generate_batch(5), InvalidRequest, "seeds must be an iterable"),
    "batch-str": (lambda g: g.generate_batch("123"), InvalidRequest, "seeds must be an iterable"),
    "batch-10**12": (lambda g: g.generate_batch(range(10**12)), InvalidRequest, "more than 1,000,000"),
    "batch-endless": (lambda g: g.generate_batch(itertools.count()), InvalidRequest, "more than 1,000,000"),
    "batch-size-0": (lambda g: g.generate_batch([1], batch_size=0), InvalidRequest, "batch_size 0"),
    "batch-size-huge": (lambda g: g.generate_batch([1], batch_size=10**9), InvalidRequest, "batch_size"),
    "play-str": (lambda g: g.play("level"), InvalidRequest, "play needs a TileMap"),
    "latent-width-1e12": (lambda g: g.latent(1, 10**12), InvalidRequest, "width"),
    # TileMap, vocabularies
    "tilemap-huge-grid": (lambda g: TileMap(HUGE, VOCAB), InvalidRequest, "too large"),
    "tilemap-wide-grid": (lambda g: TileMap(np.zeros((1, 70_000), np.int16), VOCAB), InvalidRequest, "too large"),
    "tilemap-3d": (lambda g: TileMap(np.zeros((2, 2, 2), np.int16), VOCAB), InvalidRequest, "2-D"),
    "tilemap-float": (lambda g: TileMap(np.zeros((2, 2)), VOCAB), InvalidRequest, "integer tile ids"),
    "tilemap-bad-id": (lambda g: TileMap(np.full((2, 2), 99), VOCAB), InvalidRequest, "tile id 99"),
    "tilemap-ragged": (lambda g: TileMap([[0, 1], [0]], VOCAB), InvalidRequest, "2-D|grid"),
    "tilemap-no-vocab": (lambda g: TileMap(np.zeros((2, 2), np.int16), "platformer"), InvalidRequest, "needs a Vocabulary"),
    "tilemap-provenance-list": (lambda g: TileMap(np.zeros((2, 2), np.int16), VOCAB, [1]), InvalidRequest, "provenance is a dict"),
    "from-text-bytes": (lambda g: TileMap.from_text(b"---\n"), InvalidRequest, "must be a str"),
    "from-text-huge": (lambda g: TileMap.from_text("-" * (10 << 20)), InvalidRequest, "too large"),
    "from-text-ragged": (lambda g: TileMap.from_text("--\n-\n"), InvalidRequest, "rectangular"),
    "from-text-unicode": (lambda g: TileMap.from_text("-é\n"), InvalidRequest, "ASCII"),
    "vocabulary-path": (lambda g: load_vocabulary("../../etc/x"), InvalidRequest, "plain name"),
    "vocabulary-list": (lambda g: load_vocabulary(["platformer"]), InvalidRequest, "plain name"),
    "vocabulary-unknown": (lambda g: load_vocabulary("dungeon2"), InvalidRequest, "unknown vocabulary"),
    "vocabulary-dict-bad": (lambda g: Vocabulary.from_dict({"name": "x", "empty": "-", "tiles": [{"id": 0, "symbol": "ab", "name": "e", "tags": []}]}),
        DataError, "printable ASCII"),
    # exporters
    "format-unknown": (lambda g: parse_formats("tmx,gif"), InvalidRequest, "unknown format 'gif'"),
    "format-not-str": (lambda g: parse_formats(["tmx"]), InvalidRequest, "given as a string"),
    "format-option-unknown": (lambda g: parse_formats("tmx:fast"), InvalidRequest, "no option 'fast'"),
    "format-option-str": (lambda g: get_exporter("tmx", zlib="no"), InvalidRequest, "on or off"),
    "png-scale-0": (lambda g: parse_formats("png:scale=0"), InvalidRequest, r"scale must be an integer in \[1, 16\]"),
    "png-scale-huge": (lambda g: parse_formats("png:scale=100000"), InvalidRequest, "scale must be"),
    "export-not-a-map": (lambda g: get_exporter("tmj").export({"grid": []}), InvalidRequest, "needs a TileMap"),
    "export-json-not-a-map": (lambda g: get_exporter("json").export(None), InvalidRequest, "needs a TileMap"),
    "export-txt-not-a-map": (lambda g: get_exporter("txt").export("---"), InvalidRequest, "needs a TileMap"),
    "png-of-a-huge-map": (lambda g: get_exporter("png", scale=16).export(TileMap(np.zeros((14, 8192), np.int16), VOCAB)), InvalidRequest,
        "too large for a PNG"),
    "preview-not-a-map": (lambda g: render_map(None), InvalidRequest, "needs a TileMap"),
    "preview-scale-float": (lambda g: render_map(LEVEL, 1.5), InvalidRequest, "scale must be"),
    "sheet-columns-0": (lambda g: contact_sheet([LEVEL], columns=0), InvalidRequest, "columns must be"),
    "sheet-huge": (lambda g: contact_sheet([TileMap(np.zeros((14, 8192), np.int16), VOCAB)] * 200, columns=1), InvalidRequest, "too large"),
    "sheet-empty": (lambda g: contact_sheet([]), InvalidRequest, "non-empty list"),
    "object-outside": (lambda g: get_exporter("tmx").export(TileMap(LEVEL.grid, VOCAB, {}, [{"name": "a", "x": 99, "y": 0}])), InvalidRequest,
        "outside the 16x7 map"),
    "read-map-int": (lambda g: read_map(7), InvalidRequest, "needs a file path"),
    "read-map-unknown-ext": (lambda g: read_map("level.lvl"), DataError, "unknown extension"),
    # batches
    "folder-writer-none": (lambda g: FolderWriter(None, parse_formats("txt")), InvalidRequest, "output folder is a path"),
    "folder-writer-no-formats": (lambda g: FolderWriter("/tmp", []), InvalidRequest, "non-empty list of exporters"),
    "generate-to-folder-seeds": (lambda g: generate_to_folder(FakeGenerator(), 5, parse_formats("txt"), "/tmp/x", {"width": 30}), InvalidRequest,
        "seeds must be"),
    "generate-to-folder-batch": (lambda g: generate_to_folder(FakeGenerator(), [1], parse_formats("txt"), "/tmp/x", {"width": 30}, batch_size=0),
        InvalidRequest, "batch_size"),
    "export-into-a-file": (lambda g: export_to_folder([("m", LEVEL)], parse_formats("txt"), __file__), ExportError, "not a folder"),
}


@pytest.mark.parametrize("call, error, match", CASES.values(), ids=CASES.keys())
def test_bad_arguments_raise_the_gamegen_tree_quickly_without_allocating(gen, call, error, match):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(error, match=match) as info:
            call(gen)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(info.value, GamegenError) and "\n" not in str(info.value)
    assert time.monotonic() - started < 15.0  # no hang (generous: the slowest, an endless iterator, counts a million seeds)
    assert peak < (48 << 20), f"{peak >> 20} MiB allocated before refusing"
