"""Micro-batching: classify the spectra of concurrent requests in one vectorised call.

Classifying one spectrum costs about 2 ms, most of it the fixed overhead of a model
call; classifying fifty in one call costs little more. :class:`MicroBatcher` queues the
jobs of concurrent requests and hands everything queued to one worker thread at a
time: while the worker classifies one batch, the next one gathers. An idle server
classifies a lone request at once (no waiting window unless one is set), so a
sequential client pays nothing for the batching.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Generic, TypeVar

from asteroid_spectra.exceptions import StateError

__all__ = ["MicroBatcher"]

JobT = TypeVar("JobT")
ResultT = TypeVar("ResultT")


@dataclass
class _Entry(Generic[JobT, ResultT]):
    job: JobT
    size: int
    future: asyncio.Future[ResultT]


class MicroBatcher(Generic[JobT, ResultT]):
    """Run ``work(jobs) -> results`` on batches of the jobs submitted concurrently.

    Parameters
    ----------
    work : callable
        ``work(list_of_jobs) -> list_of_results``, one result per job in order; run in
        `executor`. If it raises, each job of the batch is run alone so that only the
        failing job's request sees the exception.
    executor : Executor
        Where `work` runs (a single thread keeps the models' BLAS calls sequential).
    max_size : int
        A batch stops growing once its jobs' sizes add up to this (a job larger than
        that still runs, alone).
    window : float
        Seconds to wait for more jobs after the first one arrives at an idle batcher;
        0 takes what is queued right away.

    Examples
    --------
    >>> import asyncio
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> async def demo():
    ...     with ThreadPoolExecutor(1) as pool:
    ...         batcher = MicroBatcher(lambda jobs: [2 * j for j in jobs], pool, max_size=8)
    ...         batcher.start()
    ...         results = await asyncio.gather(*(batcher.submit(j) for j in range(3)))
    ...         await batcher.stop()
    ...         return results
    >>> asyncio.run(demo())
    [0, 2, 4]
    """

    def __init__(
        self,
        work: Callable[[list[JobT]], Sequence[ResultT]],
        executor: Executor,
        *,
        max_size: int = 1024,
        window: float = 0.0,
    ) -> None:
        self.work = work
        self.executor = executor
        self.max_size = max_size
        self.window = window
        self._queue: deque[_Entry[JobT, ResultT]] = deque()
        self._ready: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        """Number of batches run so far (for tests and monitoring)."""

    def start(self) -> None:
        """Start the batching loop on the running event loop."""
        if self._task is not None:
            raise StateError("This MicroBatcher is already running; call stop() first.")
        self._ready = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(
            self._loop(self._ready), name="micro-batcher"
        )

    async def stop(self) -> None:
        """Stop the loop; jobs still queued fail with a :class:`StateError`."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        while self._queue:
            entry = self._queue.popleft()
            if not entry.future.done():
                entry.future.set_exception(
                    StateError("The server is shutting down; send the request again later.")
                )

    async def submit(self, job: JobT, size: int = 1) -> ResultT:
        """Queue `job` (counting `size` towards a batch's limit) and wait for its result."""
        if self._task is None or self._ready is None:
            raise StateError("The MicroBatcher is not running; call start() first.")
        future: asyncio.Future[ResultT] = asyncio.get_running_loop().create_future()
        self._queue.append(_Entry(job, size, future))
        self._ready.set()
        return await future

    def _take(self) -> list[_Entry[JobT, ResultT]]:
        batch: list[_Entry[JobT, ResultT]] = []
        total = 0
        while self._queue and (not batch or total + self._queue[0].size <= self.max_size):
            entry = self._queue.popleft()
            if entry.future.done():  # the client went away
                continue
            batch.append(entry)
            total += entry.size
        return batch

    async def _loop(self, ready: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await ready.wait()
            # Let requests already being parsed join (or wait the configured window).
            await asyncio.sleep(self.window)
            batch = self._take()
            if not self._queue:
                ready.clear()
            if not batch:
                continue
            self.batches += 1
            jobs = [entry.job for entry in batch]
            try:
                results = list(await loop.run_in_executor(self.executor, self.work, jobs))
                if len(results) != len(jobs):
                    raise StateError(
                        f"work returned {len(results)} results for {len(jobs)} jobs; it must "
                        "return one result per job"
                    )
            except Exception:
                await self._one_by_one(batch)
                continue
            for entry, result in zip(batch, results, strict=True):
                if not entry.future.done():
                    entry.future.set_result(result)

    async def _one_by_one(self, batch: list[_Entry[JobT, ResultT]]) -> None:
        loop = asyncio.get_running_loop()
        for entry in batch:
            try:
                (result,) = await loop.run_in_executor(self.executor, self.work, [entry.job])
            except Exception as error:
                if not entry.future.done():
                    entry.future.set_exception(error)
            else:
                if not entry.future.done():
                    entry.future.set_result(result)
