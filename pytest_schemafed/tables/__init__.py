"""Lakehouse tables: one table type model, Unity Catalog's column JSON, the evolution rules.

* :mod:`.model`: :class:`TableSchema`, :class:`Column`, :class:`TType` (Spark's types).
* :mod:`.spark`: a Unity Catalog ``TableInfo`` (``type_json``, ``type_text``) as a table.
* :mod:`.from_avro`, :mod:`.from_jsonschema`, :mod:`.from_protobuf`: a parsed local
  schema as the columns Spark writes for it (:func:`local_table` picks the mapping).
* :mod:`.rules`, :mod:`.compare`: can the local schema's rows be written into the table?
"""

from __future__ import annotations

from typing import Any

from .compare import TableJudgement, compare_tables, judge_table
from .from_avro import LocalMappingError
from .model import Column, TableSchema, TType, UnsupportedType
from .rules import RULES, RULES_BY_ID

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "Column",
    "LocalMappingError",
    "TType",
    "TableJudgement",
    "TableSchema",
    "UnsupportedType",
    "compare_tables",
    "judge_table",
    "local_table",
]


def local_table(parsed: Any) -> TableSchema:
    """The table a parsed local schema (Avro, JSON Schema, Protobuf, Iceberg) describes.

    :raises LocalMappingError: the schema has no table form (says where).
    :raises TypeError: a format without a table mapping.
    """
    from ..formats.avro.model import AvroSchema

    if isinstance(parsed, AvroSchema):
        from .from_avro import avro_to_table

        return avro_to_table(parsed)
    from .iceberg import IcebergSchema

    if isinstance(parsed, IcebergSchema):
        return parsed.table
    from ..formats.protobuf import ProtobufSchema

    if isinstance(parsed, ProtobufSchema):
        from .from_protobuf import protobuf_to_table

        return protobuf_to_table(parsed)
    from ..formats.jsonschema.parsing import ParsedJsonSchema

    if isinstance(parsed, ParsedJsonSchema):
        from .from_jsonschema import jsonschema_to_table

        return jsonschema_to_table(parsed)
    raise TypeError(f"no table mapping for {type(parsed).__name__}")
