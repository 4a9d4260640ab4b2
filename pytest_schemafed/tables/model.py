"""One table type model: what a lakehouse table (or a schema mapped onto one) holds.

Types follow Spark SQL's data types, since Unity Catalog describes every table's
columns with Spark's ``StructField`` JSON and Spark is what writes into the tables:

==================  =====================================================
kind                Spark type (SQL name shown in messages)
==================  =====================================================
``boolean``         BooleanType (``boolean``)
``byte``            ByteType (``tinyint``)
``short``           ShortType (``smallint``)
``integer``         IntegerType (``int``)
``long``            LongType (``bigint``)
``float``           FloatType (``float``)
``double``          DoubleType (``double``)
``decimal``         DecimalType(precision, scale) (``decimal(p,s)``)
``string``          StringType, also char/varchar (``string``)
``binary``          BinaryType (``binary``)
``date``            DateType (``date``)
``timestamp``       TimestampType, with time zone (``timestamp``)
``timestamp_ntz``   TimestampNTZType (``timestamp_ntz``)
``void``            NullType (``void``)
``struct``          StructType: ordered :class:`Column` fields
``array``           ArrayType(element, containsNull)
``map``             MapType(key, value, valueContainsNull)
==================  =====================================================

Columns carry their nullability, an optional field id (Iceberg field ids, Delta
column-mapping ids) and, for a local schema, ``at``: where the element is written in
the local file (a JSON pointer, or a Protobuf dotted name) so findings get a line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "INTEGRAL",
    "KINDS",
    "PRIMITIVES",
    "Column",
    "TType",
    "TableSchema",
    "UnsupportedType",
    "primitive",
]

PRIMITIVES = frozenset(
    {"boolean", "byte", "short", "integer", "long", "float", "double", "string", "binary", "date",
     "timestamp", "timestamp_ntz", "void"}
)
KINDS = PRIMITIVES | {"decimal", "struct", "array", "map"}
INTEGRAL = ("byte", "short", "integer", "long")
_SQL_NAMES = {"byte": "tinyint", "short": "smallint", "integer": "int", "long": "bigint"}


class UnsupportedType(Exception):
    """A type the table model does not know (``variant``, ``interval``, ...).

    :param type_text: the type as the source spells it.
    :param where: the column path, when known.
    """

    def __init__(self, type_text: str, where: str = "") -> None:
        super().__init__(type_text)
        self.type_text = type_text
        self.where = where


@dataclass(frozen=True, slots=True)
class TType:
    """A Spark data type. Only the attributes of ``kind`` are meaningful."""

    kind: str
    precision: int = 0
    scale: int = 0
    fields: tuple[Column, ...] = ()
    element: TType | None = None
    element_nullable: bool = True
    key: TType | None = None
    value: TType | None = None
    value_nullable: bool = True
    element_at: str = ""
    value_at: str = ""

    def sql(self) -> str:
        """The type as Spark SQL (and Unity Catalog's ``type_text``) writes it."""
        if self.kind == "decimal":
            return f"decimal({self.precision},{self.scale})"
        if self.kind == "struct":
            inner = ",".join(f"{c.name}:{c.type.sql()}{'' if c.nullable else ' not null'}" for c in self.fields)
            return f"struct<{inner}>"
        if self.kind == "array":
            assert self.element is not None
            return f"array<{self.element.sql()}>"
        if self.kind == "map":
            assert self.key is not None and self.value is not None
            return f"map<{self.key.sql()},{self.value.sql()}>"
        return _SQL_NAMES.get(self.kind, self.kind)

    def short(self) -> str:
        """Like :meth:`sql` but ``struct<...>`` for structs, for one-line messages."""
        if self.kind == "struct":
            return "struct<...>"
        if self.kind == "array" and self.element is not None and self.element.kind == "struct":
            return "array<struct<...>>"
        return self.sql()

    def field(self, name: str) -> Column | None:
        """The struct field called ``name``, compared case-insensitively as Spark does."""
        lowered = name.lower()
        for column in self.fields:
            if column.name.lower() == lowered:
                return column
        return None


@dataclass(frozen=True, slots=True)
class Column:
    """A struct field or table column.

    :param field_id: the Iceberg field id (or Delta column-mapping id), if known.
    :param at: where the element is in the local file (JSON pointer / dotted name).
    :param generated: the table computes it (generated or identity column): never written.
    :param native: for a local schema, the type as its format spells it (``["null", "long"]``).
    """

    name: str
    type: TType
    nullable: bool = True
    field_id: int | None = None
    at: str = ""
    generated: bool = False
    native: str = ""


_PRIMITIVE_CACHE = {kind: TType(kind) for kind in PRIMITIVES}


def primitive(kind: str) -> TType:
    """The shared instance of a primitive type."""
    return _PRIMITIVE_CACHE[kind]


@dataclass(frozen=True, slots=True)
class TableSchema:
    """A table (or a local schema seen as one): its columns and how it may evolve.

    :param name: the table's full name (``main.sales.orders``) or the local file name.
    :param columns: the top-level columns, in order.
    :param data_format: ``DELTA``, ``ICEBERG``, ... (upper case), ``""`` when unknown.
    :param properties: table properties (``delta.enableTypeWidening`` ...).
    :param locate: maps a column's ``at`` to (line, column) in the local file.
    :param can_widen: ``False`` when the table's schema is final (a schema file compared
        as the new version): its columns may not widen, whatever the format allows.
    """

    name: str
    columns: tuple[Column, ...]
    data_format: str = ""
    properties: Mapping[str, str] = field(default_factory=dict)
    locate: Callable[[str], tuple[int, int] | None] | None = None
    can_widen: bool = True

    @property
    def struct(self) -> TType:
        """The columns as one struct type (the walker's entry point)."""
        return TType("struct", fields=self.columns)

    def describe(self) -> str:
        """``main.sales.orders (DELTA)``."""
        return f"{self.name} ({self.data_format})" if self.data_format else self.name

    def position(self, at: str) -> tuple[int, int] | None:
        """(line, column) of ``at`` in the local file, when known."""
        if self.locate is None:
            return None
        return self.locate(at)
