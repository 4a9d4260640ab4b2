"""Decode schema JSON, reusing record fields already seen in another text.

Versions of one schema share most of their text: the local file and each registered
version differ by a few fields. Decoding and validating every field again dominates
parse time, so the elements of a top-level record's ``fields`` array are looked up
by their exact text: a field whose text was parsed before (anywhere in this process)
and whose type needs no context (primitives, logical primitives, and arrays, maps
and unions of those) comes back as a :class:`KnownField`, already validated. Other
fields come back as :class:`FreshField` (text + decoded JSON) so the parser can
remember them. The result is otherwise exactly ``json.loads(text)``; any text this
decoder does not handle simply goes through ``json.loads``.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from .model import Node

__all__ = ["FreshField", "KnownField", "clear", "decode", "remember"]

_PROBE = 48  # characters of a field's text used as its cache key
_MAX_ENTRIES = 50_000
_raw_decode = json.JSONDecoder().raw_decode
_ws = re.compile(r"[ \t\n\r]*").match


class KnownField:
    """A field parsed and validated before: everything but its position."""

    __slots__ = ("aliases", "default", "has_default", "name", "type")

    def __init__(self, name: str, type_: Node, has_default: bool, default: Any, aliases: tuple[str, ...]) -> None:
        self.name = name
        self.type = type_
        self.has_default = has_default
        self.default = default
        self.aliases = aliases


class FreshField:
    """A field not seen before: its exact text and its decoded JSON object."""

    __slots__ = ("data", "text")

    def __init__(self, text: str, data: dict[str, Any]) -> None:
        self.text = text
        self.data = data


_CHUNKS: dict[str, list[tuple[str, KnownField]]] = {}


def clear() -> None:
    """Forget every remembered field (for cold-cache measurements and tests)."""
    _CHUNKS.clear()


def remember(text: str, known: KnownField) -> None:
    """Cache a validated context-free field under its exact text."""
    if len(text) < _PROBE:
        return
    if len(_CHUNKS) >= _MAX_ENTRIES:
        _CHUNKS.clear()
    bucket = _CHUNKS.setdefault(text[:_PROBE], [])
    if len(bucket) < 32:
        bucket.append((text, known))


def _fields(text: str, i: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    i = _ws(text, i + 1).end()  # type: ignore[union-attr]
    if text[i] == "]":
        return out, i + 1
    chunks = _CHUNKS
    while True:
        hit = None
        bucket = chunks.get(text[i : i + _PROBE])
        if bucket is not None:
            for chunk, known in bucket:
                if text.startswith(chunk, i):
                    hit = known
                    i += len(chunk)
                    break
        if hit is not None:
            out.append(hit)
        else:
            value, end = _raw_decode(text, i)
            out.append(FreshField(text[i:end], value) if type(value) is dict else value)
            i = end
        i = _ws(text, i).end()  # type: ignore[union-attr]
        c = text[i]
        if c == ",":
            i = _ws(text, i + 1).end()  # type: ignore[union-attr]
            continue
        if c == "]":
            return out, i + 1
        raise ValueError("expected , or ]")


def _root_object(text: str, i: int) -> tuple[dict[str, Any], int]:
    obj: dict[str, Any] = {}
    i = _ws(text, i + 1).end()  # type: ignore[union-attr]
    if text[i] == "}":
        return obj, i + 1
    while True:
        if text[i] != '"':
            raise ValueError("expected a key")
        key, i = scanstring(text, i + 1)
        i = _ws(text, i).end()  # type: ignore[union-attr]
        if text[i] != ":":
            raise ValueError("expected :")
        i = _ws(text, i + 1).end()  # type: ignore[union-attr]
        if key == "fields" and text[i] == "[":
            value, i = _fields(text, i)
        else:
            value, i = _raw_decode(text, i)
        obj[key] = value
        i = _ws(text, i).end()  # type: ignore[union-attr]
        c = text[i]
        if c == ",":
            i = _ws(text, i + 1).end()  # type: ignore[union-attr]
            continue
        if c == "}":
            return obj, i + 1
        raise ValueError("expected , or }")


def decode(text: str) -> Any:
    """``json.loads(text)``, with top-level record fields as Known/FreshField objects.

    :raises json.JSONDecodeError: as ``json.loads`` does, for the same texts.
    """
    start = _ws(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("{", start):
        return json.loads(text)
    try:
        value, end = _root_object(text, start)
        if _ws(text, end).end() != len(text):  # type: ignore[union-attr]
            raise ValueError("extra data")
    except (ValueError, IndexError, TypeError):
        return json.loads(text)  # raises the precise error (or decodes what we did not)
    return value
