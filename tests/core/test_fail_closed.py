"""The gate fails closed, run as a user runs it: base named, no silent HEAD in CI, empty selections,
registries that are down (issue 13's holes 3, 4 and 6; holes 1, 2 and 5 are tested with the backends
and the reports)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import git, write_files

V1 = json.dumps({"type": "record", "name": "U", "fields": [{"name": "a", "type": "string"}]})
BREAK = json.dumps({"type": "record", "name": "U", "fields": [{"name": "a", "type": "int"}]})

MakeRepo = Callable[[Mapping[str, str]], Path]


def _commit_break(repo: Path) -> None:
    write_files(repo, {"schemas/u.avsc": BREAK})
    git(repo, "commit", "-qam", "break u")


def test_header__names_the_base_once(pytester: pytest.Pytester, make_repo: MakeRepo) -> None:
    """Every run names its base in the header: ref, short sha and how it was chosen."""
    repo = make_repo({"schemas/u.avsc": V1})
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    sha = git(repo, "rev-parse", "HEAD").strip()[:10]
    result.stdout.fnmatch_lines([f"schemafed: git: git base: HEAD {sha} (HEAD (no upstream found); only "
                                 "uncommitted changes are compared)"])
    assert sum("git base:" in line for line in result.outlines) == 1


def test_header__merge_base_with_the_upstream(pytester: pytest.Pytester, make_repo: MakeRepo) -> None:
    """With an upstream, the header says the base is the merge-base and with which branch."""
    repo = make_repo({"schemas/u.avsc": V1})
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    base = git(repo, "rev-parse", "HEAD").strip()[:10]
    _commit_break(repo)
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    result.stdout.fnmatch_lines([f"schemafed: git: git base: merge-base(HEAD, origin/main) {base} "
                                 "(merge-base with origin/main)"])
    result.assert_outcomes(failed=1)


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS"])
@pytest.mark.parametrize("upstream", [False, True])
def test_ci__a_default_base_equal_to_head_stops_the_run(pytester: pytest.Pytester, make_repo: MakeRepo,
                                                       monkeypatch: pytest.MonkeyPatch, variable: str,
                                                       upstream: bool) -> None:
    """Hole 3: in CI, a committed break compared with HEAD itself would pass: the run stops with one line.

    Both ways the default base becomes HEAD: no remote at all, or HEAD already contained in origin/main.
    """
    repo = make_repo({"schemas/u.avsc": V1})
    _commit_break(repo)
    if upstream:
        git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    monkeypatch.setenv(variable, "true")
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    (line,) = [x for x in result.errlines if "git base would be HEAD itself" in x]
    assert "--schemafed-against" in line and "Traceback" not in result.stderr.str()


def test_ci__an_explicit_base_is_used(pytester: pytest.Pytester, make_repo: MakeRepo,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """In CI with --schemafed-against, the committed break is found."""
    repo = make_repo({"schemas/u.avsc": V1})
    base = git(repo, "rev-parse", "HEAD").strip()
    _commit_break(repo)
    monkeypatch.setenv("CI", "true")
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "--schemafed-against", base, "-p", "no:cacheprovider",
                                          "--schemafed-report", "github=none", str(repo))
    result.assert_outcomes(failed=1)


def test_empty_selection__glob_matching_nothing_fails_the_run(pytester: pytest.Pytester,
                                                              make_repo: MakeRepo) -> None:
    """Hole 4: a configuration whose schemas: globs match no file exits non-zero, naming the glob."""
    repo = make_repo({"schemas/u.avsc": V1, "test_other.py": "def test_a():\n    pass\n",
                      "schemafed.yaml": 'schemas:\n  - path: "schemaz/**/*.avsc"\n'})
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(["warning: schemas: 'schemaz/**/*.avsc' matched no file",
                                 "error: no schema file was selected, so nothing was checked*"])


def test_empty_selection__one_glob_matching_nothing_is_a_warning(pytester: pytest.Pytester,
                                                                  make_repo: MakeRepo) -> None:
    """One glob of several matches nothing: a warning line, and the run still checks the rest."""
    repo = make_repo({"schemas/u.avsc": V1, "schemafed.yaml": 'schemas:\n  - path: "schemas/*.avsc"\n'
                                                              '  - path: "proto/**/*.proto"\n'})
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["warning: schemas: 'proto/**/*.proto' matched no file"])
    result.assert_outcomes(passed=1)


REGISTRY = """registries:
  - id: prod
    type: confluent
    url: http://127.0.0.1:9
    retries: 0
    timeout: 2.0
{extra}"""


@pytest.mark.parametrize(("extra", "outcome"), [("", "failed"), ("    on_unavailable: fail\n", "failed"),
                                                ("    on_unavailable: skip\n", "skipped")])
def test_on_unavailable__skip_skips_with_the_reason_default_fails(pytester: pytest.Pytester, make_repo: MakeRepo,
                                                                  extra: str, outcome: str) -> None:
    """Hole 6: a registry nobody listens on fails its items by default; on_unavailable: skip skips them."""
    repo = make_repo({"schemas/u.avsc": V1, "schemafed.yaml": REGISTRY.format(extra=extra)})
    os.chdir(repo)
    result = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", "-rs", str(repo))
    result.assert_outcomes(**{outcome: 1})
    if outcome == "skipped":
        result.stdout.fnmatch_lines(["SKIPPED*prod unavailable (on_unavailable: skip)*"])
    else:
        assert "prod" in result.stdout.str() and "on_unavailable: skip" not in result.stdout.str()
