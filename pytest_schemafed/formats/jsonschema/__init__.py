"""The ``json`` format: JSON Schema files and Confluent's JSON Schema compatibility rules.

Which files: ``*.schema.json`` always; any other ``.json`` only when its top-level
``$schema`` names a JSON Schema meta-schema (a json-schema.org draft, or a URI listed
under ``json_schema_dialects:``). A file whose ``$schema`` points at some other schema
(``renovate.json``, ``biome.json``, ``tsconfig.json``...) is an instance, not a schema,
and is left alone; ``package.json`` has no ``$schema`` at all.

References: :mod:`.refs` finds the local files a ``$ref`` reaches (relative paths,
``$id`` URLs), :mod:`.metaschemas` the bundled meta-schemas; nothing is fetched.

What compatible means: Confluent Schema Registry's meaning for JSON Schema. Its
differ (``SchemaDiff``) lists every change between the writer's schema (original)
and the reader's (update) with a type from a fixed taxonomy (:mod:`.rules`); the
pair is compatible when every change is in ``COMPATIBLE_CHANGES``. This package
is a port of that differ, on a model of the schema built the way Confluent's
loader builds it (:mod:`.loader`), so verdicts follow Confluent, including where
they surprise (adding a typed property to an *open* object breaks BACKWARD).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from ...model import Finding
from ..base import Format, ParsedSchema, Rule, Side
from .context import Change
from .differ import diff
from .messages import sentence
from .metaschemas import is_dialect
from .parsing import ParsedJsonSchema, parse_schema
from .refs import local_refs
from .rules import COMPATIBLE_CHANGES, RULES, RULES_BY_ID

__all__ = ["JsonSchemaFormat", "ParsedJsonSchema", "changes", "top_level_schema_value"]

_SNIFF_BYTES = 8192


def changes(original: ParsedJsonSchema, update: ParsedJsonSchema) -> list[str]:
    """Confluent's change list for (original, update): ``["<TYPE> <path>", ...]``, in its order."""
    return [str(c) for c in diff(original.root, update.root)]


def top_level_schema_value(head: str) -> str | None:
    """The string value of the top-level ``"$schema"`` key of the JSON text ``head`` (its start), or ``None``."""
    i = 0
    n = len(head)
    while i < n and head[i] in " \t\r\n\ufeff":
        i += 1
    if i >= n or head[i] != "{":
        return None
    depth = 0
    expect_key = False
    while i < n:
        ch = head[i]
        if ch == '"':
            end = _string_end(head, i)
            if end < 0:
                return None
            if depth == 1 and expect_key and head[i + 1 : end] == "$schema":
                return _string_value_after(head, end + 1)
            i = end + 1
            expect_key = False
            continue
        if ch in "{[":
            depth += 1
            expect_key = ch == "{" and depth == 1
        elif ch in "}]":
            depth -= 1
        elif ch == "," and depth == 1:
            expect_key = True
        i += 1
    return None


def _string_end(text: str, start: int) -> int:
    """Index of the quote closing the JSON string opened at ``start``, or -1 when the text ends first."""
    end = start + 1
    n = len(text)
    while end < n and text[end] != '"':
        end += 2 if text[end] == "\\" else 1
    return end if end < n else -1


def _string_value_after(text: str, i: int) -> str | None:
    """The JSON string value following a key that ends before ``i`` (``: "value"``), or ``None``."""
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    if i >= n or text[i] != ":":
        return None
    i += 1
    while i < n and text[i] in " \t\r\n":
        i += 1
    if i >= n or text[i] != '"':
        return None
    end = _string_end(text, i)
    if end < 0:
        return None
    try:
        value = json.loads(text[i : end + 1])
    except ValueError:
        return None
    return value if isinstance(value, str) else None


