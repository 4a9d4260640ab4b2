"""Sentences for Avro findings, rendered once per finding from the issue's arguments.

The local file is "this schema" and the other side "the registered version" (the
engine adds which version). ``local`` decides which side is the reader:
BACKWARD compares with ``local="reader"`` (this schema reads old data), FORWARD with
``local="writer"`` (the registered version reads data written with this schema).
"""

from __future__ import annotations

from collections.abc import Callable

from ..base import Side
from .model import Array, Field, Map, Node, Record, Union
from .rules import (
    FIXED_SIZE_MISMATCH,
    MISSING_ENUM_SYMBOLS,
    MISSING_UNION_BRANCH,
    NAME_MISMATCH,
    READER_FIELD_MISSING_DEFAULT_VALUE,
    TYPE_MISMATCH,
    Issue,
)

__all__ = ["TEMPLATES", "describe_location", "render"]

THIS = "this schema"
OTHER = "the registered version"


def describe_location(root: Node, location: str) -> str:
    """Name the element at ``location`` for a person: ``field `email` of record `a.User```.

    Tolerates Apache-style reader locations, where a writer's union branch index may
    follow a reader element that is not a union.
    """
    node: Node | None = root
    field: Field | None = None
    owner: Record | None = None
    extra: list[str] = []
    tokens = [t for t in location.split("/") if t]
    i = 0
    while i < len(tokens) and node is not None:
        token = tokens[i]
        if token == "fields" and isinstance(node, Record) and i + 1 < len(tokens):
            index = int(tokens[i + 1]) if tokens[i + 1].isdigit() else -1
            if not 0 <= index < len(node.types):
                break
            owner, field, extra = node, node.field_at(index), []
            node = None
            i += 2
            if i < len(tokens) and tokens[i] == "type":
                node = field.type
                i += 1
            continue
        if token == "items" and isinstance(node, Array):
            node, extra = node.items, [*extra, "array items"]
        elif token == "values" and isinstance(node, Map):
            node, extra = node.values, [*extra, "map values"]
        elif token.isdigit() and isinstance(node, Union) and int(token) < len(node.branches):
            node = node.branches[int(token)]
            extra = [*extra, f"union branch {token}"]
        elif token in ("name", "size", "symbols"):
            break
        i += 1
    if field is not None and owner is not None:
        base = f"field `{field.name}` of record `{owner.fullname}`"
    elif isinstance(root, Record):
        base = f"record `{root.fullname}`"
    else:
        base = "the top-level schema"
    return f"{base} ({', '.join(extra)})" if extra else base


def _ticks(items: tuple[object, ...]) -> str:
    return ", ".join(f"`{x}`" for x in items)


def _field_default(args: tuple[object, ...], local: Side, where: str) -> str:
    name, record = args
    if local == "reader":
        return (
            f"field `{name}` of record `{record}` was added without a default: "
            f"records written with {OTHER} have no value for it"
        )
    return (
        f"field `{name}` of record `{record}` was removed, but {OTHER} reads it and has no default: "
        f"records written with {THIS} have no value for it"
    )


def _type_mismatch(args: tuple[object, ...], local: Side, where: str) -> str:
    reader, writer = args
    if local == "reader":
        return (
            f"{where} changed type: {OTHER} writes {writer} there, which {THIS} cannot read as {reader} "
            "(not an Avro promotion)"
        )
    return (
        f"{where} changed type: {THIS} writes {writer} there, which {OTHER} cannot read as {reader} "
        "(not an Avro promotion)"
    )


def _union_branch(args: tuple[object, ...], local: Side, where: str) -> str:
    writer, closest = args
    if local == "reader":
        text = f"{where} can no longer read the {writer} values written with {OTHER}: no branch of its type matches"
    else:
        text = f"{where} may now hold {writer} values, which no branch of {OTHER}'s type can read"
    if closest:
        assert isinstance(closest, tuple)
        rule, _, _, inner = closest[0]
        text += f" (the {writer} branch differs: {render_args(rule, inner, local, 'it')})"
    return text


def _enum_symbols(args: tuple[object, ...], local: Side, where: str) -> str:
    enum, missing = args
    assert isinstance(missing, tuple)
    plural = "s" if len(missing) > 1 else ""
    if local == "reader":
        return (
            f"enum `{enum}` no longer has the symbol{plural} {_ticks(missing)} and has no default: "
            f"data written with {OTHER} may contain {'them' if plural else 'it'}"
        )
    return (
        f"enum `{enum}` gained the symbol{plural} {_ticks(missing)}, which {OTHER} does not know "
        "and its enum has no default to fall back to"
    )


def _name_mismatch(args: tuple[object, ...], local: Side, where: str) -> str:
    kind, reader, writer = args
    old, new = (writer, reader) if local == "reader" else (reader, writer)
    return (
        f"{kind} `{old}` was renamed to `{new}`: the reader's type must keep the name or list `{writer}` in its aliases"
    )


def _fixed_size(args: tuple[object, ...], local: Side, where: str) -> str:
    name, reader_size, writer_size = args
    old, new = (writer_size, reader_size) if local == "reader" else (reader_size, writer_size)
    return f"fixed `{name}` changed size from {old} to {new} bytes: values of one size cannot be read as the other"


TEMPLATES: dict[str, Callable[[tuple[object, ...], Side, str], str]] = {
    READER_FIELD_MISSING_DEFAULT_VALUE: _field_default,
    TYPE_MISMATCH: _type_mismatch,
    MISSING_UNION_BRANCH: _union_branch,
    MISSING_ENUM_SYMBOLS: _enum_symbols,
    NAME_MISMATCH: _name_mismatch,
    FIXED_SIZE_MISMATCH: _fixed_size,
}


def render_args(rule: str, args: tuple[object, ...], local: Side, where: str) -> str:
    """The sentence for one rule's arguments; ``where`` names the element."""
    return TEMPLATES[rule](args, local, where)


def render(issue: Issue, local: Side, local_root: Node) -> str:
    """The sentence for ``issue``, naming the element in the local schema."""
    rule, rloc, wloc, args = issue
    location = rloc if local == "reader" else wloc
    if rule == MISSING_UNION_BRANCH and local == "reader" and location.rpartition("/")[2].isdigit():
        location = location.rpartition("/")[0]  # Apache appends the writer's branch index
    where = describe_location(local_root, location)
    return render_args(rule, args, local, where)
