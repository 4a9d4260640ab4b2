"""Imports, the type table and the checks protoc makes, turning files into one schema.

Import resolution, in this order, for ``import "x/y.proto";``:

1. the ``references`` given to ``parse()`` (import name -> text; a reference
   whose name ends with the import path, or the other way round, also matches);
2. the bundled well-known types ``google/protobuf/*.proto``;
3. other ``google/*`` and ``confluent/*`` imports (``google/type/date.proto``,
   ``confluent/meta.proto``, ...) that are not supplied are accepted *leniently*:
   the types a file uses from them cannot be checked and are treated as opaque
   message types, compared by the name as written (what Confluent's checker does
   for a name it cannot resolve);
4. anything else is a :class:`SchemaParseError` at the line of the import.

An import name that is not a relative path of plain parts (absolute, ``..``, ``.``,
backslashes, empty parts: what protoc refuses too) is refused before any lookup, so
no file outside the import roots is ever opened (:func:`refused_import`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...errors import SchemaParseError
from .model import SCALARS, EnumDef, FieldDef, MessageDef, ProtoFile
from .parser import parse_proto

__all__ = ["LENIENT_PREFIXES", "TypeInfo", "find_reference", "refused_import", "resolve_schema", "wellknown_text"]

WELLKNOWN_DIR = Path(__file__).with_name("wellknown")
LENIENT_PREFIXES = ("google/", "confluent/")
_MAP_KEYS = frozenset(SCALARS - {"double", "float", "bytes"})


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """A message or enum known to a schema, and which file defines it.

    ``ref`` identifies the defining file: ``""`` for the schema itself,
    ``"wk:<name>"`` for a bundled well-known file, ``"<name>#<digest>"`` for a
    reference (Confluent compares a referenced type only when the two sides
    reference different subject versions; equal ``ref`` plays that part).
    """

    node: MessageDef | EnumDef
    package: str
    ref: str


def refused_import(name: str) -> str | None:
    """Why ``import "name"`` is refused, or ``None`` when it is a plain relative path."""
    if not name:
        return "the import name is empty"
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return "an import is a path relative to an import root, not an absolute path"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return 'an import path may not contain "..", "." or empty parts'
    if any(ord(c) < 32 for c in name):
        return "an import path may not contain control characters"
    return None


@lru_cache(maxsize=64)
def wellknown_text(name: str) -> str | None:
    """The text of a bundled ``google/protobuf/*.proto`` file, or ``None``."""
    if not name.startswith("google/protobuf/") or ".." in name:
        return None
    path = WELLKNOWN_DIR / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


@lru_cache(maxsize=64)
def _wellknown_file(name: str) -> ProtoFile | None:
    text = wellknown_text(name)
    return None if text is None else parse_proto(text, origin=name, label=name)


@lru_cache(maxsize=8192)
def _reference_file(name: str, text: str) -> tuple[ProtoFile, str]:
    """A referenced file parsed once per (name, text) and shared by every importer, with its ``ref``.

    Each importer resolves the shared file's type names again against its own table
    (:func:`_resolve_types`), exactly as when every importer parsed its own copy.
    """
    return parse_proto(text, origin=name, label=name), name + "#" + hashlib.blake2b(text.encode(),
                                                                                    digest_size=8).hexdigest()


def _quoted(name: str) -> str:
    return '"' + (name if len(name) <= 80 else name[:77] + "...") + '"'


def find_reference(name: str, references: Mapping[str, str]) -> str | None:
    """The reference key that supplies ``import "name"``, or ``None``."""
    if name in references:
        return name
    for key in references:
        if name.endswith("/" + key) or key.endswith("/" + name):
            return key
    return None


def resolve_schema(
    main: ProtoFile, references: Mapping[str, str] | None, label: str | None
) -> tuple[dict[str, TypeInfo], set[str], list[str]]:
    """Load imports, build the type table, resolve field types and validate.

    :returns: (types by full name, names of leniently accepted imports, import names
        in the order the files were loaded).
    :raises SchemaParseError: a missing import, an unknown type, a duplicate name or
        number, a reserved number or name in use, an invalid map key.
    """
    refs = references or {}
    files: list[tuple[ProtoFile, str]] = [(main, "")]
    lenient: set[str] = set()
    loaded: dict[str, ProtoFile] = {}
    queue = [(imp, label) for imp in main.imports]
    while queue:
        (name, line, col), importer_label = queue.pop(0)
        if name in loaded or name in lenient:
            continue
        refusal = refused_import(name)
        if refusal is not None:
            raise SchemaParseError(
                f"import {_quoted(name)} is refused: {refusal}", path=importer_label, line=line, column=col
            )
        key = find_reference(name, refs)
        if key is not None:
            pf, ref = _reference_file(name, refs[key])
        elif (wk := _wellknown_file(name)) is not None:
            pf, ref = wk, "wk:" + name
        elif name.startswith(LENIENT_PREFIXES) or "/confluent/" in name:
            lenient.add(name)
            continue
        else:
            raise SchemaParseError(
                f'import "{name}" not found: add the file under an import root, or pass it as a '
                "reference (registry subjects: a schema reference with that name)",
                path=importer_label,
                line=line,
                column=col,
            )
        loaded[name] = pf
        files.append((pf, ref))
        queue.extend((imp, name) for imp in pf.imports)
    types: dict[str, TypeInfo] = {}
    for pf, ref in files:
        _collect(pf.types, pf.package, ref, types, label if ref == "" else pf.origin)
    for pf, ref in files:
        where = label if ref == "" else pf.origin
        for node in pf.types:
            _resolve_types(node, types, bool(lenient), where)
    _validate(main, label)
    return types, lenient, list(loaded)


def _collect(
    nodes: list[MessageDef | EnumDef], package: str, ref: str, types: dict[str, TypeInfo], where: str | None
) -> None:
    for node in nodes:
        if node.full_name in types and types[node.full_name].ref != ref:
            other = types[node.full_name]
            raise SchemaParseError(
                f"'{node.full_name}' is already defined in {other.node.origin or 'this file'}",
                path=where,
                line=node.line,
                column=node.column,
            )
        if node.full_name in types:
            raise SchemaParseError(
                f"'{node.full_name}' is already defined", path=where, line=node.line, column=node.column
            )
        types[node.full_name] = TypeInfo(node, package, ref)
        if isinstance(node, MessageDef):
            _collect(node.types, package, ref, types, where)


def lookup(name: str, scope: str, types: Mapping[str, TypeInfo]) -> str | None:
    """Resolve a type name as written, from inside message ``scope`` (a full name).

    Same search as Confluent's ``Context.resolve``: a leading dot means a full
    name; otherwise the innermost enclosing scope is tried first.
    """
    if name.startswith("."):
        return name[1:] if name[1:] in types else None
    prefix = scope
    while prefix:
        candidate = f"{prefix}.{name}"
        if candidate in types:
            return candidate
        cut = prefix.rfind(".")
        prefix = prefix[:cut] if cut > 0 else ""
    return name if name in types else None


def _resolve_types(node: MessageDef | EnumDef, types: dict[str, TypeInfo], lenient: bool, where: str | None) -> None:
    if isinstance(node, EnumDef):
        return
    for f in node.all_fields():
        if f.is_map:
            assert f.key_type is not None and f.value_type is not None
            if f.key_type not in _MAP_KEYS:
                raise SchemaParseError(
                    f"map field '{f.name}' has key type '{f.key_type}'; keys must be an integer, bool or string type",
                    path=where,
                    line=f.line,
                    column=f.column,
                )
            if f.value_type not in SCALARS:
                f.value_resolved = _find(f, f.value_type, node, types, lenient, where)
        elif f.type not in SCALARS:
            f.resolved = _find(f, f.type, node, types, lenient, where)
    for child in node.types:
        _resolve_types(child, types, lenient, where)


def _find(
    f: FieldDef, name: str, msg: MessageDef, types: dict[str, TypeInfo], lenient: bool, where: str | None
) -> str | None:
    full = lookup(name, msg.full_name, types)
    if full is None and not lenient:
        raise SchemaParseError(
            f"unknown type '{name}' of field '{f.name}' in message '{msg.full_name}': define it or "
            "import the file that does",
            path=where,
            line=f.line,
            column=f.column,
        )
    return full


def _validate(pf: ProtoFile, label: str | None) -> None:
    for node in pf.types:
        _validate_node(node, pf.syntax, label)


def _validate_node(node: MessageDef | EnumDef, syntax: str, label: str | None) -> None:
    if isinstance(node, EnumDef):
        _validate_enum(node, syntax, label)
        return
    by_number: dict[int, FieldDef] = {}
    by_name: dict[str, FieldDef] = {}
    for f in sorted(node.all_fields(), key=lambda x: (x.line, x.column)):
        problem = None
        if f.number in by_number:
            first = by_number[f.number]
            problem = (
                f"field number {f.number} is used twice in message '{node.full_name}': by '{first.name}' "
                f"(line {first.line}) and by '{f.name}'"
            )
        elif f.name in by_name:
            problem = (
                f"field name '{f.name}' is used twice in message '{node.full_name}' (first at line "
                f"{by_name[f.name].line})"
            )
        elif any(lo <= f.number <= hi for lo, hi in node.reserved_numbers):
            problem = f"field '{f.name}' uses number {f.number}, which message '{node.full_name}' reserves"
        elif f.name in node.reserved_names:
            problem = f"field name '{f.name}' is reserved in message '{node.full_name}'"
        if problem:
            raise SchemaParseError(problem, path=label, line=f.line, column=f.column)
        by_number[f.number] = f
        by_name[f.name] = f
    for child in node.types:
        _validate_node(child, syntax, label)


def _validate_enum(node: EnumDef, syntax: str, label: str | None) -> None:
    if not node.values:
        raise SchemaParseError(f"enum '{node.full_name}' has no values", path=label, line=node.line, column=node.column)
    first = node.values[0]
    if syntax == "proto3" and first.number != 0:
        raise SchemaParseError(
            f"the first value of proto3 enum '{node.full_name}' must be 0, not {first.number}",
            path=label,
            line=first.line,
            column=first.column,
        )
    seen: dict[int, str] = {}
    names: set[str] = set()
    alias = node.options.get("allow_alias") is True
    for v in node.values:
        if v.name in names:
            raise SchemaParseError(
                f"enum value '{v.name}' is defined twice in '{node.full_name}'",
                path=label,
                line=v.line,
                column=v.column,
            )
        if v.number in seen and not alias:
            raise SchemaParseError(
                f"enum '{node.full_name}' uses number {v.number} for '{seen[v.number]}' and '{v.name}'; "
                "set option allow_alias = true to allow it",
                path=label,
                line=v.line,
                column=v.column,
            )
        seen.setdefault(v.number, v.name)
        names.add(v.name)
