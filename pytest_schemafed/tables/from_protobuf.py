"""A Protobuf message as table columns, the way Spark's ``from_protobuf`` maps it.

===========================================  ======================================
Protobuf                                     Spark / table type
===========================================  ======================================
int32, sint32, sfixed32, uint32, fixed32     int (Spark's default, no unsigned upcast)
int64, sint64, sfixed64, uint64, fixed64     bigint
float, double, bool, string                  float, double, boolean, string
bytes                                        binary
enum                                         string
message                                      struct
``google.protobuf.Timestamp``                timestamp
repeated T                                   array<T> (elements NOT NULL)
map<K, V>                                    map<K, V> (values NOT NULL)
===========================================  ======================================

Every field is nullable except proto2 ``required`` ones (Spark's ``nullable =
!isRequired``); oneof members are ordinary nullable columns. A recursive message and
``google.protobuf.Duration`` (an interval) have no table form.
"""

from __future__ import annotations

from ..formats.protobuf import ProtobufSchema
from ..formats.protobuf.model import EnumDef, FieldDef, MessageDef
from .from_avro import LocalMappingError
from .model import Column, TableSchema, TType, primitive

__all__ = ["protobuf_to_table"]

_SCALARS = {
    "int32": "integer", "sint32": "integer", "sfixed32": "integer", "uint32": "integer", "fixed32": "integer",
    "int64": "long", "sint64": "long", "sfixed64": "long", "uint64": "long", "fixed64": "long",
    "float": "float", "double": "double", "bool": "boolean", "string": "string", "bytes": "binary",
}
_WELL_KNOWN = {"google.protobuf.Timestamp": primitive("timestamp")}


class _Mapper:
    def __init__(self, schema: ProtobufSchema) -> None:
        self.schema = schema
        self.stack: list[str] = []

    def scalar_or_named(self, type_name: str, resolved: str | None, at: str) -> TType:
        if type_name in _SCALARS:
            return primitive(_SCALARS[type_name])
        full = resolved or type_name.lstrip(".")
        if full in _WELL_KNOWN:
            return _WELL_KNOWN[full]
        if full == "google.protobuf.Duration":
            raise LocalMappingError("google.protobuf.Duration maps to an interval, which table columns do not "
                                    "support here", at)
        info = self.schema.types.get(full)
        if info is None:
            raise LocalMappingError(f"the type `{type_name}` is not known", at)
        if isinstance(info.node, EnumDef):
            return primitive("string")
        return self.message(info.node, at)

    def message(self, message: MessageDef, at: str) -> TType:
        if message.full_name in self.stack:
            raise LocalMappingError(f"message {message.full_name} refers to itself; a recursive type cannot be a "
                                    "table column", at)
        self.stack.append(message.full_name)
        try:
            columns = [self.field(message, f) for f in sorted(message.all_fields(), key=lambda f: f.number)]
        finally:
            self.stack.pop()
        return TType("struct", fields=tuple(columns))

    def field(self, message: MessageDef, field: FieldDef) -> Column:
        at = f"{message.full_name}.{field.name}" if message.origin == "" else self.stack[0]
        if field.is_map:
            assert field.key_type is not None and field.value_type is not None
            key = self.scalar_or_named(field.key_type, None, at)
            value = self.scalar_or_named(field.value_type, field.value_resolved, at)
            mapped = TType("map", key=key, value=value, value_nullable=False)
            native = f"map<{field.key_type}, {field.value_type}>"
        else:
            mapped = self.scalar_or_named(field.type, field.resolved, at)
            native = f"{field.label} {field.type}" if field.label else field.type
            if field.label == "repeated":
                mapped = TType("array", element=mapped, element_nullable=False)
        return Column(field.name, mapped, field.label != "required", at=at, native=native)


def protobuf_to_table(schema: ProtobufSchema, message_name: str | None = None) -> TableSchema:
    """The columns of the file's first message (or ``message_name``) as Spark writes them.

    :raises LocalMappingError: no message, a recursive message, or a type with no table form.
    """
    candidates = [t for t in schema.main.types if isinstance(t, MessageDef)]
    if message_name:
        info = schema.types.get(message_name)
        candidates = [info.node] if info is not None and isinstance(info.node, MessageDef) else []
    if not candidates:
        raise LocalMappingError(f"no message {message_name or ''} to map onto table columns".replace("  ", " "), "")
    root = candidates[0]
    mapper = _Mapper(schema)
    struct = mapper.message(root, root.full_name)
    return TableSchema(name=schema.path or "schema", columns=struct.fields, locate=schema.locate)
