"""Walk a table and a local schema together and ask the rules about every pair.

Fields are paired by field id when both sides have one (Iceberg: a rename keeps the
id), else by name, case-insensitively as Spark resolves columns. Structs, array
elements and map keys/values are walked recursively; the rules of :mod:`.rules`
only ever see one :class:`~.rules.Slot`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Finding
from .model import Column, TableSchema, TType
from .rules import CHECKS, SEVERITY, Issue, Slot

__all__ = ["TableJudgement", "compare_tables", "judge_table"]


def _pair(t_fields: tuple[Column, ...], l_fields: tuple[Column, ...]) -> list[tuple[Column | None, Column | None]]:
    by_id = {c.field_id: c for c in t_fields if c.field_id is not None}
    by_name = {c.name.lower(): c for c in t_fields}
    used: set[int] = set()
    pairs: list[tuple[Column | None, Column | None]] = []
    for local in l_fields:
        match = by_id.get(local.field_id) if local.field_id is not None and by_id else None
        if match is None and (local.field_id is None or not by_id):
            match = by_name.get(local.name.lower())
        if match is not None and id(match) in used:
            match = None
        if match is not None:
            used.add(id(match))
        pairs.append((match, local))
    pairs.extend((column, None) for column in t_fields if id(column) not in used)
    return pairs


class _Walker:
    def __init__(self, table: TableSchema) -> None:
        self.table = table
        self.found: list[tuple[Issue, Slot]] = []

    def visit(self, slot: Slot) -> None:
        for check in CHECKS:
            issue = check(slot)
            if issue is not None:
                self.found.append((issue, slot))
        if slot.t_type is not None and slot.l_type is not None:
            self.nested(slot.t_type, slot.l_type, slot.path, slot.at, slot.t_at)

    def struct(self, t_fields: tuple[Column, ...], l_fields: tuple[Column, ...], prefix: str, at: str,
               t_at: str) -> None:
        for t_col, l_col in _pair(t_fields, l_fields):
            name = (l_col or t_col).name  # type: ignore[union-attr]
            self.visit(Slot(
                path=prefix + name,
                kind="column",
                t_type=t_col.type if t_col else None,
                t_nullable=t_col.nullable if t_col else True,
                l_type=l_col.type if l_col else None,
                l_nullable=l_col.nullable if l_col else True,
                at=(l_col.at or at) if l_col else at,
                table=self.table,
                t_name=t_col.name if t_col else "",
                t_id=t_col.field_id if t_col else None,
                l_id=l_col.field_id if l_col else None,
                generated=t_col.generated if t_col else False,
                native=l_col.native if l_col else "",
                t_at=(t_col.at or t_at) if t_col else t_at,
            ))

    def nested(self, t: TType, lt: TType, path: str, at: str, t_at: str) -> None:
        if t.kind == "struct" and lt.kind == "struct":
            self.struct(t.fields, lt.fields, path + ".", at, t_at)
        elif t.kind == "array" and lt.kind == "array" and t.element is not None and lt.element is not None:
            self.visit(Slot(f"{path}.element", "element", t.element, t.element_nullable, lt.element,
                            lt.element_nullable, lt.element_at or at, self.table, t_at=t.element_at or t_at))
        elif t.kind == "map" and lt.kind == "map":
            if t.key is not None and lt.key is not None:
                self.visit(Slot(f"{path}.key", "key", t.key, False, lt.key, False, at, self.table, t_at=t_at))
            if t.value is not None and lt.value is not None:
                self.visit(Slot(f"{path}.value", "value", t.value, t.value_nullable, lt.value,
                                lt.value_nullable, lt.value_at or at, self.table, t_at=t.value_at or t_at))


def compare_tables(table: TableSchema, local: TableSchema) -> list[tuple[Issue, Slot]]:
    """Every rule's issue for every element of ``local`` written into ``table``, in walk order."""
    walker = _Walker(table)
    walker.struct(table.columns, local.columns, "", "", "")
    return walker.found


@dataclass(frozen=True, slots=True)
class TableJudgement:
    """Errors (as located findings) and notes (one line each) of one comparison."""

    findings: tuple[Finding, ...]
    notes: tuple[str, ...]

    @property
    def compatible(self) -> bool:
        """True when no rule of severity ``error`` fired."""
        return not self.findings


def judge_table(
    table: TableSchema,
    local: TableSchema,
    *,
    version: str | None = None,
    locate_in: str = "local",
) -> TableJudgement:
    """Compare and turn issues into findings (errors) and notes.

    Findings are located in ``local``'s file, or in ``table``'s when ``locate_in`` is
    ``"table"`` (two schema files compared, the table side being the local file).
    """
    findings: list[Finding] = []
    notes: list[str] = []
    for issue, slot in compare_tables(table, local):
        if SEVERITY[issue.rule] == "note":
            notes.append(f"{issue.rule}: {issue.message}")
            continue
        hit = table.position(slot.t_at) if locate_in == "table" else local.position(slot.at)
        findings.append(Finding(
            rule=issue.rule,
            message=issue.message,
            path=slot.path,
            line=hit[0] if hit else None,
            column=hit[1] if hit else None,
            version=version,
            hint=issue.hint,
            direction="forward",
        ))
    findings.sort(key=Finding.sort_key)
    return TableJudgement(tuple(findings), tuple(notes))
