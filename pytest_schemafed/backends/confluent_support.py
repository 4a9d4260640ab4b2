"""Small helpers of the Confluent-API backend: reading its answers, and once-per-run memos."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from ..errors import BackendError
from ..model import Level, RemoteVerdict
from ..secrets import scrub
from .answers import shown

__all__ = [
    "Once", "SubjectConfig", "error_detail", "is_bare_not_found", "metadata_properties", "parse_config",
    "remote_verdict", "shown", "version_problem",
]

T = TypeVar("T")
_OLD_VERSION = re.compile(r"^\{oldSchemaVersion:\s*(\d+)\}$")


class _Slot:
    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Once:
    """Computes each key once per run, even when many threads ask at the same time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[Hashable, _Slot] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return ``compute()`` for ``key``, computed by the first caller; later callers wait for it.

        An exception is remembered too and raised to every caller of the same key.
        """
        with self._lock:
            slot = self._slots.get(key)
            owner = slot is None
            if slot is None:
                slot = self._slots[key] = _Slot()
        if owner:
            try:
                slot.value = compute()
            except BaseException as exc:
                slot.error = exc
                raise
            finally:
                slot.done.set()
            return slot.value
        slot.done.wait()
        if slot.error is not None:
            raise slot.error
        return slot.value


def error_detail(response: httpx.Response) -> tuple[int | None, str]:
    """The ``error_code`` and message of an error answer (Karapace's 422 lists are joined)."""
    try:
        body = response.json()
    except ValueError:
        return None, scrub(response.text.strip())[:200] or response.reason_phrase
    if isinstance(body, dict):
        code = body.get("error_code")
        message = body.get("message", "")
        if isinstance(message, list):
            message = "; ".join(str(m.get("msg", m)) if isinstance(m, dict) else str(m) for m in message)
        return (code if isinstance(code, int) else None), scrub(str(message))[:300]
    return None, scrub(str(body))[:200]


def is_bare_not_found(response: httpx.Response) -> bool:
    """A 404 from the web framework (route missing, Karapace's ``"Not Found"``), not the API."""
    if response.status_code != 404:
        return False
    code, _ = error_detail(response)
    return code is None or code == 404


def remote_verdict(body: Any, versions: Sequence[str], unexpected: BackendError,
                   level: Level | None = None) -> RemoteVerdict:
    """Read ``{"is_compatible": ..., "messages": [...]}``.

    Confluent's verbose entries are kept as given, except ``{oldSchema: '...'}`` (the whole
    registered schema again); ``{oldSchemaVersion: N}`` says which version failed.
    :raises BackendError: ``unexpected`` when the body has no ``is_compatible``.
    """
    if not isinstance(body, dict) or not isinstance(body.get("is_compatible"), bool):
        raise unexpected
    raw = body.get("messages")
    if raw is not None and not isinstance(raw, list):
        raise unexpected
    messages: list[str] = []
    failed: list[str] = []
    for message in raw or ():
        text = str(message)
        match = _OLD_VERSION.match(text)
        if match:
            failed.append(match.group(1))
        elif not text.startswith("{oldSchema:"):
            messages.append(text)
    return RemoteVerdict(compatible=body["is_compatible"], messages=tuple(messages),
                         versions=tuple(failed) or tuple(versions), level=level)


LEVEL_KEYS = ("compatibilityLevel", "compatibility")


@dataclass(frozen=True, slots=True)
class SubjectConfig:
    """What ``GET /config[/{s}]`` says: the level, and Confluent's compatibility group.

    :param level: the compatibility level the registry applies.
    :param group: ``compatibilityGroup``: the metadata property that splits lineages.
    :param override: ``overrideMetadata.properties`` (forced onto every new version).
    :param default: ``defaultMetadata.properties`` (used when a version has none).
    """

    level: Level
    group: str | None = None
    override: Mapping[str, str] = field(default_factory=dict)
    default: Mapping[str, str] = field(default_factory=dict)

    def group_value(self, latest: Mapping[str, str] | None) -> str | None:
        """The new schema's group value: forced by ``overrideMetadata``, else inherited from
        the latest version (as Confluent inherits metadata on registration), else the default."""
        if self.group is None:
            return None
        for source in (self.override, latest or {}, self.default):
            if self.group in source:
                return source[self.group]
        return None


def parse_config(body: Any) -> SubjectConfig:
    """Read a config answer, strictly.

    :raises ValueError: saying what is wrong, when the answer is not the documented shape
        (an object with ``compatibilityLevel`` or ``compatibility`` naming one of the seven
        levels; optional ``compatibilityGroup`` string; optional metadata objects).
    """
    if not isinstance(body, dict):
        raise ValueError(f"expected an object with compatibilityLevel, got {shown(body)}")
    raw = next((body[k] for k in LEVEL_KEYS if body.get(k) is not None), None)
    names = {m.value for m in Level}
    if not isinstance(raw, str) or raw not in names:
        raise ValueError(f"expected compatibilityLevel to be one of {', '.join(sorted(names))}, got {shown(body)}")
    group = body.get("compatibilityGroup")
    if group is not None and (not isinstance(group, str) or not group):
        raise ValueError(f"expected compatibilityGroup to be a property name, got {shown(body)}")
    return SubjectConfig(Level(raw), group, _properties(body, "overrideMetadata"), _properties(body, "defaultMetadata"))


def metadata_properties(body: Mapping[str, Any]) -> dict[str, str] | None:
    """A registered version's ``metadata.properties``, or ``None`` when it has none.

    :raises ValueError: when the metadata is not the documented shape.
    """
    if body.get("metadata") is None:
        return None
    return _properties(body, "metadata")


def _properties(body: Mapping[str, Any], key: str) -> dict[str, str]:
    value = body.get(key)
    if value is None:
        return {}
    props = value.get("properties") if isinstance(value, dict) else None
    if props is None and isinstance(value, dict):
        return {}
    if not isinstance(props, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in props.items()):
        raise ValueError(f"expected {key}.properties to map names to strings, got {shown(value)}")
    return dict(props)


def version_problem(body: Any) -> str | None:
    """What is wrong with a ``GET /subjects/{s}/versions/{v}`` answer, or ``None``."""
    if not isinstance(body, dict):
        return f"expected an object with schema and version, got {shown(body)}"
    if not isinstance(body.get("schema"), str):
        return f"expected schema to be a string, got {shown(body)}"
    if type(body.get("version")) is not int:
        return f"expected version to be a number, got {shown(body)}"
    refs = body.get("references")
    if refs is not None and (not isinstance(refs, list) or not all(
            isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("subject"), str)
            and type(r.get("version")) is int for r in refs)):
        return f"expected references to be a list of {{name, subject, version}}, got {shown(refs)}"
    try:
        metadata_properties(body)
    except ValueError as exc:
        return str(exc)
    return None
