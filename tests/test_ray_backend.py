"""``--backend ray``: the local backend's bytes, killed workers replaced, resume, and bad input refused up front.

One local Ray instance with 2 CPUs serves the whole session (started in a
folder of its own, which becomes its workers' working directory). The batches
are small (narrow levels, a few dozen seeds): the machine has two cores.

Two tests need a folder that the driver sees and the workers do not. On one
machine every process shares the file system, except for ``/proc/self``:
``/proc/self/cwd/out`` is the driver's working directory for the driver and
the Ray instance's for each worker. That is the view of a node on which the
output folder (or the model) is not mounted, with no test hook in the code.

Under ``CI=true`` a missing ray fails the module instead of skipping it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

if os.environ.get("CI") == "true":
    import ray  # the CI installs the dev extra, which holds ray: these tests must run there
else:
    ray = pytest.importorskip("ray", reason="the Ray backend needs the ray extra (pip install 'gamegen[ray]')")

from gamegen.errors import ExportError, InvalidRequest, UnknownModel
from gamegen.exporters import parse_formats
from gamegen.files import sha256_file
from gamegen.output.batch import MANIFEST, generate_to_folder, read_manifest
from gamegen.ray.driver import generate_on_ray

MODEL = "platformer-gan"
FORMATS = "txt,json,tmx"  # tmx brings companion files (tileset), written by several workers at once
WIDTH = 28  # the model's narrowest level: the tests are about files, not levels


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory) -> Path:
    """A local Ray instance with 2 CPUs; its workers' working directory → that folder."""
    if ray.is_initialized():
        ray.shutdown()
    workers_cwd = tmp_path_factory.mktemp("ray-workers-cwd")
    previous = os.getcwd()
    os.chdir(workers_cwd)  # the raylet, and every worker it starts, inherit it
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=100 * 1024 * 1024)
    finally:
        os.chdir(previous)
    yield workers_cwd
    ray.shutdown()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def local_reference(folder: Path, seeds, contact_sheet: bool = False) -> dict[str, bytes]:
    from gamegen.api import load

    generate_to_folder(load(MODEL), seeds, parse_formats(FORMATS), folder, {"width": WIDTH}, progress=False, contact_sheet=contact_sheet)
    return snapshot(folder)


def on_ray(folder, seeds, **options):
    return generate_on_ray(MODEL, seeds, parse_formats(FORMATS), folder, {"width": WIDTH}, progress=False, **options)


# -- the same bytes as the local backend --------------------------------------------------------


def test_cli_ray_backend_writes_the_files_and_manifest_of_the_local_backend(ray_cluster, tmp_path, run_cli):
    args = ["generate", MODEL, "--seed", "40", "--count", "12", "--width", WIDTH, "--format", FORMATS, "--contact-sheet", "--quiet"]
    code, out, err = run_cli(*args, "--out", tmp_path / "local")
    assert code == 0, err
    code, out, err = run_cli(*args, "--backend", "ray", "--workers", "2", "--out", tmp_path / "ray")
    assert code == 0, err
    assert "on 2 Ray workers" in out
    local, distributed = snapshot(tmp_path / "local"), snapshot(tmp_path / "ray")
    assert sorted(local) == sorted(distributed)
    assert [name for name in local if local[name] != distributed[name]] == []
    entries = read_manifest(tmp_path / "ray")
    assert len(entries) == len(distributed) - 1  # every file but the manifest is listed
    assert {e["provenance"]["seed"] for e in entries if "provenance" in e} == set(range(40, 52))
    assert len({distributed[f"{MODEL}-{s}.txt"] for s in range(40, 52)}) == 12  # twelve different levels, not one twelve times


def test_both_workers_take_part(ray_cluster, tmp_path):
    """The seeds are spread over the workers, and the manifest is merged into one line per file."""
    done = on_ray(tmp_path / "out", range(300, 316), workers=2)
    assert done.workers == 2 and done.replaced == 0 and done.generated == list(range(300, 316))
    assert len(done.per_worker) == 2 and all(n > 0 for n in done.per_worker) and sum(done.per_worker) == 16
    lines = (tmp_path / "out" / MANIFEST).read_text().splitlines()
    assert len(lines) == len(set(lines))  # the final rewrite leaves one line per path


# -- faults ---------------------------------------------------------------------------------------


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return False
    return False


