"""What a schema format provides: detection, parsing, and the compatibility primitive.

A format is one :class:`Format` subclass, registered through the
``pytest_schemafed_register_formats`` hook. The level logic (which versions, which
direction) is shared in :mod:`pytest_schemafed.engine`; a format only answers one
question, :meth:`Format.compare`: *can a consumer using* ``reader`` *read data
written with* ``writer``? and says where, in the local file, each problem is.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from ..model import Finding

__all__ = ["Format", "ParsedSchema", "Rule", "Side"]

Side = Literal["reader", "writer"]


class ParsedSchema:
    """Base of every format's parsed form: keeps the text, its origin and positions.

    Subclasses add their own model. ``locate`` maps a schema path of the format
    (JSON pointer for Avro and JSON Schema) to a 1-based (line, column).
    """

    __slots__ = ("path", "text")

    def __init__(self, text: str, path: str | None = None) -> None:
        self.text = text
        self.path = path

    def locate(self, schema_path: str) -> tuple[int, int] | None:
        """Return (line, column) of ``schema_path`` in :attr:`text`, or ``None``."""
        return None


@dataclass(frozen=True, slots=True)
class Rule:
    """One compatibility rule: a stable id, what it checks, and how to fix a break.

    :param id: UPPER_SNAKE id, stable across releases (it appears in reports and SARIF).
    :param purpose: one sentence, "Checks that ...".
    :param hint: one line saying what to do instead, or ``None``.
    """

    id: str
    purpose: str
    hint: str | None = None


class Format(ABC):
    """A schema format: how to find its files, parse them and compare two versions.

    Class attributes:

    * ``name``: the format's name in configuration (``avro``, ``json``, ``protobuf``).
    * ``schema_type``: the Confluent ``schemaType`` (``AVRO``, ``JSON``, ``PROTOBUF``).
    * ``extensions``: file name endings this format claims without looking inside.
    * ``rules``: the format's rule table (for SARIF, docs and meta-tests).
    """

    name: ClassVar[str]
    schema_type: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    rules: ClassVar[Sequence[Rule]] = ()
    #: a format a backend holds that local files are written into (a lakehouse table), compared
    #: once whatever the level, after :meth:`adopt` maps the local schema onto it
    sink: ClassVar[bool] = False

    def detect(self, path: Path) -> bool:
        """Return True when ``path`` is a file of this format.

        The default claims files by extension; a format may look inside (JSON Schema
        reads the top-level ``$schema`` of ``.json`` files). Must be cheap: it is
        called for every file pytest visits.
        """
        return path.name.endswith(self.extensions)

    @abstractmethod
    def parse(
        self,
        text: str,
        *,
        path: str | None = None,
        references: Mapping[str, str] | None = None,
    ) -> ParsedSchema:
        """Parse ``text`` into this format's model.

        :param path: where the text came from, for messages (a file, ``version 3``).
        :param references: other schemas the text refers to, name -> text
            (Avro named types, JSON ``$ref`` targets, Protobuf imports).
        :raises SchemaParseError: the text is not a valid schema; the message says
            what is wrong and, when known, where.
        """

    @abstractmethod
    def compare(self, reader: ParsedSchema, writer: ParsedSchema, *, local: Side) -> list[Finding]:
        """Return every reason a consumer using ``reader`` cannot read ``writer``'s data.

        An empty list means compatible. ``local`` says which side is the local file,
        so that each finding's ``path``, ``line`` and ``column`` point into it (for an
        element that only exists on the other side, the nearest enclosing element of
        the local side). ``version`` and ``direction`` are filled in by the engine.
        """

    def parse_scope(self) -> AbstractContextManager[object]:
        """A block whose parses may share work with each other, and keep none of it after.

        Entered by :func:`~pytest_schemafed.check_compatibility` around one call, so that
        the new schema and its versions share what they have in common (Avro: its parsed
        fields). The default shares nothing.
        """
        return nullcontext()

    def adopt(self, parsed: ParsedSchema, relpath: str, target: str) -> ParsedSchema:
        """A sink format: ``parsed`` (a local file of another format) as this format's model.

        :raises LocalSchemaError: the local schema has no form in this format (says where).
        """
        from ..errors import LocalSchemaError

        raise LocalSchemaError(f"{relpath}: cannot be compared with {target} ({self.name} takes no other format)")

    def record_name(self, parsed: ParsedSchema) -> str | None:
        """The full name of the schema's top-level type, for ``{name}`` in subjects."""
        return None

    def imports(self, parsed: ParsedSchema) -> list[str]:
        """Names of the other schemas this one refers to (for registry references)."""
        return []

    def __repr__(self) -> str:
        return f"<Format {self.name}>"
