"""Confinement: imports, $refs and symlinks never read outside the repository; each refusal is one line."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Run, failure_section, make_hostile


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A TCP port on 127.0.0.1 that a fetch of a $ref or $schema URL would connect to."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


CASES = {
    # item: the phrase its one line must hold
    "absolute_import.proto": "is refused: an import is a path relative to an import root",
    "dotdot_import.proto": 'is refused: an import path may not contain ".."',
    "symlinked_folder_import.proto": "leads outside the repository",
    "link_out.avsc": "a symlink that leads outside the repository",
    "linked_folder/inner.avsc": "a symlink that leads outside the repository",
    "loop.avsc": "a symlink loop",
    "dangling.avsc": "a symlink to nothing",
    "file_ref.schema.json": "cannot resolve $ref",
    "http_ref.schema.json": "cannot resolve $ref",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, listener: socket.socket) -> Run:
    """One run over a repository holding every hostile file of :data:`CASES` beside the valid file."""
    repo = make_hostile(Path(tmp_path_factory.mktemp("confinement")))
    out = repo.outside
    port = listener.getsockname()[1]
    head = 'syntax = "proto3";\n'
    repo.write("absolute_import.proto", f'{head}import "{out / "canary.proto"}";\nmessage A {{ int32 a = 1; }}\n')
    repo.write("dotdot_import.proto", f'{head}import "../outside/canary.proto";\nmessage B {{ int32 a = 1; }}\n')
    os.symlink(out / "folder", repo.root / "vendor")  # a folder link out: importing through it is refused
    repo.write("symlinked_folder_import.proto", f'{head}import "vendor/canary.proto";\nmessage C {{ int32 a = 1; }}\n')
    os.symlink(out / "canary.avsc", repo.root / "link_out.avsc")
    os.symlink(out / "folder", repo.root / "linked_folder")
    os.symlink("loop.avsc", repo.root / "loop.avsc")
    os.symlink("nowhere.avsc", repo.root / "dangling.avsc")
    repo.write("file_ref.schema.json",
               f'{{"type": "object", "properties": {{"a": {{"$ref": "file://{out / "canary.schema.json"}"}}}}}}')
    repo.write("http_ref.schema.json",
               f'{{"$schema": "http://127.0.0.1:{port}/meta.json", "type": "object", '
               f'"properties": {{"a": {{"$ref": "http://127.0.0.1:{port}/canary.schema.json"}}}}}}')
    return repo.run()


def test_confinement__the_valid_file_passes_and_nothing_outside_is_shown(run: Run) -> None:
    """Every hostile file in one batch: the valid file passes; no traceback; no canary text in the output."""
    run.assert_clean()
    # the two folder links (linked_folder, vendor) each show the two files of the outside folder
    assert f"{len(CASES) + 3} failed, 1 passed" in run.output, run.output
    for item in ("vendor/canary.proto", "vendor/inner.avsc", "linked_folder/canary.proto"):
        assert "leads outside the repository" in "\n".join(failure_section(run, f"{item}::git"))


@pytest.mark.parametrize("item", sorted(CASES))
def test_confinement__each_refusal_is_one_line(run: Run, item: str) -> None:
    """An import, $ref or symlink that leaves the repository fails its own item with one line."""
    section = failure_section(run, f"{item}::git")
    assert len(section) <= 2, section
    assert CASES[item] in "\n".join(section), section


def test_confinement__no_url_is_fetched(run: Run, listener: socket.socket) -> None:
    """$ref and $schema URLs are never fetched: nothing connected to the port they name."""
    assert "http_ref.schema.json::git" in run.output
    with pytest.raises(BlockingIOError):
        listener.accept()
