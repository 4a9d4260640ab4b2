"""Parse ``.avsc`` text into :mod:`.model` nodes, validating it as Apache Avro (Java) does.

Checked: JSON syntax; known types; required keys (``name``, ``fields``, ``symbols``,
``size``, ``items``, ``values``, field ``name``/``type``); valid names, namespaces,
aliases and enum symbols; no type defined twice and no duplicate field, symbol or
union branch; no union directly inside a union; enum defaults among the symbols;
field defaults that match their type (Confluent validates defaults; a union default
may match any branch, as Avro 1.11+ accepts). Every failure is a
:class:`SchemaParseError` that says what is wrong and where (line and column).

Names follow the specification: a dotted name carries its namespace, otherwise the
``namespace`` key or the enclosing one applies; a reference is looked up in the
enclosing namespace first, then in the null namespace. Types defined by
``references`` (name -> text) are parsed first and are then known by name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ...errors import SchemaParseError
from .decode import FreshField, KnownField, decode, remember
from .locate import locate_pointer
from .model import (
    PRIMITIVE_KINDS,
    Array,
    AvroSchema,
    Enum,
    Field,
    Fixed,
    Map,
    Named,
    Node,
    Primitive,
    Record,
    Union,
)

__all__ = ["parse_avro"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHARED: dict[str, Primitive] = {kind: Primitive(kind) for kind in PRIMITIVE_KINDS}
_ORDERS = frozenset({"ascending", "descending", "ignore"})
_MAX_DEFAULT_DEPTH = 64
# Nodes made only of shared primitives are shared too, so that identical parts of two
# schemas are the same object and compare in one identity test.
_ARRAYS: dict[str, Array] = {kind: Array(node) for kind, node in _SHARED.items()}
_MAPS: dict[str, Map] = {kind: Map(node) for kind, node in _SHARED.items()}
_UNIONS: dict[tuple[Any, ...], Union] = {}
_GOOD_NAMES: set[str] = set()  # names already validated (names repeat across files)

#: a JSON pointer built lazily: a string, or (parent, token, ...) flattened only for errors
Ptr = str | tuple[Any, ...]


def _flat(pointer: Ptr) -> str:
    if type(pointer) is str:
        return pointer
    return "".join(_flat(p) if type(p) is tuple else str(p) for p in pointer)


class _Invalid(Exception):
    """A schema error at a JSON pointer; turned into SchemaParseError with a line."""

    def __init__(self, message: str, pointer: Ptr) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


class _Unresolved(Node):
    """A name used before its definition; replaced once the whole text is read."""

    __slots__ = ("candidates", "pointer", "spelled")

    def __init__(self, spelled: str, candidates: tuple[str, ...], pointer: Ptr) -> None:
        super().__init__("unresolved")
        self.spelled = spelled
        self.candidates = candidates
        self.pointer = pointer


def _where(pointer: Ptr) -> str:
    return f"at {pointer}" if pointer else "at the top level"


class _Parser:
    """One pass over the decoded JSON; ``names`` is shared with the references."""

    def __init__(self, names: dict[str, Named], external: frozenset[str]) -> None:
        self.names = names
        self.external = external
        self.defined: list[str] = []
        self.imported: list[str] = []
        self.unresolved = False
        self.defaults: list[tuple[Field, Ptr, str]] = []

    # -- names ---------------------------------------------------------------
    def _check_name(self, name: Any, what: str, pointer: Ptr) -> str:
        if type(name) is str and name in _GOOD_NAMES:
            return name
        if not isinstance(name, str) or not _NAME.match(name):
            raise _Invalid(
                f"{what} {json.dumps(name)} is not a valid Avro name "
                "(letters, digits and _, not starting with a digit)",
                pointer,
            )
        if len(_GOOD_NAMES) < 100_000:
            _GOOD_NAMES.add(name)
        return name

    def _full_name(self, data: dict[str, Any], namespace: str, pointer: Ptr, kind: str) -> tuple[str, str]:
        raw = data.get("name")
        if raw is None:
            raise _Invalid(f'a {kind} needs a "name"', pointer)
        if not isinstance(raw, str):
            raise _Invalid(f"the name of a {kind} must be a string, not {json.dumps(raw)}", (pointer, "/name"))
        if "." in raw:
            namespace, _, simple = raw.rpartition(".")
        else:
            simple = raw
            explicit = data.get("namespace")
            if explicit is not None:
                if not isinstance(explicit, str):
                    raise _Invalid(f"namespace must be a string, not {json.dumps(explicit)}", (pointer, "/namespace"))
                namespace = explicit
        self._check_name(simple, f"{kind} name", (pointer, "/name"))
        for part in namespace.split(".") if namespace else ():
            self._check_name(part, "namespace part", (pointer, "/namespace" if "." not in raw else "/name"))
        if not namespace and simple in PRIMITIVE_KINDS:
            raise _Invalid(f"a {kind} may not be named after the primitive type `{simple}`", (pointer, "/name"))
        return simple, namespace

    def _aliases(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> frozenset[str]:
        raw = data.get("aliases")
        if raw is None:
            return frozenset()
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            raise _Invalid('"aliases" must be a list of names', (pointer, "/aliases"))
        return frozenset(a if "." in a or not namespace else f"{namespace}.{a}" for a in raw)

    def _define(self, node: Named, pointer: Ptr) -> None:
        if node.fullname in self.names:
            raise _Invalid(f"the type `{node.fullname}` is defined twice (names must be unique)", pointer)
        self.names[node.fullname] = node
        self.defined.append(node.fullname)

    def _lookup(self, spelled: str, namespace: str, pointer: Ptr) -> Node:
        if "." in spelled or not namespace:
            candidates: tuple[str, ...] = (spelled,)
        else:
            candidates = (f"{namespace}.{spelled}", spelled)
        for full in candidates:
            hit = self.names.get(full)
            if hit is not None:
                if full in self.external and full not in self.imported:
                    self.imported.append(full)
                return hit
        self.unresolved = True
        return _Unresolved(spelled, candidates, pointer)

    # -- nodes ---------------------------------------------------------------
    def node(self, data: Any, namespace: str, pointer: Ptr) -> Node:
        """Parse one schema value (string, object or union list) at ``pointer``."""
        if type(data) is str:
            shared = _SHARED.get(data)
            if shared is not None:
                return shared
            return self._lookup(data, namespace, pointer)
        if type(data) is dict:
            return self._object(data, namespace, pointer)
        if type(data) is list:
            return self._union(data, namespace, pointer)
        raise _Invalid(f"{json.dumps(data)} is not a schema (expected a type name, an object or a union list)", pointer)

    def _object(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Node:
        kind = data.get("type")
        if type(kind) is str:
            if kind in PRIMITIVE_KINDS:
                logical = data.get("logicalType")
                if logical is None:
                    return _SHARED[kind]
                return Primitive(kind, logical if isinstance(logical, str) else None)
            if kind == "record" or kind == "error":
                return self._record(data, namespace, pointer)
            if kind == "enum":
                return self._enum(data, namespace, pointer)
            if kind == "array":
                if "items" not in data:
                    raise _Invalid('an array needs "items"', pointer)
                items = self.node(data["items"], namespace, (pointer, "/items"))
                if type(items) is Primitive and _SHARED.get(items.kind) is items:
                    return _ARRAYS[items.kind]
                return Array(items)
            if kind == "map":
                if "values" not in data:
                    raise _Invalid('a map needs "values"', pointer)
                values = self.node(data["values"], namespace, (pointer, "/values"))
                if type(values) is Primitive and _SHARED.get(values.kind) is values:
                    return _MAPS[values.kind]
                return Map(values)
            if kind == "fixed":
                return self._fixed(data, namespace, pointer)
            return self._lookup(kind, namespace, (pointer, "/type"))
        if kind is None:
            raise _Invalid('a schema object needs a "type"', pointer)
        if type(kind) is dict or type(kind) is list:
            return self.node(kind, namespace, (pointer, "/type"))
        raise _Invalid(f'"type" must be a type name, not {json.dumps(kind)}', (pointer, "/type"))

    def _record(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Record:
        name, space = self._full_name(data, namespace, pointer, "record")
        record = Record(name, space, self._aliases(data, space, pointer))
        self._define(record, pointer)
        fields = data.get("fields")
        if type(fields) is not list:
            raise _Invalid(f'record `{record.fullname}` needs a "fields" list', pointer)
        by_name = record.by_name
        out = record.fields
        for index, raw in enumerate(fields):
            chunk = None
            if type(raw) is KnownField:
                known = raw.name
                if known in by_name:
                    raise _Invalid(
                        f"record `{record.fullname}` has two fields named `{known}`", (pointer, "/fields/", index)
                    )
                field = Field(known, raw.type, index, raw.has_default, raw.default, raw.aliases)
                by_name[known] = field
                out.append(field)
                continue
            if type(raw) is FreshField:
                chunk = raw.text
                raw = raw.data
            fpointer = (pointer, "/fields/", index)
            if type(raw) is not dict:
                raise _Invalid(f"field {index} of record `{record.fullname}` must be an object", fpointer)
            fname = raw.get("name")
            if fname is None:
                raise _Invalid(f'field {index} of record `{record.fullname}` needs a "name"', fpointer)
            if type(fname) is not str or fname not in _GOOD_NAMES:
                self._check_name(fname, "field name", (fpointer, "/name"))
            if fname in by_name:
                raise _Invalid(f"record `{record.fullname}` has two fields named `{fname}`", (fpointer, "/name"))
            if "type" not in raw:
                raise _Invalid(f'field `{fname}` of record `{record.fullname}` needs a "type"', fpointer)
            ftype = self.node(raw["type"], space, (fpointer, "/type"))
            aliases = raw.get("aliases")
            if aliases is None:
                aliases = ()
            elif type(aliases) is not list or not all(type(a) is str for a in aliases):
                raise _Invalid(f'"aliases" of field `{fname}` must be a list of names', (fpointer, "/aliases"))
            order = raw.get("order")
            if order is not None and (type(order) is not str or order not in _ORDERS):
                raise _Invalid(
                    f'"order" of field `{fname}` must be ascending, descending or ignore', (fpointer, "/order")
                )
            has_default = "default" in raw
            field = Field(fname, ftype, index, has_default, raw.get("default"), tuple(aliases))
            if has_default:
                self.defaults.append((field, fpointer, record.fullname))
            by_name[fname] = field
            out.append(field)
            valid_default = not has_default or _valid_default(ftype, field.default, 0)
            if chunk is not None and valid_default and _context_free(ftype):
                remember(chunk, KnownField(fname, ftype, has_default, field.default, field.aliases))
        return record

    def _enum(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Enum:
        name, space = self._full_name(data, namespace, pointer, "enum")
        symbols = data.get("symbols")
        if type(symbols) is not list:
            raise _Invalid(f'enum `{name}` needs a "symbols" list', pointer)
        seen: set[str] = set()
        for i, symbol in enumerate(symbols):
            self._check_name(symbol, "enum symbol", (pointer, "/symbols/", i))
            if symbol in seen:
                raise _Invalid(f"enum `{name}` lists the symbol `{symbol}` twice", (pointer, "/symbols/", i))
            seen.add(symbol)
        default = data.get("default")
        if default is not None and (type(default) is not str or default not in seen):
            raise _Invalid(
                f"the default {json.dumps(default)} of enum `{name}` is not one of its symbols", (pointer, "/default")
            )
        enum = Enum(name, space, self._aliases(data, space, pointer), symbols, default)
        self._define(enum, pointer)
        return enum

    def _fixed(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Fixed:
        name, space = self._full_name(data, namespace, pointer, "fixed")
        size = data.get("size")
        if type(size) is not int or size < 0:
            raise _Invalid(f'fixed `{name}` needs a "size" that is a non-negative integer', pointer)
        logical = data.get("logicalType")
        fixed = Fixed(name, space, self._aliases(data, space, pointer), size, logical if type(logical) is str else None)
        self._define(fixed, pointer)
        return fixed

    def _union(self, data: list[Any], namespace: str, pointer: Ptr) -> Union:
        try:
            key = tuple(data)
            shared = _UNIONS.get(key)
        except TypeError:  # a branch is an object: not shareable
            key, shared = None, None
        if shared is not None:
            return shared
        union = self._new_union(data, namespace, pointer)
        shareable = key is not None and len(_UNIONS) < 10_000
        if shareable and all(type(b) is Primitive and _SHARED.get(b.kind) is b for b in union.branches):
            _UNIONS[key] = union  # type: ignore[index]
        return union

    def _new_union(self, data: list[Any], namespace: str, pointer: Ptr) -> Union:
        branches: list[Node] = []
        seen: set[str] = set()
        for i, raw in enumerate(data):
            bpointer = (pointer, "/", i)
            branch = self.node(raw, namespace, bpointer)
            if branch.kind == "union":
                raise _Invalid("a union may not directly contain another union", bpointer)
            key = _branch_key(branch)
            if key is not None:
                if key in seen:
                    raise _Invalid(f"the union lists `{key}` twice", bpointer)
                seen.add(key)
            branches.append(branch)
        return Union(branches)

    # -- after the walk ------------------------------------------------------
    def resolve(self, root: Node) -> Node:
        """Replace forward references by their definitions (rare; walks only then)."""
        if not self.unresolved:
            return root
        seen: set[int] = set()

        def fix(node: Node) -> Node:
            if isinstance(node, _Unresolved):
                for full in node.candidates:
                    hit = self.names.get(full)
                    if hit is not None:
                        if full in self.external and full not in self.imported:
                            self.imported.append(full)
                        return hit
                raise _Invalid(
                    f"unknown type `{node.spelled}`: it is not a primitive type and no named type "
                    f"{' or '.join(f'`{c}`' for c in node.candidates)} is defined here or in a reference",
                    node.pointer,
                )
            if id(node) in seen:
                return node
            seen.add(id(node))
            if isinstance(node, Record):
                for field in node.fields:
                    field.type = fix(field.type)
            elif isinstance(node, Array):
                node.items = fix(node.items)
            elif isinstance(node, Map):
                node.values = fix(node.values)
            elif isinstance(node, Union):
                node.branches = [fix(b) for b in node.branches]
                keys = [_branch_key(b) for b in node.branches]
                named = [k for k in keys if k is not None]
                if len(set(named)) != len(named):
                    raise _Invalid("the union lists the same type twice", "")
            return node

        for full in self.defined:
            fix(self.names[full])
        return fix(root)

    def check_defaults(self) -> None:
        """Every field default must be a value of the field's type."""
        for field, pointer, record in self.defaults:
            if not _valid_default(field.type, field.default, 0):
                raise _Invalid(
                    f"the default {json.dumps(field.default)} of field `{field.name}` in record `{record}` "
                    f"is not a valid {field.type.describe()} value",
                    (pointer, "/default"),
                )


