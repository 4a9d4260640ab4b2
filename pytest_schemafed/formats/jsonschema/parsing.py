"""Turn schema text into a :class:`ParsedJsonSchema`, or one clear :class:`SchemaParseError`.

Three things can be wrong with a user's file, and each gives one error that says
where: the text is not JSON (line and column from the decoder); the JSON is not a
valid schema of its draft (the meta-schema's best error, located by JSON
pointer); a ``$ref`` cannot be followed or only loops back to itself.

Depth: a document (and each reference) may nest at most :data:`MAX_DEPTH` (128) JSON
arrays and objects (``properties`` and its value are two levels). A deeper one is an
error that says so before anything walks it: validation, loading and the differ then
stay far below Python's recursion limit (the differ needs about four frames a level).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...errors import SchemaParseError
from ..base import ParsedSchema
from ..jsonpos import JsonPositions
from ..limits import json_deeper_than
from .loader import Loader, LoadError, draft_of
from .messages import MISSING
from .metaschemas import bundled_uri
from .model import Node
from .validate import looks_valid, meta_errors

__all__ = ["MAX_DEPTH", "ParsedJsonSchema", "parse_schema"]

#: the deepest nesting of JSON arrays and objects a schema document may have
MAX_DEPTH = 128

_DRAFT_NAMES = {4: "draft-04", 6: "draft-06", 7: "draft-07", 2019: "2019-09", 2020: "2020-12"}


class ParsedJsonSchema(ParsedSchema):
    """A JSON Schema document, its draft, and the model graph the differ compares."""

    __slots__ = ("_positions", "document", "draft", "has_refs", "imports", "loader", "reference_texts", "root")

    def __init__(self, text: str, path: str | None, document: Any, draft: int, root: Node, imports: list[str]) -> None:
        super().__init__(text, path)
        self.document = document
        self.draft = draft
        self.root = root
        self.imports = imports
        self.has_refs = True
        self._positions: JsonPositions | None = None
        self.loader: Loader | None = None
        self.reference_texts: Mapping[str, str] = {}

    def follow(self, segments: Sequence[str]) -> tuple[Any, str, str]:
        """The value at Confluent path ``segments``, through ``$ref``: (value, document name, pointer).

        The document name is ``""`` for this schema, else the reference's name; the value
        is :data:`.messages.MISSING` where the path leads nowhere.
        """
        value, doc, pointer = self.document, "", ""
        for token in segments:
            for _ in range(64):  # a chain of $ref to $ref; cycles are refused at load, this only bounds
                if not (isinstance(value, dict) and token not in value and isinstance(value.get("$ref"), str)
                        and self.loader is not None):
                    break
                try:
                    doc, pointer, value = self.loader.resolve(value["$ref"], doc, pointer)
                except LoadError:
                    return MISSING, doc, pointer
            if isinstance(value, dict) and token in value:
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                return MISSING, doc, pointer
            pointer += "/" + token.replace("~", "~0").replace("/", "~1")
        return value, doc, pointer

    def locate_in_reference(self, name: str, pointer: str) -> tuple[int, int] | None:
        """(line, column) of ``pointer`` in the local reference ``name``, when its text is known."""
        text = self.reference_texts.get(name)
        return JsonPositions(text).locate(pointer) if text is not None else None

    def locate(self, schema_path: str) -> tuple[int, int] | None:
        """(line, column) of a JSON pointer (``#/properties/a``) or its nearest ancestor."""
        if self._positions is None:
            self._positions = JsonPositions(self.text)
        return self._positions.locate(schema_path)

    def existing_pointer(self, start: str, segments: tuple[str, ...]) -> str:
        """``start`` extended by as many of ``segments`` as exist in the document."""
        value = self.document
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in start.split("/")[1:]] if start else []
        pointer = ""
        for token in [*tokens, *segments]:
            if isinstance(value, dict) and token in value:
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                break
            pointer += "/" + token.replace("~", "~0").replace("/", "~1")
        return pointer


