"""Avro names during one parse: validate, define and look up named types, resolve forward uses.

Names follow the specification: a dotted name carries its namespace, otherwise the
``namespace`` key or the enclosing one applies; a reference is looked up in the
enclosing namespace first, then in the null namespace. A name used before its
definition is an :class:`Unresolved` placeholder until the whole text is read.

:class:`NameParser` is the base of the schema parser (:mod:`.parse`): it holds the
names met so far and parses the two named types that contain no other type, enum
and fixed.
"""

from __future__ import annotations

import re
from typing import Any

from .jsontext import Invalid, Ptr, shown
from .model import OPTIONAL, PRIMITIVE_KINDS, Array, Enum, Fixed, Map, Named, Node, Record, Union

__all__ = ["FAR", "GOOD_NAMES", "NO_ALIASES", "NameParser", "Unresolved", "branch_key"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
NO_ALIASES: frozenset[str] = frozenset()
FAR = 1 << 62  # an ``order`` above every defined name's
GOOD_NAMES: set[str] = set()  # names already validated (names repeat across files)
_GOOD_SPACES: set[str] = set()  # namespaces already validated


class Unresolved(Node):
    """A name used before its definition; replaced once the whole text is read."""

    __slots__ = ("candidates", "pointer", "spelled")

    def __init__(self, spelled: str, candidates: tuple[str, ...], pointer: Ptr) -> None:
        super().__init__("unresolved")
        self.spelled = spelled
        self.candidates = candidates
        self.pointer = pointer


def branch_key(node: Node) -> str | None:
    """What makes a union branch unique: a named type's full name, else its kind (``None``: not yet known)."""
    if isinstance(node, Named):
        return node.fullname
    if isinstance(node, Unresolved):
        return None
    return node.kind


class NameParser:
    """The named types of one text; ``names`` is shared with the references."""

    def __init__(self, names: dict[str, Named], external: frozenset[str]) -> None:
        self.names = names
        self.external = external
        self.defined: list[str] = []
        self.order: dict[str, int] = {}  # full name -> position in ``defined``
        self.imported: list[str] = []
        self.unresolved = 0  # forward references met so far
        self.numeric = 0  # defaults and sizes whose JSON number type matters, met so far
        self.floor = FAR  # lowest ``order`` of a name used by the field being parsed

    def _check_name(self, name: Any, what: str, pointer: Ptr) -> str:
        if type(name) is str and name in GOOD_NAMES:
            return name
        if not isinstance(name, str) or not _NAME.match(name):
            raise Invalid(
                f"{what} {shown(name)} is not a valid Avro name "
                "(letters, digits and _, not starting with a digit)",
                pointer,
            )
        if len(GOOD_NAMES) < 100_000:
            GOOD_NAMES.add(name)
        return name

    def _full_name(self, data: dict[str, Any], namespace: str, pointer: Ptr, kind: str) -> tuple[str, str]:
        raw = data.get("name")
        if type(raw) is not str:
            if raw is None:
                raise Invalid(f'a {kind} needs a "name"', pointer)
            raise Invalid(f"the name of a {kind} must be a string, not {shown(raw)}", (pointer, "/name"))
        if "." in raw:
            namespace, _, simple = raw.rpartition(".")
            where = "/name"
        else:
            simple = raw
            where = "/namespace"
            explicit = data.get("namespace")
            if explicit is not None:
                if type(explicit) is not str:
                    raise Invalid(f"namespace must be a string, not {shown(explicit)}", (pointer, "/namespace"))
                namespace = explicit
        if simple not in GOOD_NAMES:
            self._check_name(simple, f"{kind} name", (pointer, "/name"))
        if namespace:
            if namespace not in _GOOD_SPACES:
                for part in namespace.split("."):
                    self._check_name(part, "namespace part", (pointer, where))
                if len(_GOOD_SPACES) < 100_000:
                    _GOOD_SPACES.add(namespace)
        elif simple in PRIMITIVE_KINDS:
            raise Invalid(f"a {kind} may not be named after the primitive type `{simple}`", (pointer, "/name"))
        return simple, namespace

    def _aliases(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> frozenset[str]:
        raw = data.get("aliases")
        if raw is None:
            return NO_ALIASES
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            raise Invalid('"aliases" must be a list of names', (pointer, "/aliases"))
        for index, alias in enumerate(raw):
            # Java's Schema.Name checks an alias's last part like a name (its namespace part is not checked).
            self._check_name(alias.rpartition(".")[2], "alias", (pointer, "/aliases/", index))
        return frozenset(a if "." in a or not namespace else f"{namespace}.{a}" for a in raw)

    def _define(self, node: Named, pointer: Ptr) -> None:
        full = node.fullname
        if full in self.names:
            raise Invalid(f"the type `{full}` is defined twice (names must be unique)", pointer)
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
        return Unresolved(spelled, candidates, pointer)

    def _enum(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Enum:
        name, space = self._full_name(data, namespace, pointer, "enum")
        symbols = data.get("symbols")
        if type(symbols) is not list:
            raise Invalid(f'enum `{name}` needs a "symbols" list', pointer)
        try:
            quick = GOOD_NAMES.issuperset(symbols) and len(set(symbols)) == len(symbols)
        except TypeError:  # a symbol is a list or an object
            quick = False
        if not quick:
            seen: set[str] = set()
            for i, symbol in enumerate(symbols):
                self._check_name(symbol, "enum symbol", (pointer, "/symbols/", i))
                if symbol in seen:
                    raise Invalid(f"enum `{name}` lists the symbol `{symbol}` twice", (pointer, "/symbols/", i))
                seen.add(symbol)
        default = data.get("default")
        if default is not None and (type(default) is not str or default not in symbols):
            raise Invalid(
                f"the default {shown(default)} of enum `{name}` is not one of its symbols", (pointer, "/default")
            )
        aliases = self._aliases(data, space, pointer) if "aliases" in data else NO_ALIASES
        enum = Enum(name, space, aliases, symbols, default)
        self._define(enum, pointer)
        return enum

    def _fixed(self, data: dict[str, Any], namespace: str, pointer: Ptr) -> Fixed:
        name, space = self._full_name(data, namespace, pointer, "fixed")
        size = data.get("size")
        if type(size) is not int or size < 0:
            raise Invalid(f'fixed `{name}` needs a "size" that is a non-negative integer', pointer)
        self.numeric += 1  # 4 and 4.0 are equal in Python, but only one is a valid size
        logical = data.get("logicalType")
        fixed = Fixed(name, space, self._aliases(data, space, pointer), size, logical if type(logical) is str else None)
        self._define(fixed, pointer)
        return fixed

    def resolve(self, root: Node) -> Node:
        """Replace forward references by their definitions (rare; walks only then)."""
        if not self.unresolved:
            return root
        seen: set[int] = set()

        def fix(node: Node) -> Node:
            if isinstance(node, Unresolved):
                for full in node.candidates:
                    hit = self.names.get(full)
                    if hit is not None:
                        if full in self.external and full not in self.imported:
                            self.imported.append(full)
                        return hit
                raise Invalid(
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
                keys = [branch_key(b) for b in node.branches]
                named = [k for k in keys if k is not None]
                if len(set(named)) != len(named):
                    raise Invalid("the union lists the same type twice", "")
            return node

        for full in self.defined:
            fix(self.names[full])
        return fix(root)
