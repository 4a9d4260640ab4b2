"""JSON pointer -> line/column, for findings that point into schema files."""

from __future__ import annotations

from pytest_schemafed.formats.jsonpos import JsonPositions

TEXT = """{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "id", "type": "long"},
    {
      "name": "a/b~c",
      "type": ["null", "string"]
    }
  ]
}
"""


def test_locate__member_key_line_and_column() -> None:
    """A member maps to its key: /fields sits on line 4, column 3."""
    assert JsonPositions(TEXT).locate("/fields") == (4, 3)


def test_locate__array_element_and_nested_member() -> None:
    """Array elements map to their start; nested keys to their own line."""
    pos = JsonPositions(TEXT)
    assert pos.line_of("/fields/0") == 5
    assert pos.line_of("/fields/1/type") == 8
    assert pos.line_of("/fields/1/type/1") == 8


def test_locate__escaped_tokens_follow_rfc6901() -> None:
    """`/` and `~` in keys are escaped as ~1 and ~0."""
    text = '{"a/b": {"c~d": 1}}'
    assert JsonPositions(text).locate("/a~1b/c~0d") == (1, 10)


def test_locate__missing_pointer_falls_back_to_nearest_ancestor() -> None:
    """A pointer that does not exist gives its closest existing parent."""
    assert JsonPositions(TEXT).line_of("/fields/1/default") == 6


def test_locate__json_schema_hash_prefix() -> None:
    """`#/...` (JSON Schema style) is accepted."""
    assert JsonPositions(TEXT).line_of("#/name") == 3


def test_locate__broken_text_keeps_what_was_seen() -> None:
    """A text cut short still locates what came before the break."""
    pos = JsonPositions('{\n "a": 1,\n "b": [')
    assert pos.line_of("/a") == 2
    assert pos.line_of("/zzz") == 1
