"""The state of one comparison: the current path, the differences found, cycle guard, memo.

A port of Confluent's ``diff.Context``. Each :class:`Change` keeps, besides
Confluent's type and path string, the pair of nodes being compared when it was
found, so that a finding can be located in the local file even when Confluent's
path (which follows the original schema's shape, e.g. ``#/allOf/1/enum`` for a
synthetic ``allOf``) does not exist there.

Every change type is checked against the rule table when it is recorded
(:meth:`Context.add`), so an id built from parts that does not exist fails at
once instead of reaching a report. The :class:`Memo` shared by one check
remembers the differences of each (original, update) pair of nodes, so that
schemas reached along many paths ($ref, nested combinations) are compared once:
the cost is bounded by the product of the two schemas' sizes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .model import Node
from .rules import RULES_BY_ID

__all__ = ["Change", "Context", "Frame", "Memo", "UnknownChangeType", "java_hash_order"]


class UnknownChangeType(ValueError):
    """A differ tried to record a change type that has no entry in the rule table (a bug)."""


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
    cause: Change | None = None
    """For a change that sums up a failed comparison of alternatives: the first
    incompatible change of the best-matching pair, i.e. the real change inside."""

    def innermost(self) -> Change:
        """The deepest cause of this change (itself when it has none)."""
        change = self
        while change.cause is not None:
            change = change.cause
        return change

    @property
    def path(self) -> str:
        """Confluent's JSON path of the change, e.g. ``#/properties/foo/maxLength``."""
        return "#/" + "/".join(self.segments)

    def __str__(self) -> str:
        return f"{self.type} {self.path}"


_NO_FRAME = Frame(None, -1, None, -1)
"""The frame a memoised comparison is recorded under: a side it would inherit from
outside the pair stays ``None`` and is filled in when the record is replayed."""


class Memo:
    """What one check remembers: finished pairs and the pairs being compared.

    ``active`` maps a pair in progress to its position on the stack; a pair met again
    while in progress is assumed compatible (that makes recursive schemas terminate),
    and ``low`` remembers the outermost such assumption, so that a result which
    depended on an assumption about an enclosing pair is not remembered.
    """

    __slots__ = ("active", "done", "low")

    def __init__(self) -> None:
        self.done: dict[tuple[int, int], tuple[Change, ...]] = {}
        self.active: dict[tuple[int, int], int] = {}
        self.low = _INFINITY


_INFINITY = 1 << 62


def _shift(change: Change, prefix: tuple[str, ...], base: Frame, offset: int) -> Change:
    """A recorded change moved under ``prefix``, with inherited frame sides taken from ``base``."""
    frame = change.frame
    if frame is not None:
        o, od = (frame.original, frame.original_depth + offset) if frame.original is not None else \
            (base.original, base.original_depth)
        u, ud = (frame.update, frame.update_depth + offset) if frame.update is not None else \
            (base.update, base.update_depth)
        frame = Frame(o, od, u, ud)
    cause = _shift(change.cause, prefix, base, offset) if change.cause is not None else None
    return Change(change.type, prefix + change.segments, frame, cause)


class Context:
    """Differences of one comparison branch; :meth:`sub` opens a trial branch."""

    __slots__ = ("compatible_changes", "diffs", "frame", "keep_compatible", "memo", "path", "skip_equal")

    def __init__(
        self, compatible_changes: frozenset[str], *, skip_equal: bool = False, keep_compatible: bool = True
    ) -> None:
        self.compatible_changes = compatible_changes
        self.skip_equal = skip_equal
        # A verdict needs only the breaking changes; Confluent's full list of a nested
        # combination can hold a compatible change for each of exponentially many paths.
        self.keep_compatible = keep_compatible
        self.path: list[str] = []
        self.diffs: list[Change] = []
        self.frame: Frame | None = None
        self.memo = Memo()

    def sub(self) -> Context:
        """A branch at the same path whose differences are kept only if the caller wants."""
        ctx = Context.__new__(Context)
        ctx.compatible_changes = self.compatible_changes
        ctx.skip_equal = self.skip_equal
        ctx.keep_compatible = self.keep_compatible
        ctx.path = list(self.path)
        ctx.diffs = []
        ctx.frame = self.frame
        ctx.memo = self.memo
        return ctx

    def recording(self) -> Context:
        """A branch at the empty path under the placeholder frame, for a memoised record."""
        ctx = self.sub()
        ctx.path = []
        ctx.frame = _NO_FRAME
        return ctx

    def replay(self, recorded: tuple[Change, ...] | list[Change], original: Node, update: Node) -> None:
        """Add changes recorded by :meth:`recording` as if they had been found here."""
        if not recorded:
            return
        depth = len(self.path)
        base = self.frame or Frame(original, depth, update, depth)
        prefix = tuple(self.path)
        self.diffs.extend(_shift(c, prefix, base, depth) for c in recorded)

    def is_compatible(self) -> bool:
        """True when every difference of this branch is a compatible change."""
        ok = self.compatible_changes
        return all(d.type in ok for d in self.diffs)

    def add(self, change_type: str, *attribute: str, cause: Change | None = None) -> None:
        """Record a difference at the current path (plus ``attribute`` segments).

        :raises UnknownChangeType: ``change_type`` is not in the rule table.
        """
        if change_type not in RULES_BY_ID:
            raise UnknownChangeType(f"JSON Schema differ produced an unknown change type {change_type!r}")
        if not self.keep_compatible and change_type in self.compatible_changes:
            return
        self.diffs.append(Change(change_type, (*self.path, *attribute), self.frame, cause))

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
