"""Where a reader's oneofs come from in the writer's schema (Confluent's oneof checks since June 2026).

Confluent's current ``MessageSchemaDiff`` compares oneofs by name and fields by number
wherever they are; what it adds is the membership check here. A rename is ONEOF_REMOVED
plus ONEOF_ADDED for Confluent (both compatible); :func:`renamed_oneofs` recognises it
so that the advisory can say so.
"""

from __future__ import annotations

from .model import FieldDef, MessageDef, OneofDef

__all__ = ["oneof_membership", "renamed_oneofs"]


def oneof_membership(
    one: OneofDef, o_top: dict[int, FieldDef], o_all: dict[int, FieldDef], o_in_oneof: dict[int, str]
) -> tuple[str, str] | None:
    """A reader's oneof may not make fields exclusive that the writer could set together.

    Confluent (since June 2026) groups the oneof's members by where they were in the
    writer's schema: each top-level field is its own group, each writer oneof one group,
    new fields none. More than one group is FIELD_MOVED_TO_EXISTING_ONEOF (a field moved
    into an existing oneof, or two oneofs merged), or MULTIPLE_FIELDS_MOVED_TO_ONEOF when
    several of them were top-level fields.

    Removes the oneof's members from ``o_top`` (they moved; they were not removed).
    :returns: (change type, where each member was, in words), or ``None``.
    """
    groups: dict[str, list[str]] = {}
    moved: list[FieldDef] = []
    for f in one.fields:
        o_top.pop(f.number, None)  # not a FIELD_REMOVED: it moved
        if f.number in o_in_oneof:
            groups.setdefault(o_in_oneof[f.number], []).append(f.name)
        elif f.number in o_all:
            groups.setdefault(f"#{f.number}", []).append(f.name)
            moved.append(f)
    if len(groups) <= 1:
        return None
    words = [
        f"field `{names[0]}` (outside any oneof)" if key.startswith("#") else f"oneof `{key}` ({_ticks(names)})"
        for key, names in groups.items()
    ]
    kind = "MULTIPLE_FIELDS_MOVED_TO_ONEOF" if len(moved) > 1 else "FIELD_MOVED_TO_EXISTING_ONEOF"
    return kind, ", ".join(words[:-1]) + " and " + words[-1]


def _ticks(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def renamed_oneofs(o: MessageDef, u: MessageDef, o_in_oneof: dict[int, str]) -> dict[str, OneofDef]:
    """Reader oneofs that are a writer oneof under a new name: new name -> the writer's oneof.

    A oneof is renamed when it is new, every one of its earlier members comes from a
    single writer oneof that is gone, and it holds all of that oneof's fields.
    """
    u_names = {x.name for x in u.oneofs}
    o_by_name = {x.name: x for x in o.oneofs}
    found: dict[str, OneofDef] = {}
    for one in u.oneofs:
        if one.name in o_by_name:
            continue
        sources = {o_in_oneof[f.number] for f in one.fields if f.number in o_in_oneof}
        if len(sources) != 1:
            continue
        (source,) = sources
        old = o_by_name[source]
        numbers = {f.number for f in one.fields}
        if source not in u_names and all(f.number in numbers for f in old.fields):
            found[one.name] = old
    return found
