"""Rules for combined, not, enum and const schemas (Confluent's CombinedSchemaDiff & co.).

Sub-schemas of two combinations are matched like Confluent does: an edge joins an
old and a new sub-schema when the pair alone is compatible, and a maximum
cardinality matching must cover the smaller side, otherwise
COMBINED_TYPE_SUBSCHEMAS_CHANGED. The matching does not depend on the order of
the branches, so reordering ``oneOf`` is compatible.
"""

from __future__ import annotations

import json

from . import differ
from .context import Change, Context
from .model import ALL_OF, ANY_OF, ONE_OF, Node

__all__ = ["compare_combined", "compare_const", "compare_enum", "compare_not", "max_matching"]


def compare_enum(ctx: Context, original: Node, update: Node) -> None:
    """ENUM_ARRAY_EXTENDED (values added) / ENUM_ARRAY_NARROWED (removed) / ENUM_ARRAY_CHANGED."""
    old, new = original.enum_values, update.enum_values
    if old == new:
        return
    if new >= old:
        ctx.add("ENUM_ARRAY_EXTENDED", "enum")
    elif old >= new:
        ctx.add("ENUM_ARRAY_NARROWED", "enum")
    else:
        ctx.add("ENUM_ARRAY_CHANGED", "enum")


def compare_const(ctx: Context, original: Node, update: Node) -> None:
    """ENUM_ARRAY_CHANGED when ``const`` changes value (Confluent reuses the enum id)."""
    if original.value != update.value:
        ctx.add("ENUM_ARRAY_CHANGED", "const")


def compare_not(ctx: Context, original: Node, update: Node) -> None:
    """NOT_TYPE_NARROWED when the new excluded schema is within the old one, else NOT_TYPE_EXTENDED.

    The excluded schemas are compared in reverse: ``not A`` may become ``not B``
    when everything ``B`` accepts, ``A`` accepted.
    """
    ctx.path.append("not")
    try:
        sub = ctx.sub()
        differ.compare(sub, update.must_not_match, original.must_not_match)
        ctx.add("NOT_TYPE_NARROWED" if sub.is_compatible() else "NOT_TYPE_EXTENDED")
    finally:
        ctx.path.pop()


def combined_criterion(ctx: Context, original: Node, update: Node) -> bool:
    """COMBINED_TYPE_EXTENDED / COMBINED_TYPE_CHANGED; False when the change stops the walk.

    Any combination may become ``anyOf``; a singleton may become ``oneOf``; singletons
    may become a singleton ``allOf``; anything else is COMBINED_TYPE_CHANGED.
    """
    before, after = original.criterion, update.criterion
    if before == after:
        return True
    if after == ANY_OF:
        change = "COMBINED_TYPE_EXTENDED"
    elif after == ONE_OF:
        change = "COMBINED_TYPE_EXTENDED" if len(original.subschemas) == 1 else "COMBINED_TYPE_CHANGED"
    elif after == ALL_OF and len(original.subschemas) == 1 and len(update.subschemas) == 1:
        change = "COMBINED_TYPE_EXTENDED"
    else:
        change = "COMBINED_TYPE_CHANGED"
    ctx.add(change)
    return change != "COMBINED_TYPE_CHANGED"


def _distinct(subschemas: list[Node]) -> list[Node]:
    """Sub-schemas with duplicates removed, first occurrence kept (Java's LinkedHashSet)."""
    seen: set[str] = set()
    kept: list[Node] = []
    for node in subschemas:
        if node.canonical is None:
            node.canonical = node.kind + "|" + json.dumps(node.raw, sort_keys=True, default=str)
        if node.canonical not in seen:
            seen.add(node.canonical)
            kept.append(node)
    return kept


def combined_size(ctx: Context, update: Node, before: int, after: int) -> None:
    """PRODUCT_TYPE_EXTENDED/_NARROWED (allOf) or SUM_TYPE_EXTENDED/_NARROWED (anyOf, oneOf)."""
    family = "PRODUCT_TYPE" if update.criterion == ALL_OF else "SUM_TYPE"
    if before < after:
        ctx.add(family + "_EXTENDED")
    elif before > after:
        ctx.add(family + "_NARROWED")


def compare_combined(ctx: Context, original: Node, update: Node) -> None:
    """Criterion, size, then sub-schema matching (COMBINED_TYPE_SUBSCHEMAS_CHANGED)."""
    if not combined_criterion(ctx, original, update):
        return
    olds, news = _distinct(original.subschemas), _distinct(update.subschemas)
    combined_size(ctx, update, len(olds), len(news))
    edges: dict[tuple[int, int], list[Change]] = {}
    for i, old in enumerate(olds):
        ctx.path.append(original.criterion)
        ctx.path.append(str(i))
        try:
            for j, new in enumerate(news):
                sub = ctx.sub()
                differ.compare(sub, old, new)
                if sub.is_compatible():
                    edges[(i, j)] = sub.diffs
        finally:
            del ctx.path[-2:]
    matching = max_matching(len(olds), len(news), edges)
    for pair in sorted(matching):
        ctx.diffs.extend(edges[pair])
    if len(matching) < min(len(olds), len(news)):
        ctx.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED")


def max_matching(left: int, right: int, edges: dict[tuple[int, int], list[Change]]) -> set[tuple[int, int]]:
    """A maximum cardinality matching of a bipartite graph (augmenting paths; graphs are tiny)."""
    adjacency: dict[int, list[int]] = {i: [] for i in range(left)}
    for i, j in edges:
        adjacency[i].append(j)
    match_right: dict[int, int] = {}

    def augment(i: int, visited: set[int]) -> bool:
        for j in adjacency[i]:
            if j in visited:
                continue
            visited.add(j)
            if j not in match_right or augment(match_right[j], visited):
                match_right[j] = i
                return True
        return False

    for i in range(left):
        augment(i, set())
    del right
    return {(i, j) for j, i in match_right.items()}
