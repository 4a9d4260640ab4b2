"""Any file name git can hold works in the git backend, and every answer of git is checked.

The names are the ones that broke line-based parsing of git's output: a space (the
``cat-file`` header of a missing ``<commit>:my schema.avsc`` has four words), a tab,
a newline, a leading dash, non-ASCII letters. A valid ``user.avsc`` sits beside them.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.git import GitBackend
from pytest_schemafed.errors import BackendProtocolError, SubjectNotFound
from pytest_schemafed.model import Check, SchemaSource
from pytest_schemafed.registry import default_registry

from ..conftest import git, write_files
from .conftest import VALID

NAMES = ["my schema.avsc", "tab\there.avsc", "new\nline.avsc", "-leading-dash.avsc", "ünïcødé 名前.avsc",
         "quote\"and'back\\slash.avsc", "-c core.pager=x.avsc"]


def _schema(name: str, extra: bool = False) -> str:
    fields = [{"name": "id", "type": "long"}]
    if extra:
        fields.append({"name": "note", "type": ["null", "string"], "default": None})
    return json.dumps({"type": "record", "name": name, "fields": fields})


def _backend(root: Path) -> GitBackend:
    return GitBackend(BackendSpec(id="git", type="git"), RunContext(rootdir=root, registry=default_registry()))


def _check(root: Path, rel: str) -> Check:
    source = SchemaSource(path=root / rel, relpath=rel, format="avro")
    return Check(source=source, backend_id="git", subject=Path(rel).stem)


def test_hostile_names__committed_ones_read_new_ones_new(make_repo) -> None:  # type: ignore[no-untyped-def]
    """Each hostile name reads its own content at the base; the same names, uncommitted, are new subjects."""
    committed = {f"s/{n}": _schema(f"R{i}") for i, n in enumerate(NAMES)} | {"s/user.avsc": VALID}
    root = make_repo(committed)
    write_files(root, {f"new/{n}": _schema("N") for n in NAMES})
    backend = _backend(root)
    checks = [_check(root, rel) for rel in committed] + [_check(root, f"new/{n}") for n in NAMES]
    for check in checks[:5]:
        backend.prefetch(check)  # some prefetched during "collection", the rest read in prepare()
    backend.prepare(checks)
    for rel, text in committed.items():
        assert backend.history(_check(root, rel)).versions[0].text == text, rel
    for name in NAMES:
        with pytest.raises(SubjectNotFound, match="does not exist at HEAD"):
            backend.history(_check(root, f"new/{name}"))
    backend.close()


def test_listing__nul_separated_names_exactly(make_repo) -> None:  # type: ignore[no-untyped-def]
    from pytest_schemafed.backends.git_objects import list_tree

    root = make_repo({n: "x" for n in NAMES})
    commit = git(root, "rev-parse", "HEAD").strip()
    entries = list_tree(root, commit)
    assert sorted(entries) == sorted(NAMES)
    assert {e.type for e in entries.values()} == {"blob"}


def test_new_file_with_a_space__valid_items_pass(pytester: pytest.Pytester, project: Path) -> None:
    """The case of the issue: a new ``my schema.avsc`` no longer fails every git item.

    It is collected first (so it is the first file asked of git), before a committed
    ``x-dash ü.avsc`` changed compatibly and the valid ``user.avsc``.
    """
    write_files(project, {"schemas/my schema.avsc": _schema("Mine"), "schemas/x-dash ü.avsc": _schema("Dash")})
    git(project, "add", "schemas/x-dash ü.avsc")
    git(project, "commit", "-qm", "dash")
    (project / "schemas/x-dash ü.avsc").write_text(_schema("Dash", extra=True))  # a compatible change
    result = pytester.runpytest("--schemafed", "-rs", "-p", "no:randomly")
    output = "\n".join(result.outlines + result.errlines)
    assert "Traceback" not in output and "INTERNALERROR" not in output and "ValueError" not in output, output
    result.assert_outcomes(passed=2, skipped=1)  # user.avsc and the changed one; the new one is a new subject
    assert result.ret == 0


# Below: git's answers parsed by git_objects (new with this module: imported where used, so that
# the tests above also run against the code before it).


def _real_answers(root: Path, oids: list[str]) -> bytes:
    """What the real ``git cat-file --batch`` writes for ``oids``."""
    done = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=b"".join(o.encode() + b"\n" for o in oids),
                          capture_output=True, check=True)
    return done.stdout


@pytest.fixture
def three_blobs(make_repo) -> tuple[Path, list[str]]:  # type: ignore[no-untyped-def]
    from pytest_schemafed.backends.git_objects import list_tree

    root = make_repo({"a.avsc": "aaa", "b.avsc": "bb\nb", "c.avsc": ""})
    entries = list_tree(root, git(root, "rev-parse", "HEAD").strip())
    return root, [entries[n].oid for n in ("a.avsc", "b.avsc", "c.avsc")]


def test_cat_file_answers__read_by_size(three_blobs: tuple[Path, list[str]]) -> None:
    from pytest_schemafed.backends.git_objects import read_answers

    root, oids = three_blobs
    answers = read_answers(io.BytesIO(_real_answers(root, oids)), oids)
    assert answers.blobs == dict(zip(oids, [b"aaa", b"bb\nb", b""], strict=True)) and not answers.errors


@pytest.mark.parametrize(("mutate", "first_error"), [
    (lambda data, oid: data.replace(b" blob 3\n", b" blob three\n", 1), "unexpected answer from git cat-file"),
    (lambda data, oid: data.replace(oid.encode(), b"f" * 40, 1), "unexpected answer from git cat-file"),
    (lambda data, oid: data.replace(b" blob 3\n", b" tree 3\n", 1), "unexpected answer from git cat-file"),
    (lambda data, oid: data.replace(b" blob 3\n", b" blob 3 extra\n", 1), "unexpected answer from git cat-file"),
    (lambda data, oid: b"fatal: something\n" + data, "unexpected answer from git cat-file"),
    (lambda data, oid: data[:len(oid) + 8], "ended inside object"),
    (lambda data, oid: b"", "ended without answering"),
])
def test_cat_file_answers__anything_unexpected_is_one_line_per_object(
    three_blobs: tuple[Path, list[str]], mutate, first_error: str  # type: ignore[no-untyped-def]
) -> None:
    """A wrong first answer is that object's error, in one line; the later ones are not trusted either."""
    from pytest_schemafed.backends.git_objects import read_answers

    root, oids = three_blobs
    answers = read_answers(io.BytesIO(mutate(_real_answers(root, oids), oids[0])), oids)
    assert not answers.blobs
    assert first_error in answers.errors[oids[0]]
    assert all("\n" not in e for e in answers.errors.values())
    assert set(answers.errors) == set(oids)


