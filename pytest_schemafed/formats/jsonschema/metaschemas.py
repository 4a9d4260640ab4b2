"""The JSON Schema meta-schemas, bundled and offline: what a ``$schema`` names, what a ``$ref`` may reach.

The documents are those of the ``jsonschema-specifications`` package (a dependency of
``jsonschema``, MIT licence, by Julian Berman): drafts 3, 4, 6, 7, 2019-09 and 2020-12
with their vocabulary meta-schemas. They are read from the package's own files on
first use; nothing is ever fetched.

Two questions are answered here, and only here:

* :func:`bundled`: the document a ``$ref`` URI names when it is one of the
  meta-schemas (``http://json-schema.org/draft-07/schema#``, also written with
  ``https``, without ``#`` or with a trailing ``/``), else ``None``;
* :func:`is_dialect`: does a ``$schema`` value name a JSON Schema meta-schema (a
  json-schema.org draft, or one of the extra URIs of ``json_schema_dialects:``)? It
  decides which ``.json`` files are JSON Schemas, without importing anything.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from typing import Any

__all__ = ["bundled", "bundled_uri", "is_dialect", "normalize_uri"]

#: json-schema.org's drafts and their hyper-schemas: ``draft-07/schema``, ``draft/2020-12/schema``, ``schema``
_JSON_SCHEMA_ORG = re.compile(
    r"^(?:json-schema\.org/(?:draft-0\d/(?:hyper-)?schema|draft/(?:\d{4}-\d{2}|next)/(?:hyper-)?schema|schema))$"
)


def normalize_uri(uri: str) -> str:
    """``uri`` without its scheme's case, an empty fragment (``#``) or a trailing ``/``: for comparisons."""
    text = uri.strip()
    if text.endswith("#"):
        text = text[:-1]
    text = text.rstrip("/")
    scheme, sep, rest = text.partition("://")
    return f"{scheme.lower()}{sep}{rest}" if sep else text


def _host_path(uri: str) -> str | None:
    scheme, sep, rest = normalize_uri(uri).partition("://")
    return rest if sep and scheme in ("http", "https") else None


def is_dialect(value: object, extra: Collection[str] = ()) -> bool:
    """True when a ``$schema`` value names a JSON Schema meta-schema.

    :param extra: further meta-schema URIs (``json_schema_dialects:`` of the
        configuration), already normalised with :func:`normalize_uri`.
    """
    if not isinstance(value, str):
        return False
    rest = _host_path(value)
    if rest is not None and _JSON_SCHEMA_ORG.match(rest):
        return True
    return bool(extra) and normalize_uri(value) in extra


@functools.lru_cache(maxsize=1)
def _by_host_path() -> dict[str, str]:
    """host+path (no scheme) -> the URI the package files the document under."""
    from jsonschema_specifications import REGISTRY

    found: dict[str, str] = {}
    for uri in REGISTRY:
        rest = _host_path(uri)
        if rest is not None:
            found[rest] = uri
    return found


def bundled_uri(uri: str) -> str | None:
    """The canonical URI of the bundled meta-schema ``uri`` names (``http`` or ``https``, ``#`` or not)."""
    rest = _host_path(uri.split("#", 1)[0])
    if rest is None or not rest.startswith("json-schema.org/"):
        return None
    return _by_host_path().get(rest)


def bundled(uri: str) -> Any | None:
    """The bundled meta-schema ``uri`` names (a JSON document), or ``None`` when it names none."""
    canonical = bundled_uri(uri)
    if canonical is None:
        return None
    from jsonschema_specifications import REGISTRY

    return REGISTRY.contents(canonical)
