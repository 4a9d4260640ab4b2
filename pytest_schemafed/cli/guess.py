"""Telling a schema's format from its text, where neither a file name nor a registry says."""

from __future__ import annotations

import json

from ..registry import Registry

__all__ = ["guess_format"]

AVRO_KINDS = frozenset({"record", "enum", "fixed", "array", "map", "error"})


def guess_format(text: str, registry: Registry) -> str:
    """The format of a schema text: ``protobuf``, ``json`` or ``avro``.

    Not JSON at all: Protobuf. A JSON object with ``$schema``, ``properties``, ``$ref`` or
    ``type: object`` (and not an Avro named type): JSON Schema. Anything else: Avro, whose
    parser then says precisely what is wrong with it.
    """
    if not text.lstrip().startswith(("{", "[", '"')) and "protobuf" in registry.formats:
        return "protobuf"
    try:
        doc = json.loads(text)
    except ValueError:
        return "avro"
    if isinstance(doc, dict) and doc.get("type") not in AVRO_KINDS and "json" in registry.formats and (
        "$schema" in doc or "properties" in doc or doc.get("type") == "object" or "$ref" in doc
    ):
        return "json"
    return "avro"
