"""The schema model the differ walks: one node kind per everit-json-schema class.

Confluent's checker does not compare JSON trees; it compares the objects that the
everit loader builds from them (``StringSchema``, ``ObjectSchema``, a synthetic
``allOf`` when one object mixes ``enum`` and ``type`` ...). Reproducing its verdicts
means reproducing that model, so the node kinds here mirror those classes:

=============  =================================================================
kind           built from
=============  =================================================================
``empty``      ``{}`` or an object with no keyword the loader understands
``true``       the boolean schema ``true`` (a kind of ``empty``)
``false``      the boolean schema ``false``
``string``     ``type: string`` or string keywords (``maxLength`` ...)
``number``     ``type: number|integer`` or numeric keywords (``integer`` sets
               :attr:`Node.requires_integer`)
``boolean``    ``type: boolean``
``null``       ``type: null``
``object``     ``type: object`` or object keywords (``properties`` ...)
``array``      ``type: array`` or array keywords (``items`` ...)
``enum``       ``enum``
``const``      ``const``
``combined``   ``allOf``/``anyOf``/``oneOf``, a ``type`` list (anyOf), or several
               of the above in one object (synthetic allOf)
``not``        ``not``
``conditional````if``/``then``/``else``
``ref``        ``$ref`` (followed by the differ on both sides)
=============  =================================================================
"""

from __future__ import annotations

from typing import Any

__all__ = ["ALL_OF", "ANY_OF", "ONE_OF", "Node", "freeze"]

ALL_OF = "allOf"
ANY_OF = "anyOf"
ONE_OF = "oneOf"

_MISSING: Any = object()


class Node:
    """One schema of the model, with where it came from.

    Only the attributes of its kind are meaningful; the others keep their defaults.
    ``doc`` is ``""`` for the parsed file itself and the reference name for a node
    loaded from a referenced file; ``ptr`` is the JSON pointer (without ``#``) of the
    JSON value the node was built from, in that document.
    """

    __slots__ = (
        "additional_items",
        "additional_properties",
        "all_items",
        "canonical",
        "criterion",
        "default",
        "description",
        "doc",
        "enum_values",
        "exclusive_maximum",
        "exclusive_minimum",
        "id",
        "item_schemas",
        "kind",
        "max_contains",
        "max_items",
        "max_length",
        "max_properties",
        "maximum",
        "min_contains",
        "min_items",
        "min_length",
        "min_properties",
        "minimum",
        "multiple_of",
        "must_not_match",
        "pattern",
        "pattern_properties",
        "permits_additional_items",
        "permits_additional_properties",
        "properties",
        "property_dependencies",
        "ptr",
        "raw",
        "ref",
        "referred",
        "required",
        "requires_integer",
        "schema_dependencies",
        "subschemas",
        "title",
        "unevaluated_items",
        "unevaluated_properties",
        "unique_items",
        "value",
    )

    def __init__(self, kind: str, doc: str, ptr: str, raw: Any) -> None:
        self.kind = kind
        self.doc = doc
        self.ptr = ptr
        self.raw = raw
        self.id: Any = None
        self.title: Any = None
        self.description: Any = None
        self.default: Any = _MISSING
        # string
        self.max_length: int | None = None
        self.min_length: int | None = None
        self.pattern: str | None = None
        # number
        self.maximum: float | int | None = None
        self.minimum: float | int | None = None
        self.exclusive_maximum: float | int | None = None
        self.exclusive_minimum: float | int | None = None
        self.multiple_of: float | int | None = None
        self.requires_integer = False
        # object
        self.properties: dict[str, Node] = {}
        self.required: list[str] = []
        self.min_properties: int | None = None
        self.max_properties: int | None = None
        self.property_dependencies: dict[str, frozenset[str]] = {}
        self.schema_dependencies: dict[str, Node] = {}
        self.permits_additional_properties = True
        self.additional_properties: Node | None = None
        self.pattern_properties: list[tuple[str, Node]] = []
        self.unevaluated_properties: Node | None = None
        # array
        self.all_items: Node | None = None
        self.item_schemas: list[Node] | None = None
        self.permits_additional_items = True
        self.additional_items: Node | None = None
        self.max_items: int | None = None
        self.min_items: int | None = None
        self.unique_items = False
        self.max_contains: int | None = None
        self.min_contains: int | None = None
        self.unevaluated_items: Node | None = None
        # enum / const
        self.enum_values: frozenset[Any] = frozenset()
        self.value: Any = None
        # combined / not / ref
        self.criterion = ""
        self.subschemas: list[Node] = []
        self.must_not_match: Node | None = None
        self.ref = ""
        self.referred: Node | None = None
        self.canonical: str | None = None

    @property
    def has_default(self) -> bool:
        """True when the schema declares a ``default`` value."""
        return self.default is not _MISSING

    @property
    def frozen_default(self) -> Any:
        """The default value in a form that compares like Java's ``Objects.equals``."""
        return None if self.default is _MISSING else freeze(self.default)

    @property
    def is_empty(self) -> bool:
        """True for ``{}`` and ``true`` (everit's ``TrueSchema`` extends ``EmptySchema``)."""
        return self.kind == "empty" or self.kind == "true"

    def __repr__(self) -> str:
        return f"<Node {self.kind} {self.doc or ''}#{self.ptr}>"


def freeze(value: Any) -> Any:
    """A hashable form of a JSON value where ``1``, ``1.0`` and ``true`` all differ.

    Java compares JSON values by class as well as value (``Integer`` is not
    ``Boolean``), so the type is kept next to each scalar.
    """
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int):
        return ("i", value)
    if isinstance(value, float):
        return ("i", int(value)) if value.is_integer() and abs(value) < 2**53 else ("f", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("n", None)
    if isinstance(value, list):
        return ("a", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("o", frozenset((k, freeze(v)) for k, v in value.items()))
    return ("?", repr(value))