def _context_free(node: Node) -> bool:
    """True when the node's meaning does not depend on names defined around it."""
    t = type(node)
    if t is Primitive:
        return True
    if t is Array:
        return _context_free(node.items)  # type: ignore[attr-defined]
    if t is Map:
        return _context_free(node.values)  # type: ignore[attr-defined]
    if t is Union:
        return all(_context_free(b) for b in node.branches)  # type: ignore[attr-defined]
    return False


def _branch_key(node: Node) -> str | None:
    if isinstance(node, Named):
        return node.fullname
    if isinstance(node, _Unresolved):
        return None
    return node.kind


def _valid_default(node: Node, value: Any, depth: int) -> bool:
    if depth > _MAX_DEFAULT_DEPTH:
        return False
    kind = node.kind
    t = type(value)
    if kind == "string" or kind == "bytes" or kind == "enum" or kind == "fixed":
        return t is str
    if kind == "int":
        return t is int and -(2**31) <= value < 2**31
    if kind == "long":
        return t is int and -(2**63) <= value < 2**63
    if kind == "float" or kind == "double":
        return t is int or t is float
    if kind == "boolean":
        return t is bool
    if kind == "null":
        return value is None
    if isinstance(node, Array):
        return t is list and all(_valid_default(node.items, v, depth + 1) for v in value)
    if isinstance(node, Map):
        return t is dict and all(_valid_default(node.values, v, depth + 1) for v in value.values())
    if isinstance(node, Union):
        return any(_valid_default(b, value, depth + 1) for b in node.branches)
    if isinstance(node, Record):
        if t is not dict:
            return False
        for field in node.fields:
            if field.name in value:
                if not _valid_default(field.type, value[field.name], depth + 1):
                    return False
            elif not field.has_default or not _valid_default(field.type, field.default, depth + 1):
                return False
        return True
    return False


