"""`schemafed ... | head -1` through a real shell pipe: no traceback for any subcommand, and `--json`
output that parses for every subcommand.

Each command gets enough output (well over the 64 KiB a pipe buffers) for the reader to be
gone while it still writes, so an unguarded write meets a closed pipe.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import GIT_ENV, git, write_files
from ..servers.confluent_server import ConfluentTestServer
from .conftest import REPO_ROOT, V1

SUBJECTS = 1500
PAD = "a-subject-name-long-enough-to-fill-a-pipe-quickly"
#: every FULL_TRANSITIVE violation of these histories is a line of output
BROKEN_V2 = '{"type":"record","name":"User","fields":[{"name":"id","type":"string"}]}'
DIRECTORIES = 600


def _env(cwd: Path) -> dict[str, str]:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd), "PYTHONPATH": str(REPO_ROOT)}
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "CI", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    return env


def head_1(cwd: Path, args: str) -> subprocess.CompletedProcess[str]:
    """``schemafed ARGS | head -1`` through a bash pipe; the exit code is schemafed's own."""
    line = f"{shlex.quote(sys.executable)} -m pytest_schemafed.cli {args} | head -1; exit ${{PIPESTATUS[0]}}"
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=_env(cwd), capture_output=True, text=True,
                          check=False, timeout=300)


def quiet(done: subprocess.CompletedProcess[str]) -> bool:
    """Nothing on stderr that a closed pipe provokes."""
    return not any(s in done.stderr for s in ("Traceback", "BrokenPipeError", "Exception ignored", "INTERNALERROR"))


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project: registry `prod` (a Confluent-API server, 1500 subjects whose v2 breaks v1 at FULL), and
    600 directory registries; two Avro files for `compare` with 1500 findings between them."""
    root = tmp_path_factory.mktemp("pipes")
    with ConfluentTestServer(global_level="BACKWARD") as server:
        for n in range(SUBJECTS):
            server.register(f"{PAD}-{n:05d}", V1)
            server.register(f"{PAD}-{n:05d}", BROKEN_V2)
        write_files(root, {"exported/user.avsc": V1, "old.avsc": V1, "new.avsc": json.dumps({
            "type": "record", "name": "User",
            "fields": [{"name": "id", "type": "long"}, *({"name": f"f{i}", "type": "long"} for i in range(SUBJECTS))],
        })})
        dirs = "".join(f"  - id: folder-{n:04d}-{PAD}\n    type: directory\n    path: exported\n"
                       for n in range(DIRECTORIES))
        (root / "schemafed.yaml").write_text(
            f"registries:\n  - id: prod\n    type: confluent\n    url: {server.url}\n    retries: 0\n{dirs}")
        yield root


@pytest.fixture(scope="module")
def breaking_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repo of 300 Avro files, each changed in the working tree to break its committed version."""
    repo = tmp_path_factory.mktemp("check-pipe")
    git(repo, "init", "-q", "-b", "main")
    files = {f"schemas/{PAD}-{n:03d}.avsc": V1 for n in range(300)}
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "released")
    write_files(repo, {name: BROKEN_V2 for name in files})
    return repo


#: subcommand -> (arguments, exit code: the command's own, not the pipe's)
COMMANDS = {
    "subjects": ("subjects prod", 0),
    "registries": ("registries", 0),
    "find": (f"find {PAD}-00001", 0),
    "levels": ("levels prod", 0),
    "audit": ("audit prod --level FULL", 1),
    "audit-registry-judge": ("audit prod --judge registry", 1),
    "levels-set": ("levels set prod FULL", 1),
    "compare": ("compare old.avsc new.avsc", 1),
}


@pytest.mark.parametrize(("args", "code"), COMMANDS.values(), ids=COMMANDS.keys())
def test_head_1__no_traceback(big: Path, args: str, code: int) -> None:
    """`schemafed ARGS | head -1`: one line out, no traceback, the command's own exit code."""
    done = head_1(big, args)
    assert quiet(done), done.stderr[-2000:]
    assert len(done.stdout.splitlines()) == 1
    assert done.returncode == code, done.stderr[-2000:]


def test_head_1__listing_stops_quietly_with_exit_0(big: Path) -> None:
    """A listing cut by its reader: its first line, an empty stderr, exit 0."""
    done = head_1(big, "subjects prod")
    assert (done.returncode, done.stderr, done.stdout) == (0, "", f"{PAD}-00000\n")


def test_head_1__check_no_traceback(breaking_repo: Path) -> None:
    """`schemafed check --against HEAD | head -1` on 300 breaking files: quiet, and still exit 1 (verdict kept)."""
    done = head_1(breaking_repo, "check --against HEAD")
    assert quiet(done), done.stderr[-2000:]
    assert done.stdout.startswith("=") and len(done.stdout.splitlines()) == 1
    assert done.returncode == 1  # a cut pipe does not turn incompatible schemas into a pass
