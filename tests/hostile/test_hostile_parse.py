"""Hostile schema texts: each is one failing item with one clear line; the valid file beside it passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HostileRepo, Run, failure_section, make_hostile


def _deep_avro(levels: int) -> str:
    body = '"int"'
    for i in range(levels):
        body = f'{{"type": "record", "name": "R{i}", "fields": [{{"name": "f", "type": {body}}}]}}'
    return body


def _deep_json_schema(levels: int) -> str:
    return '{"type": "object", "properties": {"a": ' * levels + '{"type": "string"}' + "}}" * levels


def _deep_proto(levels: int) -> str:
    return 'syntax = "proto3";\n' + "".join(f"message M{i} {{\n" for i in range(levels)) + "int32 x = 1;\n" + \
        "}\n" * levels


CASES = {
    # name: (file, text, the phrase its one line must hold)
    "avro_empty_union_with_default": (
        "empty_union.avsc",
        '{"type": "record", "name": "E", "fields": [{"name": "a", "type": [], "default": 1}]}',
        "is not a valid union [] value",
    ),
    "avro_500_deep": ("deep.avsc", _deep_avro(500), "nested too deeply"),
    "avro_250_deep_arrays": (
        "deep_arrays.avsc",
        '{"type": "array", "items": ' * 250 + '"int"' + "}" * 250,
        "nested too deeply (more than 200",
    ),
    "json_schema_300_deep": ("deep.schema.json", _deep_json_schema(300), "nested too deeply"),
    "proto_500_deep": ("deep.proto", _deep_proto(500), "nested too deeply"),
    "proto_cut_inside_oneof": (
        "cut.proto", 'syntax = "proto3";\nmessage Half {\n  oneof choice {\n', "unexpected end of file"
    ),
    "proto_cut_inside_oneof_field": (
        "cut2.proto",
        'syntax = "proto3";\nmessage Half {\n  oneof choice {\n    int32 a = 1;\n',
        "unexpected end of file",
    ),
}


@pytest.fixture(scope="module")
def run_of_every_case(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run over a repository holding every hostile text of :data:`CASES` beside the valid file."""
    repo = make_hostile(Path(tmp_path_factory.mktemp("hostile_texts")))
    for name, text, _ in CASES.values():
        repo.write(name, text)
    return repo.run()


def test_hostile_texts__the_valid_file_passes_and_nothing_crashes(run_of_every_case: Run) -> None:
    """With every hostile text in the batch: the valid file passes; no traceback, no INTERNALERROR."""
    run_of_every_case.assert_clean()
    assert f"{len(CASES)} failed, 1 passed" in run_of_every_case.output, run_of_every_case.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_text__one_failing_item_with_one_line(run_of_every_case: Run, case: str) -> None:
    """A hostile schema text fails its own item with one line naming the problem."""
    name, _, phrase = CASES[case]
    run = run_of_every_case
    section = failure_section(run, f"{name}::git")
    assert len(section) <= 2, section
    assert phrase in "\n".join(section), section
    assert "internal error" not in run.output.lower(), run.output


def test_depth_limits__just_below_them_everything_works(hostile: HostileRepo) -> None:
    """At the documented limits (Avro 200 types, JSON Schema 128 JSON levels, Protobuf 100 messages) files pass."""
    hostile.write("deep_ok.avsc", '{"type": "array", "items": ' * 200 + '"int"' + "}" * 200)
    hostile.write("deep_ok.schema.json", _deep_json_schema(63))
    hostile.write("deep_ok.proto", _deep_proto(100))
    run = hostile.run()
    run.assert_clean()
    assert "FAILED" not in run.output, run.output
    for name in ("deep_ok.avsc", "deep_ok.schema.json", "deep_ok.proto"):
        assert f"{name} does not exist at" in run.output, run.output  # parsed, then judged a new subject
