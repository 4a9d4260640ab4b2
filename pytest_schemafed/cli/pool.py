"""Bounded concurrency for the registry commands: at most the registry's ``max_in_flight`` at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

from .output import Progress

__all__ = ["map_bounded"]

T = TypeVar("T")
MAX_WORKERS = 64


def map_bounded(work: Callable[[str], T], items: Sequence[str], workers: int, progress: Progress) -> list[T]:
    """``[work(item) for item in items]``, ``workers`` at a time, in the order of ``items``.

    Each item done steps ``progress``. The first exception cancels what has not started and
    is raised once the running calls have ended (no thread outlives the call).
    """
    if not items:
        return []
    size = max(1, min(workers, MAX_WORKERS, len(items)))
    if size == 1:
        out: list[T] = []
        for item in items:
            out.append(work(item))
            progress.step(item)
        return out
    results: dict[int, T] = {}
    with ThreadPoolExecutor(max_workers=size, thread_name_prefix="schemafed-cli") as pool:
        futures = {pool.submit(work, item): index for index, item in enumerate(items)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()  # type: ignore[misc]
                results[futures[future]] = future.result()
                progress.step(items[futures[future]])
    return [results[index] for index in range(len(items))]
