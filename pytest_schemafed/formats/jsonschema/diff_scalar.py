"""Rules for string and number schemas (Confluent's StringSchemaDiff, NumberSchemaDiff).

Each rule is one function comparing one keyword; the *bound* helpers give the
ADDED / REMOVED / INCREASED / DECREASED family for a keyword in one line.
"""

from __future__ import annotations

from fractions import Fraction

from .context import Context
from .model import Node
from .rules import BOUND_SUFFIXES, family

__all__ = ["compare_number", "compare_string"]


BOUNDS: dict[str, dict[str, str]] = {
    prefix: family(prefix, BOUND_SUFFIXES)
    for prefix in (
        "MAX_LENGTH", "MIN_LENGTH", "MAXIMUM", "MINIMUM", "EXCLUSIVE_MAXIMUM", "EXCLUSIVE_MINIMUM",
        "MAX_PROPERTIES", "MIN_PROPERTIES", "MAX_ITEMS", "MIN_ITEMS", "MAX_CONTAINS", "MIN_CONTAINS",
    )
}
"""The ADDED/REMOVED/INCREASED/DECREASED ids of each numeric keyword, checked against the table."""


def _bound(ctx: Context, keyword: str, prefix: str, old: float | int | None, new: float | int | None) -> None:
    """``<PREFIX>_ADDED/_REMOVED/_INCREASED/_DECREASED`` for one numeric keyword of :data:`BOUNDS`."""
    if old == new and (old is None) == (new is None):
        return
    ids = BOUNDS[prefix]
    if old is None:
        ctx.add(ids["ADDED"], keyword)
    elif new is None:
        ctx.add(ids["REMOVED"], keyword)
    elif old < new:
        ctx.add(ids["INCREASED"], keyword)
    elif old > new:
        ctx.add(ids["DECREASED"], keyword)


def max_length(ctx: Context, original: Node, update: Node) -> None:
    """MAX_LENGTH_ADDED / _REMOVED / _INCREASED / _DECREASED."""
    _bound(ctx, "maxLength", "MAX_LENGTH", original.max_length, update.max_length)


def min_length(ctx: Context, original: Node, update: Node) -> None:
    """MIN_LENGTH_ADDED / _REMOVED / _INCREASED / _DECREASED."""
    _bound(ctx, "minLength", "MIN_LENGTH", original.min_length, update.min_length)


def pattern(ctx: Context, original: Node, update: Node) -> None:
    """PATTERN_ADDED / PATTERN_REMOVED / PATTERN_CHANGED (patterns compared as text)."""
    if original.pattern is None and update.pattern is not None:
        ctx.add("PATTERN_ADDED", "pattern")
    elif original.pattern is not None and update.pattern is None:
        ctx.add("PATTERN_REMOVED", "pattern")
    elif original.pattern != update.pattern:
        ctx.add("PATTERN_CHANGED", "pattern")


def compare_string(ctx: Context, original: Node, update: Node) -> None:
    """Every string rule, in Confluent's order (``format`` is not compared, as in Confluent)."""
    max_length(ctx, original, update)
    min_length(ctx, original, update)
    pattern(ctx, original, update)


def maximum(ctx: Context, original: Node, update: Node) -> None:
    """MAXIMUM_ADDED / _REMOVED / _INCREASED / _DECREASED."""
    _bound(ctx, "maximum", "MAXIMUM", original.maximum, update.maximum)


def minimum(ctx: Context, original: Node, update: Node) -> None:
    """MINIMUM_ADDED / _REMOVED / _INCREASED / _DECREASED."""
    _bound(ctx, "minimum", "MINIMUM", original.minimum, update.minimum)


def exclusive_maximum(ctx: Context, original: Node, update: Node) -> None:
    """EXCLUSIVE_MAXIMUM_ADDED / _REMOVED / _INCREASED / _DECREASED (draft-06+ numeric form)."""
    _bound(ctx, "exclusiveMaximum", "EXCLUSIVE_MAXIMUM", original.exclusive_maximum, update.exclusive_maximum)


def exclusive_minimum(ctx: Context, original: Node, update: Node) -> None:
    """EXCLUSIVE_MINIMUM_ADDED / _REMOVED / _INCREASED / _DECREASED (draft-06+ numeric form)."""
    _bound(ctx, "exclusiveMinimum", "EXCLUSIVE_MINIMUM", original.exclusive_minimum, update.exclusive_minimum)


def multiple_of(ctx: Context, original: Node, update: Node) -> None:
    """MULTIPLE_OF_ADDED / _REMOVED / _EXPANDED / _REDUCED / _CHANGED.

    The new multipleOf is EXPANDED when it is a multiple of the old one (fewer values
    pass: incompatible), REDUCED when it divides the old one (more values pass).
    Exact fractions replace Java's integer arithmetic, which fails on 0.5.
    """
    old, new = original.multiple_of, update.multiple_of
    if old is None and new is None:
        return
    if old is None:
        ctx.add("MULTIPLE_OF_ADDED", "multipleOf")
        return
    if new is None:
        ctx.add("MULTIPLE_OF_REMOVED", "multipleOf")
        return
    old_f, new_f = Fraction(str(old)), Fraction(str(new))
    if old_f == new_f:
        return
    if old_f and (new_f / old_f).denominator == 1:
        ctx.add("MULTIPLE_OF_EXPANDED", "multipleOf")
    elif new_f and (old_f / new_f).denominator == 1:
        ctx.add("MULTIPLE_OF_REDUCED", "multipleOf")
    else:
        ctx.add("MULTIPLE_OF_CHANGED", "multipleOf")


def integer_type(ctx: Context, original: Node, update: Node) -> None:
    """TYPE_EXTENDED (integer to number) / TYPE_NARROWED (number to integer)."""
    if original.requires_integer != update.requires_integer:
        ctx.add("TYPE_EXTENDED" if original.requires_integer else "TYPE_NARROWED")


def compare_number(ctx: Context, original: Node, update: Node) -> None:
    """Every number rule, in Confluent's order."""
    maximum(ctx, original, update)
    minimum(ctx, original, update)
    exclusive_maximum(ctx, original, update)
    exclusive_minimum(ctx, original, update)
    multiple_of(ctx, original, update)
    integer_type(ctx, original, update)
