"""Shared fixtures: the corpus, tiny trained models, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gamegen.cli.commands import main
from gamegen.corpus import default_data_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = default_data_dir()
    assert (path / "vglc").is_dir(), f"the corpus must lie at {path} (../shared/data beside the checkout)"
    return path


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory, data_dir) -> Path:
    """Both platformer recipes trained for 2 iterations and exported: the real pipeline, in seconds."""
    pytest.importorskip("torch", reason="training needs the train extra (make test installs it)")
    from gamegen.train.recipes import train

    folder = tmp_path_factory.mktemp("tiny_models")
    for name in ("platformer-gan", "platformer-segment-gan"):
        train(name, data_dir, folder, iterations=2, progress=False)
    return folder


@pytest.fixture()
def model_copy(tmp_path) -> Path:
    """A private copy of the shipped platformer-gan folder, for tests that damage it."""
    from gamegen.runtime.cards import shipped_models_dir

    folder = tmp_path / "model"
    folder.mkdir()
    for suffix in (".onnx", ".json"):
        shutil.copy(shipped_models_dir() / f"platformer-gan{suffix}", folder)
    return folder


@pytest.fixture()
def run_cli(capsys):
    """Run ``gamegen`` in-process → (exit code, stdout, stderr)."""

    def run(*args: str):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
