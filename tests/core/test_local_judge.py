"""The gate's local judge and its parse cache: each version parsed once, unchanged files not at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_schemafed.engine import ParseCache
from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.gate import local_judge
from pytest_schemafed.model import Check, History, HistoryVersion, Level, Outcome
from pytest_schemafed.registry import Registry, default_registry
from tests.checks import make_check

V1 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]}, indent=2)
V2 = json.dumps({"type": "record", "name": "T", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0}]}, indent=2)
FIXED_X = json.dumps({"type": "fixed", "name": "X", "size": 2})
#: V2 without b's default: a reader of V3 cannot read V1's records
V3 = json.dumps({"type": "record", "name": "T", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int"}]}, indent=2)


@pytest.fixture
def parsed_texts(monkeypatch: pytest.MonkeyPatch) -> tuple[Registry, list[str]]:
    """The default registry, with every text the Avro format parses recorded."""
    registry = default_registry()
    avro = registry.format("avro")
    texts: list[str] = []
    parse = avro.parse

    def recording_parse(text: str, **kwargs: Any) -> Any:
        texts.append(text)
        return parse(text, **kwargs)

    monkeypatch.setattr(avro, "parse", recording_parse)
    return registry, texts


def _check(text: str, level: Level) -> Check:
    return make_check(text, relpath="t.avsc", backend_id="git", level=level)


def _history(*texts: str, references: dict[str, str] | None = None) -> History:
    return History(versions=tuple(
        HistoryVersion(version=str(i + 1), text=t, references=references) for i, t in enumerate(texts)))


def test_unchanged_file__compatible_without_parsing_the_old_version(parsed_texts: tuple[Registry, list[str]]) -> None:
    registry, texts = parsed_texts
    verdict = local_judge(registry)(_check(V2, Level.BACKWARD), _history(V1, V2), Level.BACKWARD)
    assert verdict.compatible and verdict.outcome is Outcome.COMPATIBLE
    assert verdict.level is Level.BACKWARD
    assert verdict.versions == ("2",)
    assert texts == [V2]  # the new file, once; the identical version never


def test_unchanged_file__transitive_still_compares_the_older_versions(
    parsed_texts: tuple[Registry, list[str]],
) -> None:
    registry, texts = parsed_texts
    verdict = local_judge(registry)(_check(V3, Level.BACKWARD_TRANSITIVE), _history(V1, V3),
                                    Level.BACKWARD_TRANSITIVE)
    assert not verdict.compatible and verdict.outcome is Outcome.INCOMPATIBLE
    assert verdict.versions == ("1", "2")
    assert {f.version for f in verdict.findings} == {"1"}
    assert {f.rule for f in verdict.findings} == {"READER_FIELD_MISSING_DEFAULT_VALUE"}
    assert sorted(texts) == sorted([V3, V1])


def test_same_text_with_references__still_compared(parsed_texts: tuple[Registry, list[str]]) -> None:
    """The version's own references may differ from the file's: the texts alone do not decide."""
    registry, texts = parsed_texts
    verdict = local_judge(registry)(_check(V1, Level.BACKWARD), _history(V1, references={"X": FIXED_X}),
                                    Level.BACKWARD)
    assert verdict.compatible
    assert texts.count(V1) == 2


def test_changed_file__compared_with_the_last_version(parsed_texts: tuple[Registry, list[str]]) -> None:
    registry, texts = parsed_texts
    verdict = local_judge(registry)(_check(V3, Level.BACKWARD), _history(V1, V2), Level.BACKWARD)
    assert verdict.compatible  # V2 has b with a default: V3 reads it
    assert verdict.versions == ("2",)
    assert sorted(texts) == sorted([V3, V2])


def test_parse_cache__each_text_and_references_parsed_once(parsed_texts: tuple[Registry, list[str]]) -> None:
    """A history shared by several backends is parsed once; other references make another parse."""
    registry, texts = parsed_texts
    avro = registry.format("avro")
    cache = ParseCache()
    first = cache.parse(avro, V1, path="dev version 1")
    assert cache.parse(avro, "".join(V1), path="prod version 1") is first  # an equal string, not the same object
    cache.parse(avro, V1, references={"X": FIXED_X})
    assert texts == [V1, V1]


def test_parse_cache__a_parse_error_is_kept_and_names_each_callers_path(
    parsed_texts: tuple[Registry, list[str]],
) -> None:
    registry, texts = parsed_texts
    cache = ParseCache()
    for path in ("dev version 2", "prod version 2"):
        with pytest.raises(SchemaParseError) as raised:
            cache.parse(registry.format("avro"), "{ not json", path=path)
        assert raised.value.path == path
    assert texts == ["{ not json"]


def test_the_judge_parses_into_the_cache_it_is_given_even_an_empty_one(
    parsed_texts: tuple[Registry, list[str]],
) -> None:
    """The gate clears its cache after each batch: a judge with a private cache would keep every parse."""
    registry, _ = parsed_texts
    cache = ParseCache()
    local_judge(registry, cache)(_check(V3, Level.BACKWARD), _history(V1, V2), Level.BACKWARD)
    assert len(cache) == 1
