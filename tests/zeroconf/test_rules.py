"""The small rules under zero config: buf files and packages give Protobuf roots; $schema values make JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed import repo_index
from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.formats.jsonschema.metaschemas import bundled, is_dialect, normalize_uri
from pytest_schemafed.formats.protobuf.roots import buf_layout, file_roots, package_root

from ..conftest import write_files


@pytest.fixture(autouse=True)
def _fresh() -> None:
    repo_index.forget()


@pytest.mark.parametrize(("files", "roots"), [
    ({"buf.yaml": "version: v2\nmodules:\n  - path: proto\n  - path: vendor/api\n"}, ["proto", "vendor/api"]),
    ({"buf.yaml": "version: v2\n"}, ["."]),
    ({"proto/buf.yaml": "version: v1\n"}, ["proto"]),
    ({"buf.yaml": "version: v1beta1\nbuild:\n  roots:\n    - proto\n"}, ["proto"]),
    ({"buf.work.yaml": "version: v1\ndirectories:\n  - vendor/api\n  - proto\n"}, ["proto", "vendor/api"]),
], ids=["v2-modules", "v2-default", "v1", "v1beta1-build-roots", "workspace"])
def test_buf_layout__roots_of_each_buf_file_version(tmp_path: Path, files: dict[str, str], roots: list[str]) -> None:
    """Each buf file version gives its module roots; the module holding the file comes first."""
    write_files(tmp_path, {**files, "proto/shop/v1/a.proto": 'syntax = "proto3";\npackage shop.v1;\n'})
    found = file_roots(tmp_path / "proto/shop/v1/a.proto", tmp_path)
    shown = [r.relative_to(tmp_path).as_posix() or "." for r, how in found if how != "package"]
    assert shown == roots


@pytest.mark.parametrize(("text", "problem"), [
    ("version: v2\nmodules:\n  - path: ../outside\n", "leads outside the repository"),
    ("version: v9\n", "is not a buf version schemafed reads"),
    ("version: v2\nmodules: [\n", "cannot be read as a buf configuration"),
], ids=["outside", "unknown-version", "bad-yaml"])
def test_buf_layout__a_buf_file_that_cannot_be_used_is_one_error_naming_it(
    tmp_path: Path, text: str, problem: str
) -> None:
    """A bad buf.yaml is a SchemaParseError naming buf.yaml, never roots that silently differ from buf's."""
    write_files(tmp_path, {"buf.yaml": text})
    with pytest.raises(SchemaParseError) as info:
        buf_layout(tmp_path / "proto", tmp_path)
    assert problem in str(info.value)
    assert str(info.value).startswith("buf.yaml")


def test_package_root__from_the_package_and_the_path(tmp_path: Path) -> None:
    """proto/shop/v1/x.proto in package shop.v1 has root proto/; a package that is not the path's end gives none."""
    path = tmp_path / "proto/shop/v1/x.proto"
    assert package_root(path, "// package wrong;\npackage shop.v1;\n", tmp_path) == tmp_path / "proto"
    assert package_root(path, "package other.v1;\n", tmp_path) is None
    assert package_root(path, 'syntax = "proto3";\n', tmp_path) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("http://json-schema.org/draft-07/schema#", True),
    ("https://json-schema.org/draft-07/schema", True),
    ("http://json-schema.org/draft-04/schema#", True),
    ("https://json-schema.org/draft/2019-09/schema", True),
    ("https://json-schema.org/draft/2020-12/schema", True),
    ("https://docs.renovatebot.com/renovate-schema.json", False),
    ("https://biomejs.dev/schemas/1.9.4/schema.json", False),
    ("https://json.schemastore.org/tsconfig", False),
    ("https://evil.example/json-schema.org/draft-07/schema", False),
    (7, False),
])
def test_is_dialect__json_schema_org_drafts_only(value: object, expected: bool) -> None:
    """Only json-schema.org draft URIs name a JSON Schema meta-schema (unless configured)."""
    assert is_dialect(value) is expected


def test_is_dialect__configured_uri_counts() -> None:
    """A URI from json_schema_dialects (normalised) makes a file a schema; a different one does not."""
    extra = frozenset({normalize_uri("https://schemas.example.com/dialect.json#")})
    assert is_dialect("https://schemas.example.com/dialect.json", extra)
    assert not is_dialect("https://schemas.example.com/other.json", extra)


@pytest.mark.parametrize("uri", [
    "http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#",
    "http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2019-09/schema",
    "https://json-schema.org/draft/2020-12/schema",
])
def test_bundled__each_draft_meta_schema_offline(uri: str) -> None:
    """The meta-schemas of drafts 4, 6, 7, 2019-09 and 2020-12 come from the installed package's files."""
    document = bundled(uri)
    assert isinstance(document, dict)
    assert normalize_uri(document.get("$id") or document.get("id")) == normalize_uri(uri)
