"""Unchanged means unchanged: a file whose text and whole import closure have the base's blob ids passes unparsed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pytest_schemafed.backends.git_objects import list_tree
from pytest_schemafed.backends.git_unchanged import ClosureProbe, blob_id
from pytest_schemafed.registry import default_registry

from ..conftest import git, write_files

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

MONEY = 'syntax = "proto3";\npackage shop.v1;\nmessage Money {\n  int64 units = 1;\n}\n'
ORDER = ('syntax = "proto3";\npackage shop.v1;\nimport "shop/v1/money.proto";\n'
         'message Order {\n  Money total = 1;\n  string id = 2;\n}\n')
BROKEN = 'syntax = "proto3";\nmessage Broken {\n  int32 = ;\n}\n'


def _release(root: Path, files: dict[str, str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")


def test_blob_id__is_gits_own(tmp_path: Path) -> None:
    """The working-tree hash is the id `git hash-object` gives."""
    (tmp_path / "f").write_bytes(b"syntax = \"proto3\";\n\xc3\xa9\n")
    theirs = subprocess.run(["git", "hash-object", str(tmp_path / "f")], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert blob_id((tmp_path / "f").read_bytes()) == theirs


def test_unchanged_malformed_file__passes_unparsed(pytester: pytest.Pytester) -> None:
    """A file nobody touched is not parsed, so a first run is green even where it would not parse."""
    _release(pytester.path, {"proto/broken.proto": BROKEN})
    result = pytester.runpytest("--schemafed-only", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*proto/broken.proto::git PASSED (unchanged)*"])


def test_changed_import__importer_is_judged(pytester: pytest.Pytester) -> None:
    """An importer whose own text is unchanged is checked when a file it imports changed."""
    _release(pytester.path, {"shop/v1/money.proto": MONEY, "shop/v1/order.proto": ORDER})
    (pytester.path / "shop/v1/money.proto").write_text(MONEY.replace("int64 units = 1;", "int64 units = ;"))
    result = pytester.runpytest("--schemafed-only", "-v")
    result.assert_outcomes(failed=2)  # both fail on the broken import, neither passes as unchanged
    assert "unchanged" not in result.stdout.str()


def test_unchanged_closure__both_pass_as_unchanged(pytester: pytest.Pytester) -> None:
    """With nothing changed, the importer and the imported file are both "unchanged" in -v."""
    _release(pytester.path, {"shop/v1/money.proto": MONEY, "shop/v1/order.proto": ORDER})
    (pytester.path / "notes.txt").write_text("not a schema")
    result = pytester.runpytest("--schemafed-only", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*money.proto::git PASSED (unchanged)*", "*order.proto::git PASSED (unchanged)*"])


def _probe(root: Path) -> ClosureProbe:
    sha = git(root, "rev-parse", "HEAD").strip()
    return ClosureProbe(root.resolve(), list_tree(root, sha))


def _names(text: str) -> list[str]:
    return default_registry().format("protobuf").reference_names(text)  # type: ignore[attr-defined,no-any-return]


def test_probe__import_resolving_elsewhere_now_is_a_change(tmp_path: Path) -> None:
    """The same import name found at an earlier root than at the base is a changed closure."""
    root = tmp_path / "repo"
    _release(root, {"shop/v1/order.proto": ORDER, "vendor/shop/v1/money.proto": MONEY})
    roots = [root.resolve(), (root / "vendor").resolve()]
    assert _probe(root).unchanged((root / "shop/v1/order.proto").resolve(), roots, _names) == 1
    write_files(root, {"shop/v1/money.proto": MONEY})  # same text, found first now, at another path
    assert _probe(root).unchanged((root / "shop/v1/order.proto").resolve(), roots, _names) is None


def test_probe__new_file_and_symlink_are_changes(tmp_path: Path) -> None:
    """A file not at the base, or a symlink on either side, is never called unchanged."""
    root = tmp_path / "repo"
    _release(root, {"a.proto": MONEY})
    write_files(root, {"b.proto": MONEY})
    (root / "c.proto").symlink_to("a.proto")
    probe = _probe(root)
    assert probe.unchanged((root / "a.proto").resolve(), [root.resolve()], _names) == 0
    assert probe.unchanged((root / "b.proto").resolve(), [root.resolve()], _names) is None
    assert probe.unchanged(root.resolve() / "c.proto", [root.resolve()], _names) is None
