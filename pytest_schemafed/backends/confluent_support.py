"""Small helpers of the Confluent-API backend: reading its answers, and once-per-run memos."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import httpx

from ..errors import BackendError
from ..model import RemoteVerdict
from ..secrets import scrub

__all__ = ["Once", "error_detail", "is_bare_not_found", "remote_verdict"]

T = TypeVar("T")
_OLD_VERSION = re.compile(r"^\{oldSchemaVersion:\s*(\d+)\}$")


class _Slot:
    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Once:
    """Computes each key once per run, even when many threads ask at the same time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[Hashable, _Slot] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return ``compute()`` for ``key``, computed by the first caller; later callers wait for it.

        An exception is remembered too and raised to every caller of the same key.
        """
        with self._lock:
            slot = self._slots.get(key)
            owner = slot is None
            if slot is None:
                slot = self._slots[key] = _Slot()
        if owner:
            try:
                slot.value = compute()
            except BaseException as exc:
                slot.error = exc
                raise
            finally:
                slot.done.set()
            return slot.value
        slot.done.wait()
        if slot.error is not None:
            raise slot.error
        return slot.value


def error_detail(response: httpx.Response) -> tuple[int | None, str]:
    """The ``error_code`` and message of an error answer (Karapace's 422 lists are joined)."""
    try:
        body = response.json()
    except ValueError:
        return None, scrub(response.text.strip())[:200] or response.reason_phrase
    if isinstance(body, dict):
        code = body.get("error_code")
        message = body.get("message", "")
        if isinstance(message, list):
            message = "; ".join(str(m.get("msg", m)) if isinstance(m, dict) else str(m) for m in message)
        return (code if isinstance(code, int) else None), scrub(str(message))[:300]
    return None, scrub(str(body))[:200]


def is_bare_not_found(response: httpx.Response) -> bool:
    """A 404 from the web framework (route missing, Karapace's ``"Not Found"``), not the API."""
    if response.status_code != 404:
        return False
    code, _ = error_detail(response)
    return code is None or code == 404


def remote_verdict(body: Any, versions: Sequence[str], unexpected: BackendError) -> RemoteVerdict:
    """Read ``{"is_compatible": ..., "messages": [...]}``.

    Confluent's verbose entries are kept as given, except ``{oldSchema: '...'}`` (the whole
    registered schema again); ``{oldSchemaVersion: N}`` says which version failed.
    :raises BackendError: ``unexpected`` when the body has no ``is_compatible``.
    """
    if not isinstance(body, dict) or not isinstance(body.get("is_compatible"), bool):
        raise unexpected
    messages: list[str] = []
    failed: list[str] = []
    for message in body.get("messages") or ():
        text = str(message)
        match = _OLD_VERSION.match(text)
        if match:
            failed.append(match.group(1))
        elif not text.startswith("{oldSchema:"):
            messages.append(text)
    return RemoteVerdict(compatible=body["is_compatible"], messages=tuple(messages),
                         versions=tuple(failed) or tuple(versions))
