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

The parent supervises the workers (see :class:`ForkedEvaluation`): a worker that
dies, or sends nothing for longer than the check budget (``check_timeout``: it hangs
on a check, or was stopped), is reported by name in :attr:`ForkedEvaluation.incidents`;
the check it was computing fails with one line naming it, and its other checks are
left unanswered, so the gate computes them in pytest's process. Nothing waits without
a deadline: a run never hangs on a worker.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .model import Check, ErrorKind, Verdict

__all__ = ["DEFAULT_BUDGET", "MIN_FORKED_BATCH", "ForkedEvaluation", "can_fork"]

MIN_FORKED_BATCH = 64
DEFAULT_BUDGET = 60.0  # seconds a worker may go without sending a verdict (check_timeout)
_HEADER = 4
_REAP_WAIT = 5.0  # seconds to wait for a worker to exit once it has closed its pipe or been killed
Work = TypeVar("Work")


def can_fork() -> bool:
    """True when forking workers is possible and safe in this process right now."""
    return hasattr(os, "fork") and threading.active_count() == 1


@dataclass(slots=True)
class _Worker:
    """One forked worker, as the parent sees it."""

    name: str
    pid: int
    fd: int
    keys: list[tuple[str, str]]  # its share, in the order it computes them
    last_progress: float
    received: int = 0
    buffer: bytearray = field(default_factory=bytearray)

    def in_flight(self) -> tuple[str, str] | None:
        """The key it is computing now: its verdicts come in the order of its share."""
        return self.keys[self.received] if self.received < len(self.keys) else None


