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
from typing import Any, NoReturn

from ...errors import SchemaParseError
from ..jsonpos import JsonPositions
from .defaults import quick_default, valid_default
from .model import (
    OPTIONAL,
    PRIMITIVE_KINDS,
    Array,
    AvroSchema,
    Enum,
    Field,
    Fixed,
    FullField,
    Map,
    Named,
    Node,
    Primitive,
    Record,
    Union,
    make_field,
)
from .reuse import ENTRIES, Entry, remember, strict

try:
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency; json is the fallback
    _fast_loads = json.loads  # type: ignore[assignment]

__all__ = ["parse_avro"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHARED: dict[str, Primitive] = {kind: Primitive(kind) for kind in PRIMITIVE_KINDS}
_ORDERS = frozenset({"ascending", "descending", "ignore"})
_NO_ALIASES: frozenset[str] = frozenset()
_MISSING = object()
_FAR = 1 << 62
# Nodes made only of shared primitives are shared too, so that identical parts of two
# schemas are the same object and compare in one identity test.
_ARRAYS: dict[str, Array] = {kind: Array(node) for kind, node in _SHARED.items()}
_MAPS: dict[str, Map] = {kind: Map(node) for kind, node in _SHARED.items()}
_UNIONS: dict[tuple[Any, ...], Union] = {}
_LOGICAL: dict[tuple[str, str], Primitive] = {}  # (kind, logicalType) -> one shared node
_PARSED_AGAIN = "enum"  # a field of this type object is parsed in every text, never remembered
_GOOD_NAMES: set[str] = set()  # names already validated (names repeat across files)
_GOOD_SPACES: set[str] = set()  # namespaces already validated

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


def _bad_default(field: Field, pointer: Ptr, record: str) -> _Invalid:
    return _Invalid(
        f"the default {json.dumps(field.default)} of field `{field.name}` in record `{record}` "
        f"is not a valid {field.type.describe()} value",
        (pointer, "/default"),
    )


class _Parser:
    """One pass over the decoded JSON; ``names`` is shared with the references."""

    def __init__(self, names: dict[str, Named], external: frozenset[str]) -> None:
        self.names = names
        self.external = external
        self.defined: list[str] = []
        self.order: dict[str, int] = {}  # full name -> position in ``defined``
        self.imported: list[str] = []
        self.unresolved = 0  # forward references met so far
        self.numeric = 0  # defaults and sizes whose JSON number type matters, met so far
        self.floor = _FAR  # lowest ``order`` of a name used by the field being parsed
        self.defaults: list[tuple[Field, Ptr, str]] = []
        self.fresh: list[tuple[tuple[str, str], Entry]] = []  # fields to remember if all is valid

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
        if type(raw) is not str:
            if raw is None:
                raise _Invalid(f'a {kind} needs a "name"', pointer)
            raise _Invalid(f"the name of a {kind} must be a string, not {json.dumps(raw)}", (pointer, "/name"))
        if "." in raw:
            namespace, _, simple = raw.rpartition(".")
            where = "/name"
        else:
            simple = raw
            where = "/namespace"
            explicit = data.get("namespace")
            if explicit is not None:
                if type(explicit) is not str:
                    raise _Invalid(f"namespace must be a string, not {json.dumps(explicit)}", (pointer, "/namespace"))
                namespace = explicit
        if simple not in _GOOD_NAMES:
            self._check_name(simple, f"{kind} name", (pointer, "/name"))
        if namespace:
            if namespace not in _GOOD_SPACES:
                for part in namespace.split("."):
                    self._check_name(part, "namespace part", (pointer, where))
                if len(_GOOD_SPACES) < 100_000:
                    _GOOD_SPACES.add(namespace)
        elif simple in PRIMITIVE_KINDS:
            raise _Invalid(f"a {kind} may not be named after the primitive type `{simple}`", (pointer, "/name"))
        return simple, namespace

    def _aliases(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> frozenset[str]:
        raw = data.get("aliases")
        if raw is None:
            return _NO_ALIASES
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            raise _Invalid('"aliases" must be a list of names', (pointer, "/aliases"))
        return frozenset(a if "." in a or not namespace else f"{namespace}.{a}" for a in raw)

    def _define(self, node: Named, pointer: Ptr) -> None:
        full = node.fullname
        if full in self.names:
            raise _Invalid(f"the type `{full}` is defined twice (names must be unique)", pointer)
        self.names[full] = node
        self.order[full] = len(self.defined)
        self.defined.append(full)

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
                at = self.order.get(full, -1) if full is candidates[0] else -1
                if at < self.floor:
                    self.floor = at
                return hit
        self.unresolved += 1
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
                return _primitive(kind, data)
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
        record = Record(name, space, self._aliases(data, space, pointer) if "aliases" in data else _NO_ALIASES)
        self._define(record, pointer)
        fields = data.get("fields")
        if type(fields) is not list:
            raise _Invalid(f'record `{record.fullname}` needs a "fields" list', pointer)
        types = record.types
        extras = record.extras
        good = _GOOD_NAMES
        shared = _SHARED
        unions = _UNIONS
        null = shared["null"]
        for index, raw in enumerate(fields):
            try:
                fname = raw["name"]
                traw = raw["type"]
                known = fname in good  # only valid names (strings) are in ``good``
            except (KeyError, TypeError):  # not an object, no name or type, or an unhashable name
                self._field_keys(raw, index, record, pointer)
            if not known:
                if fname is None:
                    self._field_keys(raw, index, record, pointer)
                self._check_name(fname, "field name", (pointer, "/fields/", index, "/name"))
            if fname in types:
                raise _Invalid(
                    f"record `{record.fullname}` has two fields named `{fname}`", (pointer, "/fields/", index, "/name")
                )
            tt = type(traw)
            if tt is str:
                ftype: Node | None = shared.get(traw)
                if ftype is None:
                    ftype = self._lookup(traw, space, (pointer, "/fields/", index, "/type"))
            elif tt is list:
                try:
                    ftype = unions.get(tuple(traw))
                except TypeError:  # a branch is an object
                    ftype = None
                if ftype is None:
                    if not all(type(b) is str for b in traw):
                        types[fname], extra = self._complex_field(raw, fname, traw, index, record, pointer)
                        if extra is not None:
                            extras[fname] = extra
                        continue
                    ftype = self._union(traw, space, (pointer, "/fields/", index, "/type"))
            elif tt is dict and (ftype := _simple_object(traw)) is not None:
                pass
            else:
                types[fname], extra = self._complex_field(raw, fname, traw, index, record, pointer)
                if extra is not None:
                    extras[fname] = extra
                continue
            size = len(raw)
            types[fname] = ftype
            if size == 2 or (size == 3 and "doc" in raw):  # no default, aliases or order
                continue  # a plain field: its name and type are all there is
            if (
                type(ftype) is Union
                and ftype.branches[0] is null
                and (size == 3 or (size == 4 and "doc" in raw))
                and "default" in raw
                and raw["default"] is None
            ):  # the usual optional field: null first, default null, nothing else
                extras[fname] = OPTIONAL
            else:
                field = self._field_rest(raw, fname, ftype, index, record, pointer)
                if type(field) is not Field:
                    extras[fname] = field
        return record

    def _field_keys(self, raw: Any, index: int, record: Record, pointer: Ptr) -> NoReturn:
        """Say what is wrong with a field that is not an object with a "name" and a "type"."""
        if type(raw) is not dict:
            raise _Invalid(
                f"field {index} of record `{record.fullname}` must be an object", (pointer, "/fields/", index)
            )
        fname = raw.get("name")
        if fname is None:
            raise _Invalid(f'field {index} of record `{record.fullname}` needs a "name"', (pointer, "/fields/", index))
        self._check_name(fname, "field name", (pointer, "/fields/", index, "/name"))
        if fname in record.types:
            raise _Invalid(
                f"record `{record.fullname}` has two fields named `{fname}`", (pointer, "/fields/", index, "/name")
            )
        raise _Invalid(f'field `{fname}` of record `{record.fullname}` needs a "type"', (pointer, "/fields/", index))

    def _complex_field(
        self, raw: dict[str, Any], fname: str, traw: Any, index: int, record: Record, pointer: Ptr
    ) -> tuple[Node, Field | None]:
        """The type of a field whose type is an object or a union, and the field if it has a
        default or aliases: reused when seen before, else parsed and remembered."""
        kind = traw.get("type") if type(traw) is dict else None
        size = len(raw)
        plain = size == 2 or (size == 3 and "doc" in raw)  # no default, aliases or order
        if kind == _PARSED_AGAIN:  # costs less than remembering it
            enum = self._enum(traw, record.namespace, (pointer, "/fields/", index, "/type"))
            if plain:
                return enum, None
            field = self._field_rest(raw, fname, enum, index, record, pointer)
            return enum, (field if type(field) is not Field else None)
        key = (record.fullname, fname)
        bucket = ENTRIES.get(key)
        if bucket is not None:
            for entry in bucket:
                if entry.raw == raw and (entry.exact is None or strict(raw) == entry.exact):
                    if not self.names.keys().isdisjoint(entry.names):
                        break  # a clash: the normal parse below reports it
                    return self._reuse(entry, fname, index)
        first = len(self.defined)
        numeric = self.numeric
        unresolved = self.unresolved
        floor = self.floor
        self.floor = _FAR
        if kind == "record":
            ftype: Node = self._record(traw, record.namespace, (pointer, "/fields/", index, "/type"))
        else:
            ftype = self.node(traw, record.namespace, (pointer, "/fields/", index, "/type"))
        if plain:
            extra: Field | None = None
        else:
            extra = self._field_rest(raw, fname, ftype, index, record, pointer)
            if type(extra) is Field:
                extra = None
        inside = self.floor
        self.floor = min(floor, inside)
        if inside >= first and self.unresolved == unresolved:
            used = self.numeric - numeric
            exact = strict(raw) if used else None
            if exact is not None or not used:
                names = tuple(self.defined[first:])
                nodes = tuple(map(self.names.__getitem__, names))
                if extra is None:
                    entry = Entry(raw, exact, used, ftype, False, None, (), names, nodes)
                else:
                    has, default, aliases = extra.has_default, extra.default, extra.aliases
                    entry = Entry(raw, exact, used, ftype, has, default, aliases, names, nodes)
                self.fresh.append((key, entry))
        return ftype, extra

    def _reuse(self, entry: Entry, fname: str, index: int) -> tuple[Node, Field | None]:
        """The remembered field's type (and the field, if it has a default or aliases) at
        ``index``; its named types are defined here too."""
        names = self.names
        defined = self.defined
        order = self.order
        for full, named in zip(entry.names, entry.nodes, strict=True):
            names[full] = named
            order[full] = len(defined)
            defined.append(full)
        self.numeric += entry.numeric
        if entry.has_default or entry.aliases:
            return entry.type, FullField(fname, entry.type, index, entry.has_default, entry.default, entry.aliases)
        return entry.type, None

    def _field_rest(
        self, raw: dict[str, Any], fname: str, ftype: Node, index: int, record: Record, pointer: Ptr
    ) -> Field:
        """The field's aliases, order and default (validated at once when that needs no walk)."""
        aliases = raw.get("aliases")
        if aliases is None:
            aliases = ()
        elif type(aliases) is not list or not all(type(a) is str for a in aliases):
            raise _Invalid(
                f'"aliases" of field `{fname}` must be a list of names', (pointer, "/fields/", index, "/aliases")
            )
        else:
            aliases = tuple(aliases)
        order = raw.get("order")
        if order is not None and (type(order) is not str or order not in _ORDERS):
            raise _Invalid(
                f'"order" of field `{fname}` must be ascending, descending or ignore',
                (pointer, "/fields/", index, "/order"),
            )
        if "default" not in raw:
            return make_field(fname, ftype, index, False, None, aliases)
        default = raw["default"]
        field = FullField(fname, ftype, index, True, default, aliases)
        if default is None:
            if ftype.kind == "union" and ftype.branches[0].kind == "null":  # type: ignore[attr-defined]
                return field  # the usual optional field
        elif type(default) is not str:
            self.numeric += 1
        ok = quick_default(ftype, default)
        if ok is None:
            self.defaults.append((field, (pointer, "/fields/", index), record.fullname))
        elif not ok:
            raise _bad_default(field, (pointer, "/fields/", index), record.fullname)
        return field

    def _enum(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Enum:
        name, space = self._full_name(data, namespace, pointer, "enum")
        symbols = data.get("symbols")
        if type(symbols) is not list:
            raise _Invalid(f'enum `{name}` needs a "symbols" list', pointer)
        try:
            quick = _GOOD_NAMES.issuperset(symbols) and len(set(symbols)) == len(symbols)
        except TypeError:  # a symbol is a list or an object
            quick = False
        if not quick:
            seen: set[str] = set()
            for i, symbol in enumerate(symbols):
                self._check_name(symbol, "enum symbol", (pointer, "/symbols/", i))
                if symbol in seen:
                    raise _Invalid(f"enum `{name}` lists the symbol `{symbol}` twice", (pointer, "/symbols/", i))
                seen.add(symbol)
        default = data.get("default")
        if default is not None and (type(default) is not str or default not in symbols):
            raise _Invalid(
                f"the default {json.dumps(default)} of enum `{name}` is not one of its symbols", (pointer, "/default")
            )
        aliases = self._aliases(data, space, pointer) if "aliases" in data else _NO_ALIASES
        enum = Enum(name, space, aliases, symbols, default)
        self._define(enum, pointer)
        return enum

    def _fixed(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Fixed:
        name, space = self._full_name(data, namespace, pointer, "fixed")
        size = data.get("size")
        if type(size) is not int or size < 0:
            raise _Invalid(f'fixed `{name}` needs a "size" that is a non-negative integer', pointer)
        self.numeric += 1  # 4 and 4.0 are equal in Python, but only one is a valid size
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
                types = node.types
                for name, type_ in types.items():
                    types[name] = fix(type_)
                for name, field in node.extras.items():
                    if field is not OPTIONAL:
                        field.type = types[name]
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
        """Every deferred field default must be a value of the field's type."""
        for field, pointer, record in self.defaults:
            if not valid_default(field.type, field.default):
                raise _bad_default(field, pointer, record)


def _primitive(kind: str, data: dict[str, Any]) -> Primitive:
    """The shared node of primitive ``kind`` with ``data``'s logical type, if any."""
    logical = data.get("logicalType")
    if type(logical) is not str:
        return _SHARED[kind]
    shared = _LOGICAL.get((kind, logical))
    if shared is None:
        shared = Primitive(kind, logical)
        if len(_LOGICAL) < 1_000:
            _LOGICAL[(kind, logical)] = shared
    return shared


def _simple_object(data: dict[str, Any]) -> Node | None:
    """The shared node of a primitive type object or of an array or map of a primitive.

    ``None`` for any other object, which :meth:`_Parser.node` parses (and validates).
    """
    kind = data.get("type")
    if type(kind) is not str:
        return None
    if kind in _SHARED:
        return _primitive(kind, data)
    if kind == "array":
        items = data.get("items")
        return _ARRAYS.get(items) if type(items) is str else None
    if kind == "map":
        values = data.get("values")
        return _MAPS.get(values) if type(values) is str else None
    return None


def _branch_key(node: Node) -> str | None:
    if isinstance(node, Named):
        return node.fullname
    if isinstance(node, _Unresolved):
        return None
    return node.kind


def _error(text: str, path: str | None, message: str, pointer: str | None) -> SchemaParseError:
    line = column = None
    if pointer is not None:
        hit = JsonPositions(text).locate(pointer)
        if hit is not None:
            line, column = hit
    where = f" ({_where(pointer)})" if pointer is not None else ""
    return SchemaParseError(f"not a valid Avro schema: {message}{where}", path=path, line=line, column=column)


def _decode(text: str, path: str | None) -> Any:
    try:
        return _fast_loads(text)
    except (ValueError, TypeError, RecursionError):
        pass  # json says precisely what is wrong (and reads what orjson does not: NaN, huge integers)
    try:
        return json.loads(text)
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
    for key, entry in parser.fresh:
        remember(key, entry)
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
