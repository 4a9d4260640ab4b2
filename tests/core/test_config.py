"""Configuration: where it comes from, validation errors, ${ENV} interpolation, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed.config import glob_to_regex, load_settings
from pytest_schemafed.errors import ConfigError
from pytest_schemafed.model import Level
from pytest_schemafed.registry import default_registry
from pytest_schemafed.secrets import Secret, scrub


def load(tmp_path: Path, yaml_text: str, **env: str):
    (tmp_path / "schemafed.yaml").write_text(yaml_text)
    (tmp_path / "exports").mkdir(exist_ok=True)
    return load_settings(tmp_path, default_registry(), environ=env)


def test_zero_config__one_git_registry_and_every_file(tmp_path: Path) -> None:
    """No file at all: one `git` registry, every schema file selected."""
    settings = load_settings(tmp_path, default_registry())
    assert settings.zero_config
    assert [(s.id, s.type) for s in settings.registries] == [("git", "git")]
    assert settings.entry_for("deep/er/x.avsc") is not None


def test_yaml_typo__names_file_and_line(tmp_path: Path) -> None:
    """A YAML syntax error is one ConfigError naming schemafed.yaml and the line."""
    with pytest.raises(ConfigError) as info:
        load(tmp_path, "schemas:\n  - path: a\n registries: [\n")
    assert "schemafed.yaml:3" in str(info.value)
    assert "not valid YAML" in str(info.value)


def test_unknown_key__names_key_path_and_expected(tmp_path: Path) -> None:
    """A misspelt registry key is named with its full path and the keys accepted."""
    with pytest.raises(ConfigError) as info:
        load(tmp_path, "registries:\n  - id: base\n    type: git\n    reff: main\n")
    message = str(info.value)
    assert "registries[0].reff" in message
    assert "ref" in message and "unknown key" in message


def test_wrong_type__says_what_was_expected(tmp_path: Path) -> None:
    """A list where a string belongs is reported with the expected type."""
    with pytest.raises(ConfigError, match=r"registries\[0\].ref: expected a string, got a list"):
        load(tmp_path, "registries:\n  - id: base\n    type: git\n    ref: [main]\n")


def test_unknown_backend_type__lists_known_types(tmp_path: Path) -> None:
    """An unknown `type:` lists the registered backend types."""
    with pytest.raises(ConfigError, match=r"unknown backend type 'kafka'; expected one of .*git"):
        load(tmp_path, "registries:\n  - id: x\n    type: kafka\n")


def test_missing_env_var__names_variable_and_registry(tmp_path: Path) -> None:
    """${VAR} without a value names VAR and the registry id."""
    with pytest.raises(ConfigError) as info:
        load(tmp_path, "registries:\n  - id: exported\n    type: directory\n    path: ${EXPORT_DIR}\n")
    assert "EXPORT_DIR" in str(info.value) and "'exported'" in str(info.value)


def test_env_interpolation__value_and_default(tmp_path: Path) -> None:
    """${VAR} takes the environment's value; ${VAR:-default} falls back; $${ is literal."""
    settings = load(
        tmp_path,
        "registries:\n"
        "  - {id: a, type: directory, path: '${DIR}'}\n"
        "  - {id: b, type: git, ref: '${REF:-origin/main}'}\n",
        DIR="exports",
    )
    assert settings.registries[0].options["path"] == "exports"
    assert settings.registries[1].options["ref"] == "origin/main"


def test_level__parsed_or_registry(tmp_path: Path) -> None:
    """`level: full_all` is FULL_TRANSITIVE (Glue spelling); `registry` means ask."""
    settings = load(
        tmp_path,
        "registries:\n  - {id: a, type: git, level: full_all}\n  - {id: b, type: git, level: registry}\n",
    )
    assert settings.registries[0].level is Level.FULL_TRANSITIVE
    assert settings.registries[1].level is None


def test_bad_level__lists_levels(tmp_path: Path) -> None:
    """A level name that does not exist lists the accepted ones."""
    with pytest.raises(ConfigError, match="BACKWARD_TRANSITIVE"):
        load(tmp_path, "registries:\n  - {id: a, type: git, level: sideways}\n")


def test_schema_entries__strategy_and_template(tmp_path: Path) -> None:
    """`strategy: topic` names {stem}-value; globs use ** across folders."""
    settings = load(tmp_path, "schemas:\n  - {path: 'schemas/**/*.avsc', strategy: topic}\n")
    entry = settings.entry_for("schemas/a/b/user.avsc")
    assert entry is not None and entry.subject == "{stem}-value"
    assert settings.entry_for("other/user.avsc") is None


def test_pyproject_section(tmp_path: Path) -> None:
    """[tool.schemafed] in pyproject.toml is read when there is no schemafed.yaml."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.schemafed]\nschemafed = true\n[[tool.schemafed.registries]]\nid = "base"\ntype = "git"\nref = "v1"\n'
    )
    settings = load_settings(tmp_path, default_registry())
    assert settings.enabled
    assert settings.registries[0].options["ref"] == "v1"


def test_secret__masked_in_repr_and_scrubbed_from_text() -> None:
    """A Secret never prints itself, and scrub() removes its value from any text."""
    secret = Secret("canary-s3cr3t-value")
    assert "canary" not in repr(secret) and "canary" not in str(secret)
    assert scrub("boom: canary-s3cr3t-value was refused") == "boom: *** was refused"


def test_glob_to_regex() -> None:
    """`*` stays within a folder, `**/` spans zero or more folders."""
    assert glob_to_regex("s/*.avsc").fullmatch("s/a.avsc")
    assert not glob_to_regex("s/*.avsc").fullmatch("s/x/a.avsc")
    assert glob_to_regex("s/**/*.avsc").fullmatch("s/a.avsc")
    assert glob_to_regex("s/**/*.avsc").fullmatch("s/x/y/a.avsc")
