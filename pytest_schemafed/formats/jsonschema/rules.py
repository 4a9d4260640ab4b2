"""The JSON Schema change types: Confluent Schema Registry's taxonomy, one Rule each.

The ids are Confluent's ``Difference.Type`` names (json-schema-provider), so a
finding reads the same as the registry's own ``verbose`` answer.
:data:`COMPATIBLE_CHANGES` is Confluent's ``SchemaDiff.COMPATIBLE_CHANGES`` (the
default STRICT policy): any other change makes the pair incompatible. The meaning
is always "can a consumer using the *update* read data written with the
*original*" (BACKWARD: update = new schema, original = previous version).
"""

from __future__ import annotations

from ..base import Rule

__all__ = [
    "BOUND_SUFFIXES",
    "COMPATIBLE_CHANGES",
    "COMPATIBLE_CHANGES_LENIENT",
    "FAMILY_IDS",
    "NOT_EMITTED",
    "RULES",
    "RULES_BY_ID",
    "family",
]

_R = Rule
RULES: tuple[Rule, ...] = (
    _R("ID_CHANGED", "Checks that the schema's id is unchanged (informational).", None),
    _R("DESCRIPTION_CHANGED", "Checks that the description is unchanged (informational).", None),
    _R("TITLE_CHANGED", "Checks that the title is unchanged (informational).", None),
    _R("DEFAULT_CHANGED", "Checks that the default value is unchanged (informational).", None),
    _R("SCHEMA_ADDED", "Checks that no schema appears where the old version accepted anything.", "Leave it out."),
    _R("SCHEMA_REMOVED", "Checks whether a sub-schema was removed (accepting more is compatible).", None),
    _R("TYPE_EXTENDED", "Checks whether a type was widened, such as integer to number.", None),
    _R("TYPE_NARROWED", "Checks that a type is not narrowed, such as number to integer.", "Keep the wider type."),
    _R("TYPE_CHANGED", "Checks that a value's type is not changed to an unrelated type.",
       "Add a new property with the new type instead."),
    _R("MAX_LENGTH_ADDED", "Checks that no maxLength is added to a string.", "Do not limit existing strings."),
    _R("MAX_LENGTH_REMOVED", "Checks whether a string's maxLength was removed (compatible).", None),
    _R("MAX_LENGTH_INCREASED", "Checks whether a string's maxLength grew (compatible).", None),
    _R("MAX_LENGTH_DECREASED", "Checks that a string's maxLength does not shrink.", "Keep maxLength or raise it."),
    _R("MIN_LENGTH_ADDED", "Checks that no minLength is added to a string.", "Do not add minLength."),
    _R("MIN_LENGTH_REMOVED", "Checks whether a string's minLength was removed (compatible).", None),
    _R("MIN_LENGTH_INCREASED", "Checks that a string's minLength does not grow.", "Keep minLength or lower it."),
    _R("MIN_LENGTH_DECREASED", "Checks whether a string's minLength shrank (compatible).", None),
    _R("PATTERN_ADDED", "Checks that no pattern is added to a string.", "Do not add a pattern."),
    _R("PATTERN_REMOVED", "Checks whether a string's pattern was removed (compatible).", None),
    _R("PATTERN_CHANGED", "Checks that a string's pattern is unchanged.", "Keep the old pattern."),
    _R("MAXIMUM_ADDED", "Checks that no maximum is added to a number.", "Do not add a maximum."),
    _R("MAXIMUM_REMOVED", "Checks whether a number's maximum was removed (compatible).", None),
    _R("MAXIMUM_INCREASED", "Checks whether a number's maximum grew (compatible).", None),
    _R("MAXIMUM_DECREASED", "Checks that a number's maximum does not shrink.", "Keep the maximum or raise it."),
    _R("MINIMUM_ADDED", "Checks that no minimum is added to a number.", "Do not add a minimum."),
    _R("MINIMUM_REMOVED", "Checks whether a number's minimum was removed (compatible).", None),
    _R("MINIMUM_INCREASED", "Checks that a number's minimum does not grow.", "Keep the minimum or lower it."),
    _R("MINIMUM_DECREASED", "Checks whether a number's minimum shrank (compatible).", None),
    _R("EXCLUSIVE_MAXIMUM_ADDED", "Checks that no exclusiveMaximum is added.", "Do not add exclusiveMaximum."),
    _R("EXCLUSIVE_MAXIMUM_REMOVED", "Checks whether exclusiveMaximum was removed (compatible).", None),
    _R("EXCLUSIVE_MAXIMUM_INCREASED", "Checks whether exclusiveMaximum grew (compatible).", None),
    _R("EXCLUSIVE_MAXIMUM_DECREASED", "Checks that exclusiveMaximum does not shrink.", "Keep it or raise it."),
    _R("EXCLUSIVE_MINIMUM_ADDED", "Checks that no exclusiveMinimum is added.", "Do not add exclusiveMinimum."),
    _R("EXCLUSIVE_MINIMUM_REMOVED", "Checks whether exclusiveMinimum was removed (compatible).", None),
    _R("EXCLUSIVE_MINIMUM_INCREASED", "Checks that exclusiveMinimum does not grow.", "Keep it or lower it."),
    _R("EXCLUSIVE_MINIMUM_DECREASED", "Checks whether exclusiveMinimum shrank (compatible).", None),
    _R("MULTIPLE_OF_ADDED", "Checks that no multipleOf is added to a number.", "Do not add multipleOf."),
    _R("MULTIPLE_OF_REMOVED", "Checks whether multipleOf was removed (compatible).", None),
    _R("MULTIPLE_OF_EXPANDED", "Checks that multipleOf is not changed to a multiple of itself.", "Keep it."),
    _R("MULTIPLE_OF_REDUCED", "Checks whether multipleOf became a divisor of itself (compatible).", None),
    _R("MULTIPLE_OF_CHANGED", "Checks that multipleOf is not changed to an unrelated value.", "Keep it."),
    _R("REQUIRED_ATTRIBUTE_ADDED", "Checks that an existing property does not become required.",
       "Keep it optional: validate its presence in the consumer, or start a new subject."),
    _R("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "Checks whether a property with a default became required.", None),
    _R("REQUIRED_ATTRIBUTE_REMOVED", "Checks whether a property stopped being required (compatible).", None),
    _R("MAX_PROPERTIES_ADDED", "Checks that no maxProperties is added.", "Do not add maxProperties."),
    _R("MAX_PROPERTIES_REMOVED", "Checks whether maxProperties was removed (compatible).", None),
    _R("MAX_PROPERTIES_INCREASED", "Checks whether maxProperties grew (compatible).", None),
    _R("MAX_PROPERTIES_DECREASED", "Checks that maxProperties does not shrink.", "Keep it or raise it."),
    _R("MIN_PROPERTIES_ADDED", "Checks that no minProperties is added.", "Do not add minProperties."),
    _R("MIN_PROPERTIES_REMOVED", "Checks whether minProperties was removed (compatible).", None),
    _R("MIN_PROPERTIES_INCREASED", "Checks that minProperties does not grow.", "Keep it or lower it."),
    _R("MIN_PROPERTIES_DECREASED", "Checks whether minProperties shrank (compatible).", None),
    _R("ADDITIONAL_PROPERTIES_ADDED", "Checks whether additional properties became allowed (compatible).", None),
    _R("ADDITIONAL_PROPERTIES_REMOVED", "Checks that additional properties stay allowed.", "Keep them allowed."),
    _R("ADDITIONAL_PROPERTIES_EXTENDED", "Checks whether the additionalProperties schema was dropped.", None),
    _R("ADDITIONAL_PROPERTIES_NARROWED", "Checks that no additionalProperties schema is added.", "Leave it open."),
    _R("DEPENDENCY_ARRAY_ADDED", "Checks that no property dependency is added.", "Do not add it."),
    _R("DEPENDENCY_ARRAY_REMOVED", "Checks whether a property dependency was removed (compatible).", None),
    _R("DEPENDENCY_ARRAY_EXTENDED", "Checks that a property dependency does not require more.", "Keep the list."),
    _R("DEPENDENCY_ARRAY_NARROWED", "Checks whether a property dependency requires less (compatible).", None),
    _R("DEPENDENCY_ARRAY_CHANGED", "Checks that a property dependency list is unchanged.", "Keep the list."),
    _R("DEPENDENCY_SCHEMA_ADDED", "Checks that no schema dependency is added.", "Do not add it."),
    _R("DEPENDENCY_SCHEMA_REMOVED", "Checks whether a schema dependency was removed (compatible).", None),
    _R(
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks that no typed property is added to an open object.",
        "Close the old object, or use a new name covered by patternProperties.",
    ),
    _R(
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks that no required property is added to an open object.",
        "Close the old object first.",
    ),
    _R(
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks that no required property with a default is added to an open object.",
        "Close the old object first.",
    ),
    _R(
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks that no optional typed property is added to an open object.",
        "Close the old object first.",
    ),
    _R(
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks whether an any-value property was added to an open object (compatible).",
        None,
    ),
    _R(
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "Checks that no required property without a default is added to a closed object.",
        "Add it as an optional property (leave it out of `required`).",
    ),
    _R(
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "Checks whether a required property with a default was added to a closed object (compatible).",
        None,
    ),
    _R(
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "Checks whether an optional property was added to a closed object (compatible).",
        None,
    ),
    _R(
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "Checks whether a property was removed from an open object (compatible).",
        None,
    ),
    _R(
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "Checks whether a forbidden property was removed from a closed object (compatible).",
        None,
    ),
    _R(
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "Checks that no property is removed from a closed object.",
        "Keep the property, or open the object.",
    ),
    _R(
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks whether a removed property is "
        "still accepted by patternProperties or additionalProperties (compatible).",
        None,
    ),
    _R(
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks that a removed property is still accepted by patternProperties or additionalProperties.",
        "Keep the property.",
    ),
    _R(
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks whether an added property "
        "accepts what patternProperties or additionalProperties accepted (compatible).",
        None,
    ),
    _R(
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks that an added property accepts what patternProperties or additionalProperties accepted.",
        "Widen the new property.",
    ),
    _R("RESERVED_PROPERTY_REMOVED", "Checks that reserved property names stay reserved.", "Keep it reserved."),
    _R(
        "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
        "Checks that no property uses a reserved name.",
        "Rename the property.",
    ),
    _R(
        "UNEVALUATED_PROPERTIES_ADDED",
        "Checks whether unevaluated properties became allowed (compatible).",
        None,
    ),
    _R("UNEVALUATED_PROPERTIES_REMOVED", "Checks that unevaluated properties stay allowed.", "Keep them."),
    _R(
        "UNEVALUATED_PROPERTIES_EXTENDED",
        "Checks whether the unevaluatedProperties schema was dropped (compatible).",
        None,
    ),
    _R("UNEVALUATED_PROPERTIES_NARROWED", "Checks that no unevaluatedProperties schema is added.", "Leave it."),
    _R("MAX_ITEMS_ADDED", "Checks that no maxItems is added to an array.", "Do not add maxItems."),
    _R("MAX_ITEMS_REMOVED", "Checks whether an array's maxItems was removed (compatible).", None),
    _R("MAX_ITEMS_INCREASED", "Checks whether an array's maxItems grew (compatible).", None),
    _R("MAX_ITEMS_DECREASED", "Checks that an array's maxItems does not shrink.", "Keep maxItems or raise it."),
    _R("MIN_ITEMS_ADDED", "Checks that no minItems is added to an array.", "Do not add minItems."),
    _R("MIN_ITEMS_REMOVED", "Checks whether an array's minItems was removed (compatible).", None),
    _R("MIN_ITEMS_INCREASED", "Checks that an array's minItems does not grow.", "Keep minItems or lower it."),
    _R("MIN_ITEMS_DECREASED", "Checks whether an array's minItems shrank (compatible).", None),
    _R("MAX_CONTAINS_ADDED", "Checks that no maxContains is added.", "Do not add maxContains."),
    _R(
        "MAX_CONTAINS_REMOVED",
        "Checks whether maxContains was removed (compatible).",
        None,
    ),
    _R(
        "MAX_CONTAINS_INCREASED",
        "Checks whether maxContains grew (compatible).",
        None,
    ),
    _R("MAX_CONTAINS_DECREASED", "Checks that maxContains does not shrink.", "Keep it or raise it."),
    _R("MIN_CONTAINS_ADDED", "Checks that no minContains is added.", "Do not add minContains."),
    _R(
        "MIN_CONTAINS_REMOVED",
        "Checks whether minContains was removed (compatible).",
        None,
    ),
    _R("MIN_CONTAINS_INCREASED", "Checks that minContains does not grow.", "Keep it or lower it."),
    _R(
        "MIN_CONTAINS_DECREASED",
        "Checks whether minContains shrank (compatible).",
        None,
    ),
    _R("UNIQUE_ITEMS_ADDED", "Checks that uniqueItems is not added to an array.", "Do not add uniqueItems."),
    _R("UNIQUE_ITEMS_REMOVED", "Checks whether uniqueItems was removed (compatible).", None),
    _R("ADDITIONAL_ITEMS_ADDED", "Checks whether additional items became allowed (compatible).", None),
    _R("ADDITIONAL_ITEMS_REMOVED", "Checks that additional items stay allowed.", "Keep them allowed."),
    _R("ADDITIONAL_ITEMS_EXTENDED", "Checks whether the additionalItems schema was dropped (compatible).", None),
    _R("ADDITIONAL_ITEMS_NARROWED", "Checks that no additionalItems schema is added.", "Leave it open."),
    _R(
        "UNEVALUATED_ITEMS_ADDED",
        "Checks whether unevaluated items became allowed (compatible).",
        None,
    ),
    _R("UNEVALUATED_ITEMS_REMOVED", "Checks that unevaluated items stay allowed.", "Keep them allowed."),
    _R(
        "UNEVALUATED_ITEMS_EXTENDED",
        "Checks whether the unevaluatedItems schema was dropped (compatible).",
        None,
    ),
    _R("UNEVALUATED_ITEMS_NARROWED", "Checks that no unevaluatedItems schema is added.", "Leave it open."),
    _R(
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks that no typed tuple item is added to an open array.",
        "Close the old tuple first.",
    ),
    _R(
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "Checks whether an any-value tuple item was added to an open array (compatible).",
        None,
    ),
    _R(
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
        "Checks whether a tuple item was added to a closed array (compatible).",
        None,
    ),
    _R(
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "Checks whether a tuple item was removed from an open array (compatible).",
        None,
    ),
    _R(
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "Checks whether a forbidden tuple item was removed from a closed array (compatible).",
        None,
    ),
    _R(
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "Checks that no tuple item is removed from a closed array.",
        "Keep the item, or open the array.",
    ),
    _R(
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks whether a removed tuple item is still accepted by additionalItems (compatible).",
        None,
    ),
    _R(
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks that a removed tuple item is still accepted by additionalItems.",
        "Keep the item.",
    ),
    _R(
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks whether an added tuple item accepts what additionalItems accepted (compatible).",
        None,
    ),
    _R(
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "Checks that an added tuple item accepts what additionalItems accepted.",
        "Widen the new item.",
    ),
    _R("ENUM_ARRAY_EXTENDED", "Checks whether enum values were added (compatible).", None),
    _R("ENUM_ARRAY_NARROWED", "Checks that no enum value is removed.", "Keep every old value."),
    _R("ENUM_ARRAY_CHANGED", "Checks that enum or const values are not replaced.", "Keep every old value."),
    _R("COMBINED_TYPE_EXTENDED", "Checks whether a combination became less strict, such as oneOf to anyOf.", None),
    _R(
        "COMBINED_TYPE_CHANGED",
        "Checks that allOf/anyOf/oneOf is not changed to a stricter kind.",
        "Keep the combination keyword.",
    ),
    _R("PRODUCT_TYPE_EXTENDED", "Checks that no sub-schema is added to allOf.", "Do not add to allOf."),
    _R("PRODUCT_TYPE_NARROWED", "Checks whether an allOf sub-schema was removed (compatible).", None),
    _R("SUM_TYPE_EXTENDED", "Checks whether an anyOf/oneOf alternative was added (compatible).", None),
    _R("SUM_TYPE_NARROWED", "Checks that no anyOf/oneOf alternative is removed.", "Keep every alternative."),
    _R(
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "Checks that every old sub-schema of a combination is matched by a compatible new one.",
        "Change sub-schemas only compatibly.",
    ),
    _R("NOT_TYPE_EXTENDED", "Checks that a not-schema does not exclude more.", "Exclude less, not more."),
    _R("NOT_TYPE_NARROWED", "Checks whether a not-schema excludes less (compatible).", None),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

NOT_EMITTED: frozenset[str] = frozenset(
    (
        # Confluent 8.x splits PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL by required/optional; its
        # published diff-schema-examples still expect the single id, which is what we emit.
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        # Reserved properties come from registry metadata (confluent:reserved), not from the schema.
        "RESERVED_PROPERTY_REMOVED",
        "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
    )
)
"""Ids of Confluent's taxonomy kept for reports but never produced by this differ (see comments)."""

COMPATIBLE_CHANGES: frozenset[str] = frozenset(
    [
        "ID_CHANGED",
        "DESCRIPTION_CHANGED",
        "TITLE_CHANGED",
        "DEFAULT_CHANGED",
        "SCHEMA_REMOVED",
        "TYPE_EXTENDED",
        "MAX_LENGTH_INCREASED",
        "MAX_LENGTH_REMOVED",
        "MIN_LENGTH_DECREASED",
        "MIN_LENGTH_REMOVED",
        "PATTERN_REMOVED",
        "MAXIMUM_INCREASED",
        "MAXIMUM_REMOVED",
        "MINIMUM_DECREASED",
        "MINIMUM_REMOVED",
        "EXCLUSIVE_MAXIMUM_INCREASED",
        "EXCLUSIVE_MAXIMUM_REMOVED",
        "EXCLUSIVE_MINIMUM_DECREASED",
        "EXCLUSIVE_MINIMUM_REMOVED",
        "MULTIPLE_OF_REDUCED",
        "MULTIPLE_OF_REMOVED",
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        "REQUIRED_ATTRIBUTE_REMOVED",
        "DEPENDENCY_ARRAY_NARROWED",
        "DEPENDENCY_ARRAY_REMOVED",
        "DEPENDENCY_SCHEMA_REMOVED",
        "MAX_PROPERTIES_INCREASED",
        "MAX_PROPERTIES_REMOVED",
        "MIN_PROPERTIES_DECREASED",
        "MIN_PROPERTIES_REMOVED",
        "ADDITIONAL_PROPERTIES_ADDED",
        "ADDITIONAL_PROPERTIES_EXTENDED",
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "MAX_ITEMS_INCREASED",
        "MAX_ITEMS_REMOVED",
        "MIN_ITEMS_DECREASED",
        "MIN_ITEMS_REMOVED",
        "UNIQUE_ITEMS_REMOVED",
        "ADDITIONAL_ITEMS_ADDED",
        "ADDITIONAL_ITEMS_EXTENDED",
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        # Added by Confluent in 2026 (relaxing a contains count, dropping unevaluated*).
        "MAX_CONTAINS_REMOVED",
        "MAX_CONTAINS_INCREASED",
        "MIN_CONTAINS_REMOVED",
        "MIN_CONTAINS_DECREASED",
        "UNEVALUATED_PROPERTIES_ADDED",
        "UNEVALUATED_PROPERTIES_EXTENDED",
        "UNEVALUATED_ITEMS_ADDED",
        "UNEVALUATED_ITEMS_EXTENDED",
        "ENUM_ARRAY_EXTENDED",
        "COMBINED_TYPE_EXTENDED",
        "PRODUCT_TYPE_NARROWED",
        "SUM_TYPE_EXTENDED",
        "NOT_TYPE_NARROWED",
    ]
)
"""Confluent's ``SchemaDiff.COMPATIBLE_CHANGES`` (STRICT policy) as of its 2026 master."""

COMPATIBLE_CHANGES_LENIENT: frozenset[str] = COMPATIBLE_CHANGES | frozenset(
    [
        "ADDITIONAL_PROPERTIES_NARROWED",
        "ADDITIONAL_PROPERTIES_REMOVED",
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    ]
)
"""Confluent's ``COMPATIBLE_CHANGES_LENIENT``: STRICT plus the open-content-model changes."""


BOUND_SUFFIXES = ("ADDED", "REMOVED", "INCREASED", "DECREASED")
"""The four changes of a numeric keyword (maxLength, minimum, maxItems ...)."""

FAMILY_IDS: set[str] = set()
"""Every id handed out by :func:`family`: the ids the differ builds from parts."""


def family(prefix: str, suffixes: tuple[str, ...]) -> dict[str, str]:
    """``{suffix: "<PREFIX>_<SUFFIX>"}`` for ids that all exist in :data:`RULES`.

    Called at import time by the differ modules, so a family with a missing member
    fails on import instead of producing an id no table knows.

    :raises KeyError: one of the composed ids is not in the table.
    """
    ids = {suffix: f"{prefix}_{suffix}" for suffix in suffixes}
    missing = [i for i in ids.values() if i not in RULES_BY_ID]
    if missing:
        raise KeyError(f"rule ids missing from the JSON Schema table: {', '.join(missing)}")
    FAMILY_IDS.update(ids.values())
    return ids
