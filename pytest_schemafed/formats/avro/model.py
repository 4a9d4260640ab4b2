"""The parsed form of an Avro schema: small ``__slots__`` classes built once per file.

Every node has a ``kind``: the Avro type name (``int``, ``record``, ``union``...).
Primitive nodes without extra properties are shared singletons, so comparing two
parsed schemas mostly compares interned strings. Named types (record, enum, fixed)
are defined once per file and referenced by identity wherever their name is used,
which is what lets the comparison memoize (reader, writer) pairs and stop on
recursive types.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any, TypeVar

from ...formats.base import ParsedSchema
from ..jsonpos import JsonPositions

_C = TypeVar("_C")

try:  # lets mypyc compile the Avro engine: AvroSchema extends a plain Python class
    from mypy_extensions import mypyc_attr
except ImportError:  # pragma: no cover - only a mypyc build needs it

    def mypyc_attr(*_args: object, **_kwargs: object) -> Callable[[_C], _C]:  # type: ignore[misc]
        """No-op stand-in for ``mypy_extensions.mypyc_attr``."""
        return lambda cls: cls

__all__ = [
    "OPTIONAL",
    "PRIMITIVE_KINDS",
    "Array",
    "AvroSchema",
    "Enum",
    "Field",
    "Fixed",
    "FullField",
    "Map",
    "Named",
    "Node",
    "Primitive",
    "Record",
    "Union",
    "make_field",
    "type_pointer",
]

_NAME_KEY = re.compile(r'"name"[ \t\n\r]*:[ \t\n\r]*\Z')
_TYPE_KEY = re.compile(r'"type"[ \t\n\r]*:')
_BRACKET = re.compile(r"[{}\[\]]")
_AT: list[str] = []  # "/fields/<i>", shared by every field at position i
_TYPE_AT: list[str] = []
PRIMITIVE_KINDS = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})


class Node:
    """Any Avro schema node; ``kind`` is its Avro type name."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def describe(self) -> str:
        """A short human name for messages, quoted: ```int```, ``record `a.User```."""
        return f"`{self.kind}`"


class Primitive(Node):
    """``null``, ``boolean``, ``int``, ``long``, ``float``, ``double``, ``bytes`` or ``string``.

    ``logical`` is the ``logicalType`` annotation, if any. The Java checker (and so
    Confluent's) ignores it for compatibility: only the underlying type counts.
    """

    __slots__ = ("logical",)

    def __init__(self, kind: str, logical: str | None = None) -> None:
        self.kind = kind
        self.logical = logical

    def describe(self) -> str:
        """The type name, with the logical type when there is one."""
        return f"`{self.kind}` ({self.logical})" if self.logical else f"`{self.kind}`"


class Named(Node):
    """A record, enum or fixed: it has a name, a namespace and aliases.

    :param name: the simple name (what the Java checker compares).
    :param fullname: ``namespace.name`` (or ``name`` without a namespace).
    :param aliases: full names of the aliases, resolved against the namespace.
    """

    __slots__ = ("aliases", "fullname", "name", "namespace")

    def __init__(self, kind: str, name: str, namespace: str, aliases: frozenset[str]) -> None:
        super().__init__(kind)
        self.name = name
        self.namespace = namespace
        self.fullname = f"{namespace}.{name}" if namespace else name
        self.aliases = aliases

    def describe(self) -> str:
        """``record `com.acme.User``` and the like."""
        return f"{self.kind} `{self.fullname}`"


class Field:
    """One field of a record, with its position (``index``) in the record's ``fields``.

    ``at`` and ``type_at`` are the field's and its type's JSON pointers relative to
    the record (``/fields/3``, ``/fields/3/type``), shared strings built on demand.
    A field with a default, aliases or both is a :class:`FullField`; use :func:`make_field`.
    """

    __slots__ = ("index", "name", "type")
    has_default: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()

    def __init__(self, name: str, type_: Node, index: int) -> None:
        self.name = name
        self.type = type_
        self.index = index

    @property
    def at(self) -> str:
        """``/fields/<index>``."""
        index = self.index
        if index >= len(_AT):
            _grow(index)
        return _AT[index]

    @property
    def type_at(self) -> str:
        """``/fields/<index>/type``."""
        return type_pointer(self.index)


