"""Secret values: masked in every repr and scrubbed from every message.

Configuration values that carry credentials are wrapped in :class:`Secret` when
the configuration is loaded. A ``Secret`` prints as ``'***'`` and its value is
only reachable through :meth:`Secret.reveal`, which also remembers the value so
that :func:`scrub` can remove it from any text that is about to be shown
(terminal, reports, tracebacks), in case a backend library echoes it.
"""

from __future__ import annotations

import threading

__all__ = ["MASK", "Secret", "register_secret", "scrub"]

MASK = "***"
_known: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Remember ``value`` so that :func:`scrub` masks it wherever it appears."""
    if value and len(value) >= 4:
        with _lock:
            _known.add(value)


def scrub(text: str) -> str:
    """Return ``text`` with every known secret value replaced by ``***``."""
    if not _known or not text:
        return text
    for value in sorted(_known, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


class Secret:
    """A string that never shows itself: ``str()`` and ``repr()`` give ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        """Return the real value, for the one place that sends it to a backend."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)
