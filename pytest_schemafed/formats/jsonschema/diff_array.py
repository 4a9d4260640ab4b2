"""Rules for array schemas (Confluent's ArraySchemaDiff): items, tuples and their content model.

A tuple (``items: [...]`` before 2020-12, ``prefixItems`` after) has a content model
like an object: open when extra items may be anything, closed when
``additionalItems``/``items`` is ``false``, partially open when extra items must match
a schema. Tuple positions are reported as ``#/items/<n>`` in every draft, as
Confluent does.
"""

from __future__ import annotations

from . import differ
from .context import Context
from .diff_object import _unevaluated
from .diff_scalar import _bound
from .model import Node

__all__ = ["compare_array", "is_open_content_model", "schema_from_partially_open_content_model"]


def is_open_content_model(node: Node) -> bool:
    """True when items past the tuple may be anything."""
    if not node.permits_additional_items or node.additional_items is not None:
        return False
    uneval = node.unevaluated_items
    return uneval is None or uneval.is_empty


def schema_from_partially_open_content_model(node: Node) -> Node | None:
    """The schema items past the tuple must match (additionalItems, else unevaluatedItems)."""
    if node.additional_items is not None:
        return node.additional_items
    uneval = node.unevaluated_items
    if node.permits_additional_items and uneval is not None and uneval.kind != "false" and not uneval.is_empty:
        return uneval
    return None


def all_items(ctx: Context, original: Node, update: Node) -> None:
    """The ``items`` schema of every element: SCHEMA_ADDED / SCHEMA_REMOVED or a nested compare."""
    ctx.path.append("items")
    try:
        differ.compare(ctx, original.all_items, update.all_items)
    finally:
        ctx.path.pop()


def _covered(ctx: Context, old: Node, new: Node, covered: str, not_covered: str) -> None:
    sub = ctx.sub()
    differ.compare(sub, old, new)
    ctx.extend(sub)
    ctx.add(covered if sub.is_compatible() else not_covered)


def item_removed(ctx: Context, update: Node, old_item: Node) -> None:
    """A tuple position only the original has."""
    if is_open_content_model(update):
        ctx.add("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL")
        return
    partial = schema_from_partially_open_content_model(update)
    if partial is not None:
        _covered(
            ctx,
            old_item,
            partial,
            "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        )
    elif old_item.kind == "false":
        ctx.add("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL")
    else:
        ctx.add("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL")


def item_added(ctx: Context, original: Node, new_item: Node) -> None:
    """A tuple position only the update has."""
    if is_open_content_model(original):
        if new_item.is_empty:
            ctx.add("ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL")
        else:
            ctx.add("ITEM_ADDED_TO_OPEN_CONTENT_MODEL")
        return
    partial = schema_from_partially_open_content_model(original)
    if partial is not None:
        _covered(
            ctx,
            partial,
            new_item,
            "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        )
    else:
        ctx.add("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL")


def tuple_items(ctx: Context, original: Node, update: Node) -> None:
    """Positional items: compare shared positions, judge extra ones by the content model."""
    olds = original.item_schemas or []
    news = update.item_schemas or []
    for index in range(max(len(olds), len(news))):
        ctx.path.append("items")
        ctx.path.append(str(index))
        try:
            if index < len(olds) and index < len(news):
                differ.compare(ctx, olds[index], news[index])
            elif index < len(olds):
                item_removed(ctx, update, olds[index])
            else:
                item_added(ctx, original, news[index])
        finally:
            del ctx.path[-2:]


def additional_items(ctx: Context, original: Node, update: Node) -> None:
    """ADDITIONAL_ITEMS_ADDED / _REMOVED / _NARROWED / _EXTENDED, or compare the two schemas."""
    ctx.path.append("additionalItems")
    try:
        if original.permits_additional_items != update.permits_additional_items:
            added = update.permits_additional_items
            ctx.add("ADDITIONAL_ITEMS_ADDED" if added else "ADDITIONAL_ITEMS_REMOVED")
        elif original.additional_items is None and update.additional_items is not None:
            ctx.add("ADDITIONAL_ITEMS_NARROWED")
        elif update.additional_items is None and original.additional_items is not None:
            ctx.add("ADDITIONAL_ITEMS_EXTENDED")
        else:
            differ.compare(ctx, original.additional_items, update.additional_items)
    finally:
        ctx.path.pop()


def unevaluated_items(ctx: Context, original: Node, update: Node) -> None:
    """UNEVALUATED_ITEMS_ADDED / _REMOVED / _NARROWED / _EXTENDED (2019-09+)."""
    if original.unevaluated_items is None and update.unevaluated_items is None:
        return
    ctx.path.append("unevaluatedItems")
    try:
        _unevaluated(ctx, original.unevaluated_items, update.unevaluated_items, "UNEVALUATED_ITEMS")
    finally:
        ctx.path.pop()


def item_counts(ctx: Context, original: Node, update: Node) -> None:
    """MAX_ITEMS_*, MIN_ITEMS_*, UNIQUE_ITEMS_ADDED/_REMOVED, MAX_CONTAINS_*, MIN_CONTAINS_*."""
    _bound(ctx, "maxItems", "MAX_ITEMS", original.max_items, update.max_items)
    _bound(ctx, "minItems", "MIN_ITEMS", original.min_items, update.min_items)
    if original.unique_items != update.unique_items:
        ctx.add("UNIQUE_ITEMS_REMOVED" if original.unique_items else "UNIQUE_ITEMS_ADDED", "uniqueItems")
    _bound(ctx, "maxContains", "MAX_CONTAINS", original.max_contains, update.max_contains)
    _bound(ctx, "minContains", "MIN_CONTAINS", original.min_contains, update.min_contains)


def compare_array(ctx: Context, original: Node, update: Node) -> None:
    """Every array rule, in Confluent's order."""
    all_items(ctx, original, update)
    tuple_items(ctx, original, update)
    additional_items(ctx, original, update)
    unevaluated_items(ctx, original, update)
    item_counts(ctx, original, update)
