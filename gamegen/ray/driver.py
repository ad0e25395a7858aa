"""Batch generation on a Ray cluster: ``gamegen generate MODEL --backend ray``.

    gamegen generate platformer-gan --count 100000 --backend ray --workers 2 --out levels
    gamegen generate platformer-gan --count 1000000 --backend ray --address HEAD:6379 --out /mnt/shared/levels

The driver (the process that runs the command) connects to Ray (``--address``,
or a local Ray instance on this machine), checks the cluster before any work,
then hands chunks of seeds to K workers. Each worker is a Ray actor that loads
the generator once (one ONNX Runtime session: CUDA where its node has a GPU
that Ray gave it, CPU otherwise) and writes its items into the shared output
folder with the same atomic writers as the local backend. Workers do not append
item lines to the manifest: they return them, and the driver alone appends them
(one durable append per chunk) and rewrites the manifest, sorted, at the end.
So the same seeds give the files and the manifest of the local backend, byte
for byte, and the manifest has one writer whatever the number of nodes.

Checked before any item is generated, each a one-line error:

* ``--address`` reachable (a TCP connection to it), Ray installed (the ``ray`` extra);
* the cluster has a CPU for each worker;
* every worker loads the model, with the driver's sha256 and gamegen version;
* the output folder is shared: the driver writes a probe file that each worker
  must read, and each worker writes one that the driver must see.

Faults: a worker that dies (its process killed, its node lost) is replaced by
a new actor, and the chunk it held goes back to the queue; a chunk whose
worker dies MAX_ATTEMPTS times stops the batch. Files a dead worker wrote but
never reported are found intact by the retry and kept. A re-run of the driver
with the same arguments skips every seed the manifest lists with intact files
(``gamegen.output.batch``'s resume), so it makes only what is missing or damaged.

Ray is imported by this module's functions only, and this module only by
``--backend ray``: ``import gamegen`` and the local backend never import it.
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
import socket
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from tqdm import tqdm

from gamegen import __version__, errors
from gamegen.errors import ExportError, GamegenError, InvalidRequest
from gamegen.output.batch import SHEET_ITEMS, FolderWriter, pending_seeds, tidy
from gamegen.output.manifest import append_entries
from gamegen.ray.worker import PROBE, GenerationWorker
from gamegen.registry import options_for
from gamegen.seeds import check_int, check_seeds

__all__ = ["generate_on_ray", "connect", "RayBatch", "GenerationWorker", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 3  # a chunk whose worker dies this often stops the batch (it is likely what kills them)
CHUNKS_PER_WORKER = 4  # small batches get split this finely, so the pool stays busy to the end
SETUP_TIMEOUT_S = 300.0  # actors that cannot be placed (no free CPU anywhere) would otherwise wait forever
CONNECT_TIMEOUT_S = 5.0
STALE_PROBE_S = 600.0


@dataclass
class RayBatch:
    """What a Ray batch did: the manifest entries written, the seeds generated, the workers used and replaced."""

    entries: list[dict] = field(default_factory=list)
    generated: list[int] = field(default_factory=list)
    workers: int = 0
    replaced: int = 0
    per_worker: list[int] = field(default_factory=list)  # items each worker slot made (a replacement counts in its slot)
    worker_cpu_s: float = 0.0  # CPU seconds the live workers spent generating and writing (gamegen bench)


# -- the driver ---------------------------------------------------------------------------------


def generate_on_ray(
    model: str | Path,
    seeds: Sequence[int],
    exporters: Sequence,
    out_dir: Path,
    options=None,
    batch_size: int = 32,
    *,
    address: str | None = None,
    workers: int | None = None,
    providers=None,
    progress: bool = True,
    contact_sheet: bool = False,
) -> RayBatch:
    """Generate one item per seed on Ray workers (skipping those already complete) → what was done.

    Writes what ``gamegen.output.batch.generate_to_folder`` writes for the same arguments.
    Without ``address`` a Ray instance already connected in this process is used,
    else a local one is started (and stopped at the end). ``workers`` defaults to
    the cluster's CPU count, and is never more than the items to make.
    """
    seeds, batch_size, workers = _check_request(seeds, batch_size, workers, address)
    ray = _import_ray()
    from gamegen.runtime.cards import find_card

    card = find_card(model)  # the driver's copy decides what is complete; workers must load the same bytes
    options = options_for(card, options)
    writer = FolderWriter(out_dir, exporters)
    folder = Path(os.path.abspath(writer.out_dir))  # absolute, not resolved: the path every node mounts
    as_recorded = SimpleNamespace(name=card.name, descriptor=SimpleNamespace(model_sha256=card.sha256))
    pending = pending_seeds(writer, as_recorded, seeds, options)
    started = connect(ray, address)
    pool = None
    result = RayBatch(generated=list(pending))
    try:
        count = _worker_count(ray, workers, len(pending))
        setup = (_as_workers_see_it(model, card), providers, writer.exporters, str(folder), options, batch_size)
        pool = _WorkerPool(ray, setup, folder, card)
        pool.start(count)
        result.workers = count
        result.entries += _generate_chunks(pool, folder, card.name, len(seeds), pending, batch_size, count, progress)
        result.worker_cpu_s = pool.cpu_seconds()
        if contact_sheet:
            result.entries += pool.run([("contact_sheet", seeds[:SHEET_ITEMS])], folder)
    except ExportError as exc:
        tidy(writer)
        done = len(seeds) - len(pending) + (len(pool.completed) if pool else 0)
        raise ExportError(f"{exc}; {done} of {len(seeds)} items are complete in {folder}: run the same command again to finish") from None
    except BaseException:
        tidy(writer)
        raise
    finally:
        if pool is not None:
            result.replaced, result.per_worker = pool.replaced, list(pool.per_worker)
            pool.close()
        if started:
            ray.shutdown()
    writer.finish()
    result.entries = list({e["path"]: e for e in result.entries}.values())  # a companion comes back from each worker
    return result


def _check_request(seeds, batch_size, workers, address) -> tuple[list[int], int, int | None]:
    """The arguments checked before Ray is touched → (seeds, batch size, workers)."""
    seeds = check_seeds(seeds)
    batch_size = check_int("batch_size", batch_size, 1, 4096)
    if workers is not None:
        workers = check_int("workers", workers, 1, 100_000)
    if address not in (None, "auto", "local"):
        _check_reachable(address)  # even when this process is connected already: a wrong --address is a mistake
    return seeds, batch_size, workers


def _generate_chunks(pool, folder: Path, name: str, total: int, pending: list[int], batch_size: int, workers: int, progress: bool) -> list[dict]:
    """The pending seeds in chunks over the pool, with the driver's progress bar → their manifest entries."""
    chunk = max(1, min(batch_size, math.ceil(len(pending) / (CHUNKS_PER_WORKER * workers))))
    tasks = [("generate", pending[i : i + chunk]) for i in range(0, len(pending), chunk)]
    with tqdm(total=total, initial=total - len(pending), desc=f"generate {name} on {workers} Ray workers", unit="level", disable=not progress) as bar:
        return pool.run(tasks, folder, on_done=lambda task: bar.update(len(task[1])))


