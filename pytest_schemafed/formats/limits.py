"""Bounds every parser applies before it walks a document: how deep JSON may nest.

A parser, a meta-schema validator and a differ each walk a document recursively, so a
document nested deeply enough would exhaust Python's recursion limit (a
``RecursionError``, or a crash of the C stack in compiled code). Each format checks
its own limit first (see ``MAX_DEPTH`` in its parsing module) and reports a deeper
document as a :class:`~pytest_schemafed.errors.SchemaParseError`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["json_deeper_than"]


def json_deeper_than(text: str, value: Any, limit: int) -> bool:
    """True when ``value`` (``text`` decoded) nests more than ``limit`` arrays and objects.

    Free for small texts: one that holds at most ``limit`` brackets cannot nest deeper.
    Otherwise one pass over the containers, level by level, without recursion.
    """
    if text.count("{") + text.count("[") <= limit:
        return False
    frontier = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while frontier:
        depth += 1
        if depth > limit:
            return True
        below = []
        for container in frontier:
            for child in container.values() if type(container) is dict else container:
                if type(child) is dict or type(child) is list:
                    below.append(child)
        frontier = below
    return False