class JsonSchemaFormat(Format):
    """JSON Schema (drafts 04, 06, 07, 2019-09, 2020-12; default draft-07)."""

    name: ClassVar[str] = "json"
    schema_type: ClassVar[str] = "JSON"
    extensions: ClassVar[tuple[str, ...]] = (".schema.json",)
    rules: ClassVar[tuple[Rule, ...]] = RULES

    def detect(self, path: Path) -> bool:
        """``*.schema.json``, or a ``.json`` whose top-level ``$schema`` names a json-schema.org draft."""
        name = path.name
        if name.endswith(self.extensions):
            return True
        if not name.endswith(".json"):
            return False
        return is_dialect(self.dialect_of(path))

    def dialect_of(self, path: Path) -> str | None:
        """The top-level ``$schema`` of the ``.json`` file ``path`` (from its first 8 KiB), or ``None``."""
        try:
            with path.open("r", encoding="utf-8", errors="replace") as handle:
                head = handle.read(_SNIFF_BYTES)
        except OSError:
            return None
        return top_level_schema_value(head)

    def local_imports(
        self,
        path: Path,
        text: str,
        import_roots: list[Path],
        read: Callable[[Path], str | None] | None = None,
        *,
        label: str | None = None,
        boundary: list[Path] | None = None,
    ) -> dict[str, str]:
        """Texts of the local files the ``$ref`` of ``text`` reach, transitively (see :mod:`.refs`).

        :param import_roots: ref roots, searched after the referring file's folder.
        :param boundary: the folders that may be read (the repository).
        :raises SchemaParseError: a ``$ref`` that cannot be resolved or is refused, in one line.
        """
        return local_refs(path, text, import_roots, read, label=label, boundary=boundary)

    def parse(
        self,
        text: str,
        *,
        path: str | None = None,
        references: Mapping[str, str] | None = None,
    ) -> ParsedJsonSchema:
        """Parse and validate ``text``; ``references`` maps ``$ref`` file names to their text."""
        return parse_schema(text, path=path, references=references)

    def compare(self, reader: ParsedSchema, writer: ParsedSchema, *, local: Side) -> list[Finding]:
        """Incompatible changes from ``writer`` (original) to ``reader`` (update), located locally."""
        if not isinstance(reader, ParsedJsonSchema) or not isinstance(writer, ParsedJsonSchema):
            raise TypeError("JsonSchemaFormat.compare needs schemas parsed by JsonSchemaFormat.parse")
        skip_equal = not reader.has_refs and not writer.has_refs and reader.draft == writer.draft
        found = [
            c
            for c in diff(writer.root, reader.root, skip_equal=skip_equal, keep_compatible=False)
            if c.type not in COMPATIBLE_CHANGES
        ]
        if not found:
            return []
        local_doc = reader if local == "reader" else writer
        update_name, original_name = ("new", "registered") if local == "reader" else ("registered", "new")
        findings: list[Finding] = []
        for change in found:
            inner = change.innermost()
            pointer = self._local_pointer(inner, local_doc, local)
            where = local_doc.locate(pointer)
            rule = RULES_BY_ID[change.type]
            message = self._sentence(change, writer, reader, original_name, update_name)
            if inner is not change:
                detail = self._sentence(inner, writer, reader, original_name, update_name)
                message = f"{message}; the closest alternative differs here: {detail}"
            message += self._defined_in(local_doc, inner.segments)
            findings.append(
                Finding(
                    rule=change.type,
                    message=message,
                    path="#" + pointer,
                    line=where[0] if where else None,
                    column=where[1] if where else None,
                    hint=(RULES_BY_ID[inner.type].hint if inner is not change else None) or rule.hint,
                )
            )
        return findings

    @staticmethod
    def _sentence(
        change: Change, writer: ParsedJsonSchema, reader: ParsedJsonSchema, original_name: str, update_name: str
    ) -> str:
        frame = change.frame
        kinds: tuple[str, str] | None = None
        if (
            frame is not None
            and frame.original is not None
            and frame.update is not None
            and frame.original_depth == frame.update_depth == len(change.segments)
        ):
            kinds = (frame.original.kind, frame.update.kind)
        values = None
        if writer.has_refs or reader.has_refs:  # the path may run through a $ref into another file
            values = (writer.follow(change.segments)[0], reader.follow(change.segments)[0])
        return sentence(change.type, change.segments, writer.document, reader.document,
                        orig=original_name, upd=update_name, kinds=kinds, values=values)

    @staticmethod
    def _defined_in(parsed: ParsedJsonSchema, segments: tuple[str, ...]) -> str:
        """`` (in address.json:5)`` when the change lies in a file the schema refers to, else ``""``."""
        if not parsed.has_refs or parsed.loader is None:
            return ""
        _, doc, pointer = parsed.follow(segments)
        if not doc or doc not in parsed.reference_texts:
            return ""
        where = parsed.locate_in_reference(doc, pointer)
        shown = doc
        if parsed.path and not parsed.path.startswith(("/", "<")):
            shown = posixpath.normpath(posixpath.join(posixpath.dirname(parsed.path), doc))
        return f" (in {shown}{f':{where[0]}' if where else ''}, which this schema refers to)"

    @staticmethod
    def _local_pointer(change: Change, parsed: ParsedJsonSchema, local: Side) -> str:
        frame = change.frame
        if frame is None:
            return ""
        node, depth = (
            (frame.update, frame.update_depth) if local == "reader" else (frame.original, frame.original_depth)
        )
        if node is None:
            return ""
        return parsed.existing_pointer(node.ptr, change.segments[depth:])

    def record_name(self, parsed: ParsedSchema) -> str | None:
        """The schema's ``title``, which Confluent's record name strategy uses for JSON Schema."""
        if isinstance(parsed, ParsedJsonSchema) and isinstance(parsed.document, dict):
            title = parsed.document.get("title")
            return title if isinstance(title, str) else None
        return None

    def imports(self, parsed: ParsedSchema) -> list[str]:
        """The other files this schema's ``$ref`` point to (``address.json``)."""
        return list(parsed.imports) if isinstance(parsed, ParsedJsonSchema) else []
