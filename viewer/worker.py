"""One background thread for everything slow: generating, reading, exporting, encoding PNGs.

The event loop submits jobs and polls for results once a frame, so it never
waits for a model. Jobs run in order. A job may name a ``slot``: a newer job in
the same slot supersedes one still queued (pressing N ten times generates the
last seed, not all ten). Exceptions are results too, never a dead thread.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Worker", "Result"]


@dataclass
class Job:
    id: int
    slot: str | None
    fn: Callable[..., Any]
    args: tuple


@dataclass
class Result:
    id: int
    slot: str | None
    value: Any = None
    error: BaseException | None = None
    seconds: float = 0.0


class Worker:
    """A daemon thread that runs submitted callables; ``results()`` collects what they returned."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._results: queue.Queue[Result] = queue.Queue()
        self._idle = threading.Condition()
        self._unfinished = 0
        self._next_id = 0
        self._thread = threading.Thread(target=self._loop, name="gamegen-viewer-worker", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, slot: str | None = None) -> int:
        """Queue ``fn(*args)`` → the job's id (its Result carries the same id)."""
        with self._idle:
            self._next_id += 1
            self._unfinished += 1
            job = Job(self._next_id, slot, fn, args)
        self._jobs.put(job)
        return job.id

    def results(self) -> list[Result]:
        """Every result ready now, oldest first; never blocks."""
        ready = []
        while True:
            try:
                ready.append(self._results.get_nowait())
            except queue.Empty:
                return ready

    @property
    def busy(self) -> bool:
        with self._idle:
            return self._unfinished > 0

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted job has finished (for headless screenshots) → False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout)

    def close(self, timeout: float = 1.0) -> None:
        """Ask the thread to stop after its current job; a model call in flight is not interrupted (daemon thread)."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _take(self) -> list[Job | None]:
        """The next job and every job queued behind it."""
        jobs = [self._jobs.get()]
        while True:
            try:
                jobs.append(self._jobs.get_nowait())
            except queue.Empty:
                return jobs

    def _loop(self) -> None:
        while True:
            jobs = self._take()
            latest = {job.slot: job.id for job in jobs if job is not None and job.slot is not None}
            for job in jobs:
                if job is None:
                    return
                if job.slot is None or latest[job.slot] == job.id:
                    self._results.put(self._run(job))
                self._finished()

    @staticmethod
    def _run(job: Job) -> Result:
        start = time.perf_counter()
        try:
            value = job.fn(*job.args)
        except Exception as exc:  # shown in the status bar; the viewer keeps running
            return Result(job.id, job.slot, error=exc, seconds=time.perf_counter() - start)
        return Result(job.id, job.slot, value=value, seconds=time.perf_counter() - start)

    def _finished(self) -> None:
        with self._idle:
            self._unfinished -= 1
            self._idle.notify_all()
