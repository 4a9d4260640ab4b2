"""The table evolution rules: can data of the local schema be written into this table?

"Compatible" means: written without breaking the table's readers and without a manual
migration. Each rule is one small function of one :class:`Slot` (a column, struct field,
array element or map key/value, paired between table and local schema by
:mod:`.compare`) returning an :class:`Issue` or ``None``; :data:`RULES` is the table of
ids. ``severity`` ``error`` makes the check fail; ``note`` findings are remarks that the
write needs something (schema evolution) or happens in a particular way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..formats.base import Rule
from .casts import fits, widening, widening_enabled
from .model import TableSchema, TType

__all__ = ["CHECKS", "RULES", "RULES_BY_ID", "SEVERITY", "Issue", "Slot"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One element paired between the table (``t_*``) and the local schema (``l_*``).

    A side's type is ``None`` when the element only exists on the other side.
    ``path`` is the column path with the local names (``address.zip``,
    ``items.element.sku``); ``at`` where the element (or its enclosing one) is in the
    local file (``t_at``: the same in the table's file, when the table is a file too);
    ``kind`` is ``column``, ``element``, ``key`` or ``value``.
    """

    path: str
    kind: str
    t_type: TType | None
    t_nullable: bool
    l_type: TType | None
    l_nullable: bool
    at: str
    table: TableSchema
    t_name: str = ""
    t_id: int | None = None
    l_id: int | None = None
    generated: bool = False
    native: str = ""
    t_at: str = ""


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule found at a slot: rule id, sentence, and a fix when there is one."""

    rule: str
    message: str
    hint: str | None = None


def _t(slot: Slot) -> str:
    assert slot.t_type is not None
    return slot.t_type.short() + ("" if slot.t_nullable else " NOT NULL")


def _l(slot: Slot) -> str:
    assert slot.l_type is not None
    spark = slot.l_type.short() + ("" if slot.l_nullable else " NOT NULL")
    if not slot.native or slot.native == spark:
        return spark
    return f"{slot.native} → {spark}"


def _alter(slot: Slot) -> str:
    return f"ALTER TABLE {slot.table.name} ALTER COLUMN {slot.path}"


def column_added_nullable(slot: Slot) -> Issue | None:
    """A new nullable field: written once the table adds the column (schema evolution)."""
    if slot.kind != "column" or slot.t_type is not None or slot.l_type is None or not slot.l_nullable:
        return None
    return Issue("COLUMN_ADDED_NULLABLE",
                 f"new column `{slot.path}` {_l(slot)} is not in table {slot.table.describe()}: it is added on "
                 "write only with schema evolution (mergeSchema / autoMerge); existing rows read it as null")


def column_added_not_null(slot: Slot) -> Issue | None:
    """A new required field: a NOT NULL column cannot be added to a table that has rows."""
    if slot.kind != "column" or slot.t_type is not None or slot.l_type is None or slot.l_nullable:
        return None
    return Issue("COLUMN_ADDED_NOT_NULL",
                 f"new column `{slot.path}` {_l(slot)} is required, but table {slot.table.describe()} has no such "
                 "column and cannot add a NOT NULL column: existing rows have no value for it",
                 "make the new field optional (nullable), or add the column to the table first")


def column_missing_nullable(slot: Slot) -> Issue | None:
    """A nullable table column the schema does not write: written as null."""
    if slot.kind != "column" or slot.l_type is not None or slot.t_type is None or not slot.t_nullable:
        return None
    if slot.generated:
        return None
    return Issue("COLUMN_MISSING_NULLABLE",
                 f"column `{slot.path}` {_t(slot)} of table {slot.table.describe()} is not in the schema: "
                 "new rows get null in it")


def column_missing_not_null(slot: Slot) -> Issue | None:
    """A NOT NULL table column the schema does not write: every write fails."""
    if slot.kind != "column" or slot.l_type is not None or slot.t_type is None or slot.t_nullable:
        return None
    if slot.generated:
        return None
    return Issue("COLUMN_MISSING_NOT_NULL",
                 f"column `{slot.path}` {_t(slot)} of table {slot.table.describe()} is missing from the schema: "
                 "every write would violate its NOT NULL constraint",
                 f"keep the field in the schema, or run {_alter(slot)} DROP NOT NULL")


def nullable_into_not_null(slot: Slot) -> Issue | None:
    """The schema allows null where the table's column (or element/value) is NOT NULL."""
    if slot.t_type is None or slot.l_type is None or slot.t_nullable or not slot.l_nullable:
        return None
    what = {"column": "column", "element": "the elements of", "value": "the values of", "key": "the keys of"}
    where = f"column `{slot.path}`" if slot.kind == "column" else \
        f"{what[slot.kind]} `{slot.path.rsplit('.', 1)[0]}`"
    return Issue("NULLABLE_INTO_NOT_NULL",
                 f"{where} is {_t(slot)} in table {slot.table.describe()}, but the schema allows null "
                 f"({_l(slot)}): a null value fails the write",
                 f"make the field required (not nullable), or run {_alter(slot)} DROP NOT NULL"
                 if slot.kind == "column" else "make the element/value type non-nullable")


