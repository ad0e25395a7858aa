"""``gamegen bench --quick`` runs end to end (a smoke test: speed itself is never asserted)."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_quick_bench_writes_every_figure(run_cli, tmp_path):
    code, out, err = run_cli("bench", "--quick", "--json", tmp_path / "bench.json")
    assert code == 0, err
    result = json.loads((tmp_path / "bench.json").read_text())
    assert result["matmul_peak_gflops"] > 0
    for name in ("platformer-gan", "platformer-segment-gan"):
        rows = result["models"][name]["batches"]
        for row in rows.values():
            assert row["ort_levels_per_s"] > 0 and 0 < row["peak_share"]
            assert row["ort_over_torch"] > 0  # make test installs the train extra, so torch is there
    pipeline = result["pipeline"]
    for key in ("model_only_levels_per_s", "end_to_end_share", "cold_start_s", "peak_rss_mib", "agent_check_ms_median"):
        assert pipeline[key] > 0
    assert len(pipeline["profile_top_tottime"]) > 3
    assert "platformer-gan" in out


def test_flops_of_a_known_graph(tmp_path):
    """graph_flops counts 2 × multiply-adds: checked on the baseline, whose layers are known."""
    import gamegen
    from gamegen.bench import graph_flops

    gen = gamegen.load("platformer-segment-gan")
    z = gen.latent(1, 28)  # one segment
    # ConvT 32→256 (1×1 → 4×4), 256→128 (4→8), 128→64 (8→16), 64→13 (16→32), kernels 4×4
    expected = 2 * (32 * 256 * 16 * 1 + 256 * 128 * 16 * 16 + 128 * 64 * 16 * 64 + 64 * 13 * 16 * 256)
    assert graph_flops(gen.card.onnx_path, {"latent": z}) == expected
