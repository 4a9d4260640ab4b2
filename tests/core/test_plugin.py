"""The pytest layer end to end: collection, item ids, outcomes, reports, options, errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ..conftest import git, write_files

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

V1 = json.dumps({
    "type": "record", "name": "User", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}],
}, indent=2)
V2_COMPATIBLE = json.dumps({
    "type": "record", "name": "User", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
               {"name": "nickname", "type": ["null", "string"], "default": None}],
}, indent=2)
V2_BREAKING = json.dumps({
    "type": "record", "name": "User", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
               {"name": "email", "type": "string"}],
}, indent=2)


@pytest.fixture
def repo(pytester: pytest.Pytester) -> Path:
    """A git repo (the pytester dir) with user.avsc and order.avsc released on main."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/user.avsc": V1, "schemas/order.avsc": V1.replace("User", "Order")})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    return root


def test_zero_config__compatible_change_passes(pytester: pytest.Pytester, repo: Path) -> None:
    """An optional field with a default is BACKWARD compatible: both items pass."""
    (repo / "schemas/user.avsc").write_text(V2_COMPATIBLE)
    result = pytester.runpytest("--schemafed", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*schemas/order.avsc::git PASSED*", "*schemas/user.avsc::git PASSED*"])


def test_zero_config__breaking_change_fails_with_file_line_and_rule(pytester: pytest.Pytester, repo: Path) -> None:
    """A field added without a default fails, naming file:line, rule, subject and level."""
    (repo / "schemas/user.avsc").write_text(V2_BREAKING)
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    line = next(i for i, text in enumerate(V2_BREAKING.splitlines(), 1) if '"email"' in text)
    assert f"schemas/user.avsc:{line}" in out
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in out
    assert "subject 'user', level BACKWARD" in out
    assert "Traceback" not in out


def test_new_file__skipped_as_new_subject(pytester: pytest.Pytester, repo: Path) -> None:
    """A schema absent at the base ref is a new subject: skipped with that reason."""
    write_files(repo, {"schemas/invoice.avsc": V1.replace("User", "Invoice")})
    result = pytester.runpytest("--schemafed", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*new subject 'invoice' on git*"])


def test_malformed_schema__one_failing_item_no_traceback(pytester: pytest.Pytester, repo: Path) -> None:
    """A file that is not JSON fails its own item with the parse error; the others run."""
    (repo / "schemas/user.avsc").write_text('{"type": "record",\n "name": "User", "fields": [\n')
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "schemas/user.avsc:" in out and "Traceback" not in out


def test_without_option__nothing_collected(pytester: pytest.Pytester, repo: Path) -> None:
    """Without --schemafed the plugin collects no schema item."""
    pytester.makepyfile(test_one="def test_one():\n    assert True\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


def test_schemafed_only__deselects_python_tests(pytester: pytest.Pytester, repo: Path) -> None:
    """--schemafed-only keeps schema items only."""
    pytester.makepyfile(test_one="def test_one():\n    assert True\n")
    result = pytester.runpytest("--schemafed-only")
    result.assert_outcomes(passed=2, deselected=1)


def test_enabled_by_config(pytester: pytest.Pytester, repo: Path) -> None:
    """`schemafed: true` in schemafed.yaml enables the gate without the option."""
    (repo / "schemafed.yaml").write_text("schemafed: true\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)


def test_item_ids__k_and_deselect(pytester: pytest.Pytester, repo: Path) -> None:
    """Items are `path::registry`: -k and --deselect select them like any test."""
    result = pytester.runpytest("--schemafed", "-k", "order")
    result.assert_outcomes(passed=1, deselected=1)
    result = pytester.runpytest("--schemafed", "--deselect", "schemas/user.avsc::git")
    result.assert_outcomes(passed=1, deselected=1)


def test_last_failed__reruns_only_the_break(pytester: pytest.Pytester, repo: Path) -> None:
    """--lf reruns only the failing schema item."""
    (repo / "schemas/user.avsc").write_text(V2_BREAKING)
    pytester.runpytest("--schemafed").assert_outcomes(passed=1, failed=1)
    result = pytester.runpytest("--schemafed", "--lf")
    result.assert_outcomes(failed=1)


def test_summary__counts_per_registry(pytester: pytest.Pytester, repo: Path) -> None:
    """The run ends with counts per registry."""
    (repo / "schemas/user.avsc").write_text(V2_BREAKING)
    write_files(repo, {"schemas/invoice.avsc": V1.replace("User", "Invoice")})
    result = pytester.runpytest("--schemafed")
    result.stdout.fnmatch_lines(["*schemafed*", "git: 1 compatible, 1 incompatible, 1 new, 0 error"])


def test_junitxml__properties(pytester: pytest.Pytester, repo: Path) -> None:
    """JUnit XML carries registry, subject, level and rule ids as properties."""
    (repo / "schemas/user.avsc").write_text(V2_BREAKING)
    pytester.runpytest("--schemafed", "--junitxml=out.xml")
    tree = ET.parse(repo / "out.xml")
    case = next(c for c in tree.iter("testcase") if c.get("name") == "schemas/user.avsc::git")
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert props["schemafed.registry"] == "git"
    assert props["schemafed.subject"] == "user"
    assert props["schemafed.level"] == "BACKWARD"
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in props["schemafed.rules"]


def test_yaml_typo__usage_error_without_traceback(pytester: pytest.Pytester, repo: Path) -> None:
    """A broken schemafed.yaml stops the run with one line naming the file and line."""
    (repo / "schemafed.yaml").write_text("registries:\n  - id: a\n   type: git\n")
    result = pytester.runpytest("--schemafed")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "schemafed.yaml:3" in err and "Traceback" not in err


def test_missing_env_var__usage_error_names_it(pytester: pytest.Pytester, repo: Path) -> None:
    """A ${VAR} that is not set names the variable and the registry."""
    (repo / "schemafed.yaml").write_text("registries:\n  - {id: dir, type: directory, path: '${NOPE_DIR}'}\n")
    result = pytester.runpytest("--schemafed")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "NOPE_DIR" in result.stderr.str() and "'dir'" in result.stderr.str()


def test_not_a_git_repo__one_clear_message(pytester: pytest.Pytester) -> None:
    """Zero config outside git: one message saying what to do, no traceback."""
    write_files(pytester.path, {"user.avsc": V1})
    result = pytester.runpytest("--schemafed")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "not inside a git repository" in err and "Traceback" not in err


def test_directory_backend__transitive_levels_use_every_version(pytester: pytest.Pytester) -> None:
    """BACKWARD_TRANSITIVE compares with every exported version; BACKWARD with the last."""
    v0 = json.dumps({"type": "record", "name": "User", "fields": [{"name": "id", "type": "int"},
                                                                 {"name": "email", "type": "string"}]})
    v1 = json.dumps({"type": "record", "name": "User", "fields": [{"name": "id", "type": "int"},
                                                                 {"name": "email", "type": "string",
                                                                  "default": ""}]})
    local = json.dumps({"type": "record", "name": "User", "fields": [{"name": "id", "type": "int"}]})
    write_files(pytester.path, {
        "export/user/1.avsc": v0, "export/user/2.avsc": v1, "schemas/user.avsc": local,
        "schemafed.yaml": "registries:\n"
        "  - {id: latest, type: directory, path: export, level: FORWARD}\n"
        "  - {id: all, type: directory, path: export, level: FORWARD_TRANSITIVE}\n",
    })
    result = pytester.runpytest("--schemafed", "-v")
    result.stdout.fnmatch_lines(["*user.avsc::latest PASSED*", "*user.avsc::all FAILED*"])
    assert "against version 1 only" in result.stdout.str()


def test_forced_level_and_registry_selection(pytester: pytest.Pytester, repo: Path) -> None:
    """--schemafed-level NONE passes a break; --schemafed-registry limits the items."""
    (repo / "schemas/user.avsc").write_text(V2_BREAKING)
    pytester.runpytest("--schemafed", "--schemafed-level", "NONE").assert_outcomes(passed=2)
    result = pytester.runpytest("--schemafed", "--schemafed-registry", "nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "not configured" in result.stderr.str()


def test_third_party_backend_and_subject_hook_from_conftest(pytester: pytest.Pytester) -> None:
    """A conftest registers a backend type and renames subjects through the public hooks."""
    pytester.makeconftest('''
import pluggy
from pytest_schemafed.backends.base import Backend, Option
from pytest_schemafed.errors import SubjectNotFound
from pytest_schemafed.model import History, HistoryVersion

hookimpl = pluggy.HookimplMarker("pytest")
SEEN = []

class MemoryBackend(Backend):
    type_name = "memory"
    options = {"schema": Option(str, required=True)}

    def history(self, check):
        SEEN.append(check.subject)
        if check.subject != "user-value":
            raise SubjectNotFound("unknown")
        return History(versions=(HistoryVersion("1", self.spec.options["schema"]),))

@hookimpl
def pytest_schemafed_register_backends(registry):
    registry.add_backend("memory", MemoryBackend)

@hookimpl
def pytest_schemafed_subject(source, backend_id, default):
    return default + "-value"
''')
    write_files(pytester.path, {
        "user.avsc": V2_BREAKING,
        "schemafed.yaml": "registries:\n  - id: mem\n    type: memory\n    schema: '" + V1.replace("\n", " ") + "'\n",
    })
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(failed=1)
    assert "subject 'user-value'" in result.stdout.str()


def test_xdist__same_outcomes_in_workers(pytester: pytest.Pytester, repo: Path) -> None:
    """Under -n 2 each item still reports its verdict."""
    (repo / "schemas/user.avsc").write_text(V2_BREAKING)
    result = pytester.runpytest_subprocess("--schemafed", "-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["git: 1 compatible, 1 incompatible, 0 new, 0 error"])


def test_protobuf_imports__old_version_resolves_imports_at_the_base_ref(pytester: pytest.Pytester) -> None:
    """The previous version's imports are read at the base ref, not from the working tree."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    common_v1 = 'syntax = "proto3";\npackage shop;\nmessage Money { int64 units = 1; }\n'
    order = 'syntax = "proto3";\npackage shop;\nimport "common.proto";\nmessage Order { Money total = 1; }\n'
    write_files(root, {"proto/common.proto": common_v1, "proto/order.proto": order})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    # Money is renamed in the working tree; the old order.proto must still resolve `Money`
    # against the old common.proto, and the new one against the new common.proto.
    (root / "proto/common.proto").write_text('syntax = "proto3";\npackage shop;\nmessage Cash { int64 units = 1; }\n')
    (root / "proto/order.proto").write_text(order.replace("Money total", "Cash total"))
    result = pytester.runpytest("--schemafed", "-v", "-k", "order")
    out = result.stdout.str()
    assert "cannot be parsed" not in out, out
    result.stdout.fnmatch_lines(["*proto/order.proto::git FAILED*"])
