"""The embedded default backend: a file's previous version is its content at a git ref.

All blobs are read through one long-lived ``git cat-file --batch`` process per run,
not one git process per file. The ref is, in order: ``--schemafed-against``, the
registry's ``ref`` option, the merge-base of HEAD with the upstream default branch
(``origin/HEAD``, ``origin/main``, ``origin/master``) when one exists, else HEAD.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from ..discovery import import_roots, relative_posix
from ..errors import BackendUnavailable, ConfigError, SubjectNotFound
from ..model import Check, History, HistoryVersion
from .base import Backend, BackendSpec, Option, RunContext

__all__ = ["GitBackend", "GitBlobReader"]

UPSTREAMS = ("origin/HEAD", "origin/main", "origin/master", "upstream/main", "upstream/master")


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        raise ConfigError("git is not installed: install git, or configure a registry backend") from None


class GitBlobReader:
    """Reads many ``<rev>:<path>`` blobs through one ``git cat-file --batch`` process."""

    def __init__(self, toplevel: Path) -> None:
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=toplevel,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._lock = threading.Lock()

    def read_many(self, names: Sequence[str]) -> dict[str, bytes | None]:
        """Return each object's content, ``None`` for an object that does not exist."""
        assert self._process.stdin is not None and self._process.stdout is not None
        stdin, stdout = self._process.stdin, self._process.stdout
        requests = b"".join(name.encode() + b"\n" for name in names)
        out: dict[str, bytes | None] = {}
        with self._lock:
            # A writer thread keeps git's output pipe draining while we send a large batch;
            # one request fits in the pipe and needs none.
            writer: threading.Thread | None = None
            if len(names) == 1:
                self._write(stdin, requests)
            else:
                writer = threading.Thread(target=self._write, args=(stdin, requests), daemon=True)
                writer.start()
            for name in names:
                header = stdout.readline()
                parts = header.split()
                if len(parts) == 3 and parts[1] == b"blob":
                    size = int(parts[2])
                    out[name] = stdout.read(size)
                    stdout.read(1)
                elif len(parts) == 3:  # a tree or commit: skip its content
                    stdout.read(int(parts[2]) + 1)
                    out[name] = None
                else:
                    out[name] = None
            if writer is not None:
                writer.join()
        return out

    @staticmethod
    def _write(stdin: object, data: bytes) -> None:
        stdin.write(data)  # type: ignore[attr-defined]
        stdin.flush()  # type: ignore[attr-defined]

    def close(self) -> None:
        """End the git process."""
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()


