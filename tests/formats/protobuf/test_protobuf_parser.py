"""Parsing and resolving .proto files: the model, well-known imports, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed import SchemaParseError
from pytest_schemafed.formats.protobuf import ProtobufFormat, local_imports
from pytest_schemafed.formats.protobuf.model import EnumDef, MessageDef
from pytest_schemafed.registry import default_registry

from .protobuf_kit import ProtoKit

FULL = """// header comment
syntax = "proto2";
package acme.orders.v1;

import "google/protobuf/timestamp.proto";
import public "google/protobuf/any.proto";
option java_package = "com.acme";
option (my.file_opt) = { a: 1 b: [ { c: "x" } ] };

/* block
   comment */
message Order {
  option deprecated = true;
  required string id = 1 [json_name = "orderId"];
  optional int64 total = 2 [default = -5];
  repeated Item items = 3;
  map<string, int32> tags = 4;
  oneof payment {
    string card = 5;
    bytes iban = 6;
  }
  optional google.protobuf.Timestamp at = 7;
  optional group Extra = 8 {
    optional string note = 1;
  }
  reserved 9, 12 to 14, 100 to max;
  reserved "legacy";
  extensions 1000 to 1999;
  message Item {
    optional string sku = 1;
    optional Kind kind = 2;
  }
  enum Kind {
    option allow_alias = true;
    K_UNKNOWN = 0;
    K_BOOK = 1;
    K_LIVRE = 1;
    reserved 5;
  }
}
extend Order {
  optional string ext = 1000;
}
service Orders {
  rpc Get (Order) returns (Order) { option idempotency_level = NO_SIDE_EFFECTS; }
}
"""


def test_parse__proto2_file_with_every_construct_builds_the_model(kit: ProtoKit) -> None:
    """Packages, nested types, labels, maps, oneofs, groups, reserved, options and imports parse."""
    schema = kit.parse(FULL)
    order = schema.types["acme.orders.v1.Order"].node
    assert isinstance(order, MessageDef)
    assert schema.main.package == "acme.orders.v1" and schema.main.syntax == "proto2"
    assert [(f.name, f.number, f.label) for f in order.fields][:3] == [
        ("id", 1, "required"),
        ("total", 2, "optional"),
        ("items", 3, "repeated"),
    ]
    tags = next(f for f in order.fields if f.name == "tags")
    assert (tags.key_type, tags.value_type, tags.label) == ("string", "int32", None)
    assert [f.name for f in order.oneofs[0].fields] == ["card", "iban"]
    assert order.fields[2].resolved == "acme.orders.v1.Order.Item"
    assert next(f for f in order.fields if f.name == "at").resolved == "google.protobuf.Timestamp"
    assert "acme.orders.v1.Order.Extra" in schema.types
    assert order.reserved_numbers == [(9, 9), (12, 14), (100, 536_870_911)] and order.reserved_names == ["legacy"]
    assert order.options["deprecated"] is True
    kind = schema.types["acme.orders.v1.Order.Kind"].node
    assert isinstance(kind, EnumDef) and [v.number for v in kind.values] == [0, 1, 1]
    assert (order.line, order.column) == (12, 1)
    assert schema.locate("acme.orders.v1.Order.items") == (16, 3)


def test_format__registered_with_name_type_and_extension() -> None:
    """The built-in registry knows the protobuf format by name and claims .proto files."""
    fmt = default_registry().format("protobuf")
    assert isinstance(fmt, ProtobufFormat)
    assert fmt.schema_type == "PROTOBUF" and fmt.detect(Path("a/b/order.proto"))
    assert not fmt.detect(Path("a/order.avsc"))


def test_record_name_and_imports__first_message_and_references_without_well_known(kit: ProtoKit) -> None:
    """record_name is the first message's full name; imports() leaves out bundled files."""
    text = 'syntax = "proto3";\npackage p;\nimport "google/protobuf/empty.proto";\nimport "other.proto";\n'
    text += "enum E {\n  Z = 0;\n}\nmessage First {\n  int32 a = 1;\n}\nmessage Second {\n  int32 a = 1;\n}\n"
    schema = kit.parse(text, {"other.proto": 'syntax = "proto3";\npackage o;\n'})
    fmt = ProtobufFormat()
    assert fmt.record_name(schema) == "p.First"
    assert fmt.imports(schema) == ["other.proto"]


@pytest.mark.parametrize(
    "name",
    ["any", "api", "descriptor", "duration", "empty", "field_mask", "struct", "timestamp", "type", "wrappers"],
)
def test_well_known_import__resolves_without_user_files(kit: ProtoKit, name: str) -> None:
    """Every bundled google/protobuf/*.proto resolves and parses."""
    schema = kit.parse(
        f'syntax = "proto3";\nimport "google/protobuf/{name}.proto";\nmessage M {{\n  int32 a = 1;\n}}\n'
    )
    assert any(info.ref == f"wk:google/protobuf/{name}.proto" for info in schema.types.values())


