"""The public surface, the error tree, and a light import."""

import subprocess
import sys

import pytest

import gamegen
from gamegen import errors


def test_all_is_pinned():
    assert sorted(gamegen.__all__) == sorted([
        "__version__", "load", "list_models", "TileMap", "Tile", "Vocabulary", "load_vocabulary",
        "GamegenError", "InvalidRequest", "ModelError", "UnknownModel", "ModelIntegrityError",
        "RuntimeMissing", "DataError", "ExportError", "JudgeUnavailable", "Generator", "Descriptor", "Options",
    ])
    for name in gamegen.__all__:
        assert hasattr(gamegen, name), name


@pytest.mark.parametrize(
    "cls, parents, code",
    [
        (errors.InvalidRequest, (errors.GamegenError, ValueError), 2),
        (errors.ModelError, (errors.GamegenError,), 3),
        (errors.UnknownModel, (errors.ModelError, KeyError), 3),
        (errors.ModelIntegrityError, (errors.ModelError,), 3),
        (errors.RuntimeMissing, (errors.ModelError, ImportError), 3),
        (errors.DataError, (errors.GamegenError,), 4),
        (errors.ExportError, (errors.GamegenError, OSError), 5),
    ],
)
def test_error_tree_and_exit_codes(cls, parents, code):
    assert issubclass(cls, parents)
    assert cls.exit_code == code
    assert str(cls("one line")) == "one line"  # KeyError would have quoted it


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_is_light():
    out = _run("import sys, gamegen, gamegen.exporters; print(sorted(m for m in ('torch', 'pygame', 'onnxruntime') if m in sys.modules))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_load_without_onnxruntime_names_the_extras():
    # None in sys.modules makes "import onnxruntime" fail as if it were not installed.
    out = _run(
        "import sys; sys.modules['onnxruntime'] = None\n"
        "import gamegen\n"
        "try:\n    gamegen.load('platformer-gan')\n"
        "except gamegen.RuntimeMissing as e:\n    print('MISSING', e)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("MISSING")
    assert "gamegen[cpu]" in out.stdout and "gamegen[gpu]" in out.stdout
    assert len(out.stdout.strip().splitlines()) == 1


def test_cli_without_onnxruntime_prints_one_line(tmp_path):
    out = _run(
        "import sys; sys.modules['onnxruntime'] = None\n"
        f"from gamegen.cli.commands import main; sys.exit(main(['generate', 'platformer-gan', '--out', r'{tmp_path / 'o'}']))"
    )
    assert out.returncode == 3
    assert out.stderr.strip().startswith("gamegen: error: ONNX Runtime is not installed")
    assert "Traceback" not in out.stderr
