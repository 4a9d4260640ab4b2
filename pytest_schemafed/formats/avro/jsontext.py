"""The ``.avsc`` text as JSON: decode it, and point back into it when the schema is wrong.

A schema error is raised during the walk as :class:`Invalid`, carrying a JSON pointer
that is built lazily (:data:`Ptr`); :func:`schema_error` turns it into a
:class:`SchemaParseError` with the line and column the pointer leads to.
"""

from __future__ import annotations

import json
from typing import Any

from ...errors import SchemaParseError
from ..jsonpos import JsonPositions

try:
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency; json is the fallback
    _fast_loads = json.loads  # type: ignore[assignment]

__all__ = ["Invalid", "Ptr", "decode", "flat", "schema_error", "shown"]

_SHOWN_CHARS = 80

#: a JSON pointer built lazily: a string, or (parent, token, ...) flattened only for errors
Ptr = str | tuple[Any, ...]


def flat(pointer: Ptr) -> str:
    """The JSON pointer ``pointer`` as one string (without recursion: pointers nest as deep as the schema)."""
    if type(pointer) is str:
        return pointer
    parts: list[str] = []
    stack: list[Any] = [iter(pointer)]
    while stack:
        for p in stack[-1]:
            if type(p) is tuple:
                stack.append(iter(p))
                break
            parts.append(str(p))
        else:
            stack.pop()
    return "".join(parts)


def shown(value: Any) -> str:
    """``value`` as JSON for a message, cut to a few dozen characters (it may be huge or deep)."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        text = f"a JSON {type(value).__name__}"
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


class Invalid(Exception):
    """A schema error at a JSON pointer; turned into SchemaParseError with a line."""

    def __init__(self, message: str, pointer: Ptr) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def _where(pointer: str) -> str:
    if len(pointer) > 100:  # a very deep place: its start and end say enough
        pointer = pointer[:40] + "/.../" + pointer[-40:].partition("/")[2]
    return f"at {pointer}" if pointer else "at the top level"


def schema_error(text: str, path: str | None, message: str, pointer: str | None) -> SchemaParseError:
    """The error for ``message`` about ``text``, placed at ``pointer``'s line and column if it has one."""
    line = column = None
    if pointer is not None:
        hit = JsonPositions(text).locate(pointer)
        if hit is not None:
            line, column = hit
    where = f" ({_where(pointer)})" if pointer is not None else ""
    return SchemaParseError(f"not a valid Avro schema: {message}{where}", path=path, line=line, column=column)


def decode(text: str, path: str | None) -> Any:
    """The JSON value of ``text``.

    :raises SchemaParseError: ``text`` is not JSON (with json's line and column), or
        nests arrays and objects deeper than the decoders read (about 1000 levels).
    """
    try:
        return _fast_loads(text)
    except (ValueError, TypeError, RecursionError):
        pass  # json says precisely what is wrong (and reads what orjson does not: NaN, huge integers)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaParseError(
            f"not JSON: {exc.msg} (an .avsc file must be a JSON schema)",
            path=path,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise SchemaParseError(
            "not a valid Avro schema: the JSON is nested too deeply (more than 1000 levels of arrays and objects)",
            path=path,
        ) from None
    except (TypeError, ValueError) as exc:
        raise SchemaParseError(f"not JSON: {exc}", path=path) from None