def test_google_type_import__is_accepted_leniently_as_opaque_types(kit: ProtoKit) -> None:
    """google/type/* is not bundled: its types are opaque messages compared by name."""
    text = 'syntax = "proto3";\nimport "google/type/date.proto";\nmessage M {\n  google.type.Date d = 1;\n}\n'
    schema = kit.parse(text)
    assert schema.lenient_imports == {"google/type/date.proto"}
    other = text.replace("google.type.Date", "google.type.TimeOfDay").replace("date.proto", "timeofday.proto")
    assert [f.rule for f in kit.backward(other, text)] == ["FIELD_NAMED_TYPE_CHANGED"]


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ('syntax = "proto3";\nmessage A {\n  int32 a = 1\n}\n', 3, "expected ';'"),
        ('syntax = "proto3";\nimport "shared/customer.proto";\nmessage A {\n  int32 a = 1;\n}\n', 2, "not found"),
        ('syntax = "proto3";\nmessage A {\n  int32 a = 1;\n  string b = 1;\n}\n', 4, "used twice"),
        ('syntax = "proto3";\nmessage A {\n  int32 a = 1;\n  string a = 2;\n}\n', 4, "used twice"),
        ('syntax = "proto3";\nmessage A {\n  Missing a = 1;\n}\n', 3, "unknown type 'Missing'"),
        ('edition = "2023";\nmessage A {\n  int32 a = 1;\n}\n', 1, "editions"),
        ('syntax = "proto4";\n', 1, "unknown syntax"),
        ('syntax = "proto3";\nmessage A {\n  int32 a = 19500;\n}\n', 3, "reserved for the protobuf"),
        ('syntax = "proto3";\nmessage A {\n  reserved 2;\n  int32 a = 2;\n}\n', 4, "reserves"),
        ('syntax = "proto3";\nmessage A {\n  required int32 a = 1;\n}\n', 3, "not allowed in proto3"),
        ('syntax = "proto2";\nmessage A {\n  int32 a = 1;\n}\n', 3, "need a label"),
        ('syntax = "proto3";\nenum E {\n  ONE = 1;\n}\n', 3, "must be 0"),
        ('syntax = "proto3";\nenum E {\n  Z = 0;\n  Y = 0;\n}\n', 4, "allow_alias"),
        ('syntax = "proto3";\nmessage A {\n  map<double, int32> m = 1;\n}\n', 3, "key type"),
        ('syntax = "proto3";\nmessage A {\n  string s = 1 [default = "x];\n}\n', 3, "unterminated string"),
        ('syntax = "proto3";\nmessage A {\n  int32 a = 1;\n', 3, "end of file"),
        ('syntax = "proto3";\n/* never closed\nmessage A {}\n', 2, "unterminated /\\* comment"),
        ('syntax = "proto3";\nmessage A {\n  int32 a = 1;\n}\nmessage A {\n  int32 b = 1;\n}\n', 5, "already defined"),
        ('syntax = "proto3";\nmessage A {\n  int32 a = 1 $;\n}\n', 3, "unexpected character"),
    ],
)
def test_bad_input__one_clear_parse_error_with_file_and_line(kit: ProtoKit, text: str, line: int, match: str) -> None:
    """A user's mistake is one SchemaParseError naming file:line, never a crash."""
    with pytest.raises(SchemaParseError, match=match) as info:
        kit.parse(text, path="schemas/a.proto")
    assert info.value.line == line
    assert str(info.value).startswith(f"schemas/a.proto:{line}:")


def test_local_imports__resolved_under_roots_then_beside_the_file_transitively(tmp_path: Path) -> None:
    """local_imports finds imports under the import roots, then next to the importer, recursively."""
    (tmp_path / "proto/shop").mkdir(parents=True)
    (tmp_path / "proto/common").mkdir(parents=True)
    (tmp_path / "proto/common/money.proto").write_text('syntax = "proto3";\nimport "common/currency.proto";\n')
    (tmp_path / "proto/common/currency.proto").write_text('syntax = "proto3";\n')
    (tmp_path / "proto/shop/sibling.proto").write_text('syntax = "proto3";\n')
    text = (
        'syntax = "proto3";\n// import "commented/out.proto";\nimport "common/money.proto";\n'
        'import "sibling.proto";\nimport "google/protobuf/empty.proto";\nimport "nowhere.proto";\n'
    )
    found = local_imports(tmp_path / "proto/shop/order.proto", text, [tmp_path / "proto"])
    assert sorted(found) == ["common/currency.proto", "common/money.proto", "sibling.proto"]


def test_local_imports__feed_parse_as_references(tmp_path: Path, kit: ProtoKit) -> None:
    """What local_imports returns is what parse() takes as references."""
    (tmp_path / "dep.proto").write_text('syntax = "proto3";\npackage d;\nmessage D {\n  int32 a = 1;\n}\n')
    text = 'syntax = "proto3";\nimport "dep.proto";\nmessage M {\n  d.D x = 1;\n}\n'
    refs = local_imports(tmp_path / "m.proto", text, [])
    assert kit.parse(text, refs).types["M"].node.fields[0].resolved == "d.D"


def test_format_local_imports__method_used_by_discovery(tmp_path: Path) -> None:
    """Discovery calls ``fmt.local_imports(path, text, roots)``; it returns name -> text."""
    (tmp_path / "customer.proto").write_text('syntax = "proto3";\n')
    text = 'syntax = "proto3";\nimport "customer.proto";\n'
    found = ProtobufFormat().local_imports(tmp_path / "order.proto", text, [tmp_path])
    assert found == {"customer.proto": 'syntax = "proto3";\n'}
