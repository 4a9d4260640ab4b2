"""Registry commands against a backend that implements the admin protocol (and git, which does not)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pytest_schemafed.backends.admin import RegisteredVersion, RegistryAdmin
from pytest_schemafed.backends.base import Backend, Option
from pytest_schemafed.cli import main
from pytest_schemafed.cli.admin import AUDIT_RULES, audit_history
from pytest_schemafed.errors import BackendUnavailable, SubjectNotFound
from pytest_schemafed.model import Check, History, HistoryVersion, Level
from pytest_schemafed.registry import Registry, fill_registry, make_plugin_manager

from .conftest import BREAKING, COMPATIBLE, V1


class FakeRegistryBackend(Backend, RegistryAdmin):
    """An in-memory registry: subjects with versions, a global level, per-subject levels."""

    type_name = "fake"
    options: ClassVar = {"down": Option(bool, doc="fail to connect")}
    subjects: ClassVar[dict[str, list[str]]] = {}
    types: ClassVar[dict[str, list[str]]] = {}
    levels: ClassVar[dict[str | None, Level]] = {}
    writes: ClassVar[list[tuple[Level, str | None]]] = []

    def __init__(self, spec: Any, context: Any) -> None:
        super().__init__(spec, context)
        if spec.options.get("down"):
            raise BackendUnavailable("connection refused", backend_id=spec.id)

    def history(self, check: Check) -> History:
        return self.versions(check.subject)

    def list_subjects(self, prefix: str | None = None) -> list[str]:
        return sorted(s for s in self.subjects if not prefix or s.startswith(prefix))

    def global_level(self) -> Level:
        return self.levels[None]

    def subject_level(self, subject: str) -> Level | None:
        if subject not in self.subjects:
            raise SubjectNotFound(subject)
        return self.levels.get(subject)

    def versions(self, subject: str) -> History:
        if subject not in self.subjects:
            raise SubjectNotFound(subject)
        types = self.types.get(subject) or ["AVRO"] * len(self.subjects[subject])
        return History(tuple(RegisteredVersion(str(i), t, schema_type=k)
                             for i, (t, k) in enumerate(zip(self.subjects[subject], types, strict=True), 1)))

    def latest(self, subject: str) -> HistoryVersion | None:
        return self.versions(subject).versions[-1] if subject in self.subjects else None

    def ping(self) -> float:
        return 0.004

    def set_level(self, level: Level, subject: str | None = None) -> None:
        self.writes.append((level, subject))
        self.levels[subject] = level


@pytest.fixture
def registry() -> Registry:
    """The built-in formats and backends plus ``type: fake``."""
    reg = fill_registry(make_plugin_manager().hook)
    reg.add_backend("fake", FakeRegistryBackend)
    return reg


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_repo: Any) -> Iterator[Path]:
    """A repo whose config names a fake registry `prod` (users: compatible history) and git."""
    root = make_repo({"schemafed.yaml": "registries:\n  - id: prod\n    type: fake\n  - id: base\n    type: git\n"})
    monkeypatch.chdir(root)
    FakeRegistryBackend.subjects = {"users-value": [V1, COMPATIBLE], "orders-value": [V1]}
    FakeRegistryBackend.types = {}
    FakeRegistryBackend.levels = {None: Level.BACKWARD}
    FakeRegistryBackend.writes = []
    yield root


def test_registries__table_with_status_time_and_level(project: Path, registry: Registry,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Each registry is listed: prod reachable at BACKWARD, git without a global level."""
    assert main(["registries"], registry=registry) == 0
    lines = capsys.readouterr().out.splitlines()
    prod = next(line for line in lines if line.startswith("prod"))
    assert "reachable" in prod and "ms" in prod and prod.endswith("BACKWARD")
    assert next(line for line in lines if line.startswith("base")).endswith("n/a")


