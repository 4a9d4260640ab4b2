"""Confluent's ``SchemaDiff.compare(original, update)``, ported to the :mod:`.model` graph.

``original`` is the writer's schema and ``update`` the reader's: BACKWARD compares
(original = previous version, update = new schema). The walk is Confluent's:
dereference ``$ref`` on both sides; treat a non-combined schema against a
combined one specially (a schema may become one branch of an ``anyOf``, an
``allOf`` may lose its other branches); require the same kind of schema
(``false`` and ``{}`` aside); compare the common annotations; then hand the pair
to the kind's differ (:mod:`.diff_scalar`, :mod:`.diff_object`,
:mod:`.diff_array`, :mod:`.diff_combined`). Pairs already being compared higher
up the stack are assumed compatible, which makes recursive schemas terminate.

Each pair of nodes is compared once per check: its differences are recorded
relative to the pair and replayed wherever the pair is met again (see
:class:`.context.Memo`), so nested ``anyOf``/``oneOf`` and schemas reached through
many ``$ref`` cost the product of the two schemas' sizes, not a power of it.
"""

from __future__ import annotations

from collections.abc import Callable

from . import diff_array, diff_combined, diff_object, diff_scalar
from .context import _INFINITY, Change, Context
from .model import ALL_OF, ANY_OF, ONE_OF, Node
from .rules import COMPATIBLE_CHANGES

__all__ = ["compare", "diff"]

Differ = Callable[[Context, Node, Node], None]

KIND_DIFFERS: dict[str, Differ] = {
    "string": diff_scalar.compare_string,
    "number": diff_scalar.compare_number,
    "const": diff_combined.compare_const,
    "enum": diff_combined.compare_enum,
    "combined": diff_combined.compare_combined,
    "not": diff_combined.compare_not,
    "object": diff_object.compare_object,
    "array": diff_array.compare_array,
}
"""The differ of each node kind; kinds without an entry compare annotations only."""


def diff(
    original: Node,
    update: Node,
    compatible_changes: frozenset[str] = COMPATIBLE_CHANGES,
    *,
    skip_equal: bool = False,
    keep_compatible: bool = True,
) -> list[Change]:
    """Every difference between ``original`` (writer) and ``update`` (reader), in Confluent's order.

    ``skip_equal`` lets the walk skip sub-schemas whose JSON is identical on both
    sides; only sound when neither document uses ``$ref`` and both are the same draft.
    ``keep_compatible=False`` leaves out the compatible changes (a verdict needs only
    the breaking ones, and the full list can grow with every path through the schema).
    """
    if skip_equal and original.raw == update.raw:
        return []
    ctx = Context(compatible_changes, skip_equal=skip_equal, keep_compatible=keep_compatible)
    compare(ctx, original, update)
    return ctx.diffs


def _deref(node: Node) -> Node:
    seen = 0
    while node.kind == "ref" and node.referred is not None and seen < 64:
        node = node.referred
        seen += 1
    return node


def compare(ctx: Context, original: Node | None, update: Node | None) -> None:
    """Add to ``ctx`` the differences between two (possibly missing) schemas."""
    if original is None:
        if update is not None:
            ctx.add("SCHEMA_ADDED")
        return
    if update is None:
        ctx.add("SCHEMA_REMOVED")
        return
    original = _deref(original)
    update = _deref(update)
    memo = ctx.memo
    key = (id(original), id(update))
    recorded = memo.done.get(key)
    if recorded is not None:
        ctx.replay(recorded, original, update)
        return
    position = memo.active.get(key)
    if position is not None:
        memo.low = min(memo.low, position)
        return
    position = len(memo.active)
    memo.active[key] = position
    outer_low, memo.low = memo.low, _INFINITY
    record = ctx.recording()
    try:
        record.enter(original, update)
        _compare(record, original, update)
    finally:
        del memo.active[key]
        depended_on_outer = memo.low < position
        memo.low = min(outer_low, memo.low if depended_on_outer else _INFINITY)
    if not depended_on_outer:
        memo.done[key] = tuple(record.diffs)
    ctx.replay(record.diffs, original, update)


def _compare(ctx: Context, original: Node, update: Node) -> None:
    o_combined = original.kind == "combined"
    u_combined = update.kind == "combined"
    if u_combined and not o_combined:
        if _into_combined(ctx, original, update):
            return
    elif o_combined and not u_combined and _out_of_combined(ctx, original, update):
        return
    if original.kind != update.kind and not (original.is_empty and update.is_empty):
        if original.kind != "false" and not update.is_empty:
            ctx.add("TYPE_CHANGED")
        return
    _annotations(ctx, original, update)
    differ = KIND_DIFFERS.get(original.kind)
    if differ is not None:
        differ(ctx, original, update)


def _into_combined(ctx: Context, original: Node, update: Node) -> bool:
    """A schema became a combination: compatible when it matches one branch (SUM_TYPE_EXTENDED)."""
    subs = update.subschemas
    if len(subs) == 1:
        sub = ctx.sub()
        compare(sub, original, subs[0])
        if sub.is_compatible():
            ctx.extend(sub)
            return True
    elif update.criterion in (ANY_OF, ONE_OF):
        for branch in subs:
            sub = ctx.sub()
            compare(sub, original, branch)
            if sub.is_compatible():
                ctx.extend(sub)
                ctx.add("SUM_TYPE_EXTENDED")
                return True
    return False


def _out_of_combined(ctx: Context, original: Node, update: Node) -> bool:
    """A combination became one schema: a singleton unwraps; an allOf may keep one branch."""
    subs = original.subschemas
    if len(subs) == 1:
        sub = ctx.sub()
        compare(sub, subs[0], update)
        if sub.is_compatible():
            ctx.extend(sub)
            return True
    if original.criterion == ALL_OF:
        for branch in subs:
            sub = ctx.sub()
            compare(sub, branch, update)
            if sub.is_compatible():
                ctx.extend(sub)
                ctx.add("PRODUCT_TYPE_NARROWED")
                return True
    return False


def _annotations(ctx: Context, original: Node, update: Node) -> None:
    """ID_CHANGED, TITLE_CHANGED, DESCRIPTION_CHANGED, DEFAULT_CHANGED (all compatible)."""
    if original.id != update.id:
        ctx.add("ID_CHANGED")
    if original.title != update.title:
        ctx.add("TITLE_CHANGED")
    if original.description != update.description:
        ctx.add("DESCRIPTION_CHANGED")
    if original.has_default != update.has_default or original.frozen_default != update.frozen_default:
        ctx.add("DEFAULT_CHANGED")
