"""Sentences for JSON Schema findings: what changed, where, and which documents it breaks.

A finding's sentence names the property it is about (``property `address.zip```), the
old and new values where the change has them, and the documents that stop validating,
from the reader's point of view: BACKWARD compares a consumer of the new schema with
documents written under the old one; FORWARD the other way round. Confluent's path
ends the sentence, so it can be matched with a registry's own ``verbose`` answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["MISSING", "sentence", "subject_of"]

_MISSING = object()
MISSING = _MISSING  # what value_at gives for a path that leads nowhere
_CONTAINERS = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"}
_COMBINERS = {"allOf": "allOf", "anyOf": "anyOf", "oneOf": "oneOf", "not": "not"}

# Templates by the rule's last word(s). {subject} names the place, {kw} the keyword,
# {old}/{new} its values, {orig}/{upd} the original and updated schema ("old"/"new").
_BY_SUFFIX = {
    "ADDED": "{subject} gains `{kw}: {new}`, which the {orig} schema did not have: {breaks}",
    "INCREASED": "{subject}: `{kw}` goes up from {old} to {new}: {breaks}",
    "DECREASED": "{subject}: `{kw}` goes down from {old} to {new}: {breaks}",
    "CHANGED": "{subject}: `{kw}` changes from {old} to {new}: {breaks}",
    "EXPANDED": "{subject}: `{kw}` changes from {old} to {new}, which not every multiple of {old} is: {breaks}",
    "NARROWED": "{subject}: `{kw}` accepts less than before ({old} -> {new}): {breaks}",
    "EXTENDED": "{subject}: `{kw}` excludes more than before ({old} -> {new}): {breaks}",
    "REMOVED": "{subject}: `{kw}` is gone, and with it what it allowed ({old}): {breaks}",
}
_SPECIFIC = {
    "TYPE_NARROWED": "{subject}: the type narrows from {old} to {new}: {breaks}",
    "TYPE_CHANGED": "{subject}: the type changes from {old} to {new}: {breaks}",
    "REQUIRED_ATTRIBUTE_ADDED": "{subject} becomes required: documents written with the {orig} schema may "
    "not have it, and the {upd} schema rejects them",
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": "{subject} is added as a required property: documents "
    "written with the {orig} schema do not have it, and the {upd} schema rejects them",
    "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "{subject} is added to an object that accepted any extra property: "
    "documents written with the {orig} schema may already carry it with any value, which the {upd} schema may "
    "reject",
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": "{subject} is added, and the patterns that "
    "accepted extra properties do not cover its new definition: documents written with the {orig} schema may "
    "carry it with values the {upd} schema rejects",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": "{subject} is removed from an object that accepts no other "
    "property: documents written with the {orig} schema that carry it are rejected by the {upd} schema",
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": "{subject} is removed, and no pattern for "
    "extra properties accepts it: documents that carry it are rejected by the {upd} schema",
    "ITEM_ADDED_TO_OPEN_CONTENT_MODEL": "{subject} is added to a tuple that accepted any extra item: {breaks}",
    "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": "{subject} is added, and the schema for extra "
    "items does not cover it: {breaks}",
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL": "{subject} is removed from a tuple that accepts no extra item: "
    "{breaks}",
    "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": "{subject} is removed, and the schema for extra "
    "items does not accept what it held: {breaks}",
    "ADDITIONAL_PROPERTIES_REMOVED": "{subject} no longer accepts extra properties: documents written with the "
    "{orig} schema may carry some, and the {upd} schema rejects them",
    "ADDITIONAL_PROPERTIES_NARROWED": "{subject} accepts fewer extra properties than before: {breaks}",
    "ADDITIONAL_ITEMS_REMOVED": "{subject} no longer accepts extra items: {breaks}",
    "ADDITIONAL_ITEMS_NARROWED": "{subject} accepts fewer extra items than before: {breaks}",
    "ENUM_ARRAY_NARROWED": "{subject}: the enum loses {lost}: documents written with the {orig} schema may hold "
    "{them}, and the {upd} schema rejects {them}",
    "ENUM_ARRAY_CHANGED": "{subject}: the enum changes from {old} to {new}: {breaks}",
    "SCHEMA_ADDED": "{subject} gets a schema where the {orig} schema accepted anything: {breaks}",
    "COMBINED_TYPE_CHANGED": "{subject}: the combination changes ({old} -> {new}): {breaks}",
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": "{subject}: the alternatives of the combined schema change so that "
    "some old ones have no match: {breaks}",
    "PRODUCT_TYPE_EXTENDED": "{subject}: `allOf` gains a schema every document must now also match: {breaks}",
    "SUM_TYPE_NARROWED": "{subject}: the `anyOf`/`oneOf` alternatives lose one: {breaks}",
    "NOT_TYPE_EXTENDED": "{subject}: `not` excludes more documents than before: {breaks}",
    "DEPENDENCY_ARRAY_ADDED": "{subject} gains a dependency ({new}): {breaks}",
    "DEPENDENCY_ARRAY_EXTENDED": "{subject}: a dependency asks for more properties ({old} -> {new}): {breaks}",
    "DEPENDENCY_ARRAY_CHANGED": "{subject}: a dependency changes ({old} -> {new}): {breaks}",
    "DEPENDENCY_SCHEMA_ADDED": "{subject} gains a dependent schema: {breaks}",
}


def _show(value: Any) -> str:
    if value is _MISSING:
        return "none"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def value_at(document: Any, segments: Sequence[str]) -> Any:
    """The value at Confluent path ``segments`` in ``document``, or a sentinel when absent."""
    value = document
    for token in segments:
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return _MISSING
    return value


def _dotted(segments: Sequence[str]) -> str | None:
    """``address.zip`` for ``properties/address/properties/zip`` (``None`` at the root)."""
    names: list[str] = []
    i = 0
    while i < len(segments):
        token = segments[i]
        indexed = i + 1 < len(segments) and segments[i + 1].isdigit()
        if token in _CONTAINERS and i + 1 < len(segments):
            names.append(segments[i + 1])
            i += 2
        elif token in ("items", "prefixItems", "additionalItems"):
            names.append(f"[{segments[i + 1]}]" if indexed else "[]")
            i += 2 if indexed else 1
        elif token in _COMBINERS:
            names.append(f" ({token})")
            i += 2 if indexed else 1
        else:
            i += 1
    return "".join(n if n.startswith(("[", " ")) else f".{n}" for n in names).lstrip(".") or None


def subject_of(segments: Sequence[str]) -> str:
    """``property `address.zip``` for the place ``segments`` lead to, or ``the schema``."""
    dotted = _dotted(segments)
    return f"property `{dotted}`" if dotted else "the schema"


_KIND_NAMES = {
    "combined": "a combination of schemas (allOf/anyOf/oneOf, a type list, or keywords of several types)",
    "conditional": "an if/then/else schema",
    "ref": "a reference",
    "empty": "a schema that accepts anything",
    "true": "true",
    "false": "false",
}


def _kind_name(kind: str) -> str:
    return _KIND_NAMES.get(kind, f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind} schema")


def sentence(
    rule_id: str,
    segments: Sequence[str],
    original: Any,
    update: Any,
    *,
    orig: str,
    upd: str,
    kinds: tuple[str, str] | None = None,
    values: tuple[Any, Any] | None = None,
) -> str:
    """The sentence of one incompatible change.

    :param segments: Confluent's path of the change, e.g. ``("properties", "a", "maxLength")``.
    :param original: the original (writer) document; ``update`` the updated (reader) one.
    :param orig: how to call the original schema ("old" for BACKWARD, "new" for FORWARD).
    :param kinds: the model kinds of the two schemas at the path, when known: a type
        change between two schemas that spell the same ``type`` is a change of kind
        (an object becoming a combination), and is told as such.
    :param values: the (original, update) values at the path when the caller found them
        itself (through ``$ref``); else they are read from the documents.
    """
    ends_at_schema = _ends_at_schema(segments)
    keyword = "" if ends_at_schema else segments[-1]
    old, new = values if values is not None else (value_at(original, segments), value_at(update, segments))
    if rule_id.startswith("TYPE_"):
        old, new = _type_of(old), _type_of(new)
        if old == new and kinds is not None and kinds[0] != kinds[1]:
            old, new = _kind_name(kinds[0]), _kind_name(kinds[1])
            text = f"{subject_of(segments)} changes from {old} to {new}: documents valid under the {orig} " \
                f"schema may fail validation against the {upd} schema"
            return f"{text[0].upper()}{text[1:]} (Confluent: {rule_id} #/{'/'.join(segments)})"
    place = segments if ends_at_schema or _names_a_property(rule_id) else segments[:-1]
    subject = subject_of(place)
    if rule_id == "REQUIRED_ATTRIBUTE_ADDED" and len(segments) >= 2:  # .../required/<name>
        parent = _dotted(segments[:-2])
        subject = f"property `{parent + '.' if parent else ''}{segments[-1]}`"
    breaks = f"documents valid under the {orig} schema may fail validation against the {upd} schema"
    extra = {"lost": "", "them": "them"}
    template = _SPECIFIC.get(rule_id) or _BY_SUFFIX.get(rule_id.rsplit("_", 1)[-1], "{subject}: {breaks}")
    if rule_id == "COMBINED_TYPE_SUBSCHEMAS_CHANGED" and isinstance(old, dict) and isinstance(new, dict) \
            and isinstance(old.get("enum"), list) and isinstance(new.get("enum"), list):
        old, new = old["enum"], new["enum"]  # `type` beside `enum`: Confluent sees a combined schema
        template = _SPECIFIC["ENUM_ARRAY_NARROWED"]
    if template is _SPECIFIC["ENUM_ARRAY_NARROWED"] and isinstance(old, list) and isinstance(new, list):
        lost = [v for v in old if v not in new]
        extra = {"lost": ", ".join(_show(v) for v in lost) or "values",
                 "them": "it" if len(lost) == 1 else "them"}
    text = template.format(subject=subject, kw=keyword, old=_show(old), new=_show(new), orig=orig, upd=upd,
                           breaks=breaks, **extra)
    return f"{text[0].upper()}{text[1:]} (Confluent: {rule_id} #/{'/'.join(segments)})"


def _ends_at_schema(segments: Sequence[str]) -> bool:
    """True when the path names a (sub-)schema, not a keyword inside one."""
    if not segments:
        return True
    if len(segments) >= 2 and segments[-2] in _CONTAINERS:
        return True
    return segments[-1].isdigit() or segments[-1] in ("items", "additionalItems", "additionalProperties", "not")


def _type_of(value: Any) -> Any:
    return value.get("type", value) if isinstance(value, dict) else value


def _names_a_property(rule_id: str) -> bool:
    return "CONTENT_MODEL" in rule_id or rule_id.startswith(("PROPERTY_", "ITEM_"))