class FullField(Field):
    """A field with a default value, aliases or both."""

    __slots__ = ("aliases", "default", "has_default")

    def __init__(
        self, name: str, type_: Node, index: int, has_default: bool, default: Any, aliases: tuple[str, ...]
    ) -> None:
        self.name = name
        self.type = type_
        self.index = index
        self.has_default = has_default
        self.default = default
        self.aliases = aliases


#: stands in :attr:`Record.extras` for every usual optional field (null first, default null)
OPTIONAL = FullField("", Node("null"), -1, True, None, ())


def make_field(
    name: str, type_: Node, index: int, has_default: bool, default: Any, aliases: tuple[str, ...]
) -> Field:
    """A :class:`Field`, or a :class:`FullField` when it has a default or aliases."""
    if has_default or aliases:
        return FullField(name, type_, index, has_default, default, aliases)
    return Field(name, type_, index)


def type_pointer(index: int) -> str:
    """``/fields/<index>/type``, a shared string."""
    if index >= len(_TYPE_AT):
        _grow(index)
    return _TYPE_AT[index]


def _grow(index: int) -> None:
    _AT.extend(f"/fields/{i}" for i in range(len(_AT), index + 64))
    _TYPE_AT.extend(f"/fields/{i}/type" for i in range(len(_TYPE_AT), index + 64))


class Record(Named):
    """A record (or protocol ``error``): its fields by name, in order.

    ``types`` maps each field's name to its type, in field order (a field's position is
    its ``index``); ``extras`` holds the fields that have a default or aliases, by name
    (the usual optional field, null first with default null, as the shared :data:`OPTIONAL`).
    ``fields`` and ``by_name`` give :class:`Field` objects, built on first use: most
    fields are plain (a name and a type), and parsing them creates no object at all.
    """

    __slots__ = ("_by_name", "_fields", "extras", "types")

    def __init__(self, name: str, namespace: str, aliases: frozenset[str]) -> None:
        self.kind = "record"
        self.name = name
        self.namespace = namespace
        self.fullname = f"{namespace}.{name}" if namespace else name
        self.aliases = aliases
        self.types: dict[str, Node] = {}
        self.extras: dict[str, Field] = {}
        self._fields: list[Field] | None = None
        self._by_name: dict[str, Field] | None = None

    @property
    def fields(self) -> list[Field]:
        """The fields in order (built once, after parsing)."""
        fields = self._fields
        if fields is None:
            make = self._make
            fields = self._fields = [make(name, type_, index) for index, (name, type_) in enumerate(self.types.items())]
        return fields

    def field(self, name: str) -> Field:
        """The field called ``name`` (which must exist), without building the others."""
        if self._by_name is not None:
            return self._by_name[name]
        return self._make(name, self.types[name], list(self.types).index(name))

    def field_at(self, index: int) -> Field:
        """The field at position ``index`` (which must exist), without building the others."""
        if self._fields is not None:
            return self._fields[index]
        name = next(islice(self.types, index, None))
        return self._make(name, self.types[name], index)

    def _make(self, name: str, type_: Node, index: int) -> Field:
        extra = self.extras.get(name)
        if extra is None:
            return Field(name, type_, index)
        if extra is OPTIONAL:
            return FullField(name, type_, index, True, None, ())
        return extra

    def type_at(self, name: str) -> str:
        """``/fields/<index>/type`` of the field called ``name`` (which must exist)."""
        return type_pointer(list(self.types).index(name))

    @property
    def by_name(self) -> dict[str, Field]:
        """Name -> field."""
        by_name = self._by_name
        if by_name is None:
            by_name = self._by_name = {field.name: field for field in self.fields}
        return by_name