def test_registries__unreachable_exit_3(project: Path, registry: Registry,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A registry that cannot be reached is shown as such and the exit code is 3."""
    (project / "schemafed.yaml").write_text("registries:\n  - id: prod\n    type: fake\n    down: true\n")
    assert main(["registries"], registry=registry) == 3
    assert "unreachable: registry 'prod': connection refused" in capsys.readouterr().out


def test_subjects__prefix(project: Path, registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    """`subjects prod --prefix users` lists only the matching subjects."""
    assert main(["subjects", "prod", "--prefix", "users"], registry=registry) == 0
    assert capsys.readouterr().out.split() == ["users-value"]


def test_find__latest_side_by_side(project: Path, registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    """`find` shows prod's latest version and says git cannot be asked."""
    assert main(["find", "users-value"], registry=registry) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("prod") and " 2 " in line for line in out.splitlines())
    assert "not supported by backend type git" in out


def test_levels__global_and_subject(project: Path, registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    """`levels prod users-value` prints the global level and the subject's."""
    FakeRegistryBackend.levels["users-value"] = Level.FULL
    assert main(["levels", "prod", "users-value"], registry=registry) == 0
    assert capsys.readouterr().out.splitlines() == ["global: BACKWARD", "users-value: FULL"]


def test_levels__git_backend_not_supported_exit_2(project: Path, registry: Registry,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A backend without the method: exit 2 and a message naming the backend type."""
    assert main(["levels", "base"], registry=registry) == 2
    assert "not supported by backend type git" in capsys.readouterr().err


def test_levels__unknown_registry_id_exit_2(project: Path, registry: Registry,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """An id that is not configured is named with the configured ones."""
    assert main(["levels", "staging"], registry=registry) == 2
    assert "no registry with id 'staging'; configured: prod, base" in capsys.readouterr().err


def test_audit__compatible_histories_exit_0(project: Path, registry: Registry,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Histories that only add optional fields satisfy FULL_TRANSITIVE."""
    assert main(["audit", "prod", "--level", "FULL_TRANSITIVE"], registry=registry) == 0
    assert "2 subject(s), 0 with violations" in capsys.readouterr().out


def test_audit__violation_named_with_version_and_rule(project: Path, registry: Registry,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A version that added a field without default breaks BACKWARD: exit 1, version 2 and the rule named."""
    FakeRegistryBackend.subjects["users-value"] = [V1, BREAKING]
    assert main(["audit", "prod", "--level", "BACKWARD", "--subjects", "users-*"], registry=registry) == 1
    out = capsys.readouterr().out
    assert "version 2 vs 1: READER_FIELD_MISSING_DEFAULT_VALUE" in out
    assert "1 subject(s), 1 with violations" in out


def test_levels_set__dry_run_without_yes(project: Path, registry: Registry,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Without --yes the plan is printed and nothing is written."""
    assert main(["levels", "set", "prod", "FULL_TRANSITIVE"], registry=registry) == 0
    out = capsys.readouterr().out
    assert "global: BACKWARD -> FULL_TRANSITIVE" in out and "dry run" in out
    assert FakeRegistryBackend.writes == []


def test_levels_set__yes_writes_subject_level(project: Path, registry: Registry) -> None:
    """With --yes the subject's level is set, and only it."""
    assert main(["levels", "set", "prod", "FULL", "--subject", "users-value", "--yes"], registry=registry) == 0
    assert FakeRegistryBackend.writes == [(Level.FULL, "users-value")]


def test_levels_set__refused_when_audit_fails_unless_force(project: Path, registry: Registry,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A history that breaks the new level refuses the change; --force applies it anyway."""
    FakeRegistryBackend.subjects["users-value"] = [V1, BREAKING]
    assert main(["levels", "set", "prod", "BACKWARD_TRANSITIVE", "--yes"], registry=registry) == 1
    assert "refused" in capsys.readouterr().out and FakeRegistryBackend.writes == []
    assert main(["levels", "set", "prod", "BACKWARD_TRANSITIVE", "--yes", "--force"], registry=registry) == 0
    assert FakeRegistryBackend.writes == [(Level.BACKWARD_TRANSITIVE, None)]


def test_levels_set__git_cannot_be_written(project: Path, registry: Registry,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`levels set` on a git backend is a usage error naming the backend type."""
    assert main(["levels", "set", "base", "FULL", "--yes"], registry=registry) == 2
    assert "set level is not supported by backend type git" in capsys.readouterr().err


def test_no_command__help_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """`schemafed` alone prints the help and exits 2."""
    assert main([]) == 2
    assert "exit codes" in capsys.readouterr().out


# ------------------------------------------------------------------ audit_history, the audit's core
def _record(*fields: str) -> str:
    return '{"type": "record", "name": "T", "fields": [' + ", ".join(fields) + "]}"


A_STRING = '{"name": "a", "type": "string"}'
A_INT_DEFAULT = '{"name": "a", "type": "int", "default": 0}'
DROPPED = [_record(A_STRING), _record(), _record(A_INT_DEFAULT)]
"""a: string, then removed, then back as int with a default: each step BACKWARD, 3 vs 1 not."""


def _history(*texts: str) -> History:
    return History(tuple(RegisteredVersion(str(i), t, schema_type="AVRO") for i, t in enumerate(texts, 1)))


def test_audit_history__backward_compares_each_version_with_the_one_before(registry: Registry) -> None:
    """At BACKWARD the history a:string -> {} -> a:int holds: no violation."""
    assert audit_history("t", _history(*DROPPED), Level.BACKWARD, registry) == []


def test_audit_history__transitive_compares_with_every_earlier_version(registry: Registry) -> None:
    """At BACKWARD_TRANSITIVE version 3 cannot read version 1's `a`: one violation, 3 vs 1, backward."""
    found = audit_history("t", _history(*DROPPED), Level.BACKWARD_TRANSITIVE, registry)
    assert [(v.subject, v.version, v.against, v.direction) for v in found] == [("t", "3", "1", "backward")]
    assert found[0].line().startswith("version 3 vs 1: ")


def test_audit_history__unreadable_version_is_a_violation(registry: Registry) -> None:
    """A registered version the local engine cannot parse is reported (the level cannot be shown to hold)."""
    found = audit_history("t", _history(_record(A_STRING), '{"type": "nosuchtype"}'), Level.BACKWARD, registry)
    assert [(v.version, v.rule) for v in found] == [("2", "VERSION_UNREADABLE")]


def test_audit_history__none_and_single_versions_have_nothing_to_check(registry: Registry) -> None:
    """NONE accepts anything; a history of one version has no pair to compare."""
    assert audit_history("t", _history(*DROPPED), Level.NONE, registry) == []
    assert audit_history("t", _history(DROPPED[0]), Level.FULL_TRANSITIVE, registry) == []


def test_audit_rules__ids_upper_snake_and_purposes_are_sentences() -> None:
    """The audit's own rule table: unique UPPER_SNAKE ids, 'Checks that ...' sentences."""
    ids = [rule.id for rule in AUDIT_RULES]
    assert len(set(ids)) == len(ids) and all(i.isupper() and " " not in i for i in ids)
    assert all(r.purpose.startswith("Checks that ") and r.purpose.endswith(".") for r in AUDIT_RULES)


def test_levels__without_subjects_lists_every_subject(project: Path, registry: Registry,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`levels prod` prints each subject: its own level, else the global one marked (global)."""
    FakeRegistryBackend.levels["users-value"] = Level.FULL
    assert main(["levels", "prod"], registry=registry) == 0
    assert capsys.readouterr().out.splitlines() == [
        "global: BACKWARD", "orders-value: BACKWARD (global)", "users-value: FULL"]


def test_audit__subject_name_without_glob_is_not_listed(project: Path, registry: Registry,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`--subjects missing-value` (no glob) is asked directly and reported as not registered."""
    assert main(["audit", "prod", "--level", "FULL", "--subjects", "missing-value"], registry=registry) == 0
    assert "missing-value: not registered on prod" in capsys.readouterr().out
