"""Is a document a valid JSON Schema of its draft? Cheap check first, jsonschema when in doubt.

Validating a schema against its meta-schema with ``jsonschema`` costs about a
millisecond per document, more than the whole compatibility check. So every
document first goes through :func:`looks_valid`, which checks the same constraints
the meta-schemas put on the keywords it knows (types, non-negative counts,
non-empty ``allOf`` ...). It only ever says "valid" when each keyword present
satisfies its meta-schema rule, so it never lets an invalid schema through; when
it is unsure it says "check", and :func:`meta_errors` runs the real meta-schema
with one cached validator per draft and reports the best error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = ["looks_valid", "meta_errors"]

_SIMPLE_TYPES = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))
_COUNTS = frozenset(
    ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties", "maxContains", "minContains")
)
_NUMBERS = frozenset(("maximum", "minimum"))
_STRINGS = frozenset(("$id", "$schema", "$ref", "$comment", "title", "description", "pattern", "format", "$anchor"))
_STRINGS |= frozenset(("contentMediaType", "contentEncoding", "$dynamicRef", "$dynamicAnchor", "$recursiveRef"))
_SCHEMA_VALUED = frozenset(("not", "contains", "propertyNames"))
_SCHEMA_VALUED |= frozenset(("if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"))
_SCHEMA_MAPS = frozenset(("properties", "patternProperties", "definitions", "$defs", "dependentSchemas"))
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
_BOOLEANS = frozenset(("uniqueItems", "readOnly", "writeOnly", "deprecated", "$recursiveAnchor"))


def looks_valid(schema: Any, draft: int) -> bool:
    """True when every known keyword of ``schema`` (recursively) meets its meta-schema rule.

    ``False`` means "not sure": call :func:`meta_errors` for the verdict.
    """
    if schema is True or schema is False:
        return draft >= 6
    if type(schema) is not dict:
        return False
    checks = _CHECKS
    for key, value in schema.items():
        check = checks.get(key)
        if check is not None and not check(value, draft):
            return False
    return True


def _string(value: Any, draft: int) -> bool:
    return type(value) is str


def _count(value: Any, draft: int) -> bool:
    return type(value) is int and value >= 0


def _number(value: Any, draft: int) -> bool:
    return type(value) is int or type(value) is float


def _exclusive(value: Any, draft: int) -> bool:
    return type(value) is bool if draft == 4 else _number(value, draft)


def _multiple_of(value: Any, draft: int) -> bool:
    return _number(value, draft) and value > 0


def _schema(value: Any, draft: int) -> bool:
    return looks_valid(value, draft)


def _schema_or_bool(value: Any, draft: int) -> bool:
    return type(value) is bool or looks_valid(value, draft)


def _schema_map(value: Any, draft: int) -> bool:
    if type(value) is not dict:
        return False
    return all(looks_valid(sub, draft) for sub in value.values())


def _schema_list(value: Any, draft: int) -> bool:
    if type(value) is not list or not value:
        return False
    return all(looks_valid(sub, draft) for sub in value)


def _boolean(value: Any, draft: int) -> bool:
    return type(value) is bool


def _type(value: Any, draft: int) -> bool:
    if type(value) is str:
        return value in _SIMPLE_TYPES
    return (
        type(value) is list
        and bool(value)
        and all(type(t) is str and t in _SIMPLE_TYPES for t in value)
        and len(set(value)) == len(value)
    )


def _items(value: Any, draft: int) -> bool:
    if type(value) is list:
        return draft < 2020 and all(looks_valid(v, draft) for v in value)
    return looks_valid(value, draft)


def _required(value: Any, draft: int) -> bool:
    return _string_set(value, allow_empty=draft >= 6)


def _enum(value: Any, draft: int) -> bool:
    if type(value) is not list:
        return False
    return draft >= 6 or (bool(value) and _unique(value))


def _dependencies(value: Any, draft: int) -> bool:
    if type(value) is not dict:
        return False
    for dep in value.values():
        if type(dep) is list:
            if not _string_set(dep, allow_empty=draft >= 6):
                return False
        elif not looks_valid(dep, draft):
            return False
    return True


def _dependent_required(value: Any, draft: int) -> bool:
    return type(value) is dict and all(_string_set(v, allow_empty=True) for v in value.values())


def _array(value: Any, draft: int) -> bool:
    return type(value) is list


def _unknown(value: Any, draft: int) -> bool:
    return False


_CHECKS: dict[str, Callable[[Any, int], bool]] = {
    **dict.fromkeys(_STRINGS, _string),
    **dict.fromkeys(_COUNTS, _count),
    **dict.fromkeys(_NUMBERS, _number),
    "exclusiveMaximum": _exclusive,
    "exclusiveMinimum": _exclusive,
    "multipleOf": _multiple_of,
    **dict.fromkeys(_SCHEMA_VALUED, _schema),
    "additionalItems": _schema_or_bool,
    "additionalProperties": _schema_or_bool,
    **dict.fromkeys(_SCHEMA_MAPS, _schema_map),
    **dict.fromkeys(_SCHEMA_LISTS, _schema_list),
    **dict.fromkeys(_BOOLEANS, _boolean),
    "type": _type,
    "items": _items,
    "required": _required,
    "enum": _enum,
    "dependencies": _dependencies,
    "dependentRequired": _dependent_required,
    "examples": _array,
    "$vocabulary": _unknown,
}
"""Keyword -> check of its value; keywords not listed are free (as in the meta-schemas)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _string_set(value: Any, *, allow_empty: bool) -> bool:
    return (
        isinstance(value, list)
        and (allow_empty or bool(value))
        and all(isinstance(v, str) for v in value)
        and len(set(value)) == len(value)
    )


def _unique(values: list[Any]) -> bool:
    from .model import freeze

    frozen = [freeze(v) for v in values]
    return len(set(frozen)) == len(frozen)


@functools.cache
def _validator(draft: int) -> Any:
    import jsonschema

    cls = {
        4: jsonschema.Draft4Validator,
        6: jsonschema.Draft6Validator,
        7: jsonschema.Draft7Validator,
        2019: jsonschema.Draft201909Validator,
        2020: jsonschema.Draft202012Validator,
    }[draft]
    return cls(cls.META_SCHEMA)


def meta_errors(schema: Any, draft: int) -> tuple[str, str] | None:
    """Validate ``schema`` against its draft's meta-schema; ``(message, json_pointer)`` or None."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(draft).iter_errors(schema))
    if error is None:
        return None
    pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
    return error.message, pointer
