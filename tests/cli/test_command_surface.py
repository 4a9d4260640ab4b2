"""The `schemafed` command's surface: --version, --json on every subcommand, compare's format from content
and -I, levels set on an unknown subject, the ccompat hint, directory registries, tables within the terminal."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.cli import main
from pytest_schemafed.report.json import tool_version

from ..servers.confluent_server import ConfluentTestServer
from .conftest import BREAKING, COMPATIBLE, V1, run_schemafed


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConfluentTestServer]:
    """Registry `prod` (users-value v1, v2 breaking) and `dir` (exported/users-value/1.avsc, 2.avsc)."""
    with ConfluentTestServer(global_level="BACKWARD") as server:
        server.register("users-value", V1)
        server.register("users-value", BREAKING)
        (tmp_path / "exported/users-value").mkdir(parents=True)
        (tmp_path / "exported/users-value/1.avsc").write_text(V1)
        (tmp_path / "exported/users-value/2.avsc").write_text(COMPATIBLE)
        (tmp_path / "exported/orders-value.avsc").write_text(V1.replace("User", "Order"))
        (tmp_path / "old.avsc").write_text(V1)
        (tmp_path / "new.avsc").write_text(BREAKING)
        (tmp_path / "schemafed.yaml").write_text(
            f"registries:\n  - id: prod\n    type: confluent\n    url: {server.url}\n    retries: 0\n"
            "  - id: dir\n    type: directory\n    path: exported\n")
        monkeypatch.chdir(tmp_path)
        yield server


JSON_COMMANDS: dict[str, tuple[list[str], int, str]] = {
    "registries": (["registries"], 0, "registries"),
    "subjects": (["subjects", "prod"], 0, "subjects"),
    "find": (["find", "users-value"], 0, "registries"),
    "levels": (["levels", "prod"], 0, "subjects"),
    "audit": (["audit", "prod", "--level", "BACKWARD"], 1, "violations"),
    "levels-set": (["levels", "set", "prod", "FULL", "--subject", "users-value"], 1, "plan"),
    "compare": (["compare", "old.avsc", "new.avsc"], 1, "findings"),
    "error": (["subjects", "nope"], 2, "error"),
}


@pytest.mark.parametrize(("argv", "code", "key"), JSON_COMMANDS.values(), ids=JSON_COMMANDS.keys())
def test_json__every_subcommand_prints_one_document(project: ConfluentTestServer, argv: list[str], code: int,
                                                    key: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--json`: stdout is exactly one JSON document with the command's key (and the exit code)."""
    assert main([*argv, "--json"]) == code
    document = json.loads(capsys.readouterr().out)
    assert key in document
    assert document.get("exit_code", document.get("error", {}).get("exit_code")) == code


def test_json__shapes_carry_the_values(project: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """The documented fields hold what the registry said."""
    main(["subjects", "dir", "--json"])
    assert json.loads(capsys.readouterr().out)["subjects"] == ["orders-value", "users-value"]
    main(["audit", "prod", "--level", "BACKWARD", "--json"])
    audit = json.loads(capsys.readouterr().out)
    assert (audit["judge"], audit["subjects"]) == ("local", 1)
    assert audit["violations"][0]["rule"] == "READER_FIELD_MISSING_DEFAULT_VALUE"
    assert audit["violations"][0]["version"] == "2" and audit["violations"][0]["against"] == "1"
    main(["find", "users-value", "--json"])
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["registries"]}
    assert rows["prod"]["version"] == "2" and rows["dir"]["version"] == "2"
    assert rows["dir"]["same_as_first"] is False and len(rows["prod"]["sha256"]) == 64


def test_json__check_prints_the_report(make_repo: Any) -> None:
    """`check --json`: stdout is the JSON report (pytest's output goes to stderr), exit 1 on a break."""
    repo = make_repo({"schemas/user.avsc": V1})
    (repo / "schemas/user.avsc").write_text(BREAKING)
    done = run_schemafed(repo, "check", "--against", "HEAD", "--json")
    document = json.loads(done.stdout)
    assert done.returncode == 1 and document["exit_code"] == 1
    assert document["items"][0]["outcome"] == "incompatible"
    assert "test session starts" in done.stderr