def test_cat_file_missing__only_that_object(three_blobs: tuple[Path, list[str]]) -> None:
    from pytest_schemafed.backends.git_objects import read_answers

    root, oids = three_blobs
    data = _real_answers(root, oids).replace(f"{oids[0]} blob 3\naaa\n".encode(), f"{oids[0]} missing\n".encode())
    answers = read_answers(io.BytesIO(data), oids)
    assert "partial clone" in answers.errors[oids[0]]
    assert answers.blobs == {oids[1]: b"bb\nb", oids[2]: b""}


def test_unexpected_answer__that_item_errors_with_one_line_others_pass(
    make_repo, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """Through the backend: git's answer for one file is corrupted; only its item fails, in one line."""
    from pytest_schemafed.backends import git_objects
    from pytest_schemafed.backends.git_objects import read_answers

    root = make_repo({"bad.avsc": "BAD", "good.avsc": VALID})
    real = read_answers

    def corrupting(stream, oids):  # type: ignore[no-untyped-def]
        got = real(stream, oids)
        data = b"".join(f"{o} blob {len(got.blobs[o])}\n".encode() + got.blobs[o] + b"\n" for o in oids)
        data = data.replace(b" blob 3\n", b" blob 3 \n")  # the answer for bad.avsc only (3 bytes)
        return real(io.BytesIO(data), oids)

    monkeypatch.setattr(git_objects, "read_answers", corrupting)
    backend = _backend(root)
    bad, good = _check(root, "bad.avsc"), _check(root, "good.avsc")
    backend.prepare([good, bad])
    assert backend.history(good).versions[0].text == VALID
    with pytest.raises(BackendProtocolError) as info:
        backend.history(bad)
    assert "bad.avsc: unexpected answer from git cat-file" in str(info.value) and "\n" not in str(info.value)
    backend.close()


def test_symlinks_inside_the_commit_are_followed_outside_refused(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"real.avsc": VALID})
    (root / "inside.avsc").symlink_to("real.avsc")
    (root / "outside.avsc").symlink_to("../../etc/hostname")
    (root / "loop.avsc").symlink_to("loop.avsc")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "links")
    backend = _backend(root)
    checks = {n: _check(root, n) for n in ("inside.avsc", "outside.avsc", "loop.avsc")}
    backend.prepare(list(checks.values()))
    assert backend.history(checks["inside.avsc"]).versions[0].text == VALID
    outside = r"outside\.avsc is a symlink at HEAD@\w+ to '\.\./\.\./etc/hostname', outside the repository"
    with pytest.raises(BackendProtocolError, match=outside):
        backend.history(checks["outside.avsc"])
    with pytest.raises(BackendProtocolError, match=r"loop\.avsc is a symlink loop"):
        backend.history(checks["loop.avsc"])
    backend.close()