def _as_workers_see_it(model, card):
    """A shipped model by its name; a model folder or file by its absolute path (a worker's working directory is not ours)."""
    from gamegen.runtime.cards import shipped_models_dir

    if isinstance(model, str) and card.folder == shipped_models_dir() and model == card.name:
        return model
    return os.path.abspath(model)


def _import_ray():
    try:
        import ray
    except ImportError:
        raise InvalidRequest("the Ray backend needs the ray extra: pip install 'gamegen[ray]'") from None
    return ray


def _check_reachable(address: str) -> None:
    """A TCP connection to ``host:port`` (or ``ray://host:port``) before Ray tries, and waits, for minutes."""
    target = address[len("ray://") :] if address.startswith("ray://") else address
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidRequest(f"--address {address!r} is not HOST:PORT, ray://HOST:PORT or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise InvalidRequest(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}; start it (ray start --head) or check --address") from None


def connect(ray, address: str | None) -> bool:
    """Connect to ``address``, or reuse this process's connection, or start a local instance → started here?"""
    if ray.is_initialized():
        return False
    import logging

    # A local instance lives as long as this command and has token authentication on: Ray's notice of it is noise here.
    notice = logging.getLogger("ray._private.authentication.authentication_token_setup")
    level = notice.level
    if address is None:
        notice.setLevel(logging.ERROR)
    try:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InvalidRequest(f"cannot connect to the Ray cluster at {address or 'a new local instance'}: {first}") from None
    finally:
        notice.setLevel(level)
    return True


