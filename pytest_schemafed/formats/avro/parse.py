"""Parse ``.avsc`` text into :mod:`.model` nodes, validating it as Apache Avro (Java) does.

Checked: JSON syntax; known types; required keys (``name``, ``fields``, ``symbols``,
``size``, ``items``, ``values``, field ``name``/``type``); valid names, namespaces,
aliases and enum symbols; no type defined twice and no duplicate field, symbol or
union branch; no union directly inside a union; enum defaults among the symbols;
field defaults that match their type (Confluent validates defaults; a union default
may match any branch, as Avro 1.11+ accepts). Every failure is a
:class:`SchemaParseError` that says what is wrong and where (line and column).

Here is the walk over types, records and fields (the hot loop); :mod:`.names` handles
names and the enum and fixed types, :mod:`.jsontext` decoding and error positions.
Types defined by ``references`` (name -> text) are parsed first, then known by name.

Depth: a type may nest at most :data:`MAX_DEPTH` (200) types deep (each record, array,
map and union is one level); deeper schemas are a :class:`SchemaParseError` that says
so, and so is JSON nested deeper than the decoder reads. The bound keeps every walk
over the model (resolution, defaults, :mod:`.compare`) far below Python's recursion
limit, also in the compiled build, which does not check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from ...errors import SchemaParseError
from .defaults import java_double, quick_default, valid_default
from .jsontext import Invalid, Ptr, decode, flat, schema_error, shown
from .model import (
    OPTIONAL,
    PRIMITIVE_KINDS,
    Array,
    AvroSchema,
    Field,
    FullField,
    Map,
    Named,
    Node,
    Primitive,
    Record,
    Union,
    make_field,
)
from .names import FAR, GOOD_NAMES, NO_ALIASES, NameParser, branch_key
from .reuse import Entry, remember, strict, table

__all__ = ["MAX_DEPTH", "parse_avro"]

#: the deepest nesting of types (records, arrays, maps, unions) a schema may have
MAX_DEPTH = 200

_SHARED: dict[str, Primitive] = {kind: Primitive(kind) for kind in PRIMITIVE_KINDS}
_ORDERS = frozenset({"ascending", "descending", "ignore"})
# Nodes made only of shared primitives are shared too, so that identical parts of two
# schemas are the same object and compare in one identity test.
_ARRAYS: dict[str, Array] = {kind: Array(node) for kind, node in _SHARED.items()}
_MAPS: dict[str, Map] = {kind: Map(node) for kind, node in _SHARED.items()}
_UNIONS: dict[tuple[Any, ...], Union] = {}
_LOGICAL: dict[tuple[str, str], Primitive] = {}  # (kind, logicalType) -> one shared node
_PARSED_AGAIN = "enum"  # a field of this type object is parsed in every text, never remembered


def _too_deep(pointer: Ptr) -> Invalid:
    return Invalid(f"the schema is nested too deeply (more than {MAX_DEPTH} levels of types)", pointer)


def _bad_default(field: Field, pointer: Ptr, record: str) -> Invalid:
    return Invalid(
        f"the default {shown(field.default)} of field `{field.name}` in record `{record}` "
        f"is not a valid {field.type.describe()} value",
        (pointer, "/default"),
    )


class _Parser(NameParser):
    """One pass over the decoded JSON: the types, records and fields of one text."""

    def __init__(self, names: dict[str, Named], external: frozenset[str]) -> None:
        super().__init__(names, external)
        self.defaults: list[tuple[Field, Ptr, str]] = []
        self.fresh: list[tuple[tuple[str, str], Entry]] = []  # fields to remember if all is valid
        self.entries = table()
        self.depth = 0  # types nested around the one being parsed (an Invalid ends the parse: no unwinding)
        self.peak = 0  # the deepest ``depth`` reached so far

    def node(self, data: Any, namespace: str, pointer: Ptr) -> Node:
        """Parse one schema value (string, object or union list) at ``pointer``."""
        if type(data) is str:
            shared = _SHARED.get(data)
            if shared is not None:
                return shared
            return self._lookup(data, namespace, pointer)
        is_dict = type(data) is dict
        if is_dict or type(data) is list:
            depth = self.depth = self.depth + 1
            if depth > self.peak:
                if depth > MAX_DEPTH:
                    raise _too_deep(pointer)
                self.peak = depth
            found = self._object(data, namespace, pointer) if is_dict else self._union(data, namespace, pointer)
            self.depth = depth - 1
            return found
        raise Invalid(f"{shown(data)} is not a schema (expected a type name, an object or a union list)", pointer)

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
                    raise Invalid('an array needs "items"', pointer)
                items = self.node(data["items"], namespace, (pointer, "/items"))
                if type(items) is Primitive and _SHARED.get(items.kind) is items:
                    return _ARRAYS[items.kind]
                return Array(items)
            if kind == "map":
                if "values" not in data:
                    raise Invalid('a map needs "values"', pointer)
                values = self.node(data["values"], namespace, (pointer, "/values"))
                if type(values) is Primitive and _SHARED.get(values.kind) is values:
                    return _MAPS[values.kind]
                return Map(values)
            if kind == "fixed":
                return self._fixed(data, namespace, pointer)
            return self._lookup(kind, namespace, (pointer, "/type"))
        if kind is None:
            raise Invalid('a schema object needs a "type"', pointer)
        if type(kind) is dict or type(kind) is list:
            # Only a record field's "type" may be a schema; Apache Avro (Java, Python) and
            # the registry reject {"type": {...}} or {"type": [...]} anywhere else.
            raise Invalid(
                '"type" holds a schema here, which Avro allows only in a record field; '
                'write the inner schema itself (or make this a field of a record)',
                (pointer, "/type"),
            )
        raise Invalid(f'"type" must be a type name, not {shown(kind)}', (pointer, "/type"))

    def _record(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Record:
        name, space = self._full_name(data, namespace, pointer, "record")
        record = Record(name, space, self._aliases(data, space, pointer) if "aliases" in data else NO_ALIASES)
        self._define(record, pointer)
        fields = data.get("fields")
        if type(fields) is not list:
            raise Invalid(f'record `{record.fullname}` needs a "fields" list', pointer)
        types = record.types
        extras = record.extras
        good = GOOD_NAMES
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
                raise Invalid(
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
                and ftype.branches
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
            raise Invalid(
                f"field {index} of record `{record.fullname}` must be an object", (pointer, "/fields/", index)
            )
        fname = raw.get("name")
        if fname is None:
            raise Invalid(f'field {index} of record `{record.fullname}` needs a "name"', (pointer, "/fields/", index))
        self._check_name(fname, "field name", (pointer, "/fields/", index, "/name"))
        if fname in record.types:
            raise Invalid(
                f"record `{record.fullname}` has two fields named `{fname}`", (pointer, "/fields/", index, "/name")
            )
        raise Invalid(f'field `{fname}` of record `{record.fullname}` needs a "type"', (pointer, "/fields/", index))

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
        bucket = self.entries.get(key)
        if bucket is not None:
            for entry in bucket:
                if entry.raw == raw and (entry.exact is None or strict(raw) == entry.exact):
                    if not self.names.keys().isdisjoint(entry.names):
                        break  # a clash: the normal parse below reports it
                    reach = self.depth + entry.height
                    if reach > self.peak:
                        if reach > MAX_DEPTH:
                            break  # too deep here: the normal parse below reports where
                        self.peak = reach
                    return self._reuse(entry, fname, index)
        first = len(self.defined)
        numeric = self.numeric
        unresolved = self.unresolved
        floor = self.floor
        self.floor = FAR
        peak = self.peak
        self.peak = self.depth
        if kind == "record":
            depth = self.depth = self.depth + 1
            if depth > MAX_DEPTH:
                raise _too_deep((pointer, "/fields/", index, "/type"))
            self.peak = depth
            ftype: Node = self._record(traw, record.namespace, (pointer, "/fields/", index, "/type"))
            self.depth = depth - 1
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
        height = self.peak - self.depth
        self.peak = max(peak, self.peak)
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
                entry.height = height
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
            raise Invalid(
                f'"aliases" of field `{fname}` must be a list of names', (pointer, "/fields/", index, "/aliases")
            )
        else:
            aliases = tuple(aliases)
        order = raw.get("order")
        # Java (the registry's parser) upper-cases the value before matching it: "DESCENDING" is valid.
        if order is not None and (type(order) is not str or order.lower() not in _ORDERS):
            raise Invalid(
                f'"order" of field `{fname}` must be ascending, descending or ignore',
                (pointer, "/fields/", index, "/order"),
            )
        if "default" not in raw:
            return make_field(fname, ftype, index, False, None, aliases)
        default = raw["default"]
        if type(default) is str and ftype.kind in ("float", "double"):
            default = java_double(default, default)  # Java parses a text default of a float/double field
        field = FullField(fname, ftype, index, True, default, aliases)
        if default is None:
            branches = ftype.branches if type(ftype) is Union else None
            if branches and branches[0].kind == "null":
                return field  # the usual optional field
        elif type(default) is not str:
            self.numeric += 1
        ok = quick_default(ftype, default)
        if ok is None:
            self.defaults.append((field, (pointer, "/fields/", index), record.fullname))
        elif not ok:
            raise _bad_default(field, (pointer, "/fields/", index), record.fullname)
        return field

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
                raise Invalid("a union may not directly contain another union", bpointer)
            key = branch_key(branch)
            if key is not None:
                if key in seen:
                    raise Invalid(f"the union lists `{key}` twice", bpointer)
                seen.add(key)
            branches.append(branch)
        return Union(branches)

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


def _parse_one(text: str, path: str | None, names: dict[str, Named], external: frozenset[str]) -> tuple[Node, _Parser]:
    data = decode(text, path)
    parser = _Parser(names, external)
    try:
        root = parser.node(data, "", "")
        root = parser.resolve(root)
        parser.check_defaults()
    except Invalid as exc:
        raise schema_error(text, path, exc.message, flat(exc.pointer)) from None
    except RecursionError:  # a safety net: MAX_DEPTH keeps the walk far from Python's limit
        raise schema_error(text, path, f"the schema is nested too deeply (over {MAX_DEPTH} levels)", None) from None
    for key, entry in parser.fresh:
        remember(key, entry, parser.entries)
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