class ForkedEvaluation(Generic[Work]):
    """Verdicts of ``work`` computed by ``workers`` forked processes, supervised.

    :param work: (context, check) pairs, in the order their verdicts will be wanted.
    :param compute: computes one verdict; runs in the children. It must not raise.
    :param workers: how many processes to fork (at least 1).
    :param after_fork: run once in each child before computing (drop inherited
        handles such as pipes to a parent's subprocess).
    :param budget: seconds a worker may go without sending a verdict (``check_timeout``);
        past it, the worker is killed and its check fails with one line.
    """

    def __init__(
        self,
        work: Sequence[tuple[Work, Check]],
        compute: Callable[[Work, Check], Verdict],
        workers: int,
        after_fork: Callable[[], None] = lambda: None,
        budget: float = DEFAULT_BUDGET,
    ) -> None:
        self.work = list(work)
        self.compute = compute
        self.workers = max(1, min(workers, len(self.work)))
        self.after_fork = after_fork
        self.budget = budget
        self.results: dict[tuple[str, str], Verdict] = {}
        self.incidents: list[str] = []  # one line per worker that died or stalled, naming it
        self._selector = selectors.DefaultSelector()
        self._live: dict[int, _Worker] = {}  # by pipe descriptor
        self._pids: list[int] = []  # not collected yet
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
            name = f"schemafed-worker-{index + 1}"
            self._live[read_fd] = _Worker(name, pid, read_fd, [c.key for _, c in share], time.monotonic())
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

        Never waits longer than the budget for a worker that sends nothing: such a
        worker is stopped and reported (see :meth:`_stalled`).

        :returns: ``None`` if the worker that had it ended or was stopped without
            sending it (the caller then computes it in-process).
        """
        while key not in self.results and self._live:
            now = time.monotonic()
            deadline = min(w.last_progress for w in self._live.values()) + self.budget
            for selected, _ in self._selector.select(timeout=max(0.0, deadline - now)):
                worker = self._live.get(int(selected.fd))
                if worker is not None:  # an earlier read of this round may have ended every worker
                    self._read(worker)
            now = time.monotonic()
            for worker in list(self._live.values()):
                if now - worker.last_progress > self.budget:
                    self._stalled(worker)
        return self.results.get(key)

    def _read(self, worker: _Worker) -> None:
        try:
            chunk = os.read(worker.fd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self._ended(worker)
            return
        worker.last_progress = time.monotonic()
        buffer = worker.buffer
        buffer += chunk
        while len(buffer) >= _HEADER:
            size = int.from_bytes(buffer[:_HEADER], "big")
            if len(buffer) < _HEADER + size:
                break
            key, verdict = pickle.loads(bytes(buffer[_HEADER : _HEADER + size]))
            del buffer[: _HEADER + size]
            self.results[key] = verdict
            worker.received += 1
        if len(self.results) >= self._expected:  # all in: no need to wait for the pipes to close
            self._finish()

    def _ended(self, worker: _Worker) -> None:
        """The worker closed its pipe: it is done, or it died before sending all its verdicts."""
        self._drop(worker)
        if worker.in_flight() is not None:  # died: collect it now, for what it died of
            status = self._reap(worker.pid, kill=False)
            if status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1:
                # its own error (setup, a broken pipe), caught in the child: no check is to blame
                self._incident(worker, "failed before it could send all its verdicts", failed=None)
            else:
                self._incident(worker, _describe_exit(status), failed=worker.in_flight(),
                               why="it may be what ended the worker")
        if not self._live:
            self._finish()

    def _stalled(self, worker: _Worker) -> None:
        """The worker sent nothing for longer than the budget: stop it, fail its check, report it."""
        stopped = _is_stopped(worker.pid)
        self._drop(worker)
        self._reap(worker.pid, kill=True)
        state = "was stopped (SIGSTOP)" if stopped else "is still computing"
        how = f"sent nothing for {self.budget:g} s (check_timeout) and {state}; it was killed"
        self._incident(worker, how, failed=worker.in_flight(),
                       why="raise check_timeout if the check is only slow" if not stopped else "")
        if not self._live:
            self._finish()

    def _incident(self, worker: _Worker, how: str, *, failed: tuple[str, str] | None, why: str = "") -> None:
        rerun = len(worker.keys) - worker.received - (failed is not None)
        self.incidents.append(
            f"worker {worker.name} (pid {worker.pid}) {how}; {worker.received} of {len(worker.keys)} verdicts "
            f"had arrived{', 1 check failed' if failed else ''}, {rerun} rerun in pytest's process"
        )
        if failed is not None:
            self.results[failed] = Verdict.failed(
                f"{failed[0]}: worker {worker.name} (pid {worker.pid}) {how} while checking this file; "
                f"not rerun{f' ({why})' if why else ''}",
                ErrorKind.INTERNAL,
            )

    def _drop(self, worker: _Worker) -> None:
        if self._live.pop(worker.fd, None) is not None:
            self._selector.unregister(worker.fd)
            os.close(worker.fd)

    def _reap(self, pid: int, *, kill: bool) -> int | None:
        """Collect ``pid`` (killing it first if asked, or if it does not exit in time); its wait status."""
        if pid not in self._pids:
            return None
        if kill:
            _kill(pid)
        deadline = time.monotonic() + _REAP_WAIT
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                self._pids.remove(pid)
                return None
            if done:
                self._pids.remove(pid)
                return status
            if time.monotonic() > deadline:
                _kill(pid)
                deadline = time.monotonic() + _REAP_WAIT
            time.sleep(0.005)

    def _finish(self, *, block: bool = False) -> None:
        """Stop reading, collect the workers that have ended and unfreeze the parent's objects.

        A worker closes its pipe before it exits, and its exit (freeing a large copied
        address space) takes a while: without ``block`` pytest does not wait for it; the
        ones still exiting are collected by :meth:`close` (killed if they do not end).
        """
        for worker in list(self._live.values()):
            if block and worker.in_flight() is not None:
                _kill(worker.pid)  # closing early: its remaining verdicts are not wanted
            self._drop(worker)
        for pid in list(self._pids):
            if block:
                self._reap(pid, kill=False)
                continue
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self._pids.remove(pid)
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def close(self) -> None:
        """Stop reading; the workers end on their own when their pipe closes (or are killed)."""
        self._finish(block=True)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _is_stopped(pid: int) -> bool:
    """True when ``pid`` is stopped by a signal (SIGSTOP, SIGTSTP), not running."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG | os.WUNTRACED)
    except ChildProcessError:
        return False
    return bool(done) and os.WIFSTOPPED(status)


def _describe_exit(status: int | None) -> str:
    if status is None:
        return "ended"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"was killed by {name}"
    return f"ended with exit code {os.WEXITSTATUS(status)}"
