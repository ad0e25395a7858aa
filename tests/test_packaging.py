"""The wheel: gamegen.* only, shipped models inside, and a fresh venv finds them."""

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    out = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    (path,) = dist.glob("gamegen-*.whl")
    return path


def test_wheel_holds_only_gamegen(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"gamegen"}
    for required in ("gamegen/models/platformer-gan.onnx", "gamegen/models/platformer-gan.json",
                     "gamegen/models/names-lstm.onnx", "gamegen/models/names-lstm.json",
                     "gamegen/exporters/__init__.py", "gamegen/viewer/__init__.py", "gamegen/vocabularies/platformer.json"):
        assert required in names


def test_fresh_venv_imports_and_generates(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    out = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    # The dependencies come from this test's environment, appended after the fresh venv's own
    # site-packages (a plain path line: the editable install's finder there is not activated).
    fresh_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                     capture_output=True, text=True).stdout.strip())
    (fresh_site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = (
        "import gamegen, pathlib\n"
        "assert pathlib.Path(gamegen.__file__).is_relative_to(pathlib.Path(__import__('sys').prefix)), gamegen.__file__\n"
        "print(sorted(gamegen.list_models()))\n"
        "print(gamegen.load('platformer-gan').generate(1, width=64).grid.shape)\n"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "'platformer-gan', 'platformer-segment-gan'" in out.stdout
    assert "(14, 64)" in out.stdout
    cli = subprocess.run([str(env_dir / "bin" / "gamegen"), "models"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert cli.returncode == 0 and "platformer-gan" in cli.stdout