_fast_loads: Callable[[str], Any] | None
try:  # optional: orjson decodes 3-5x faster; the standard library gives the same values
    from orjson import JSONDecodeError as _FastError
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - depends on the environment
    _fast_loads = None


def _too_deep(label: str | None) -> SchemaParseError:
    return SchemaParseError(
        f"not a valid JSON Schema: nested too deeply (more than {MAX_DEPTH} levels of arrays and objects)", path=label
    )


def _decode(text: str, label: str | None) -> Any:
    document = _decode_json(text, label)
    if json_deeper_than(text, document, MAX_DEPTH):
        raise _too_deep(label)
    return document


def _decode_json(text: str, label: str | None) -> Any:
    if _fast_loads is not None:
        try:
            return _fast_loads(text)
        except _FastError:
            pass  # let the standard decoder say what is wrong (or accept what orjson refuses)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaParseError(f"not valid JSON: {exc.msg}", path=label, line=exc.lineno, column=exc.colno) from None
    except RecursionError:  # deeper than the decoder reads (orjson stops at 1024 levels)
        raise _too_deep(label) from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise SchemaParseError(f"not valid JSON: {exc}", path=label) from None


def _check(document: Any, draft: int, text: str, label: str | None) -> None:
    if not isinstance(document, (dict, bool)):
        kind = type(document).__name__
        raise SchemaParseError(f"a JSON Schema must be an object (or true/false), not a JSON {kind}", path=label)
    if looks_valid(document, draft):
        return
    problem = meta_errors(document, draft)
    if problem is None:
        return
    message, pointer = problem
    where = JsonPositions(text).locate(pointer)
    raise SchemaParseError(
        f"not a valid JSON Schema ({_DRAFT_NAMES[draft]}) at #{pointer}: {message}",
        path=label,
        line=where[0] if where else None,
        column=where[1] if where else None,
    )


def parse_schema(
    text: str, *, path: str | None = None, references: Mapping[str, str] | None = None
) -> ParsedJsonSchema:
    """Parse, validate against the meta-schema of its draft, and load with every ``$ref`` resolved.

    :raises SchemaParseError: invalid JSON, invalid schema, unresolvable ``$ref`` or ``$ref`` cycle.
    """
    document = _decode(text, path)
    draft = draft_of(document)
    _check(document, draft, text, path)
    ref_docs: dict[str, Any] = {}
    has_refs = '"$ref"' in text
    if references and has_refs:
        for name, ref_text in references.items():
            label = f"{path}: reference {name}" if path else f"reference {name}"
            ref_doc = _decode(ref_text, label)
            _check(ref_doc, draft_of(ref_doc, draft), ref_text, label)
            ref_docs[name] = ref_doc
    loader = Loader(document, ref_docs, draft, lazy=not has_refs)
    try:
        root = loader.load_root()
    except LoadError as exc:
        if exc.doc:
            raise SchemaParseError(f"{exc} (in reference {exc.doc}, at #{exc.ptr})", path=path) from None
        where = JsonPositions(text).locate(exc.ptr + "/$ref")
        raise SchemaParseError(
            f"{exc} (at #{exc.ptr})", path=path, line=where[0] if where else None, column=where[1] if where else None
        ) from None
    except RecursionError:  # a safety net: MAX_DEPTH keeps the loader far from Python's limit
        raise _too_deep(path) from None
    imports = sorted({
        n.ref.split("#", 1)[0] for n in loader.refs
        if n.ref and not n.ref.startswith("#") and bundled_uri(n.ref) is None  # registries know the meta-schemas
    })
    parsed = ParsedJsonSchema(text, path, document, draft, root, imports)
    parsed.has_refs = has_refs
    if has_refs:
        parsed.loader = loader
        parsed.reference_texts = dict(references or {})
    return parsed
