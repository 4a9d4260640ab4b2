"""The git backend: ref resolution, one cat-file process, clear errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.git import GitBackend
from pytest_schemafed.errors import ConfigError, SubjectNotFound
from pytest_schemafed.model import Check, SchemaSource
from pytest_schemafed.registry import default_registry

from ..conftest import git


def backend(root: Path, against: str | None = None, **options: str) -> GitBackend:
    context = RunContext(rootdir=root, registry=default_registry(), against=against)
    return GitBackend(BackendSpec(id="git", type="git", options=options), context)


def check_for(root: Path, rel: str) -> Check:
    source = SchemaSource(path=root / rel, relpath=rel, format="avro")
    return Check(source=source, backend_id="git", subject=Path(rel).stem)


def test_not_a_git_repo__clear_error(tmp_path: Path) -> None:
    """Outside a repository the error says what to do instead."""
    with pytest.raises(ConfigError) as info:
        backend(tmp_path)
    assert "not inside a git repository" in str(info.value)
    assert "--schemafed-against" in str(info.value)


def test_no_commits__clear_error(tmp_path: Path) -> None:
    """A repository without commits has no previous version: said plainly."""
    git(tmp_path, "init", "-q")
    with pytest.raises(ConfigError, match="no commits yet"):
        backend(tmp_path)


def test_unknown_ref__says_fetch(make_repo) -> None:  # type: ignore[no-untyped-def]
    """A ref that does not exist names the ref and how to get it."""
    repo = make_repo({"a.avsc": "{}"})
    with pytest.raises(ConfigError, match="'origin/nope' does not exist"):
        backend(repo, against="origin/nope")


def test_shallow_clone__says_fetch_depth_0(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """In a shallow clone without the base commit, the hint is `fetch-depth: 0`."""
    origin = make_repo({"a.avsc": "1"})
    (origin / "a.avsc").write_text("2")
    git(origin, "commit", "-qam", "second")
    base = git(origin, "rev-parse", "HEAD~1").strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    with pytest.raises(ConfigError, match="fetch-depth: 0"):
        backend(clone, against=base)


def test_history__content_at_ref_and_new_file(make_repo) -> None:  # type: ignore[no-untyped-def]
    """A tracked file gives its content at the ref; an untracked one is a new subject."""
    repo = make_repo({"schemas/a.avsc": '"int"'})
    (repo / "schemas/a.avsc").write_text('"long"')
    (repo / "schemas/b.avsc").write_text('"int"')
    gb = backend(repo)
    checks = [check_for(repo, "schemas/a.avsc"), check_for(repo, "schemas/b.avsc")]
    gb.prepare(checks)
    history = gb.history(checks[0])
    assert [v.text for v in history.versions] == ['"int"']
    assert history.versions[0].version.startswith("HEAD@")
    with pytest.raises(SubjectNotFound, match="does not exist at HEAD"):
        gb.history(checks[1])
    gb.close()


def test_default_ref__merge_base_with_origin_main(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With an upstream, the base is the merge-base with origin/main, not HEAD."""
    origin = make_repo({"a.avsc": '"v1"'})
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(clone)], check=True)
    (clone / "a.avsc").write_text('"v2"')
    git(clone, "commit", "-qam", "feature work")
    gb = backend(clone)
    assert gb.ref == "merge-base(HEAD, origin/HEAD)"
    check = check_for(clone, "a.avsc")
    assert gb.history(check).versions[0].text == '"v1"'
    gb.close()


def test_one_cat_file_process_for_many_files(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """200 files are read through a single `git cat-file --batch` process."""
    files = {f"s/f{i}.avsc": f'"{i}"' for i in range(200)}
    repo = make_repo(files)
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(args, *a, **k):  # type: ignore[no-untyped-def]
        started.append(list(args))
        return real_popen(args, *a, **k)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    gb = backend(repo)
    checks = [check_for(repo, rel) for rel in files]
    gb.prepare(checks)
    texts = [gb.history(c).versions[0].text for c in checks]
    gb.close()
    assert texts == list(files.values())
    assert [a[:2] for a in started if a[:1] == ["git"] and "cat-file" in a] == [["git", "cat-file"]]


def _prefetched(root: Path, names: list[str], *, listed: bool) -> dict[str, bytes | None]:
    from pytest_schemafed.backends.git import _Repository, resolve_base

    repo = _Repository(root, resolve_base(root))
    if listed:  # let `ls-tree` end before the requests: each goes out as soon as it is made
        repo.prefetch(names[0])
        assert repo._prefetch is not None
        if repo._prefetch._listing is not None:
            repo._prefetch._listing.wait()
    for name in names:
        repo.prefetch(name)
    repo.collect_prefetched()
    repo.read(names, "git")
    assert not repo.errors
    repo.close()
    return {n: repo.blobs[n] for n in names}


def test_prefetch__same_bytes_whether_listed_first_or_not(make_repo) -> None:  # type: ignore[no-untyped-def]
    """Requests made before and after the listing ends give the same bytes; a new file and a folder are None."""
    files = {f"s/{d}/r{i}.avsc": f'"{d}{i}"' for d in ("a", "b") for i in range(5)} | {"top.avsc": '"t"'}
    root = make_repo(files)
    names = [*files, "s/a/new.avsc", "s"]  # a file not in the commit; a folder (a tree, not a blob)
    early = _prefetched(root, names, listed=False)
    late = _prefetched(root, names, listed=True)
    assert early == late
    assert early["s/b/r3.avsc"] == b'"b3"'
    assert early["s/a/new.avsc"] is None and early["s"] is None


def test_resolve_base__says_how_it_was_chosen(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The base names its ref, its commit and how it was chosen: given, merge-base, or HEAD for lack of one."""
    from pytest_schemafed.backends.git import resolve_base

    origin = make_repo({"a.avsc": '"v1"'})
    head = git(origin, "rev-parse", "HEAD").strip()
    alone = resolve_base(origin)
    assert (alone.ref, alone.sha, alone.how) == ("HEAD", head, "HEAD (no upstream found)")
    assert alone.is_head_fallback
    given = resolve_base(origin, against="main", configured="other")
    assert (given.ref, given.sha, given.how) == ("main", head, "--schemafed-against")
    assert resolve_base(origin, configured="main").how == "the registry's ref option"
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(clone)], check=True)
    (clone / "a.avsc").write_text('"v2"')
    git(clone, "commit", "-qam", "feature work")
    merged = resolve_base(clone)
    assert (merged.sha, merged.how) == (head, "merge-base with origin/HEAD")
    assert not merged.is_head_fallback
