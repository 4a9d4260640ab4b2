"""The state of one comparison: the current path, the differences found, cycle guard.

A port of Confluent's ``diff.Context``. Each :class:`Change` keeps, besides
Confluent's type and path string, the pair of nodes being compared when it was
found, so that a finding can be located in the local file even when Confluent's
path (which follows the original schema's shape, e.g. ``#/allOf/1/enum`` for a
synthetic ``allOf``) does not exist there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .model import Node

__all__ = ["Change", "Context", "Frame", "java_hash_order"]


class Frame(NamedTuple):
    """The innermost pair of schemas of the main documents: (node, path depth) per side."""

    original: Node | None
    original_depth: int
    update: Node | None
    update_depth: int


class Change(NamedTuple):
    """One difference: Confluent's type id and path segments, and where it was found."""

    type: str
    segments: tuple[str, ...]
    frame: Frame | None

    @property
    def path(self) -> str:
        """Confluent's JSON path of the change, e.g. ``#/properties/foo/maxLength``."""
        return "#/" + "/".join(self.segments)

    def __str__(self) -> str:
        return f"{self.type} {self.path}"


class Context:
    """Differences of one comparison branch; :meth:`sub` opens a trial branch."""

    __slots__ = ("compatible_changes", "diffs", "frame", "in_progress", "path", "skip_equal")

    def __init__(self, compatible_changes: frozenset[str], *, skip_equal: bool = False) -> None:
        self.compatible_changes = compatible_changes
        self.skip_equal = skip_equal
        self.path: list[str] = []
        self.diffs: list[Change] = []
        self.frame: Frame | None = None
        self.in_progress: set[tuple[int, int]] = set()

    def sub(self) -> Context:
        """A branch at the same path whose differences are kept only if the caller wants."""
        ctx = Context.__new__(Context)
        ctx.compatible_changes = self.compatible_changes
        ctx.skip_equal = self.skip_equal
        ctx.path = list(self.path)
        ctx.diffs = []
        ctx.frame = self.frame
        ctx.in_progress = self.in_progress
        return ctx

    def is_compatible(self) -> bool:
        """True when every difference of this branch is a compatible change."""
        ok = self.compatible_changes
        return all(d.type in ok for d in self.diffs)

    def add(self, change_type: str, *attribute: str) -> None:
        """Record a difference at the current path (plus ``attribute`` segments)."""
        self.diffs.append(Change(change_type, (*self.path, *attribute), self.frame))

    def extend(self, other: Context) -> None:
        """Keep the differences of a branch."""
        self.diffs.extend(other.diffs)

    def enter(self, original: Node, update: Node) -> Frame | None:
        """Make (original, update) the current pair; returns the frame to restore."""
        previous = self.frame
        depth = len(self.path)
        if previous is None:
            self.frame = Frame(original, depth, update, depth)
        else:
            o_ok = not original.doc
            u_ok = not update.doc
            self.frame = Frame(
                original if o_ok else previous.original,
                depth if o_ok else previous.original_depth,
                update if u_ok else previous.update,
                depth if u_ok else previous.update_depth,
            )
        return previous


_HASHES: dict[str, int] = {}


def _java_string_hash(text: str) -> int:
    hit = _HASHES.get(text)
    if hit is not None:
        return hit
    h = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    if len(_HASHES) < 65536:
        _HASHES[text] = h
    return h


def _table_size_for(capacity: int) -> int:
    size = 1
    while size < capacity:
        size <<= 1
    return size


def java_hash_order(keys: Iterable[str], *, presized_for: int | None = None) -> list[str]:
    """The iteration order of a Java ``HashSet``/``HashMap`` of these strings.

    Confluent's differ walks property names through Java hash sets, so its list of
    changes comes in that order. ``presized_for`` mimics ``new HashSet<>(collection)``
    (capacity for that many elements); otherwise the default capacity 16 is used.
    Later keys grow the table like Java does.
    """
    if presized_for is None:
        capacity = 16
    else:
        capacity = _table_size_for(max(int(presized_for / 0.75) + 1, 16))
    ordered: list[str] = []
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            continue
        seen.add(key)
        ordered.append(key)
        if len(ordered) > capacity * 0.75:
            capacity <<= 1
    if len(ordered) < 2:
        return ordered
    mask = capacity - 1

    def bucket(item: tuple[int, str]) -> tuple[int, int]:
        h = _java_string_hash(item[1])
        return ((h ^ (h >> 16)) & mask, item[0])

    return [k for _, k in sorted(enumerate(ordered), key=bucket)]