class _Prefetch:
    """``git cat-file --batch`` fed name by name during collection, answering into a file.

    Nothing waits while collecting: git reads each request as it comes and writes the
    object to a temporary file, never to a pipe that could fill up, so no thread is
    needed; :meth:`collect` ends the input and reads the file once.

    A request by path (``<commit>:<path>``) makes git read every tree on the path again,
    which for a folder of a thousand schemas costs more than the blobs themselves. So
    the first request also starts one ``git ls-tree -r`` of the commit, in the
    background; once it has finished, requests go by object id, and a path it does not
    list is known to be new without asking git.
    """

    def __init__(self, toplevel: Path, commit: str) -> None:
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - open until collect(), across calls
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=toplevel, stdin=subprocess.PIPE, stdout=self._out,
            stderr=subprocess.DEVNULL,
        )
        self._prefix = f"{commit}:"
        self._listing_out = tempfile.TemporaryFile()  # noqa: SIM115 - read once the listing has ended
        self._listing: subprocess.Popen[bytes] | None = subprocess.Popen(
            ["git", "ls-tree", "-r", "-z", commit], cwd=toplevel, stdout=self._listing_out,
            stderr=subprocess.DEVNULL,
        )
        self._blob_ids: dict[str, str] | None = None  # path -> blob id, once the listing is read
        self._names: list[str] = []  # requested of cat-file, in order
        self._absent: list[str] = []  # not in the commit: no need to ask

    def request(self, name: str) -> None:
        assert self._process.stdin is not None
        ids = self._ids()
        if ids is not None and name.startswith(self._prefix):
            blob_id = ids.get(name[len(self._prefix):])
            if blob_id is None:
                self._absent.append(name)
                return
            line = blob_id
        else:
            line = name
        self._names.append(name)
        self._process.stdin.write(line.encode() + b"\n")
        if len(self._names) % 64 == 0:
            self._process.stdin.flush()

    def _ids(self) -> dict[str, str] | None:
        """The commit's blob ids by path, once ``ls-tree`` has ended (never waits for it)."""
        listing = self._listing
        if listing is None or listing.poll() is None:
            return self._blob_ids
        self._listing = None
        if listing.returncode == 0:
            self._listing_out.seek(0)
            ids: dict[str, str] = {}
            for entry in self._listing_out.read().split(b"\0"):
                meta, _, path = entry.partition(b"\t")
                parts = meta.split()
                if len(parts) == 3 and parts[1] == b"blob":
                    ids[path.decode("utf-8", "surrogateescape")] = parts[2].decode()
            self._blob_ids = ids
        self._listing_out.close()
        return self._blob_ids

    def collect(self) -> dict[str, bytes | None]:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()
        if self._listing is not None:  # still listing a huge tree: every request went by path
            self._listing.kill()
            self._listing.wait()
            self._listing_out.close()
        self._out.seek(0)
        data = self._out.read()
        self._out.close()
        out: dict[str, bytes | None] = dict.fromkeys(self._absent)
        at = 0
        for name in self._names:
            end = data.find(b"\n", at)
            if end < 0:
                break
            parts = data[at:end].split()
            at = end + 1
            if len(parts) == 3:
                size = int(parts[2])
                out[name] = data[at : at + size] if parts[1] == b"blob" else None  # a tree or commit: no file
                at += size + 1
            else:
                out[name] = None
        return out