class Enum(Named):
    """An enum: its symbols in order, and the enum-level ``default`` symbol, if any."""

    __slots__ = ("default", "symbol_set", "symbols")

    def __init__(
        self,
        name: str,
        namespace: str,
        aliases: frozenset[str],
        symbols: list[str],
        default: str | None,
    ) -> None:
        self.kind = "enum"
        self.name = name
        self.namespace = namespace
        self.fullname = f"{namespace}.{name}" if namespace else name
        self.aliases = aliases
        self.symbols = symbols
        self.symbol_set = frozenset(symbols)
        self.default = default


class Fixed(Named):
    """A fixed-size byte sequence (``logical`` is e.g. ``decimal`` or ``duration``)."""

    __slots__ = ("logical", "size")

    def __init__(self, name: str, namespace: str, aliases: frozenset[str], size: int, logical: str | None) -> None:
        super().__init__("fixed", name, namespace, aliases)
        self.size = size
        self.logical = logical


class Array(Node):
    """An array of ``items``."""

    __slots__ = ("items",)

    def __init__(self, items: Node) -> None:
        super().__init__("array")
        self.items = items


class Map(Node):
    """A map from strings to ``values``."""

    __slots__ = ("values",)

    def __init__(self, values: Node) -> None:
        super().__init__("map")
        self.values = values


class Union(Node):
    """A union of ``branches`` (never directly nested, no duplicate kinds or names)."""

    def describe(self) -> str:
        """The union's branches: ``union [`null`, `string`]``."""
        return "union [" + ", ".join(b.describe() for b in self.branches) + "]"

    __slots__ = ("branches",)

    def __init__(self, branches: list[Node]) -> None:
        super().__init__("union")
        self.branches = branches


@mypyc_attr(native_class=False)
class AvroSchema(ParsedSchema):
    """A parsed ``.avsc`` text: the root node, its named types and what it imports.

    :param root: the top-level schema node.
    :param defined: full names of the named types this text defines, in order.
    :param imported: full names used here but defined in a reference.
    """

    __slots__ = ("_positions", "defined", "imported", "root")

    def __init__(
        self,
        text: str,
        path: str | None,
        root: Node,
        defined: list[str],
        imported: list[str],
    ) -> None:
        super().__init__(text, path)
        self.root = root
        self.defined = defined
        self.imported = imported
        self._positions: JsonPositions | None = None

    def locate(self, schema_path: str) -> tuple[int, int] | None:
        """(line, column) of a JSON pointer, or of its nearest existing ancestor."""
        if self._positions is None:
            self._positions = JsonPositions(self.text)
        return self._positions.locate("" if schema_path == "/" else schema_path)

    def locate_field_name(self, field_path: str, name: str) -> tuple[int, int] | None:
        """(line, column) of the ``"name"`` key of the field at ``field_path`` (named ``name``).

        Shortcut: in a text without escapes, a valid Avro name that occurs once as a
        string can only be that field's name, so its key is found without walking.
        """
        text = self.text
        quoted = f'"{name}"'
        if "\\" not in text and text.count(quoted) == 1:
            at = text.index(quoted)
            key = _NAME_KEY.search(text, max(0, at - 256), at)
            if key is not None:
                offset = key.start()
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        return self.locate(field_path + "/name")

    def locate_field_type(self, field_path: str, name: str) -> tuple[int, int] | None:
        """(line, column) of the ``"type"`` key of the field at ``field_path`` (named ``name``).

        Shortcut as for :meth:`locate_field_name`: from the field's unique name, the next
        ``"type"`` key with no bracket in between is the same object's.
        """
        text = self.text
        quoted = f'"{name}"'
        if "\\" not in text and text.count(quoted) == 1:
            at = text.index(quoted)
            end = at + len(quoted)
            if _NAME_KEY.search(text, max(0, at - 256), at) is not None:
                key = _TYPE_KEY.search(text, end)
                if key is not None and _BRACKET.search(text, end, key.start()) is None:
                    offset = key.start()
                    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        return self.locate(field_path + "/type")
