"""``gamegen bench --quick`` runs end to end (a smoke test: speed itself is never asserted)."""

import json

import numpy as np
import pytest

from gamegen.runtime.cards import list_models

pytestmark = pytest.mark.slow
SHIPPED_GRAPHS = [(card.name, graph) for card in list_models() for graph in ["main", *card.graph_names]]


def test_quick_bench_writes_every_figure(run_cli, tmp_path):
    code, out, err = run_cli("bench", "--quick", "--json", tmp_path / "bench.json")
    assert code == 0, err
    result = json.loads((tmp_path / "bench.json").read_text())
    assert result["matmul_peak_gflops"] > 0
    for name in ("platformer-gan", "platformer-segment-gan"):
        rows = result["models"][name]["batches"]
        for row in rows.values():
            assert row["ort_levels_per_s"] > 0 and row["peak_share"] > 0
            assert row["ort_over_torch"] > 0  # make test installs the train extra, so torch is there
    for name, graph in SHIPPED_GRAPHS:  # every graph of every shipped model has its row, PyTorch's figures included
        row = result["graphs"][name if graph == "main" else f"{name}.{graph}"]
        assert row["rebuild"]["matches"], row["rebuild"]
        for figures in row["batches"].values():
            assert figures["ort_items_per_s"] > 0 and figures["torch_items_per_s"] > 0 and figures["peak_share"] > 0
    pipeline = result["pipeline"]
    for key in ("model_only_levels_per_s", "end_to_end_share", "cold_start_s", "peak_rss_mib", "agent_check_ms_median"):
        assert pipeline[key] > 0
    assert len(pipeline["profile_top_tottime"]) > 3
    assert "platformer-gan" in out


def test_flops_of_a_known_graph(tmp_path):
    """graph_flops counts 2 × multiply-adds: checked on the baseline, whose layers are known."""
    import gamegen
    from gamegen.bench.measure import graph_flops

    gen = gamegen.load("platformer-segment-gan")
    z = gen.latent(1, 28)  # one segment
    # ConvT 32→256 (1×1 → 4×4), 256→128 (4→8), 128→64 (8→16), 64→13 (16→32), kernels 4×4
    expected = 2 * (32 * 256 * 16 * 1 + 256 * 128 * 16 * 16 + 128 * 64 * 16 * 64 + 64 * 13 * 16 * 256)
    assert graph_flops(gen.card.onnx_path, {"latent": z}) == expected


@pytest.mark.parametrize(("name", "graph"), SHIPPED_GRAPHS)
def test_eager_rebuild_computes_what_onnx_runtime_computes(name, graph):
    """train/eager.py's PyTorch module on the ONNX file's own weights, against ONNX Runtime (CPU) on fixed random inputs.

    Tolerance: max |torch − ORT| ≤ 1e-5 × max(1, largest |ORT output|), both float32 (the shipped graphs
    measure ≤ 1e-6 of that scale). A weight scaled by 1.01 must break it, so the comparison can fail.
    """
    torch = pytest.importorskip("torch")
    from gamegen.bench.graphs import graph_feeds
    from gamegen.runtime.cards import find_card
    from gamegen.runtime.onnx import OnnxModel
    from gamegen.train.eager import TOLERANCE, eager_graph, max_abs_difference

    card = find_card(name)
    graph_card = card if graph == "main" else card.graph(graph)
    feeds = graph_feeds(graph_card, graph_card.onnx_path, 5, np.random.Generator(np.random.PCG64(7)))
    expected = OnnxModel(graph_card.onnx_path, providers=["CPUExecutionProvider"], threads=1).run(**feeds)
    module = eager_graph(graph_card.data, graph_card.onnx_path, graph)
    diff, scale = max_abs_difference(module, feeds, expected)
    assert diff <= TOLERANCE * max(1.0, scale), f"{graph_card.name}: |torch - ORT| = {diff:.3g}, output scale {scale:.3g}"
    with torch.no_grad():
        max(module.parameters(), key=lambda p: p.numel()).mul_(1.01)  # the largest weight tensor
    broken, _ = max_abs_difference(module, feeds, expected)
    assert broken > TOLERANCE * max(1.0, scale)
