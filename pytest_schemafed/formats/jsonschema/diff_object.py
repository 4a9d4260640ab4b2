"""Rules for object schemas (Confluent's ObjectSchemaDiff): content models and properties.

An object's *content model* decides what a property added or removed means:

* **open** — no ``patternProperties``, no ``additionalProperties`` schema, additional
  properties allowed (and ``unevaluatedProperties`` absent or ``true``): any name may
  carry any value, so a reader that starts typing a property rejects old data
  (PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL) while dropping one is harmless;
* **closed** — ``additionalProperties: false``: old data never has unknown names, so
  adding an optional property is fine, removing one is not;
* **partially open** — a ``patternProperties`` entry matching the name, or an
  ``additionalProperties`` schema: the property's schema must be compatible with the
  schema that used to cover it (..._IS_COVERED / _NOT_COVERED_BY_PARTIALLY_OPEN_...).
"""

from __future__ import annotations

import re

from . import differ
from .context import Context, java_hash_order
from .model import Node
from .rules import family

__all__ = ["compare_object", "is_open_content_model", "schema_from_partially_open_content_model"]


def is_open_content_model(node: Node) -> bool:
    """True when any property name may carry any value."""
    if node.pattern_properties or node.additional_properties is not None or not node.permits_additional_properties:
        return False
    uneval = node.unevaluated_properties
    return uneval is None or uneval.is_empty