def field_renamed_by_id(slot: Slot) -> Issue | None:
    """A field renamed with the same field id (Iceberg): the table follows the id."""
    if slot.t_type is None or slot.l_type is None or slot.t_id is None or slot.t_id != slot.l_id:
        return None
    local_name = slot.path.rsplit(".", 1)[-1]
    if local_name.lower() == slot.t_name.lower():
        return None
    return Issue("FIELD_RENAMED_BY_ID",
                 f"`{slot.path}` is column `{slot.t_name}` of table {slot.table.describe()} renamed (same field "
                 f"id {slot.t_id}): compatible, the table needs the rename too "
                 f"(ALTER TABLE {slot.table.name} RENAME COLUMN)")


def _primitive_pair(slot: Slot) -> tuple[TType, TType] | None:
    t, lt = slot.t_type, slot.l_type
    if t is None or lt is None:
        return None
    nested = ("struct", "array", "map")
    if t.kind in nested and t.kind == lt.kind:
        return None
    if t == lt or (t.kind == lt.kind and t.kind != "decimal"):
        return None
    return t, lt


def type_upcast_on_write(slot: Slot) -> Issue | None:
    """A narrower local type that Spark casts safely into the column's type."""
    pair = _primitive_pair(slot)
    if pair is None or not fits(pair[1], pair[0]):
        return None
    return Issue("TYPE_UPCAST_ON_WRITE",
                 f"`{slot.path}` is written as {_l(slot)} into {_t(slot)} of table {slot.table.describe()}: a safe "
                 "cast on write")


def type_widening_allowed(slot: Slot) -> Issue | None:
    """A wider local type the table widens the column to in place (Delta type widening, Iceberg)."""
    pair = _primitive_pair(slot)
    if pair is None or fits(pair[1], pair[0]) or not fits(pair[0], pair[1]):
        return None
    table = slot.table
    if not _widens(table, pair[0], pair[1]):
        return None
    return Issue("TYPE_WIDENING_ALLOWED",
                 f"`{slot.path}` is {_t(slot)} in table {table.describe()} and the schema writes the wider "
                 f"{_l(slot)}: the table widens the column in place, which needs schema evolution on write "
                 "(or an ALTER TABLE ... ALTER COLUMN ... TYPE first)")


def _widens(table: TableSchema, current: TType, target: TType) -> bool:
    return table.can_widen and widening_enabled(table.data_format, table.properties) and \
        widening(current, target, table.data_format)


def _widen_hint(slot: Slot, target: TType) -> str:
    table, current = slot.table, slot.t_type
    keep = f"keep the field {current.sql() if current else ''}"
    if current is not None and table.data_format == "DELTA" and widening(current, target, "DELTA"):
        return (f"{keep}, or widen the table first: ALTER TABLE {table.name} SET TBLPROPERTIES "
                f"('delta.enableTypeWidening' = 'true'); {_alter(slot)} TYPE {target.sql()}")
    if current is not None and table.data_format == "ICEBERG" and widening(current, target, "ICEBERG"):
        return f"{keep}, or widen the column first: {_alter(slot)} TYPE {target.sql()}"
    return f"{keep}; the table cannot widen it in place, so this needs a migration (new column, backfill)"


