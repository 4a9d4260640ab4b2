"""The directory backend: a subject or a symlink leading out of its folder, and unreadable versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.directory import DirectoryBackend
from pytest_schemafed.errors import BackendError
from pytest_schemafed.model import Check
from pytest_schemafed.registry import default_registry
from tests.checks import make_check

from .conftest import VALID


def _backend(root: Path) -> DirectoryBackend:
    spec = BackendSpec(id="exported", type="directory", options={"path": "exports"})
    return DirectoryBackend(spec, RunContext(rootdir=root, registry=default_registry()))


def _check(root: Path, subject: str) -> Check:
    return make_check(VALID, relpath="user.avsc", subject=subject, backend_id="exported", root=str(root))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "exports").mkdir(parents=True)
    (repo / "exports/user.avsc").write_text(VALID)
    (tmp_path / "secret.avsc").write_text('"outside"')
    return repo


def test_valid_subject__read(root: Path) -> None:
    assert _backend(root).history(_check(root, "user")).versions[0].text == VALID


@pytest.mark.parametrize("subject", ["../secret", "/etc/hostname-like", "../repo/../secret"])
def test_subject_leading_out__refused_with_one_line(root: Path, subject: str) -> None:
    with pytest.raises(BackendError, match=r"leads outside the folder .*exports; not read"):
        _backend(root).history(_check(root, subject))


def test_symlink_out_of_the_folder__refused(root: Path) -> None:
    (root / "exports/linked.avsc").symlink_to(root.parent / "secret.avsc")
    with pytest.raises(BackendError, match="subject 'linked' leads outside the folder"):
        _backend(root).history(_check(root, "linked"))


def test_version_not_utf8__one_line(root: Path) -> None:
    (root / "exports/orders").mkdir()
    (root / "exports/orders/1.avsc").write_bytes(b'"\xff\xfe"')
    with pytest.raises(BackendError) as info:
        _backend(root).history(_check(root, "orders"))
    assert "1.avsc: not UTF-8 text" in str(info.value) and "\n" not in str(info.value)
