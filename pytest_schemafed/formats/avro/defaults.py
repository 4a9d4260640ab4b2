"""Is a JSON value a valid default for an Avro type? (Confluent validates field defaults.)

:func:`quick_default` answers at once for the common cases (primitive, enum and
fixed types, ``null`` for a union); :func:`valid_default` walks any type, and runs
once the whole text is parsed, when every record it may meet is complete.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .model import Array, Map, Node, Record, Union

__all__ = ["java_double", "quick_default", "valid_default"]

# What Java's Double.parseDouble reads (hexadecimal forms aside), after trimming.
_JAVA_DOUBLE = re.compile(r"[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)")

_MAX_DEPTH = 64
_INT = 2**31
_LONG = 2**63
NoneType = type(None)

#: (kind, Python type of the value) pairs that are always valid
_SIMPLE: frozenset[tuple[str, type]] = frozenset(
    {
        ("null", NoneType),
        ("boolean", bool),
        ("string", str),
        ("bytes", str),
        ("enum", str),
        ("fixed", str),
        ("float", int),
        ("float", float),
        ("double", int),
        ("double", float),
    }
)
#: kinds whose valid values :func:`quick_default` knows completely
_QUICK = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string", "enum", "fixed"})


def java_double(text: str, otherwise: Any) -> Any:
    """The number Java's parser makes of a float/double field's text default, else ``otherwise``.

    Apache Avro Java turns ``"default": "1.5"`` of a float or double field into 1.5 before
    validating it; a text that is not a number stays text and is then refused.
    """
    trimmed = text.strip(" \t\n\r\x0b\x0c\x00")
    if not _JAVA_DOUBLE.fullmatch(trimmed):
        return otherwise
    body = trimmed.lstrip("+-")
    if body in ("NaN", "Infinity"):
        value = math.nan if body == "NaN" else math.inf
        return -value if trimmed.startswith("-") else value
    return float(trimmed.rstrip("fFdD"))


def quick_default(node: Node, value: Any) -> bool | None:
    """True/False when the answer needs no walk, ``None`` when :func:`valid_default` must decide."""
    kind = node.kind
    t = type(value)
    if kind in _QUICK:
        if (kind, t) in _SIMPLE:
            return True
        if t is int:
            if kind == "int":
                return -_INT <= value < _INT
            if kind == "long":
                return -_LONG <= value < _LONG
        return False
    if kind == "union" and value is None:
        return any(b.kind == "null" for b in node.branches)  # type: ignore[attr-defined]
    return None


def valid_default(node: Node, value: Any, depth: int = 0) -> bool:
    """True when ``value`` (decoded JSON) is a value of ``node``'s type.

    A union default may match any branch (Avro 1.11+ accepts that); a record default
    needs every field, or the field's own default.
    """
    if depth > _MAX_DEPTH:
        return False
    quick = quick_default(node, value)
    if quick is not None:
        return quick
    t = type(value)
    if isinstance(node, Array):
        return t is list and all(valid_default(node.items, v, depth + 1) for v in value)
    if isinstance(node, Map):
        return t is dict and all(valid_default(node.values, v, depth + 1) for v in value.values())
    if isinstance(node, Union):
        return any(valid_default(b, value, depth + 1) for b in node.branches)
    if isinstance(node, Record):
        if t is not dict:
            return False
        for field in node.fields:
            if field.name in value:
                if not valid_default(field.type, value[field.name], depth + 1):
                    return False
            elif not field.has_default or not valid_default(field.type, field.default, depth + 1):
                return False
        return True
    return False
