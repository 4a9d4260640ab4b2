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

__all__ = ["Invalid", "Ptr", "decode", "flat", "schema_error"]

#: a JSON pointer built lazily: a string, or (parent, token, ...) flattened only for errors
Ptr = str | tuple[Any, ...]


def flat(pointer: Ptr) -> str:
    """The JSON pointer ``pointer`` as one string."""
    if type(pointer) is str:
        return pointer
    return "".join(flat(p) if type(p) is tuple else str(p) for p in pointer)


class Invalid(Exception):
    """A schema error at a JSON pointer; turned into SchemaParseError with a line."""

    def __init__(self, message: str, pointer: Ptr) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def _where(pointer: Ptr) -> str:
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

    :raises SchemaParseError: ``text`` is not JSON (with json's line and column).
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
    except (TypeError, ValueError, RecursionError) as exc:  # e.g. absurdly deep nesting
        raise SchemaParseError(f"not JSON: {exc}", path=path) from None
