"""The gamegen command: models, generate, and one-line errors with their exit codes."""

import json

import pytest

from gamegen.files import sha256_file


def test_models_lists_the_shipped_models(run_cli):
    code, out, _ = run_cli("models")
    assert code == 0
    assert "platformer-gan" in out and "platformer-segment-gan" in out
    code, out, _ = run_cli("models", "--json")
    assert code == 0
    names = {m["name"] for m in json.loads(out)}
    assert {"platformer-gan", "platformer-segment-gan"} <= names


def test_generate_writes_files_and_manifest(run_cli, tmp_path):
    out_dir = tmp_path / "out"
    code, _out, err = run_cli("generate", "platformer-gan", "--seed", 7, "--count", 3, "--width", 120, "--format", "txt,png", "--out", out_dir)
    assert code == 0, err
    expected = {f"platformer-gan-{s}.{ext}" for s in (7, 8, 9) for ext in ("txt", "png")}
    assert {p.name for p in out_dir.iterdir()} == expected | {"manifest.jsonl"}
    lines = [json.loads(line) for line in (out_dir / "manifest.jsonl").read_text().splitlines()]
    assert {line["path"] for line in lines} == expected
    for line in lines:
        assert line["sha256"] == sha256_file(out_dir / line["path"])
        assert line["provenance"]["model"] == "platformer-gan"
        assert line["provenance"]["seed"] in (7, 8, 9)
    text = (out_dir / "platformer-gan-8.txt").read_text().splitlines()
    assert len(text) == 14 and all(len(row) == 120 for row in text)


def test_generate_is_reproducible_to_the_byte(run_cli, tmp_path):
    for name in ("a", "b"):
        assert run_cli("generate", "platformer-gan", "--seed", 40, "--count", 2, "--out", tmp_path / name, "--quiet")[0] == 0
    assert (tmp_path / "a" / "manifest.jsonl").read_bytes() == (tmp_path / "b" / "manifest.jsonl").read_bytes()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["generate", "no-such-model"], 3, "unknown model 'no-such-model'"),
        (["generate", "platformer-gan", "--width", "10"], 2, "width 10 is outside [28, 8192]"),
        (["generate", "platformer-gan", "--width", "100000"], 2, "width 100000 is outside"),
        (["generate", "platformer-gan", "--seed", "-5"], 2, "seed -5 is outside [0, 2**63)"),
        (["generate", "platformer-gan", "--seed", str(2**63)], 2, "is outside [0, 2**63)"),
        (["generate", "platformer-gan", "--format", "txt,gif"], 2, "unknown format 'gif'"),
    ],
)
def test_bad_input_one_line_no_partial_files(run_cli, tmp_path, args, code, message):
    out_dir = tmp_path / "out"
    got, _out, err = run_cli(*args, "--out", out_dir)
    assert got == code
    assert err.startswith("gamegen: error: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out_dir.exists()


def test_unwritable_out(run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli("generate", "platformer-gan", "--out", blocker)
    assert code == 5 and "is not a folder" in err
    code, _, err = run_cli("generate", "platformer-gan", "--out", blocker / "sub")
    assert code == 5 and "cannot write in" in err
    assert blocker.read_text() == "x"


def test_corrupt_model_from_the_cli(run_cli, tmp_path, model_copy):
    onnx = model_copy / "platformer-gan.onnx"
    onnx.write_bytes(onnx.read_bytes()[:-10])
    code, _, err = run_cli("generate", str(model_copy), "--out", tmp_path / "o")
    assert code == 3 and "sha256" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_usage_errors_exit_2(run_cli):
    code, _, err = run_cli("generate")
    assert code == 2 and "Missing argument" in err


def test_help_and_version(run_cli):
    assert run_cli("--help")[0] == 0
    code, out, _ = run_cli("--version")
    assert code == 0 and "gamegen" in out