def _worker_count(ray, wanted: int | None, items: int) -> int:
    cpus = int(ray.cluster_resources().get("CPU", 0))
    if wanted is not None and wanted > cpus:
        raise InvalidRequest(f"--workers {wanted} needs a CPU each; the Ray cluster has {cpus}: lower --workers or add nodes")
    return max(1, min(wanted or cpus, items))


class _WorkerPool:
    """The driver's actors: started and checked together, replaced one by one when they die."""

    def __init__(self, ray, setup: tuple, folder: Path, card):
        self.ray, self.setup, self.folder, self.card = ray, setup, folder, card
        self.actors: list = []
        self.replaced = 0
        self.completed: list[int] = []  # seeds whose entries the driver has appended this run
        self.per_worker: list[int] = []
        self.options = {"num_cpus": 1, "max_restarts": 0}  # no restart by Ray: the driver replaces and re-queues itself

    def _new_actors(self, count: int) -> list:
        worker = self.ray.remote(GenerationWorker)
        return [worker.options(**self.options).remote() for _ in range(count)]

    def start(self, count: int) -> None:
        gpus = self.ray.cluster_resources().get("GPU", 0)
        if gpus:  # a share of a GPU each (replacements too): actors go to GPU nodes, and ONNX Runtime's CUDA provider comes first
            self.options["num_gpus"] = min(1.0, gpus / count)
        self.actors = self._checked(self._new_actors(count))
        self.per_worker = [0] * count

    def _checked(self, actors: list) -> list:
        """Run every actor's setup against one probe; any failure → one line, naming the worker's host."""
        token = secrets.token_hex(8)
        _remove_stale_probes(self.folder)
        probe = self.folder / f"{PROBE}{token}"
        try:
            probe.write_text(token, encoding="utf-8")
            try:
                facts = self.ray.get([a.setup.remote(*self.setup, token) for a in actors], timeout=SETUP_TIMEOUT_S)
            except self.ray.exceptions.GetTimeoutError:
                self._kill(actors)
                raise InvalidRequest(f"{len(actors)} Ray workers did not start within {SETUP_TIMEOUT_S:.0f} s: "
                                     "the cluster has no room, lower --workers") from None
            except self.ray.exceptions.RayError as exc:
                self._kill(actors)
                raise GamegenError(f"a Ray worker failed to start: {_one_line(exc)}") from None
            for fact in facts:
                self._judge(fact)
        except BaseException:
            self._kill(actors)
            raise
        finally:
            for path in self.folder.glob(f"{PROBE}{token}*"):
                path.unlink(missing_ok=True)
        return actors

    def _judge(self, fact: dict) -> None:
        host = fact["host"]
        if "error" in fact:
            cls = getattr(errors, fact["error"], GamegenError)  # the worker's class, if it is one of the tree's
            cls = cls if isinstance(cls, type) and issubclass(cls, GamegenError) else GamegenError
            raise cls(f"the Ray worker on {host}: {fact['message']}")
        if not (self.folder / fact["reply"]).is_file():
            raise InvalidRequest(f"the Ray worker on {host} writes into a different {self.folder}: put --out on a file system every node mounts")
        if fact["version"] != __version__:
            raise InvalidRequest(f"the Ray worker on {host} runs gamegen {fact['version']}, the driver {__version__}: install the same version on every node")
        if fact["sha256"] != self.card.sha256:
            raise errors.ModelIntegrityError(
                f"model {self.card.name} on the Ray worker on {host} has sha256 {fact['sha256'][:12]}…, "
                f"the driver's {self.card.sha256[:12]}…: install the same model on every node"
            )

    def run(self, tasks: list[tuple[str, list[int]]], folder: Path, on_done=None) -> list[dict]:
        """Run ``(method, seeds)`` tasks, one in flight per actor; append each result to the manifest as it lands."""
        queue = deque((task, 0) for task in tasks)
        idle = list(range(len(self.actors)))
        in_flight: dict = {}
        entries: list[dict] = []
        try:
            while queue or in_flight:
                while queue and idle:
                    index, (task, failures) = idle.pop(), queue.popleft()
                    ref = getattr(self.actors[index], task[0]).remote(task[1])
                    in_flight[ref] = (index, task, failures)
                (ref,), _ = self.ray.wait(list(in_flight), num_returns=1)
                index, task, failures = in_flight.pop(ref)
                try:
                    done = self.ray.get(ref)
                except self.ray.exceptions.RayActorError as exc:  # the worker died: replace it, queue its seeds again
                    if failures + 1 >= MAX_ATTEMPTS:
                        raise GamegenError(f"seeds {task[1][0]}..{task[1][-1]}: their Ray worker died {MAX_ATTEMPTS} times (last: {_one_line(exc)})") from None
                    self.actors[index] = self._checked(self._new_actors(1))[0]
                    self.replaced += 1
                    queue.appendleft((task, failures + 1))
                    idle.append(index)
                    continue
                except self.ray.exceptions.RayTaskError as exc:  # an error of gamegen's (disk full): the worker's own line
                    cause = getattr(exc, "cause", None)
                    raise (cause if isinstance(cause, GamegenError) else GamegenError(f"a Ray worker failed: {_one_line(exc)}")) from None
                append_entries(folder, done)  # the one manifest: one durable append per chunk
                entries += done
                if task[0] == "generate":
                    self.completed += task[1]
                    self.per_worker[index] += len(task[1])
                if on_done:
                    on_done(task)
                idle.append(index)
        finally:
            for ref in in_flight:  # after an error: the other workers' chunks are not waited for
                with contextlib.suppress(Exception):
                    self.ray.cancel(ref, force=False)
        return entries

    def cpu_seconds(self) -> float:
        """CPU seconds the live actors spent in ``generate`` (an actor that died since counts nothing)."""
        total = 0.0
        for ref in [a.cpu_seconds.remote() for a in self.actors]:
            with contextlib.suppress(self.ray.exceptions.RayError):
                total += self.ray.get(ref, timeout=SETUP_TIMEOUT_S)
        return total

    def _kill(self, actors: list) -> None:
        for actor in actors:
            with contextlib.suppress(Exception):  # already dead
                self.ray.kill(actor)

    def close(self) -> None:
        self._kill(self.actors)
        self.actors = []


def _remove_stale_probes(folder: Path) -> None:
    """Probe files left by a driver killed during its check (a live check takes seconds)."""
    now = time.time()
    for path in folder.glob(f"{PROBE}*"):
        try:
            if now - path.stat().st_mtime > STALE_PROBE_S:
                path.unlink()
        except OSError:
            pass


def _one_line(exc: BaseException) -> str:
    """The gist of a Ray error, whose text is a traceback."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException) and cause is not exc:
        return f"{type(cause).__name__}: {str(cause).strip().splitlines()[0] if str(cause).strip() else ''}"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__