def _busy_worker() -> int | None:
    """The pid of one of this session's Ray workers while it runs ``generate`` (its process title says so)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"ray::GenerationWorker.generate") and _descends_from(int(entry.name), os.getpid()):
            return int(entry.name)
    return None


def test_a_worker_killed_mid_batch_is_replaced_and_its_seeds_are_retried(ray_cluster, tmp_path):
    seeds = range(1000, 1060)
    reference = local_reference(tmp_path / "local", seeds)
    result, failure, killed = {}, [], {}

    def run():
        try:
            result["done"] = on_ray(tmp_path / "ray", seeds, workers=2, batch_size=2)
        except BaseException as exc:
            failure.append(exc)

    driver = threading.Thread(target=run)
    driver.start()
    deadline = time.monotonic() + 120
    while driver.is_alive() and time.monotonic() < deadline and not killed:
        pid = _busy_worker()
        if pid is not None:
            listed = sum(1 for e in read_manifest(tmp_path / "ray") if "provenance" in e) if (tmp_path / "ray" / MANIFEST).exists() else 0
            os.kill(pid, signal.SIGKILL)
            killed.update(pid=pid, listed=listed, running=driver.is_alive())
        time.sleep(0.005)
    driver.join(timeout=180)
    assert not failure, failure
    assert killed and killed["running"], "no worker was caught mid-batch"
    assert killed["listed"] < 3 * len(seeds)  # the batch was not finished when its worker died
    done = result["done"]
    assert done.replaced >= 1
    assert snapshot(tmp_path / "ray") == reference  # the retried seeds are there, byte for byte
    for entry in read_manifest(tmp_path / "ray"):
        assert sha256_file(tmp_path / "ray" / entry["path"]) == entry["sha256"]


def _kill_session(sid: int) -> None:
    """SIGKILL every process of session ``sid``: a driver started with start_new_session and the local Ray it started."""
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if entry.name.isdigit() and int(fields[3]) == sid:
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, IndexError, ValueError):
            continue


def test_a_driver_killed_mid_batch_is_finished_by_the_same_command(ray_cluster, tmp_path, run_cli):
    """SIGKILL the CLI (the driver, with the local Ray instance it started) mid-batch; the same command finishes the batch."""
    args = ["generate", MODEL, "--seed", "2000", "--count", "40", "--width", WIDTH, "--format", FORMATS, "--quiet",
            "--backend", "ray", "--workers", "2", "--out", tmp_path / "ray"]
    reference = local_reference(tmp_path / "local", range(2000, 2040))
    driver = subprocess.Popen([sys.executable, "-m", "gamegen", *map(str, args)], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while not (tmp_path / "ray" / MANIFEST).exists() and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        driver.send_signal(signal.SIGKILL)
        assert driver.wait(timeout=30) == -signal.SIGKILL, driver.stderr.read().decode()
    finally:
        _kill_session(driver.pid)
    listed = {e["provenance"]["seed"] for e in read_manifest(tmp_path / "ray") if "provenance" in e}
    assert 0 < len(listed) < 40  # killed mid-batch
    code, _out, err = run_cli(*args)  # the same command (in this process, on the session's Ray instance)
    assert code == 0, err
    assert snapshot(tmp_path / "ray") == reference


def test_a_rerun_makes_only_what_is_missing_or_damaged(ray_cluster, tmp_path):
    out = tmp_path / "out"
    first = on_ray(out, range(70, 78), workers=2)
    assert first.generated == list(range(70, 78))
    complete = snapshot(out)
    (out / f"{MODEL}-72.tmx").unlink()
    (out / f"{MODEL}-75.txt").write_text("damaged\n")
    again = on_ray(out, range(70, 78), workers=2)
    assert again.generated == [72, 75]
    assert snapshot(out) == complete
    assert on_ray(out, range(70, 78), workers=1).generated == []


def test_an_error_in_a_worker_is_its_one_line_with_the_count_of_complete_items(ray_cluster, tmp_path):
    out = tmp_path / "out"
    (out / f"{MODEL}-83.txt").mkdir(parents=True)  # a folder where seed 83's file should go
    with pytest.raises(ExportError,
        match=rf"{MODEL}-83.txt is a folder where a file should go.*; \d+ of 8 items are complete in .*run the same command again") as caught:
        on_ray(out, range(80, 88), workers=2)
    assert "\n" not in str(caught.value)
    listed = read_manifest(out)
    assert listed and all(sha256_file(out / e["path"]) == e["sha256"] for e in listed)  # what is listed is whole
    (out / f"{MODEL}-83.txt").rmdir()
    assert 83 in on_ray(out, range(80, 88), workers=2).generated
    assert snapshot(out) == local_reference(tmp_path / "local", range(80, 88))


# -- bad input: one line, before any work ----------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_address_is_one_line_before_anything_is_written(ray_cluster, tmp_path, run_cli):
    out = tmp_path / "out"
    code, _, err = run_cli("generate", MODEL, "--count", "4", "--width", WIDTH, "--out", out, "--backend", "ray", "--address", f"127.0.0.1:{_free_port()}")
    assert code == 2
    assert err.startswith("gamegen: error: cannot reach the Ray cluster at 127.0.0.1:") and err.count("\n") == 1
    assert not out.exists()
    code, _, err = run_cli("generate", MODEL, "--out", out, "--backend", "ray", "--address", "nowhere")
    assert code == 2 and "HOST:PORT" in err and err.count("\n") == 1


def test_more_workers_than_the_cluster_has_cpus_is_refused(ray_cluster, tmp_path):
    with pytest.raises(InvalidRequest, match="--workers 3 needs a CPU each; the Ray cluster has 2"):
        on_ray(tmp_path / "out", range(8), workers=3)
    assert not list((tmp_path / "out").iterdir())


def test_an_output_folder_the_workers_do_not_share_is_refused(ray_cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidRequest, match="is not shared with the Ray worker on") as caught:
        on_ray("/proc/self/cwd/out", range(4), workers=2)
    assert "\n" not in str(caught.value)
    assert not list((tmp_path / "out").iterdir())  # the driver's folder: no item, no manifest, no probe left
    assert not (ray_cluster / "out").exists()  # the workers created nothing on their side


def test_a_model_missing_on_the_workers_is_refused(ray_cluster, tmp_path, monkeypatch, model_copy):
    monkeypatch.chdir(model_copy.parent)  # the driver has ./model; the workers' working directory has none
    with pytest.raises(UnknownModel, match=r"the Ray worker on .*unknown model '/proc/self/cwd/model'") as caught:
        generate_on_ray("/proc/self/cwd/model", range(4), parse_formats(FORMATS), tmp_path / "out", {"width": WIDTH}, progress=False, workers=2)
    assert "\n" not in str(caught.value)
    assert not list((tmp_path / "out").iterdir())


def test_a_model_that_differs_on_the_workers_is_refused(ray_cluster, tmp_path, monkeypatch):
    """The driver's ./shared-name holds platformer-gan, the workers' holds platformer-segment-gan: another sha256."""
    import shutil

    from gamegen.errors import ModelIntegrityError
    from gamegen.runtime.cards import shipped_models_dir

    for folder, name in ((tmp_path / "shared-name", MODEL), (ray_cluster / "shared-name", "platformer-segment-gan")):
        folder.mkdir()
        for suffix in (".onnx", ".json"):
            shutil.copy(shipped_models_dir() / f"{name}{suffix}", folder)
    monkeypatch.chdir(tmp_path)
    try:
        with pytest.raises(ModelIntegrityError, match=f"model {MODEL} on the Ray worker on .* has sha256 .*install the same model on every node"):
            generate_on_ray("/proc/self/cwd/shared-name", range(4), parse_formats(FORMATS), tmp_path / "out", {"width": WIDTH}, progress=False, workers=1)
    finally:
        shutil.rmtree(ray_cluster / "shared-name")
    assert not list((tmp_path / "out").iterdir())


def test_a_relative_model_folder_reaches_the_workers_as_an_absolute_path(ray_cluster, tmp_path, monkeypatch, model_copy):
    monkeypatch.chdir(model_copy.parent)  # "model" means this folder's model/, not the workers' working directory's
    done = generate_on_ray("model", range(2), parse_formats("txt"), tmp_path / "out", {"width": WIDTH}, progress=False, workers=1)
    assert done.generated == [0, 1] and (tmp_path / "out" / f"{MODEL}-1.txt").is_file()


def test_a_bad_width_is_refused_before_any_item(ray_cluster, tmp_path):
    """The driver checks the options against the kind's declaration before Ray starts (the workers check the model's own limits)."""
    with pytest.raises(InvalidRequest, match="width"):
        generate_on_ray(MODEL, range(4), parse_formats(FORMATS), tmp_path / "out", {"width": 5}, progress=False, workers=1)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cli_backend_options_are_checked(tmp_path, run_cli):
    code, _, err = run_cli("generate", MODEL, "--out", tmp_path / "a", "--workers", "2")
    assert code == 2 and "--backend ray" in err
    code, _, err = run_cli("generate", "names-lstm", "--out", tmp_path / "b", "--backend", "ray")
    assert code == 2 and "--backend does not apply to names-lstm" in err


def test_without_ray_installed_the_backend_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray → ImportError
    with pytest.raises(InvalidRequest, match=r"pip install 'gamegen\[ray\]'"):
        generate_on_ray(MODEL, range(2), parse_formats(FORMATS), tmp_path / "out", {"width": WIDTH}, progress=False)


def test_the_local_backend_never_imports_ray(tmp_path):
    code = (
        "import sys\nfrom gamegen.cli.commands import main\n"
        f"assert main(['generate', '{MODEL}', '--count', '2', '--width', '{WIDTH}', '--format', 'txt', '--quiet', '--out', sys.argv[1]]) == 0\n"
        "assert 'ray' not in sys.modules, 'ray was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], check=True, timeout=120)