def _search(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def schema_from_partially_open_content_model(node: Node, name: str) -> Node | None:
    """The schema that covers property ``name`` through patternProperties/additionalProperties."""
    for pattern, schema in node.pattern_properties:
        if _search(pattern, name):
            return schema
    if node.additional_properties is not None:
        return node.additional_properties
    uneval = node.unevaluated_properties
    if uneval is not None and uneval.kind != "false" and not uneval.is_empty:
        return uneval
    return None


def required(ctx: Context, original: Node, update: Node) -> None:
    """REQUIRED_ATTRIBUTE_ADDED / _WITH_DEFAULT_ADDED / _REMOVED for properties on both sides."""
    ctx.path.append("required")
    try:
        old_required, new_required = original.required, update.required
        if old_required == new_required:
            return
        new_props = update.props_raw
        for name in java_hash_order(original.props_raw):
            if name not in new_props:
                continue
            before, after = name in old_required, name in new_required
            if before and not after:
                ctx.add("REQUIRED_ATTRIBUTE_REMOVED", name)
            elif after and not before:
                with_default = update.prop(name).has_default
                ctx.add("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" if with_default else "REQUIRED_ATTRIBUTE_ADDED", name)
    finally:
        ctx.path.pop()


def _covered(ctx: Context, old: Node, new: Node, covered: str, not_covered: str) -> None:
    sub = ctx.sub()
    differ.compare(sub, old, new)
    ctx.extend(sub)
    ctx.add(covered if sub.is_compatible() else not_covered)


def property_removed(ctx: Context, update: Node, name: str, old_schema: Node) -> None:
    """A property only the original has: fine for an open or covering update, else breaking."""
    if is_open_content_model(update):
        ctx.add("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL")
        return
    partial = schema_from_partially_open_content_model(update, name)
    if partial is not None:
        _covered(
            ctx,
            old_schema,
            partial,
            "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        )
    elif old_schema.kind == "false":
        ctx.add("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL")
    else:
        ctx.add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL")


def property_added(ctx: Context, original: Node, update: Node, name: str, new_schema: Node) -> None:
    """A property only the update has: judged by the original's content model."""
    if is_open_content_model(original):
        if new_schema.is_empty:
            ctx.add("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL")
        else:
            ctx.add("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
        return
    partial = schema_from_partially_open_content_model(original, name)
    if partial is not None:
        _covered(
            ctx,
            partial,
            new_schema,
            "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
            "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        )
    if name in update.required:
        if new_schema.has_default:
            ctx.add("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL")
        else:
            ctx.add("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL")
    else:
        ctx.add("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL")


def properties(ctx: Context, original: Node, update: Node) -> None:
    """Pair properties by name: compare both-sided ones, judge added and removed ones."""
    ctx.path.append("properties")
    try:
        old_raw, new_raw = original.props_raw, update.props_raw
        skip_equal = ctx.skip_equal
        names = java_hash_order([*old_raw, *new_raw], presized_for=len(old_raw))
        for name in names:
            in_old, in_new = name in old_raw, name in new_raw
            if in_old and in_new and skip_equal and old_raw[name] == new_raw[name]:
                continue  # identical JSON without $ref: no difference possible
            ctx.path.append(name)
            try:
                if not in_new:
                    property_removed(ctx, update, name, original.prop(name))
                elif not in_old:
                    property_added(ctx, original, update, name, update.prop(name))
                else:
                    differ.compare(ctx, original.prop(name), update.prop(name))
            finally:
                ctx.path.pop()
    finally:
        ctx.path.pop()


def dependencies(ctx: Context, original: Node, update: Node) -> None:
    """DEPENDENCY_ARRAY_* and DEPENDENCY_SCHEMA_* (``dependencies``, ``dependentRequired/Schemas``)."""
    ctx.path.append("dependencies")
    try:
        old_arrays, new_arrays = original.property_dependencies, update.property_dependencies
        for name in java_hash_order([*old_arrays, *new_arrays], presized_for=len(old_arrays)):
            before, after = old_arrays.get(name), new_arrays.get(name)
            if after is None:
                ctx.add("DEPENDENCY_ARRAY_REMOVED", name)
            elif before is None:
                ctx.add("DEPENDENCY_ARRAY_ADDED", name)
            elif before != after:
                if after >= before:
                    ctx.add("DEPENDENCY_ARRAY_EXTENDED", name)
                elif before >= after:
                    ctx.add("DEPENDENCY_ARRAY_NARROWED", name)
                else:
                    ctx.add("DEPENDENCY_ARRAY_CHANGED", name)
        old_schemas, new_schemas = original.schema_dependencies, update.schema_dependencies
        for name in java_hash_order([*old_schemas, *new_schemas], presized_for=len(old_schemas)):
            old_schema, new_schema = old_schemas.get(name), new_schemas.get(name)
            if new_schema is None:
                ctx.add("DEPENDENCY_SCHEMA_REMOVED", name)
            elif old_schema is None:
                ctx.add("DEPENDENCY_SCHEMA_ADDED", name)
            else:
                ctx.path.append(name)
                try:
                    differ.compare(ctx, old_schema, new_schema)
                finally:
                    ctx.path.pop()
    finally:
        ctx.path.pop()


def additional_properties(ctx: Context, original: Node, update: Node) -> None:
    """ADDITIONAL_PROPERTIES_ADDED / _REMOVED / _NARROWED / _EXTENDED, or compare the two schemas."""
    ctx.path.append("additionalProperties")
    try:
        if original.permits_additional_properties != update.permits_additional_properties:
            removed = not update.permits_additional_properties
            ctx.add("ADDITIONAL_PROPERTIES_REMOVED" if removed else "ADDITIONAL_PROPERTIES_ADDED")
        elif original.additional_properties is None and update.additional_properties is not None:
            ctx.add("ADDITIONAL_PROPERTIES_NARROWED")
        elif update.additional_properties is None and original.additional_properties is not None:
            ctx.add("ADDITIONAL_PROPERTIES_EXTENDED")
        else:
            differ.compare(ctx, original.additional_properties, update.additional_properties)
    finally:
        ctx.path.pop()


def unevaluated_properties(ctx: Context, original: Node, update: Node) -> None:
    """UNEVALUATED_PROPERTIES_ADDED / _REMOVED / _NARROWED / _EXTENDED (2019-09+)."""
    old, new = original.unevaluated_properties, update.unevaluated_properties
    if old is None and new is None:
        return
    ctx.path.append("unevaluatedProperties")
    try:
        _unevaluated(ctx, old, new, "UNEVALUATED_PROPERTIES")
    finally:
        ctx.path.pop()


UNEVALUATED: dict[str, dict[str, str]] = {
    prefix: family(prefix, ("ADDED", "REMOVED", "NARROWED", "EXTENDED"))
    for prefix in ("UNEVALUATED_PROPERTIES", "UNEVALUATED_ITEMS")
}
"""The four ids of unevaluatedProperties / unevaluatedItems, checked against the table."""


def _unevaluated(ctx: Context, old: Node | None, new: Node | None, prefix: str) -> None:
    """The shared ADDED/REMOVED/NARROWED/EXTENDED logic of unevaluatedItems/-Properties."""
    ids = UNEVALUATED[prefix]
    if old is None:
        ctx.add(ids["REMOVED" if new is not None and new.kind == "false" else "NARROWED"])
    elif new is None:
        ctx.add(ids["ADDED" if old.kind == "false" else "EXTENDED"])
    elif old.kind == "false" and new.kind != "false":
        ctx.add(ids["ADDED"])
    elif old.kind != "false" and new.kind == "false":
        ctx.add(ids["REMOVED"])
    elif old.is_empty and not new.is_empty:
        ctx.add(ids["NARROWED"])
    elif not old.is_empty and new.is_empty:
        ctx.add(ids["EXTENDED"])
    else:
        differ.compare(ctx, old, new)


def property_counts(ctx: Context, original: Node, update: Node) -> None:
    """MAX_PROPERTIES_* and MIN_PROPERTIES_*."""
    from .diff_scalar import _bound

    _bound(ctx, "maxProperties", "MAX_PROPERTIES", original.max_properties, update.max_properties)
    _bound(ctx, "minProperties", "MIN_PROPERTIES", original.min_properties, update.min_properties)


def compare_object(ctx: Context, original: Node, update: Node) -> None:
    """Every object rule, in Confluent's order."""
    required(ctx, original, update)
    properties(ctx, original, update)
    dependencies(ctx, original, update)
    additional_properties(ctx, original, update)
    unevaluated_properties(ctx, original, update)
    property_counts(ctx, original, update)