def type_widening_required(slot: Slot) -> Issue | None:
    """A wider local type the table cannot (or may not) widen the column to in place."""
    pair = _primitive_pair(slot)
    if pair is None or fits(pair[1], pair[0]) or not fits(pair[0], pair[1]):
        return None
    table = slot.table
    if _widens(table, pair[0], pair[1]):
        return None
    if not table.can_widen:
        why = "the new schema keeps the narrower type"
    elif table.data_format == "DELTA" and not widening_enabled(table.data_format, table.properties):
        why = "type widening is not enabled on the table (delta.enableTypeWidening)"
    elif table.data_format in ("DELTA", "ICEBERG"):
        why = f"{table.data_format.title()} cannot widen {pair[0].sql()} to {pair[1].sql()}"
    else:
        why = f"{table.data_format or 'this'} table cannot widen column types in place"
    return Issue("TYPE_WIDENING_REQUIRED",
                 f"`{slot.path}` is {_t(slot)} in table {table.describe()}, but the schema writes the wider "
                 f"{_l(slot)}; values that do not fit {pair[0].sql()} would fail the write, and {why}",
                 _widen_hint(slot, pair[1]))


def type_changed(slot: Slot) -> Issue | None:
    """Any other type change: the values cannot be cast either way without loss."""
    pair = _primitive_pair(slot)
    if pair is None or fits(pair[1], pair[0]) or fits(pair[0], pair[1]):
        return None
    return Issue("TYPE_CHANGED",
                 f"`{slot.path}` is {_t(slot)} in table {slot.table.describe()}, but the schema writes "
                 f"{_l(slot)}: Spark cannot write one into the other, the table needs a migration",
                 f"keep the field's type {pair[0].sql()}, or add a new field and migrate the table")


Check = Callable[[Slot], "Issue | None"]

# The rule table: id, purpose, hint, severity, handler. Ids are stable (reports, SARIF).
_TABLE: tuple[tuple[Rule, str, Check], ...] = (
    (Rule("COLUMN_ADDED_NULLABLE", "Checks that a new field is nullable, so the table can add it on write.",
          None), "note", column_added_nullable),
    (Rule("COLUMN_ADDED_NOT_NULL", "Checks that a new field is not required, since a NOT NULL column cannot be "
          "added to a table with rows.", "make the new field optional"), "error", column_added_not_null),
    (Rule("COLUMN_MISSING_NULLABLE", "Checks that a table column the schema drops is nullable, so it is written "
          "as null.", None), "note", column_missing_nullable),
    (Rule("COLUMN_MISSING_NOT_NULL", "Checks that no NOT NULL table column is missing from the schema.",
          "keep the field, or drop the NOT NULL constraint"), "error", column_missing_not_null),
    (Rule("NULLABLE_INTO_NOT_NULL", "Checks that the schema does not allow null where the table is NOT NULL.",
          "make the field required"), "error", nullable_into_not_null),
    (Rule("FIELD_RENAMED_BY_ID", "Checks that a renamed field keeps its field id, so the table follows the "
          "rename.", None), "note", field_renamed_by_id),
    (Rule("TYPE_UPCAST_ON_WRITE", "Checks that a narrower local type is one Spark casts safely into the "
          "column's type.", None), "note", type_upcast_on_write),
    (Rule("TYPE_WIDENING_ALLOWED", "Checks that a wider local type is one the table widens the column to in "
          "place.", None), "note", type_widening_allowed),
    (Rule("TYPE_WIDENING_REQUIRED", "Checks that the local type is not wider than a column the table cannot "
          "widen.", "keep the column's type, or widen the table first"), "error", type_widening_required),
    (Rule("TYPE_CHANGED", "Checks that a column's type is not changed to one Spark cannot cast it to.",
          "keep the column's type"), "error", type_changed),
)

RULES: tuple[Rule, ...] = tuple(rule for rule, _, _ in _TABLE)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
SEVERITY: dict[str, str] = {rule.id: severity for rule, severity, _ in _TABLE}
CHECKS: tuple[Check, ...] = tuple(handler for _, _, handler in _TABLE)
