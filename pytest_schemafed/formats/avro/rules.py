"""The Avro rule table and one small handler per rule.

Ids are Apache Avro's (and Confluent's) ``SchemaIncompatibilityType`` names, so a
finding reads the same as the registry's own message. Each handler looks at one
(reader, writer) pair that :mod:`.compare` has already paired up, and returns an
:data:`Issue` or ``None``. An issue holds the reader-side location (Apache's
``location``: ``/fields/3/type``), the writer-side location (a true pointer into the
writer's text) and the arguments of the message; sentences are rendered once, in
:mod:`.messages`.
"""

from __future__ import annotations

from ..base import Rule
from .model import Enum, Field, Fixed, Named, Node

__all__ = [
    "FIXED_SIZE_MISMATCH",
    "HANDLERS",
    "MISSING_ENUM_SYMBOLS",
    "MISSING_UNION_BRANCH",
    "NAME_MISMATCH",
    "PROMOTIONS",
    "READER_FIELD_MISSING_DEFAULT_VALUE",
    "RULES",
    "RULES_BY_ID",
    "TYPE_MISMATCH",
    "Issue",
    "check_enum_symbols",
    "check_fixed_size",
    "check_missing_union_branch",
    "check_names",
    "check_reader_field_default",
    "check_type_promotion",
]

READER_FIELD_MISSING_DEFAULT_VALUE = "READER_FIELD_MISSING_DEFAULT_VALUE"
TYPE_MISMATCH = "TYPE_MISMATCH"
MISSING_UNION_BRANCH = "MISSING_UNION_BRANCH"
MISSING_ENUM_SYMBOLS = "MISSING_ENUM_SYMBOLS"
NAME_MISMATCH = "NAME_MISMATCH"
FIXED_SIZE_MISMATCH = "FIXED_SIZE_MISMATCH"

#: (rule id, reader location, writer location, message arguments)
Issue = tuple[str, str, str, tuple[object, ...]]

#: reader kind -> writer kinds it can read besides its own (the specification's promotions)
PROMOTIONS: dict[str, frozenset[str]] = {
    "long": frozenset({"int"}),
    "float": frozenset({"int", "long"}),
    "double": frozenset({"int", "long", "float"}),
    "bytes": frozenset({"string"}),
    "string": frozenset({"bytes"}),
}
_NONE: frozenset[str] = frozenset()


def check_reader_field_default(field: Field, record: Named, rloc: str, wloc: str) -> Issue | None:
    """A reader field the writer does not have must have a default to fill it in."""
    if field.has_default:
        return None
    return (READER_FIELD_MISSING_DEFAULT_VALUE, rloc + field.at, wloc, (field.name, record.fullname))


def check_type_promotion(reader: Node, writer: Node, rloc: str, wloc: str) -> Issue | None:
    """Different kinds are readable only along the promotions (int -> long, string <-> bytes...)."""
    if writer.kind in PROMOTIONS.get(reader.kind, _NONE):
        return None
    return (TYPE_MISMATCH, rloc, wloc, (reader.describe(), writer.describe()))


def check_missing_union_branch(writer: Node, closest: list[Issue] | None, rloc: str, wloc: str) -> Issue | None:
    """A writer type (or union branch) must be readable by some branch of the reader union.

    :param closest: ``None`` when some reader branch reads ``writer``; otherwise the
        issues of the reader branch of the same kind and name, if there is one (they
        explain the break), else an empty list.
    """
    if closest is None:
        return None
    return (MISSING_UNION_BRANCH, rloc, wloc, (writer.describe(), tuple(closest)))


def check_enum_symbols(reader: Enum, writer: Enum, rloc: str, wloc: str) -> Issue | None:
    """Every writer symbol must be a reader symbol, unless the reader enum has a default."""
    if reader.symbol_set >= writer.symbol_set:
        return None
    if reader.default is not None and reader.default in reader.symbol_set:
        return None
    missing = tuple(s for s in writer.symbols if s not in reader.symbol_set)
    return (MISSING_ENUM_SYMBOLS, rloc + "/symbols", wloc + "/symbols", (reader.fullname, missing))


def check_names(reader: Named, writer: Named, rloc: str, wloc: str) -> Issue | None:
    """Named types match by simple name, or when a reader alias is the writer's full name."""
    if reader.name == writer.name or writer.fullname in reader.aliases:
        return None
    return (NAME_MISMATCH, rloc + "/name", wloc + "/name", (reader.kind, reader.fullname, writer.fullname))


def check_fixed_size(reader: Fixed, writer: Fixed, rloc: str, wloc: str) -> Issue | None:
    """Two fixed types pair only when they have the same size."""
    if reader.size == writer.size:
        return None
    return (FIXED_SIZE_MISMATCH, rloc + "/size", wloc + "/size", (reader.fullname, reader.size, writer.size))


RULES: tuple[Rule, ...] = (
    Rule(
        id=READER_FIELD_MISSING_DEFAULT_VALUE,
        purpose="Checks that a field the reader expects but the writer lacks has a default value.",
        hint='add a "default" to the field, or make it optional: a union with "null" first and "default": null',
    ),
    Rule(
        id=TYPE_MISMATCH,
        purpose="Checks that a type changes only along Avro's promotions "
        "(int to long, float or double; long to float or double; float to double; string and bytes).",
        hint="keep the old type (or widen it along a promotion), or add a new field for the new type",
    ),
    Rule(
        id=MISSING_UNION_BRANCH,
        purpose="Checks that every type the writer may write matches some branch of the reader's union.",
        hint="keep every branch the other version can write; adding union branches is safe only for readers",
    ),
    Rule(
        id=MISSING_ENUM_SYMBOLS,
        purpose="Checks that the reader's enum knows every symbol the writer's enum may write, "
        "unless the reader's enum has a default symbol.",
        hint='keep the symbols, or give the enum a "default" symbol that unknown symbols fall back to',
    ),
    Rule(
        id=NAME_MISMATCH,
        purpose="Checks that a record, enum or fixed keeps its name, or lists the old full name in its aliases.",
        hint='keep the name, or add the old full name to the type\'s "aliases"',
    ),
    Rule(
        id=FIXED_SIZE_MISMATCH,
        purpose="Checks that a fixed type keeps its size.",
        hint="keep the size; define a new fixed type (and field) for a different size",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

#: rule id -> the handler that decides it (for the meta-test and for docs)
HANDLERS = {
    READER_FIELD_MISSING_DEFAULT_VALUE: check_reader_field_default,
    TYPE_MISMATCH: check_type_promotion,
    MISSING_UNION_BRANCH: check_missing_union_branch,
    MISSING_ENUM_SYMBOLS: check_enum_symbols,
    NAME_MISMATCH: check_names,
    FIXED_SIZE_MISMATCH: check_fixed_size,
}
