"""Advisories show in the terminal summary as warnings, and never fail an item (issue 16)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import git, write_files

V1 = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n  string paid_at = 3;\n}\n'
V2 = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n}\n'


def test_terminal__a_field_removed_without_reserved_is_a_warning_line(
        pytester: pytest.Pytester, make_repo: Callable[[Mapping[str, str]], Path]) -> None:
    """Deleting a field is compatible for Confluent; the summary warns that its number is not reserved."""
    repo = make_repo({"proto/shop/v1/order.proto": V1})
    write_files(repo, {"proto/shop/v1/order.proto": V2})
    git(repo, "commit", "-qam", "drop paid_at")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["warning: proto/shop/v1/order.proto*FIELD_REMOVED_WITHOUT_RESERVED (git)*paid_at*"])
