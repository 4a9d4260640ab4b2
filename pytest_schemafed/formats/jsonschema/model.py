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
_EMPTY: Any = {}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Node:
    """One schema of the model, with where it came from.

    Only the attributes of its kind are meaningful; the others keep their defaults.
    ``doc`` is ``""`` for the parsed file itself and the reference name for a node
    loaded from a referenced file; ``ptr`` is the JSON pointer (without ``#``) of the
    JSON value the node was built from, in that document.
    """

    # Defaults live on the class, so that building a node sets only what it has:
    # nodes are built by the hundred thousand in a large run.
    id: Any = None
    title: Any = None
    description: Any = None
    default: Any = _MISSING
    # string
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    # number
    maximum: float | int | None = None
    minimum: float | int | None = None
    exclusive_maximum: float | int | None = None
    exclusive_minimum: float | int | None = None
    multiple_of: float | int | None = None
    requires_integer = False
    # object (properties are built lazily from ``props_raw`` by ``loader``)
    props_raw: dict[str, Any] = _EMPTY
    loader: Any = None
    required: list[str] = []
    min_properties: int | None = None
    max_properties: int | None = None
    property_dependencies: dict[str, frozenset[str]] = _EMPTY
    schema_dependencies: dict[str, Node] = _EMPTY
    permits_additional_properties = True
    additional_properties: Node | None = None
    pattern_properties: list[tuple[str, Node]] = []
    unevaluated_properties: Node | None = None
    # array
    all_items: Node | None = None
    item_schemas: list[Node] | None = None
    permits_additional_items = True
    additional_items: Node | None = None
    max_items: int | None = None
    min_items: int | None = None
    unique_items = False
    max_contains: int | None = None
    min_contains: int | None = None
    unevaluated_items: Node | None = None
    # enum / const
    enum_values: frozenset[Any] = frozenset()
    value: Any = None
    # combined / not / ref
    criterion = ""
    subschemas: list[Node] = []
    must_not_match: Node | None = None
    ref = ""
    referred: Node | None = None
    canonical: str | None = None

    def __init__(self, kind: str, doc: str, ptr: str, raw: Any) -> None:
        self.kind = kind
        self.doc = doc
        self.ptr = ptr
        self.raw = raw

    def prop(self, name: str) -> Node:
        """The schema of property ``name`` (which must exist), built on first use."""
        return self.loader.load(self.props_raw[name], self.doc, f"{self.ptr}/properties/{_escape(name)}")

    @property
    def properties(self) -> dict[str, Node]:
        """Every property schema, by name."""
        return {name: self.prop(name) for name in self.props_raw}

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