def _error(text: str, path: str | None, message: str, pointer: str | None) -> SchemaParseError:
    line = column = None
    if pointer is not None:
        hit = locate_pointer(text, pointer)
        if hit is not None:
            line, column = hit
    where = f" ({_where(pointer)})" if pointer is not None else ""
    return SchemaParseError(f"not a valid Avro schema: {message}{where}", path=path, line=line, column=column)


def _decode(text: str, path: str | None) -> Any:
    try:
        return decode(text)
    except json.JSONDecodeError as exc:
        raise SchemaParseError(
            f"not JSON: {exc.msg} (an .avsc file must be a JSON schema)",
            path=path,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except (TypeError, ValueError, RecursionError) as exc:  # e.g. absurdly deep nesting
        raise SchemaParseError(f"not JSON: {exc}", path=path) from None


def _parse_one(text: str, path: str | None, names: dict[str, Named], external: frozenset[str]) -> tuple[Node, _Parser]:
    data = _decode(text, path)
    parser = _Parser(names, external)
    try:
        root = parser.node(data, "", "")
        root = parser.resolve(root)
        parser.check_defaults()
    except _Invalid as exc:
        raise _error(text, path, exc.message, _flat(exc.pointer)) from None
    except RecursionError:
        raise _error(text, path, "the schema is nested too deeply", None) from None
    return root, parser


def _parse_references(references: Mapping[str, str], names: dict[str, Named]) -> None:
    """Parse the referenced texts into ``names``; retry so their order does not matter."""
    pending = dict(references)
    while pending:
        progressed = False
        failures: dict[str, SchemaParseError] = {}
        for ref_name, ref_text in list(pending.items()):
            trial = dict(names)
            try:
                _parse_one(ref_text, f"reference {ref_name}", trial, frozenset(names))
            except SchemaParseError as exc:
                failures[ref_name] = exc
                continue
            names.clear()
            names.update(trial)
            del pending[ref_name]
            progressed = True
        if not progressed:
            ref_name, first = next(iter(failures.items()))
            raise SchemaParseError(
                f"in reference {ref_name!r}: {first.reason}", path=first.path, line=first.line, column=first.column
            )


def parse_avro(text: str, *, path: str | None = None, references: Mapping[str, str] | None = None) -> AvroSchema:
    """Parse an Avro schema text (with optional referenced texts) into an :class:`AvroSchema`.

    :raises SchemaParseError: the text (or a reference) is not a valid Avro schema.
    """
    names: dict[str, Named] = {}
    if references:
        _parse_references(references, names)
    external = frozenset(names)
    root, parser = _parse_one(text, path, names, external)
    return AvroSchema(text, path, root, parser.defined, parser.imported)
