"""CPU-bound checks on every core: forked worker processes that stream verdicts back.

Checks against local backends (git, directory) are pure computation: parse two texts,
compare them. One Python process runs them on one core, while pytest's own work per
item runs on the same core. :class:`ForkedEvaluation` forks worker processes that
inherit everything already read (files, git blobs), deal the checks out round-robin
in item order, and send each verdict back through a pipe as soon as it is computed.
The parent returns at once and only waits, in :meth:`ForkedEvaluation.wait_for`, for
a verdict it needs that has not arrived yet: pytest reports item *n* while the
workers compute item *n + 1*.

Forking is used only where it is safe and pays: on platforms with ``os.fork``, when
the process runs no other thread (a fork copies only the calling thread, and a lock
held by another one would stay locked in the child), and for batches large enough to
repay the fork. Otherwise the gate evaluates in-process as before.

The workers run at pytest's own priority. pytest's process is the one everything
waits for, so by default it keeps a CPU to itself (the plugin forks one worker per
CPU but one). Lowering the workers' priority was tried and dropped: on a machine
busy with anything else, a niced worker gets a tenth of a CPU and pytest's process
then waits for nearly every verdict (with one CPU-bound process running beside the
gate: 0.65 s of waiting in a 2.8 s run, against 0.04 s at equal priority).

The parent freezes its objects in the garbage collector before forking (the recipe
of :func:`gc.freeze`), so that its collections do not write to pages the workers
still share, until every verdict has arrived.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from .model import Check, Verdict

__all__ = ["MIN_FORKED_BATCH", "ForkedEvaluation", "can_fork"]

MIN_FORKED_BATCH = 64
_HEADER = 4
Work = TypeVar("Work")


def can_fork() -> bool:
    """True when forking workers is possible and safe in this process right now."""
    return hasattr(os, "fork") and threading.active_count() == 1


class ForkedEvaluation(Generic[Work]):
    """Verdicts of ``work`` computed by ``workers`` forked processes.

    :param work: (context, check) pairs, in the order their verdicts will be wanted.
    :param compute: computes one verdict; runs in the children. It must not raise.
    :param workers: how many processes to fork (at least 1).
    :param after_fork: run once in each child before computing (drop inherited
        handles such as pipes to a parent's subprocess).
    """

    def __init__(
        self,
        work: Sequence[tuple[Work, Check]],
        compute: Callable[[Work, Check], Verdict],
        workers: int,
        after_fork: Callable[[], None] = lambda: None,
    ) -> None:
        self.work = list(work)
        self.compute = compute
        self.workers = max(1, min(workers, len(self.work)))
        self.after_fork = after_fork
        self.results: dict[tuple[str, str], Verdict] = {}
        self._selector = selectors.DefaultSelector()
        self._buffers: dict[int, bytearray] = {}
        self._pids: list[int] = []
        self._frozen = False
        self._expected = len(self.keys)

    @property
    def keys(self) -> set[tuple[str, str]]:
        """The checks this evaluation answers for."""
        return {check.key for _, check in self.work}

    def start(self) -> None:
        """Fork the workers; returns as soon as they run."""
        gc.freeze()  # see the module's docstring; undone by _finish once every verdict is in
        self._frozen = True
        for index in range(self.workers):
            share = self.work[index :: self.workers]
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: compute, send, and leave without running any cleanup
                code = 0
                try:
                    os.close(read_fd)
                    self.after_fork()
                    self._serve(share, write_fd)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            os.close(write_fd)
            os.set_blocking(read_fd, False)
            self._buffers[read_fd] = bytearray()
            self._selector.register(read_fd, selectors.EVENT_READ)
            self._pids.append(pid)

    def _serve(self, share: Sequence[tuple[Work, Check]], write_fd: int) -> None:
        with os.fdopen(write_fd, "wb", buffering=1 << 16) as out:
            for context, check in share:
                data = pickle.dumps((check.key, self.compute(context, check)), pickle.HIGHEST_PROTOCOL)
                out.write(len(data).to_bytes(_HEADER, "big") + data)
                out.flush()

    def wait_for(self, key: tuple[str, str]) -> Verdict | None:
        """The verdict of ``key``, reading what the workers sent until it has come.

        :returns: ``None`` if every worker ended without sending it (the caller then
            computes it in-process).
        """
        while key not in self.results and self._buffers:
            for selected, _ in self._selector.select():
                self._read(int(selected.fd))
        return self.results.get(key)

    def _read(self, fd: int) -> None:
        buffer = self._buffers[fd]
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self._drop(fd)
            if not self._buffers:
                self._finish()
            return
        buffer += chunk
        while len(buffer) >= _HEADER:
            size = int.from_bytes(buffer[:_HEADER], "big")
            if len(buffer) < _HEADER + size:
                break
            key, verdict = pickle.loads(bytes(buffer[_HEADER : _HEADER + size]))
            del buffer[: _HEADER + size]
            self.results[key] = verdict
        if len(self.results) >= self._expected:  # all in: no need to wait for the pipes to close
            self._finish()

    def _drop(self, fd: int) -> None:
        self._selector.unregister(fd)
        os.close(fd)
        del self._buffers[fd]

    def _finish(self, *, block: bool = False) -> None:
        """Stop reading, collect the workers that have ended and unfreeze the parent's objects.

        A worker closes its pipe before it exits, and its exit (freeing a large copied
        address space) takes a while: without ``block`` pytest does not wait for it; the
        ones still exiting are collected by :meth:`close`.
        """
        for fd in list(self._buffers):
            self._drop(fd)
        for pid in list(self._pids):
            try:
                done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self._pids.remove(pid)
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def close(self) -> None:
        """Stop reading; the workers end on their own when their pipe closes."""
        self._finish(block=True)