def test_version__prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`schemafed --version` prints `schemafed X.Y.Z`, exit 0."""
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"schemafed {tool_version()}\n"


def test_compare__json_files_told_apart_by_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two .json files without $schema: Avro records are compared as Avro, JSON Schemas as JSON Schema."""
    (tmp_path / "a.json").write_text(V1)
    (tmp_path / "b.json").write_text(BREAKING)
    assert main(["compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 1
    assert "at BACKWARD (avro)" in capsys.readouterr().out
    (tmp_path / "c.json").write_text(json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}))
    (tmp_path / "d.json").write_text(json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}))
    assert main(["compare", str(tmp_path / "c.json"), str(tmp_path / "d.json")]) == 0
    assert "(json)" in capsys.readouterr().out


def test_compare__import_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """A .proto importing `common/money.proto` from another folder resolves it with -I."""
    (tmp_path / "shared/common").mkdir(parents=True)
    (tmp_path / "shared/common/money.proto").write_text(
        'syntax = "proto3";\npackage common;\nmessage Money { int64 units = 1; }\n')
    (tmp_path / "svc").mkdir()
    order = 'syntax = "proto3";\nimport "common/money.proto";\nmessage Order {{ {} }}\n'
    (tmp_path / "svc/old.proto").write_text(order.format("common.Money total = 1; string id = 2;"))
    (tmp_path / "svc/new.proto").write_text(order.format("common.Money total = 1; int32 id = 2;"))
    monkeypatch.chdir(tmp_path / "svc")
    assert main(["compare", "old.proto", "new.proto"]) == 2
    assert "common/money.proto" in capsys.readouterr().err
    assert main(["compare", "old.proto", "new.proto", "-I", str(tmp_path / "shared")]) == 1
    assert "incompatible: " in capsys.readouterr().out


def test_levels_set__unknown_subject_refused_unless_create(project: ConfluentTestServer,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A typo'd subject is refused (exit 2, no PUT); --create writes its configuration."""
    assert main(["levels", "set", "prod", "FULL", "--subject", "user-value", "--yes"]) == 2
    assert "'user-value' is not registered on prod" in capsys.readouterr().err
    assert "PUT" not in project.method_counts()
    assert main(["levels", "set", "prod", "FULL", "--subject", "user-value", "--yes", "--create"]) == 0
    assert "subject user-value: not registered yet -> FULL" in capsys.readouterr().out
    assert project.levels["user-value"] == "FULL"


def test_hint__ccompat_path_only_when_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A URL already ending with /apis/ccompat/v7 that answers a bare 404 is not told to add it."""
    from pytest_schemafed.backends.confluent_admin import url_hint  # new in issue 18

    assert "add /apis/ccompat/v7" in url_hint("https://sr.example.com")
    with ConfluentTestServer() as server:
        (tmp_path / "schemafed.yaml").write_text(
            f"registries:\n  - id: prod\n    type: confluent\n    url: {server.url}/apis/ccompat/v7\n    retries: 0\n")
        monkeypatch.chdir(tmp_path)
        assert main(["subjects", "prod"]) == 3
    err = capsys.readouterr().err
    assert "HTTP 404" in err and "is the url a Confluent-API schema registry?" in err
    assert "add /apis/ccompat/v7" not in err


def test_directory__subjects_find_audit_work_levels_say_why_not(project: ConfluentTestServer,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A directory registry lists its subjects, shows latest versions and audits; `levels` is one line."""
    assert main(["subjects", "dir"]) == 0
    assert capsys.readouterr().out.split() == ["orders-value", "users-value"]
    assert main(["audit", "dir", "--level", "FULL"]) == 0
    assert "2 subject(s), 0 with violations" in capsys.readouterr().out
    assert main(["levels", "dir"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["schemafed: error: levels is not supported by backend type directory (registry 'dir'): "
                   "a folder of exported versions has no compatibility levels"]


def test_registries__table_with_an_error_fits_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """An unreachable registry's long error wraps within COLUMNS=80 instead of widening the table."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "schemafed.yaml").write_text(
        f"registries:\n  - id: prod\n    type: confluent\n    url: http://127.0.0.1:{port}/a/long/path\n"
        "    retries: 0\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["registries"]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 2 and max(len(line) for line in lines) <= 80
    assert lines[1].startswith("prod") and "unreachable" in lines[1]


def test_table_lines__wraps_the_widest_column_only() -> None:
    """Short columns keep their width; the long cell continues in its own column."""
    from pytest_schemafed.cli.output import table_lines  # new in issue 18

    lines = table_lines([("id", "status"), ("prod", "x" * 50)], width=30)
    assert lines == ["id    status", "prod  " + "x" * 24, "      " + "x" * 24, "      xx"]
