"""Mutations of valid schema texts, and the one property every parser must keep.

The property (:func:`check`): ``parse`` of any text gives a schema or a
:class:`SchemaParseError`, nothing else, and ``compare`` of two parsed schemas
raises nothing. Each mutation is a pure function of a ``random.Random``, so that the
hypothesis tests (bounded, in ``make test``) and the longer campaign of
``tests/fuzz/run.py`` (``make fuzz``) share them and every crash can be replayed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.formats.avro import AvroFormat
from pytest_schemafed.formats.base import Format, ParsedSchema
from pytest_schemafed.formats.jsonschema import JsonSchemaFormat
from pytest_schemafed.formats.protobuf import ProtobufFormat
from pytest_schemafed.tables.iceberg import IcebergFormat

from . import seeds

__all__ = ["FORMATS", "SEEDS", "check", "mutate"]

FORMATS: dict[str, Format] = {"avro": AvroFormat(), "json": JsonSchemaFormat(), "protobuf": ProtobufFormat(),
                              "iceberg": IcebergFormat()}
SEEDS: dict[str, list[str]] = {"avro": seeds.AVRO, "json": seeds.JSON_SCHEMA, "protobuf": seeds.PROTOBUF,
                               "iceberg": seeds.ICEBERG}

_CHARS = '{}[]",:;=<>()-+.0123456789 \n\t\\/*aeznulltruefalse\x00\u00e9\U0001f600'
_JSON_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 2**70, -(2**64), 1e308, "", "x", "null", "record", "array", "map", "enum",
    "fixed", "string", "object", "#", "#/definitions/x", "file:///etc/passwd", "http://127.0.0.1:9/x.json",
    [], {}, [[]], [{}], {"type": []}, {"type": {}}, {"$ref": "#"}, {"$ref": 1}, ["null"], ["null", "null"],
    {"type": "record", "name": "R", "fields": [{"name": "a", "type": [], "default": 1}]},
]
_KEYS = [
    "type", "name", "namespace", "fields", "items", "values", "symbols", "size", "default", "aliases", "order",
    "logicalType", "properties", "required", "$ref", "$id", "$schema", "$defs", "definitions", "allOf", "anyOf",
    "oneOf", "not", "enum", "const", "if", "then", "else", "additionalProperties", "patternProperties",
    "dependencies", "prefixItems", "minimum", "maxLength", "$anchor",
]
_PROTO_WORDS = [
    "message", "enum", "oneof", "map", "<", ">", "{", "}", ";", "=", "[", "]", "repeated", "optional", "required",
    "reserved", "extensions", "to", "max", "import", '"/etc/passwd"', '"../x.proto"', "option", "group", "package",
    "syntax", '"proto3"', '"proto2"', "extend", "stream", "service", "rpc", "1", "0", "-1", "536870912", "19000",
    "int32", "string", "bytes", "google.protobuf.Any", ".a.b", "(", ")", "edition", "weak", "public",
]


def _char_mutation(text: str, rng: random.Random) -> str:
    if not text:
        return rng.choice(_CHARS)
    i = rng.randrange(len(text))
    j = min(len(text), i + rng.randint(1, 8))
    op = rng.randrange(5)
    if op == 0:
        return text[:i] + text[j:]
    if op == 1:
        return text[:i] + rng.choice(_CHARS) + text[i:]
    if op == 2:
        return text[:i] + rng.choice(_CHARS) + text[i + 1 :]
    if op == 3:
        return text[:j] + text[i:j] + text[j:]
    k = rng.randrange(len(text))
    return text[:i] + text[k : k + (j - i)] + text[j:]


def _truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _containers(value: Any, out: list[Any]) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (dict, list)):
            out.append(v)
            stack.extend(v.values() if isinstance(v, dict) else v)


def _json_mutation(text: str, rng: random.Random) -> str:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return _char_mutation(text, rng)
    places: list[Any] = []
    _containers(doc, places)
    if not places:
        return json.dumps(rng.choice(_JSON_VALUES))
    target = rng.choice(places)
    op = rng.randrange(5)
    if isinstance(target, dict):
        keys = list(target)
        if op == 0 and keys:
            del target[rng.choice(keys)]
        elif op == 1 and keys:
            key = rng.choice(keys)
            target[rng.choice(_KEYS)] = target.pop(key)
        elif op == 2 and keys:
            key = rng.choice(keys)
            target[key] = [target[key]] if rng.random() < 0.5 else {"type": target[key]}
        else:
            target[rng.choice(keys + _KEYS)] = rng.choice(_JSON_VALUES)
    elif target:
        i = rng.randrange(len(target))
        if op == 0:
            del target[i]
        elif op == 1:
            target.insert(i, target[i])
        else:
            target[i] = rng.choice(_JSON_VALUES)
    else:
        target.append(rng.choice(_JSON_VALUES))
    try:
        return json.dumps(doc)
    except (ValueError, RecursionError):
        return text


def _proto_mutation(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    op = rng.randrange(4)
    if op == 0:
        del words[i]
    elif op == 1:
        words.insert(i, rng.choice(_PROTO_WORDS))
    elif op == 2:
        words[i] = rng.choice(_PROTO_WORDS)
    else:
        words.insert(i, words[rng.randrange(len(words))])
    return " ".join(words)


def _deep(fmt: str, rng: random.Random) -> str:
    n = rng.choice([1, 2, 50, 99, 100, 101, 127, 128, 129, 199, 200, 201, 300, 500, 1100, 3000])
    if fmt == "avro":
        kind = rng.randrange(4)
        if kind == 0:
            return '{"type":"array","items":' * n + '"int"' + "}" * n
        if kind == 1:
            return '["null",' * n + '"int"' + "]" * n
        if kind == 2:
            body = '"int"'
            for i in range(n):
                body = f'{{"type":"record","name":"R{i}","fields":[{{"name":"f","type":{body}}}]}}'
            return body
        return '{"type":"record","name":"R","fields":[{"name":"f","type":"int","default":' + "[" * n + "]" * n + "}]}"
    if fmt == "iceberg":
        body = '"long"'
        for i in range(n):
            body = f'{{"type":"struct","fields":[{{"id":{i + 1},"name":"f","required":false,"type":{body}}}]}}'
        return '{"type":"struct","schema-id":0,"fields":[{"id":0,"name":"r","required":true,"type":' + body + "}]}"
    if fmt == "json":
        kind = rng.randrange(3)
        if kind == 0:
            return '{"type":"object","properties":{"a":' * n + "{}" + "}}" * n
        if kind == 1:
            return '{"items":' * n + "true" + "}" * n
        return '{"const":' + "[" * n + "]" * n + "}"
    inner = "int32 x = 1;"
    if rng.random() < 0.5:
        return 'syntax = "proto3";\n' + "".join(f"message M{i} {{\n" for i in range(n)) + inner + "}" * n
    return 'syntax = "proto3";\nmessage M { option (a) = ' + "{" * n + "}" * n + "; }"


def mutate(fmt: str, rng: random.Random) -> str:
    """One hostile text for ``fmt``: a seed after 1-4 mutations, a truncation, or deep nesting."""
    if rng.random() < 0.05:
        return _deep(fmt, rng)
    text = rng.choice(SEEDS[fmt])
    ops: list[Callable[[str, random.Random], str]] = [_char_mutation, _truncate]
    ops.append(_proto_mutation if fmt == "protobuf" else _json_mutation)
    if fmt != "protobuf":
        ops.append(_json_mutation)  # structural changes keep more texts parseable: they reach deeper
    for _ in range(rng.randint(1, 4)):
        text = rng.choice(ops)(text, rng)
    return text


_PARSED_SEEDS: dict[str, list[ParsedSchema]] = {}


def check(fmt: str, text: str) -> None:
    """Parse ``text`` and, if it is a schema, compare it with a seed both ways and with itself.

    :raises AssertionError: never from here; anything but SchemaParseError propagates to the caller.
    """
    engine = FORMATS[fmt]
    try:
        parsed = engine.parse(text, path="fuzzed")
    except SchemaParseError as exc:
        assert str(exc) and exc.reason, "a parse error must say what is wrong"
        return
    seeds_parsed = _PARSED_SEEDS.get(fmt)
    if seeds_parsed is None:
        seeds_parsed = _PARSED_SEEDS[fmt] = [engine.parse(s, path="seed") for s in SEEDS[fmt]]
    for other in (*seeds_parsed, parsed):
        engine.compare(parsed, other, local="reader")
        engine.compare(other, parsed, local="writer")
