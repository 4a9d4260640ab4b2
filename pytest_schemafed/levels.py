"""Compatibility levels, and the one function that decides which versions a level needs."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["Level", "Needs", "needs", "versions_needed"]

V = TypeVar("V")


class Level(str, enum.Enum):
    """A compatibility level, with Confluent Schema Registry's meaning.

    BACKWARD: a consumer using the new schema reads data written with the last
    registered version. FORWARD: a consumer using the last registered version reads
    data written with the new schema. FULL: both. The ``*_TRANSITIVE`` forms apply
    the same test to every registered version, not only the last.
    """

    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    _transitive: bool
    _backward: bool
    _forward: bool

    @classmethod
    def parse(cls, value: str | Level) -> Level:
        """Read a level name, case-insensitively; Glue's ``*_ALL`` map to ``*_TRANSITIVE``.

        :raises ValueError: with the accepted names when ``value`` is not a level.
        """
        if isinstance(value, Level):
            return value
        exact = _BY_NAME.get(value) if isinstance(value, str) else None
        if exact is not None:
            return exact
        name = str(value).strip().upper().replace("-", "_")
        if name.endswith("_ALL"):
            name = name[: -len("_ALL")] + "_TRANSITIVE"
        try:
            return cls(name)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown compatibility level {value!r}; expected one of {names}") from None

    @property
    def transitive(self) -> bool:
        """True when every registered version is compared, not only the latest."""
        return self._transitive

    @property
    def backward(self) -> bool:
        """True when the new schema must read data written with previous versions."""
        return self._backward

    @property
    def forward(self) -> bool:
        """True when previous versions must read data written with the new schema."""
        return self._forward


_BY_NAME: dict[str, Level] = {level.value: level for level in Level}
for _level in Level:  # read on every comparison: plain attributes, not string tests
    _level._transitive = _level.value.endswith("_TRANSITIVE")
    _level._backward = _level.value.startswith(("BACKWARD", "FULL"))
    _level._forward = _level.value.startswith(("FORWARD", "FULL"))
del _level



class Needs(str, enum.Enum):
    """Which registered versions a level compares with."""

    NOTHING = "nothing"
    LATEST = "latest"
    ALL = "all"


_NONE = Level.NONE


def needs(level: Level) -> Needs:
    """The decision itself, with Confluent's meaning: ``NONE`` compares with nothing, a
    ``*_TRANSITIVE`` level with every version, any other level with the latest one.
    Backends use it to fetch no more than the level needs; :func:`versions_needed` applies it."""
    if level is _NONE:
        return Needs.NOTHING
    return Needs.ALL if level.transitive else Needs.LATEST


def versions_needed(
    level: Level,
    versions: Sequence[V],
    *,
    group_of: Callable[[V], str | None] | None = None,
    group_value: str | None = None,
) -> tuple[V, ...]:
    """The registered versions a new schema is compared with at ``level``, oldest first.

    Every place that compares (the local judge, :func:`check_compatibility`, ``schemafed
    audit``) calls this function; it applies :func:`needs`.

    :param versions: every registered version, oldest first (or the ones already chosen:
        the function is idempotent).
    :param group_of: Confluent's ``compatibilityGroup``: the group value of a version
        (its metadata property); only versions whose value equals ``group_value`` count,
        so "the latest" is the latest of the new schema's group.
    :param group_value: the new schema's value of the group property.
    """
    need = needs(level)
    if need is Needs.NOTHING:
        return ()
    pool = list(versions) if group_of is None else [v for v in versions if group_of(v) == group_value]
    return tuple(pool) if need is Needs.ALL else tuple(pool[-1:])
