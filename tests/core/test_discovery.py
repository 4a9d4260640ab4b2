"""Paths and subjects of schema files: the string-prefix relative path and subject templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed.discovery import relative_posix, relpath_of, render_subject
from pytest_schemafed.model import SchemaSource


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("/repo/schemas/a.avsc", "/repo", "schemas/a.avsc"),
        ("/repo", "/repo", "."),
        ("/repo/a.avsc", "/", "repo/a.avsc"),
        ("/repository/a.avsc", "/repo", None),  # a sibling sharing the prefix is not inside
        ("/elsewhere/a.avsc", "/repo", None),
        ("schemas/a.avsc", "schemas", "a.avsc"),  # relative paths: pathlib's answer
    ],
)
def test_relative_posix__same_as_pathlib(path: str, base: str, expected: str | None) -> None:
    got = relative_posix(Path(path), Path(base))
    assert got == expected
    try:
        assert got == Path(path).relative_to(base).as_posix()
    except ValueError:
        assert got is None


def test_relpath_of__outside_gives_the_absolute_path() -> None:
    assert relpath_of(Path("/elsewhere/a.avsc"), Path("/repo")) == "/elsewhere/a.avsc"


@pytest.mark.parametrize(
    ("relpath", "template", "expected"),
    [
        ("schemas/orders/v.avsc", "{dir}/{stem}-{format}", "schemas/orders/v-avro"),
        ("v.avsc", "[{dir}]{stem}", "[]v"),  # a file at the root has an empty {dir}
        ("a/v.avsc", "{name}", "com.x.V"),
        ("a/v.avsc", "{unknown}-{stem}", "{unknown}-{stem}"),  # kept literally (config validation says why)
    ],
)
def test_render_subject__fields(relpath: str, template: str, expected: str) -> None:
    source = SchemaSource(path=Path("/r") / relpath, relpath=relpath, format="avro")
    assert render_subject(template, source, "com.x.V") == expected
