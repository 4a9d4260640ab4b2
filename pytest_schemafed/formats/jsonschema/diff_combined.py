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

__all__ = ["closest_change", "compare_combined", "compare_const", "compare_enum", "compare_not", "max_matching"]


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

    As Confluent decides it today: any combination may become ``anyOf``; two
    singletons may trade keywords; a singleton may become ``oneOf``; an ``allOf``
    may become a singleton of any kind. Anything else is COMBINED_TYPE_CHANGED.
    """
    before, after = original.criterion, update.criterion
    if before == after:
        return True
    one_before, one_after = len(original.subschemas) == 1, len(update.subschemas) == 1
    if (
        after == ANY_OF
        or (one_before and one_after)
        or (one_before and after == ONE_OF)
        or (one_after and before == ALL_OF)
    ):
        ctx.add("COMBINED_TYPE_EXTENDED")
        return True
    ctx.add("COMBINED_TYPE_CHANGED")
    return False


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


def combined_size(ctx: Context, original: Node, update: Node, before: int, after: int) -> None:
    """More members: PRODUCT_TYPE_EXTENDED when the update is ``allOf``, else SUM_TYPE_EXTENDED.

    Fewer members: SUM_TYPE_NARROWED when the original was ``anyOf``/``oneOf``, else
    PRODUCT_TYPE_NARROWED (an ``allOf`` that becomes an ``anyOf`` of fewer members
    asks less of every document).
    """
    if before < after:
        ctx.add("PRODUCT_TYPE_EXTENDED" if update.criterion == ALL_OF else "SUM_TYPE_EXTENDED")
    elif before > after:
        ctx.add("SUM_TYPE_NARROWED" if original.criterion in (ANY_OF, ONE_OF) else "PRODUCT_TYPE_NARROWED")


def compare_combined(ctx: Context, original: Node, update: Node) -> None:
    """Criterion, size, then sub-schema matching (COMBINED_TYPE_SUBSCHEMAS_CHANGED)."""
    if not combined_criterion(ctx, original, update):
        return
    olds, news = _distinct(original.subschemas), _distinct(update.subschemas)
    combined_size(ctx, original, update, len(olds), len(news))
    edges: dict[tuple[int, int], list[Change]] = {}
    failed: dict[tuple[int, int], list[Change]] = {}
    for i, old in enumerate(olds):
        ctx.path.append(original.criterion)
        ctx.path.append(str(i))
        try:
            for j, new in enumerate(news):
                sub = ctx.sub()
                differ.compare(sub, old, new)
                if sub.is_compatible():
                    edges[(i, j)] = sub.diffs
                else:
                    failed[(i, j)] = sub.diffs
        finally:
            del ctx.path[-2:]
    matching = max_matching(len(olds), len(news), edges)
    for pair in sorted(matching):
        ctx.diffs.extend(edges[pair])
    if len(matching) < min(len(olds), len(news)):
        ctx.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED", cause=closest_change(ctx, matching, failed, len(olds), len(news)))


def closest_change(
    ctx: Context,
    matching: set[tuple[int, int]],
    failed: dict[tuple[int, int], list[Change]],
    n_old: int,
    n_new: int,
) -> Change | None:
    """The first breaking change of the best-matching pair among the alternatives left unmatched.

    The unmatched alternatives are those of the smaller side (the side a matching must
    cover); the best pair is one whose two alternatives are of the same kind (no
    breaking change at the pair itself), then with the fewest breaking changes, the
    deepest one, the fewest changes, the earliest. That pair's first breaking change is
    the real change a finding should name and point at.
    """
    base = len(ctx.path) + 2
    matched_old = {i for i, _ in matching}
    matched_new = {j for _, j in matching}
    old_side = n_old <= n_new
    ok = ctx.compatible_changes
    best: tuple[bool, int, int, int, tuple[int, int]] | None = None
    for pair, diffs in failed.items():
        if (pair[0] in matched_old) if old_side else (pair[1] in matched_new):
            continue
        breaking = [d for d in diffs if d.type not in ok]
        at_root = any(len(d.segments) <= base for d in breaking)
        deepest = max((len(d.segments) for d in breaking), default=0)
        score = (at_root, len(breaking), -deepest, len(diffs), pair)
        if best is None or score < best:
            best = score
    if best is None:
        return None
    return next(d for d in failed[best[-1]] if d.type not in ok)


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