class _Repository:
    """One repository the run's files live in: its toplevel, resolved base commit and blobs."""

    def __init__(self, toplevel: Path, ref: str | None) -> None:
        self.toplevel = toplevel
        self.how = ""
        self.ref, self.commit = self._resolve(ref)
        self.label = f"{self.ref}@{self.commit[:10]}" if self.ref != self.commit else self.commit[:10]
        self.reader: GitBlobReader | None = None
        self.blobs: dict[str, bytes | None] = {}
        self._prefetch: _Prefetch | None = None

    def prefetch(self, name: str) -> None:
        """Request ``name`` now; its content is collected by :meth:`collect_prefetched`."""
        if self._prefetch is None:
            self._prefetch = _Prefetch(self.toplevel, self.commit)
        self._prefetch.request(name)

    def collect_prefetched(self) -> None:
        """Wait for the prefetched answers and keep them."""
        if self._prefetch is not None:
            self.blobs.update(self._prefetch.collect())
            self._prefetch = None

    def _resolve(self, ref: str | None) -> tuple[str, str]:
        if ref:
            found = _git(self.toplevel, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
            if found.returncode != 0:
                shallow = _git(self.toplevel, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
                hint = (
                    " This clone is shallow: fetch the history (actions/checkout with `fetch-depth: 0`, "
                    "or `git fetch --unshallow`)."
                    if shallow
                    else " Fetch it first (git fetch origin) or name another ref."
                )
                raise ConfigError(f"git ref {ref!r} does not exist in {self.toplevel}.{hint}")
            self.how = "as asked (--schemafed-against or ref:)"
            return ref, found.stdout.strip()
        head = _git(self.toplevel, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if head.returncode != 0:
            raise ConfigError(
                f"the repository {self.toplevel} has no commits yet, so there is no previous version: "
                "commit the schemas first, or pass --schemafed-against REF"
            )
        listed = _git(self.toplevel, "for-each-ref", "--format=%(refname)", *(f"refs/remotes/{u}" for u in UPSTREAMS))
        present = set(listed.stdout.split())  # one git process to learn which upstreams exist
        for upstream in UPSTREAMS:
            if f"refs/remotes/{upstream}" not in present:
                continue
            base = _git(self.toplevel, "merge-base", "HEAD", upstream)
            if base.returncode == 0 and base.stdout.strip():
                commit = base.stdout.strip()
                if commit != head.stdout.strip():
                    self.how = f"merge-base of HEAD with {upstream}"
                    return f"merge-base(HEAD, {upstream})", commit
                self._refuse_head_in_ci(f"HEAD is already contained in {upstream}")
                self.how = f"HEAD: it is contained in {upstream}, so only uncommitted changes are compared"
                return "HEAD", commit
        self._refuse_head_in_ci("no upstream branch (origin/main, origin/HEAD, ...) was found")
        self.how = "HEAD: no upstream branch was found, so only uncommitted changes are compared"
        return "HEAD", head.stdout.strip()

    def _refuse_head_in_ci(self, why: str) -> None:
        """In CI, a default base equal to HEAD would compare each committed change with itself: refuse."""
        if os.environ.get("CI", "").lower() in ("", "0", "false") and os.environ.get("GITHUB_ACTIONS") != "true":
            return
        raise ConfigError(f"the git base would be HEAD itself ({why}), so a committed break would pass: in CI, "
                          "name the base with --schemafed-against REF (e.g. origin/main or the pull request's "
                          "base sha) or `ref:` in the configuration, and fetch it")

    def object_name(self, path: Path) -> str:
        """``<commit>:<path in the repository>``; raises ValueError if ``path`` is outside it."""
        rel = relative_posix(path, self.toplevel)
        if rel is None:
            raise ValueError(f"{path} is not inside {self.toplevel}")
        return f"{self.commit}:{rel}"

    def read(self, names: Sequence[str], backend_id: str) -> None:
        todo = [n for n in names if n not in self.blobs]
        if not todo:
            return
        if self.reader is None:
            try:
                self.reader = GitBlobReader(self.toplevel)
            except OSError as exc:
                raise BackendUnavailable(f"cannot start git: {exc}", backend_id=backend_id) from None
        self.blobs.update(self.reader.read_many(todo))

    def close(self) -> None:
        if self._prefetch is not None:
            self._prefetch.collect()
            self._prefetch = None
        if self.reader is not None:
            self.reader.close()
            self.reader = None


def _toplevel(start: Path) -> Path | None:
    top = _git(start, "rev-parse", "--show-toplevel")
    return Path(top.stdout.strip()).resolve() if top.returncode == 0 else None


class GitBackend(Backend):
    """Compares each file with its own version at a git ref (zero config's backend).

    Files are looked up in the repository that holds them (a nested repository gets its
    own base commit and its own ``cat-file`` process).
    """

    type_name = "git"
    options: ClassVar = {
        "ref": Option(str, doc="the ref to compare with (default: merge-base with the upstream branch, else HEAD)"),
        "repo": Option(str, doc="the repository folder (default: the one holding each file)"),
    }
    local = True
    max_in_flight = 1  # all blobs come in one batch in prepare(); evaluation is CPU only

    def __init__(self, spec: BackendSpec, context: RunContext) -> None:
        super().__init__(spec, context)
        start = Path(spec.options.get("repo") or context.rootdir)
        if not start.is_absolute():
            start = context.rootdir / start
        top = _toplevel(start) if start.is_dir() else None
        if top is None:
            raise ConfigError(
                f"{start} is not inside a git repository, so there is no previous version to compare "
                "with: run inside a git checkout, pass --schemafed-against REF, or configure a registry "
                "in schemafed.yaml"
            )
        self._fixed_repo = "repo" in spec.options
        self._requested_ref = context.against or spec.options.get("ref")
        self.main = _Repository(top, self._requested_ref)
        self._repos: dict[Path, _Repository] = {top: self.main}
        self._dir_repo: dict[Path, _Repository] = {}
        self._located: dict[Path, tuple[_Repository, str]] = {}

    @property
    def ref(self) -> str:
        """The base ref of the main repository, as resolved (e.g. ``merge-base(HEAD, origin/HEAD)``)."""
        return self.main.ref

    def _repo_for(self, path: Path) -> _Repository:
        folder = path.parent
        repo = self._dir_repo.get(folder)
        if repo is None:
            repo = self.main
            if not self._fixed_repo:
                probe = folder
                while probe != probe.parent and probe != self.main.toplevel:
                    if (probe / ".git").exists():
                        if probe not in self._repos:
                            self._repos[probe] = _Repository(probe.resolve(), self._requested_ref)
                        repo = self._repos[probe]
                        break
                    probe = probe.parent
            self._dir_repo[folder] = repo
        return repo

    def _locate(self, check: Check) -> tuple[_Repository, str]:
        found = self._located.get(check.source.path)
        if found is None:
            path = check.source.path
            if not path.is_absolute():
                path = path.resolve()
            repo = self._repo_for(path)
            try:
                name = repo.object_name(path)
            except ValueError:  # reached through a symlink: compare real paths
                try:
                    name = repo.object_name(path.resolve())
                except ValueError:
                    name = f"{repo.commit}:{check.source.relpath}"
            found = self._located[check.source.path] = (repo, name)
        return found

    def prefetch(self, check: Check) -> None:
        """Ask git for the file's old version now, while pytest goes on collecting.

        See :class:`_Prefetch`: git answers into a temporary file in its own process,
        and :meth:`prepare` picks the answers up.
        """
        repo, name = self._locate(check)
        if name not in repo.blobs:
            repo.prefetch(name)

    def prepare(self, checks: Sequence[Check]) -> None:
        """Read every needed blob not prefetched yet, one batch per repository."""
        for repo in self._repos.values():
            repo.collect_prefetched()
        wanted: dict[Path, tuple[_Repository, list[str]]] = {}
        for check in checks:
            repo, name = self._locate(check)
            wanted.setdefault(repo.toplevel, (repo, []))[1].append(name)
        for repo, names in wanted.values():
            repo.read(names, self.id)

    def history(self, check: Check) -> History:
        """The file's content at the ref, as a one-version history."""
        repo, name = self._locate(check)
        if name not in repo.blobs:
            repo.read([name], self.id)
        blob = repo.blobs.get(name)
        if blob is None:
            raise SubjectNotFound(f"{check.source.relpath} does not exist at {repo.label}")
        text = blob.decode("utf-8", errors="replace")
        references = self._references_at_ref(repo, check, text)
        return History(versions=(HistoryVersion(version=repo.label, text=text, references=references),))

    def _references_at_ref(self, repo: _Repository, check: Check, text: str) -> dict[str, str] | None:
        """The files the old text imports, as they were at the ref (Protobuf imports)."""
        fmt = self.context.registry.formats.get(check.source.format)
        resolver = getattr(fmt, "local_imports", None)
        if resolver is None:
            return None

        def read_at_ref(path: Path) -> str | None:
            try:
                object_name = repo.object_name(path.resolve())
            except ValueError:
                return None
            repo.read([object_name], self.id)
            blob = repo.blobs.get(object_name)
            return None if blob is None else blob.decode("utf-8", errors="replace")

        roots = import_roots(check.source, self.context.rootdir)
        return resolver(check.source.path, text, roots, read_at_ref) or None

    def after_fork(self) -> None:
        """In a worker: forget the parent's ``cat-file`` pipes; a read starts a process of its own."""
        for repo in self._repos.values():
            repo.reader = None

    def close(self) -> None:
        """Stop the ``git cat-file`` processes."""
        for repo in self._repos.values():
            repo.close()

    def describe(self) -> str:
        """``git <ref>`` for reports."""
        return f"git {self.main.label}"

    def baseline(self) -> str:
        """``git base: <ref> <short sha> (<how it was chosen>)``, once per run in the header."""
        return f"git base: {self.main.ref} {self.main.commit[:10]} ({self.main.how})"
