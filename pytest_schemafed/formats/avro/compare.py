"""Walk a reader and a writer schema together and ask the rules about each pair.

This is Apache Avro's ``SchemaCompatibility`` (Java) walk, which Confluent's
checker calls: same kinds recurse (array items, map values, record fields paired by
name or reader alias, enum symbols, fixed sizes, names); a writer union needs every
branch readable; a reader union needs some branch that reads the writer; other
kinds go through the promotions. (reader, writer) record pairs are memoized, and a
pair met again while it is still being compared counts as compatible, which is
how recursive types terminate. Every issue is collected, not only the first.

Locations: the reader location is Apache's (reader field positions, with the
writer's union branch index appended where the writer is a union); the writer
location is a true JSON pointer into the writer's text.
"""

from __future__ import annotations

from .model import Enum, Fixed, Named, Node, Record, Union
from .rules import (
    Issue,
    check_enum_symbols,
    check_fixed_size,
    check_missing_union_branch,
    check_names,
    check_reader_field_default,
    check_type_promotion,
)

__all__ = ["Walker", "find_issues"]

_PRIMITIVE = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_EMPTY: list[Issue] = []


def _same_branch(branch: Node, writer: Node) -> bool:
    """The reader branch Avro's resolution would pick first for ``writer``."""
    if branch.kind != writer.kind:
        return False
    if isinstance(branch, Named) and isinstance(writer, Named):
        return branch.name == writer.name or writer.fullname in branch.aliases
    return True


class Walker:
    """One comparison of a reader with a writer (memo of record pairs inside)."""

    __slots__ = ("memo",)

    def __init__(self) -> None:
        self.memo: dict[tuple[Node, Node], list[Issue]] = {}

    def check(self, r: Node, w: Node, rloc: str, wloc: str, out: list[Issue]) -> None:
        """Append to ``out`` every reason ``r`` cannot read data written with ``w``."""
        if r is w:
            return
        rk = r.kind
        wk = w.kind
        if rk == wk:
            if rk in _PRIMITIVE:
                return
            if rk == "record":
                self._record(r, w, rloc, wloc, out)  # type: ignore[arg-type]
            elif rk == "array":
                self.check(r.items, w.items, rloc + "/items", wloc + "/items", out)  # type: ignore[attr-defined]
            elif rk == "map":
                self.check(r.values, w.values, rloc + "/values", wloc + "/values", out)  # type: ignore[attr-defined]
            elif rk == "union":
                self._union_union(r, w, rloc, wloc, out)  # type: ignore[arg-type]
            elif rk == "enum":
                self._enum(r, w, rloc, wloc, out)  # type: ignore[arg-type]
            elif rk == "fixed":
                self._fixed(r, w, rloc, wloc, out)  # type: ignore[arg-type]
            return
        if wk == "union":
            for i, branch in enumerate(w.branches):  # type: ignore[attr-defined]
                self.check(r, branch, f"{rloc}/{i}", f"{wloc}/{i}", out)
            return
        if rk == "union":
            issue = check_missing_union_branch(w, self._read_by_some_branch(r, w, rloc, wloc), rloc, wloc)  # type: ignore[arg-type]
            if issue is not None:
                out.append(issue)
            return
        issue = check_type_promotion(r, w, rloc, wloc)
        if issue is not None:
            out.append(issue)

    def _read_by_some_branch(self, r: Union, w: Node, rloc: str, wloc: str) -> list[Issue] | None:
        """``None`` when a branch of ``r`` reads ``w``, else the closest branch's issues."""
        closest: list[Issue] = []
        tried = None
        for branch in r.branches:
            if _same_branch(branch, w):
                tried = branch
                if branch is w:
                    return None
                self.check(branch, w, rloc, wloc, closest)
                if not closest:
                    return None
                break
        for branch in r.branches:
            if branch is tried:
                continue
            trial: list[Issue] = []
            self.check(branch, w, rloc, wloc, trial)
            if not trial:
                return None
        return closest

    def _union_union(self, r: Union, w: Union, rloc: str, wloc: str, out: list[Issue]) -> None:
        for i, branch in enumerate(w.branches):
            bw = f"{wloc}/{i}"
            closest = self._read_by_some_branch(r, branch, rloc, bw)
            issue = check_missing_union_branch(branch, closest, f"{rloc}/{i}", bw)
            if issue is not None:
                out.append(issue)

    def _record(self, r: Record, w: Record, rloc: str, wloc: str, out: list[Issue]) -> None:
        key = (r, w)
        memo = self.memo
        hit = memo.get(key)
        if hit is not None:
            out.extend(hit)
            return
        memo[key] = _EMPTY  # in progress: a recursive visit counts as compatible
        found: list[Issue] = []
        issue = check_names(r, w, rloc, wloc)
        if issue is not None:
            found.append(issue)
        writer_types = w.types
        extras = r.extras
        for name, rt in r.types.items():
            wt = writer_types.get(name)
            wname = name
            if wt is None:
                field = extras.get(name)
                if field is not None:
                    wname = next((a for a in field.aliases if a in writer_types), name)
                    wt = writer_types.get(wname)
                if wt is None:
                    issue = check_reader_field_default(r.field(name), r, rloc, wloc)
                    if issue is not None:
                        found.append(issue)
                    continue
            if rt is wt:
                continue
            self.check(rt, wt, rloc + r.type_at(name), wloc + w.type_at(wname), found)
        memo[key] = found
        out.extend(found)

    def _enum(self, r: Enum, w: Enum, rloc: str, wloc: str, out: list[Issue]) -> None:
        issue = check_names(r, w, rloc, wloc)
        if issue is not None:
            out.append(issue)
        issue = check_enum_symbols(r, w, rloc, wloc)
        if issue is not None:
            out.append(issue)

    def _fixed(self, r: Fixed, w: Fixed, rloc: str, wloc: str, out: list[Issue]) -> None:
        issue = check_names(r, w, rloc, wloc)
        if issue is not None:
            out.append(issue)
        issue = check_fixed_size(r, w, rloc, wloc)
        if issue is not None:
            out.append(issue)


def find_issues(reader: Node, writer: Node) -> list[Issue]:
    """Every reason ``reader`` cannot read ``writer``'s data, each once, in walk order."""
    out: list[Issue] = []
    Walker().check(reader, writer, "", "", out)
    if len(out) < 2:
        return out
    seen: set[tuple[str, str, str]] = set()
    unique: list[Issue] = []
    for issue in out:
        key = issue[:3]
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    return unique
