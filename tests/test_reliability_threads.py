"""Eight threads sharing one loaded generator get what serial calls get (extends test_runtime's single-level case):
whole batches, playable and raw, of several batch sizes, and the files a batch writes from them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import gamegen
from gamegen.exporters import get_exporter

SEEDS = list(range(100, 112))
WIDTH = 48


def _same(a, b) -> bool:
    return np.array_equal(a.grid, b.grid) and a.provenance == b.provenance and a.objects == b.objects


def test_eight_threads_share_one_generator_for_whole_batches():
    gen = gamegen.load("platformer-gan")
    serial = {playable: gen.generate_batch(SEEDS, width=WIDTH, playable=playable) for playable in (True, False)}
    start = threading.Barrier(8)

    def work(index: int):
        start.wait()  # all eight inside ONNX Runtime and the agent at once
        playable = index % 2 == 0
        seeds = SEEDS[index:] + SEEDS[:index]  # each thread its own order and batch size
        return playable, seeds, gen.generate_batch(seeds, width=WIDTH, batch_size=1 + index, playable=playable)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    for playable, seeds, levels in results:
        expected = {level.provenance["seed"]: level for level in serial[playable]}
        assert all(_same(level, expected[seed]) for seed, level in zip(seeds, levels))


def test_exporters_give_the_same_bytes_from_eight_threads():
    gen = gamegen.load("platformer-gan")
    levels = gen.generate_batch(SEEDS[:8], width=WIDTH)
    exporters = [get_exporter("tmx", zlib=True), get_exporter("tmj"), get_exporter("json"), get_exporter("png", scale=2)]
    serial = [[e.export(level) for e in exporters] for level in levels]
    with ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(lambda level: [e.export(level) for e in exporters], levels))
    assert threaded == serial
