"""Hostile configurations: each stops the run at load with one line naming the file and key.

Each class has a valid configuration beside it, run on the same project, that passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_one_clear_line, assert_valid_run

BASE = "schemafed: true\nregistries:\n  - id: base\n    type: git\n"

HOSTILE = {
    "recursive_alias": (BASE + "    ref: &a [*a]\n", ["recursive structure"]),
    "deep_nesting": (BASE + "    ref: " + "[" * 500 + "]" * 500 + "\n", ["nested deeper than 64 levels"]),
    "duplicate_top_key": (BASE + "schemafed: false\n", ["duplicate key 'schemafed'", "first given on line 1"]),
    "duplicate_registry_key": (BASE + "    type: directory\n", ["duplicate key 'type'", "schemafed.yaml:5"]),
    "template_unclosed": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subject: '{stem'\n",
        ["schemas[0].subject", "not a valid template", "{stem}"],
    ),
    "template_unknown_placeholder": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subject: '{stem}-{nope}'\n",
        ["schemas[0].subject", "unknown placeholder {nope}", "known: {dir}, {format}, {name}, {path}, {stem}"],
    ),
    "template_positional": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subject: '{}-value'\n",
        ["unknown placeholder {}"],
    ),
    "template_attribute": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subject: '{stem.upper}'\n",
        ["unknown placeholder {stem.upper}"],
    ),
    "template_conversion": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subject: '{stem!r}'\n",
        ["{stem} takes no conversion"],
    ),
    "format_typo": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    format: avroo\n",
        ["schemas[0].format", "unknown format 'avroo'; did you mean 'avro'?"],
    ),
    "url_unclosed_ipv6": (
        "schemafed: true\nregistries:\n  - id: sr\n    type: confluent\n    url: 'http://[::1'\n",
        ["registries[0].url", "not a valid URL"],
    ),
    "url_not_http": (
        "schemafed: true\nregistries:\n  - id: sr\n    type: confluent\n    url: 'ftp://sr.example'\n",
        ["registries[0].url", "not an http(s) URL"],
    ),
    "token_url_invalid": (
        "schemafed: true\nregistries:\n  - id: sr\n    type: confluent\n    url: 'http://127.0.0.1:1'\n"
        "    auth: {client_id: a, client_secret: b, token_url: 'https://[::1'}\n",
        ["registries[0].auth.token_url", "not a valid URL"],
    ),
    "unknown_top_key": (BASE + "registires: []\n", ["key registires", "did you mean 'registries'?"]),
    "unknown_entry_key": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subjct: x\n",
        ["schemas[0].subjct", "did you mean 'subject'?"],
    ),
    "backend_type_typo": (
        "schemafed: true\nregistries:\n  - id: x\n    type: confleunt\n", ["did you mean 'confluent'?"]
    ),
    "registry_ids_not_strings": (
        BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    registries: [1]\n",
        ["schemas[0].registries", "expected a list of strings"],
    ),
    "check_timeout_text": (BASE + "check_timeout: soon\n", ["key check_timeout", "expected a number of seconds"]),
    "check_timeout_negative": (BASE + "check_timeout: -1\n", ["key check_timeout", "above 0"]),
    "check_timeout_nan": (BASE + "check_timeout: .nan\n", ["key check_timeout", "above 0"]),
    "max_in_flight_huge": (
        BASE + "    max_in_flight: 100000000000\n", ["registries[0].max_in_flight", "from 1 to 256"]
    ),
}

VALID = {
    "aliases_and_merge_keys": BASE + "    level: &lvl BACKWARD\n  - &dir\n    id: exported\n    type: directory\n"
    "    path: exports\n    level: *lvl\n  - <<: *dir\n    id: exported2\n    level: FULL\n"
    "schemas:\n  - path: 'schemas/*.avsc'\n    registries: [base]\n",
    "templates": BASE + "schemas:\n  - path: 'schemas/*.avsc'\n    subject: '{{literal}}-{stem}-{format}'\n",
    "format_and_timeout": BASE + "check_timeout: 5\nschemas:\n  - path: 'schemas/*.avsc'\n    format: avro\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_config__one_line_usage_error(pytester: pytest.Pytester, project: Path, name: str) -> None:
    text, fragments = HOSTILE[name]
    (project / "schemafed.yaml").write_text(text)
    result = pytester.runpytest()
    assert_one_clear_line(result, "schemafed.yaml", *fragments)


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_config_beside__passes(pytester: pytest.Pytester, project: Path, name: str) -> None:
    (project / "exports").mkdir()
    (project / "schemafed.yaml").write_text(VALID[name])
    assert_valid_run(pytester.runpytest("-p", "no:randomly"))


def test_toml_duplicate_key__one_line(pytester: pytest.Pytester, project: Path) -> None:
    """(pytest itself refuses a pyproject.toml with a duplicate key first, so: an explicit file.)"""
    (project / "conf.toml").write_text("[tool.schemafed]\nschemafed = true\nschemafed = false\n")
    assert_one_clear_line(pytester.runpytest("--schemafed-config", "conf.toml"), "conf.toml", "not valid TOML")


def test_toml_valid_beside__passes(pytester: pytest.Pytester, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.schemafed]\nschemafed = true\ncheck_timeout = 30\n")
    assert_valid_run(pytester.runpytest())


def test_explicit_toml_with_a_non_table_tool__one_line(pytester: pytest.Pytester, project: Path) -> None:
    (project / "conf.toml").write_text('tool = "x"\n')
    assert_one_clear_line(pytester.runpytest("--schemafed-config", "conf.toml"), "conf.toml", "key tool")


def test_config_not_utf8__one_line(pytester: pytest.Pytester, project: Path) -> None:
    (project / "schemafed.yaml").write_bytes(b"schemafed: true\nregistries: \xff\xfe\n")
    assert_one_clear_line(pytester.runpytest(), "schemafed.yaml", "not UTF-8")
