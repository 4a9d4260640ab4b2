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
from typing import Any

__all__ = ["looks_valid", "meta_errors"]

_SIMPLE_TYPES = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))
_COUNTS = frozenset(
    ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties", "maxContains", "minContains")
)
_NUMBERS = frozenset(("maximum", "minimum"))
_STRINGS = frozenset(("$id", "$schema", "$ref", "$comment", "title", "description", "pattern", "format", "$anchor"))
_STRINGS |= frozenset(("contentMediaType", "contentEncoding", "$dynamicRef", "$dynamicAnchor", "$recursiveRef"))
_SCHEMA_VALUED = frozenset(("additionalItems", "additionalProperties", "not", "contains", "propertyNames"))
_SCHEMA_VALUED |= frozenset(("if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"))
_SCHEMA_MAPS = frozenset(("properties", "patternProperties", "definitions", "$defs", "dependentSchemas"))
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
_BOOLEANS = frozenset(("uniqueItems", "readOnly", "writeOnly", "deprecated", "$recursiveAnchor"))


def looks_valid(schema: Any, draft: int) -> bool:
    """True when every known keyword of ``schema`` (recursively) meets its meta-schema rule.

    ``False`` means "not sure": call :func:`meta_errors` for the verdict.
    """
    if isinstance(schema, bool):
        return draft >= 6
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in _STRINGS:
            if not isinstance(value, str):
                return False
        elif key in _COUNTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                return False
        elif key in _NUMBERS:
            if not _is_number(value):
                return False
        elif key == "exclusiveMaximum" or key == "exclusiveMinimum":
            if not (isinstance(value, bool) if draft == 4 else _is_number(value)):
                return False
        elif key == "multipleOf":
            if not _is_number(value) or value <= 0:
                return False
        elif key in _SCHEMA_VALUED:
            if not _subschema(value, draft, key):
                return False
        elif key in _SCHEMA_MAPS:
            if not isinstance(value, dict) or not all(looks_valid(v, draft) for v in value.values()):
                return False
        elif key in _SCHEMA_LISTS:
            if not isinstance(value, list) or not value or not all(looks_valid(v, draft) for v in value):
                return False
        elif key in _BOOLEANS:
            if not isinstance(value, bool):
                return False
        elif not _special(key, value, draft):
            return False
    return True


def _special(key: str, value: Any, draft: int) -> bool:
    if key == "type":
        if isinstance(value, str):
            return value in _SIMPLE_TYPES
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(t, str) and t in _SIMPLE_TYPES for t in value)
            and len(set(value)) == len(value)
        )
    if key == "items":
        if isinstance(value, list):
            return draft < 2020 and all(looks_valid(v, draft) for v in value)
        return _subschema(value, draft, key)
    if key == "required":
        return _string_set(value, allow_empty=draft >= 6)
    if key == "enum":
        return isinstance(value, list) and bool(value) and _unique(value)
    if key == "dependencies" or key == "dependentRequired":
        if not isinstance(value, dict):
            return False
        for dep in value.values():
            if isinstance(dep, list):
                if not _string_set(dep, allow_empty=draft >= 6):
                    return False
            elif key == "dependentRequired" or not looks_valid(dep, draft):
                return False
        return True
    if key == "examples":
        return isinstance(value, list)
    return key not in ("$vocabulary",)


def _subschema(value: Any, draft: int, key: str) -> bool:
    if isinstance(value, bool):
        return draft >= 6 or key in ("additionalItems", "additionalProperties")
    return looks_valid(value, draft)


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


@functools.lru_cache(maxsize=None)
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
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator(draft).iter_errors(schema))
    if error is None:
        return None
    pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
    return error.message, pointer
