"""What a reviewer reads, end to end: the failure block, the short summary, skips, JUnit names."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ..conftest import git, write_files
from .test_plugin import V1, V2_BREAKING

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

EMAIL_LINE = next(i for i, text in enumerate(V2_BREAKING.splitlines(), 1) if '"email"' in text)
#: a file in a subfolder (the short summary's item id is as long as its path)
DEEP = "schemas/orders/customer-value.avsc"


@pytest.fixture
def repo(pytester: pytest.Pytester) -> Path:
    """A git repo with user.avsc released on main, and a breaking edit of it in the working tree."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/user.avsc": V1})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    (root / "schemas/user.avsc").write_text(V2_BREAKING)
    return root


def _block(out: str, nodeid: str) -> list[str]:
    """The lines of ``nodeid``'s failure section (below its ``____ title ____`` line)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"_+ {re.escape(nodeid)} ", line))
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"[_=]{3,} ", lines[i]))
    return lines[start + 1:end]


def test_failure_block__finding_lines_first_and_the_base_named_once(pytester: pytest.Pytester, repo: Path) -> None:
    """The block starts with ``file:line:col: RULE: sentence``, the hint under it, then one level line;
    the base (``HEAD@<sha>``) is named once in it."""
    sha = git(repo, "rev-parse", "HEAD").strip()[:10]
    result = pytester.runpytest("--schemafed")
    block = _block(result.stdout.str(), "schemas/user.avsc::git")
    assert re.fullmatch(rf"schemas/user\.avsc:{EMAIL_LINE}:\d+: READER_FIELD_MISSING_DEFAULT_VALUE: field `email` .*",
                        block[0]), block
    assert block[1].startswith("    hint: ")
    assert block[2] == f"  subject 'user', level BACKWARD, compared with git version HEAD@{sha}"
    assert "\n".join(block).count(sha) == 1


def test_failure_block__transitive_level_lists_a_change_once_with_the_versions(pytester: pytest.Pytester) -> None:
    """Against three exported versions at BACKWARD_TRANSITIVE, the one change is one finding line."""
    versions = {f"export/user/{n}.avsc": V1 for n in (1, 2, 3)}
    write_files(pytester.path, {**versions, "schemas/user.avsc": V2_BREAKING, "schemafed.yaml":
                                "registries:\n  - {id: all, type: directory, path: export, "
                                "level: BACKWARD_TRANSITIVE}\n"})
    result = pytester.runpytest("--schemafed", "schemas")
    result.assert_outcomes(failed=1)
    block = _block(result.stdout.str(), "schemas/user.avsc::all")
    assert sum("READER_FIELD_MISSING_DEFAULT_VALUE" in line for line in block) == 1, block
    assert block[-1] == "  subject 'user', level BACKWARD_TRANSITIVE, compared with all versions 1, 2, 3"


def test_short_summary__failed_line_is_not_cut_at_80_columns(pytester: pytest.Pytester,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``-rA`` at 80 columns: ``FAILED id - line N: RULE +1 more`` in full (pytest cuts the message with
    ``...`` when it does not fit). The message leaves out the path, which the item id beside it names: a
    path of more than about 45 characters still leaves too little room."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {DEEP: V1})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    breaking = json.loads(V2_BREAKING)
    breaking["fields"][0]["type"] = "string"  # long -> string: TYPE_MISMATCH as well
    (root / DEEP).write_text(json.dumps(breaking, indent=2))
    monkeypatch.setenv("COLUMNS", "80")
    result = pytester.runpytest("--schemafed", "-rA")
    failed = [line for line in result.stdout.lines if line.startswith("FAILED ")]
    assert len(failed) == 1 and len(failed[0]) <= 80, failed
    assert re.fullmatch(rf"FAILED {re.escape(DEEP)}::git - line \d+: TYPE_MISMATCH \+1 more", failed[0]), failed


def test_skipped__reason_names_the_schema_file(pytester: pytest.Pytester, repo: Path) -> None:
    """A new subject is ``SKIPPED [1] schemas/invoice.avsc:1: new subject ...``, not plugin.py:NNN."""
    write_files(repo, {"schemas/invoice.avsc": V1.replace("User", "Invoice")})
    result = pytester.runpytest("--schemafed", "-rs")
    result.stdout.fnmatch_lines(["SKIPPED [[]1[]] schemas/invoice.avsc:1: new subject 'invoice' on git: *"])
    assert "plugin.py" not in result.stdout.str()


@pytest.mark.parametrize("workers", [[], ["-n", "2", "-p", "xdist"]], ids=["one-process", "xdist"])
def test_junit__testcases_named_path_registry_with_the_headline(pytester: pytest.Pytester, repo: Path,
                                                                workers: list[str]) -> None:
    """Every testcase is ``path::registry`` (not ``git``); a failure's message is the short headline;
    under pytest-xdist the short summary keeps the headline too."""
    write_files(repo, {"schemas/order.avsc": V1.replace("User", "Order")})
    git(repo, "add", "schemas/order.avsc")
    git(repo, "commit", "-qm", "order")
    run = pytester.runpytest_subprocess if workers else pytester.runpytest
    result = run("--schemafed", "--junitxml=out.xml", "-rA", *workers)
    cases = {c.get("name"): c for c in ET.parse(repo / "out.xml").iter("testcase")}
    assert set(cases) == {"schemas/user.avsc::git", "schemas/order.avsc::git"}
    failure = cases["schemas/user.avsc::git"].find("failure")
    assert failure is not None
    assert failure.get("message") == f"line {EMAIL_LINE}: READER_FIELD_MISSING_DEFAULT_VALUE"
    assert f"schemas/user.avsc:{EMAIL_LINE}:" in (failure.text or "")
    result.stdout.fnmatch_lines([f"FAILED schemas/user.avsc::git - line {EMAIL_LINE}: "
                                 "READER_FIELD_MISSING_DEFAULT_VALUE"])
