"""The embedded default backend: a file's previous version is its content at a git ref.

All blobs are read by object id (see :mod:`.git_objects`), through ``git cat-file
--batch``: during collection one process answers into a temporary file, and later
reads go through one long-lived process per repository, not one git process per
file. The base is chosen by :func:`resolve_base`, in order: ``--schemafed-against``,
the registry's ``ref`` option, the merge-base of HEAD with the upstream default
branch (``origin/HEAD``, ``origin/main``, ``origin/master``...) when one exists, else
HEAD; the :class:`BaseRef` it returns says which, for the run's header.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..discovery import import_roots, relative_posix
from ..errors import BackendProtocolError, BackendUnavailable, ConfigError, SubjectNotFound
from ..model import Check, History, HistoryVersion, Verdict
from ..verdict import UNCHANGED_NOTE
from .base import Backend, BackendSpec, Option, RunContext
from .git_objects import SYMLINK, Answers, GitBlobReader, Prefetch, TreeEntry, git_env, list_tree
from .git_unchanged import ClosureProbe

__all__ = ["BaseRef", "GitBackend", "GitBlobReader", "resolve_base"]

UPSTREAMS = ("origin/HEAD", "origin/main", "origin/master", "upstream/main", "upstream/master")
_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_MAX_LINKS = 40  # symlinks followed inside a commit before calling it a loop


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, errors="surrogateescape",
                              env=git_env(), check=False)
    except FileNotFoundError:
        raise ConfigError("git is not installed: install git, or configure a registry backend") from None


def _sha_of(done: subprocess.CompletedProcess[str], what: str) -> str:
    """The one commit id git printed, checked: anything else is an error naming what came back."""
    answer = done.stdout.strip()
    if not _SHA.match(answer):
        raise ConfigError(f"unexpected answer from git {what}: {answer[:80]!r} (expected a commit id)")
    return answer


@dataclass(frozen=True, slots=True)
class BaseRef:
    """The commit a repository's files are compared with, and how it was chosen.

    :param ref: the label shown with versions: the ref given, ``merge-base(HEAD, origin/main)`` or ``HEAD``.
    :param sha: the full commit id.
    :param how: ``--schemafed-against``, ``the registry's ref option``, ``merge-base with origin/main``,
        ``HEAD (no upstream found)``, ``HEAD (already contained in origin/main)`` or
        ``HEAD (no merge-base with ...)``: for the run's header.
    """

    ref: str
    sha: str
    how: str

    @property
    def label(self) -> str:
        """``<ref>@<short sha>`` (just the short sha when the ref is the sha)."""
        return f"{self.ref}@{self.sha[:10]}" if self.ref != self.sha else self.sha[:10]

    @property
    def is_head_fallback(self) -> bool:
        """True when nothing better than HEAD was found (in CI that compares a change with itself)."""
        return self.how.startswith("HEAD (")


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True in a CI job (``CI`` set to anything but false, or ``GITHUB_ACTIONS=true``)."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").lower() not in ("", "0", "false") or env.get("GITHUB_ACTIONS") == "true"


def resolve_base(toplevel: Path, against: str | None = None, configured: str | None = None) -> BaseRef:
    """The base commit of the repository at ``toplevel``: the given ref, else the upstream merge-base, else HEAD.

    :param against: ``--schemafed-against``; wins over ``configured``.
    :param configured: the registry's ``ref`` option.
    :raises ConfigError: the ref does not exist (with how to fetch it), or there is no commit at all.
    """
    ref = against or configured
    if ref:
        found = _git(toplevel, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if found.returncode != 0:
            shallow = _git(toplevel, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
            hint = (
                " This clone is shallow: fetch the history (actions/checkout with `fetch-depth: 0`, "
                "or `git fetch --unshallow`)."
                if shallow
                else " Fetch it first (git fetch origin) or name another ref."
            )
            raise ConfigError(f"git ref {ref!r} does not exist in {toplevel}.{hint}")
        how = "--schemafed-against" if against else "the registry's ref option"
        return BaseRef(ref, _sha_of(found, f"rev-parse {ref}"), how)
    head = _git(toplevel, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        raise ConfigError(
            f"the repository {toplevel} has no commits yet, so there is no previous version: "
            "commit the schemas first, or pass --schemafed-against REF"
        )
    head_sha = _sha_of(head, "rev-parse HEAD")
    listed = _git(toplevel, "for-each-ref", "--format=%(refname)", *(f"refs/remotes/{u}" for u in UPSTREAMS))
    present = set(listed.stdout.splitlines())  # one git process to learn which upstreams exist
    tried: list[str] = []
    for upstream in UPSTREAMS:
        if f"refs/remotes/{upstream}" not in present:
            continue
        base = _git(toplevel, "merge-base", "HEAD", upstream)
        if base.returncode == 0:
            sha = _sha_of(base, f"merge-base HEAD {upstream}")
            if sha == head_sha:  # HEAD is already in the upstream: the merge-base is HEAD itself
                return BaseRef("HEAD", sha, f"HEAD (already contained in {upstream})")
            return BaseRef(f"merge-base(HEAD, {upstream})", sha, f"merge-base with {upstream}")
        tried.append(upstream)
    if tried:
        return BaseRef("HEAD", head_sha, f"HEAD (no merge-base with {', '.join(tried)}: a shallow clone?)")
    return BaseRef("HEAD", head_sha, "HEAD (no upstream found)")


class _Repository:
    """One repository the run's files live in: its toplevel, base commit, listing and blobs.

    Blobs and errors are kept by path relative to the toplevel: ``None`` for a path
    that holds no file at the base (a new file), one line for a path whose answer from
    git was not what was asked.
    """

    def __init__(self, toplevel: Path, base: BaseRef) -> None:
        self.toplevel = toplevel
        self.base = base
        self.ref, self.commit, self.label = base.ref, base.sha, base.label
        self.reader: GitBlobReader | None = None
        self.entries: dict[str, TreeEntry] | None = None
        self.blobs: dict[str, bytes | None] = {}
        self.errors: dict[str, str] = {}
        self._by_oid: dict[str, bytes] = {}  # blobs read, by id: files with the same content are read once
        self._prefetch: Prefetch | None = None
        self._prefetched: set[str] = set()
        self._resolved: dict[Path, str | None] = {}
        self._real_dirs: dict[Path, Path] = {}

    def prefetch(self, relpath: str) -> None:
        """Request ``relpath`` now; its content is collected by :meth:`collect_prefetched`."""
        if self.entries is not None:
            return  # listed already: read() asks for it in one batch
        if self._prefetch is None:
            self._prefetch = Prefetch(self.toplevel, self.commit)
        self._prefetch.request(relpath)
        self._prefetched.add(relpath)

    def collect_prefetched(self) -> None:
        """Wait for the prefetched answers and keep them.

        :raises BackendProtocolError: the base commit could not be listed.
        """
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is None:
            return
        self.entries, answers = prefetch.collect()
        self._store(list(self._prefetched), answers, only_answered=True)
        self._prefetched.clear()

    def _listing(self) -> dict[str, TreeEntry]:
        if self.entries is None:
            self.collect_prefetched()
        if self.entries is None:
            self.entries = list_tree(self.toplevel, self.commit)
        return self.entries

    def relpath(self, path: Path) -> str:
        """``path`` relative to the toplevel, ``/``-separated; raises ValueError if it is outside."""
        rel = relative_posix(path, self.toplevel)
        if rel is None or rel == "." or rel.startswith("../"):
            raise ValueError(f"{path} is not inside {self.toplevel}")
        return rel

    def resolved_relpath(self, path: Path) -> str | None:
        """``path``, symlinks resolved, relative to the toplevel; ``None`` outside it (remembered per path)."""
        if path not in self._resolved:
            folder = self._real_dirs.get(path.parent)
            if folder is None:
                folder = self._real_dirs[path.parent] = Path(os.path.realpath(path.parent))
            real = folder / path.name
            if os.path.islink(real):  # only the last part is left to resolve
                real = real.resolve()
            try:
                self._resolved[path] = self.relpath(real)
            except ValueError:
                self._resolved[path] = None
        return self._resolved[path]

    def read(self, relpaths: Sequence[str], backend_id: str) -> None:
        """Read every path of ``relpaths`` not read yet, in one batch (symlinks followed inside the commit)."""
        todo = [r for r in dict.fromkeys(relpaths) if r not in self.blobs and r not in self.errors]
        if not todo:
            return
        entries = self._listing()
        wanted: dict[str, list[str]] = {}
        for relpath in todo:
            entry, problem = self._follow(entries, relpath, backend_id)
            if problem is not None:
                self.errors[relpath] = problem
            elif entry is None or entry.type != "blob":
                self.blobs[relpath] = None  # new here, or a folder or submodule: no previous file
            elif entry.oid in self._by_oid:
                self.blobs[relpath] = self._by_oid[entry.oid]
            else:
                wanted.setdefault(entry.oid, []).append(relpath)
        if wanted:
            answers = self._reader(backend_id).read(list(wanted))
            for oid, paths in wanted.items():
                for relpath in paths:
                    if oid in answers.blobs:
                        self.blobs[relpath] = answers.blobs[oid]
                    else:
                        self.errors[relpath] = answers.errors.get(oid, "git cat-file gave no answer")

    def _store(self, relpaths: Sequence[str], answers: Answers, *, only_answered: bool) -> None:
        self._by_oid.update(answers.blobs)
        assert self.entries is not None
        for relpath in relpaths:
            entry = self.entries.get(relpath)
            if entry is None or entry.type != "blob":
                self.blobs[relpath] = None
            elif entry.oid in answers.blobs:
                self.blobs[relpath] = answers.blobs[entry.oid]
            elif entry.oid in answers.errors:
                self.errors[relpath] = answers.errors[entry.oid]
            elif not only_answered:
                self.errors[relpath] = "git cat-file gave no answer"

    def _follow(self, entries: dict[str, TreeEntry], relpath: str,
                backend_id: str) -> tuple[TreeEntry | None, str | None]:
        """The entry ``relpath`` stands for at the base, symlinks followed while they stay in the commit."""
        entry, path = entries.get(relpath), relpath
        for _ in range(_MAX_LINKS):
            if entry is None or entry.mode != SYMLINK:
                return entry, None
            answers = self._reader(backend_id).read([entry.oid])
            if entry.oid not in answers.blobs:
                return None, answers.errors.get(entry.oid, "git cat-file gave no answer")
            target = os.fsdecode(answers.blobs[entry.oid])
            path = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if target.startswith("/") or path == ".." or path.startswith("../"):
                return None, f"{relpath} is a symlink at {self.label} to {target!r}, outside the repository"
            entry = entries.get(path)
        return None, f"{relpath} is a symlink loop at {self.label} (more than {_MAX_LINKS} links)"

    def _reader(self, backend_id: str) -> GitBlobReader:
        if self.reader is None or self.reader.broken:
            if self.reader is not None:
                self.reader.close()
            try:
                self.reader = GitBlobReader(self.toplevel)
            except OSError as exc:
                raise BackendUnavailable(f"cannot start git: {exc}", backend_id=backend_id) from None
        return self.reader

    def close(self) -> None:
        if self._prefetch is not None:
            self._prefetch.abandon()
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
        self._against = context.against
        self._configured_ref = spec.options.get("ref")
        self.main = self._open(top)
        self._repos: dict[Path, _Repository] = {top: self.main}
        self._dir_repo: dict[Path, _Repository] = {}
        self._located: dict[Path, tuple[_Repository, str | None]] = {}
        self._unchanged: dict[tuple[str, str], tuple[str, int]] = {}  # check key -> (base label, files imported)

    def _open(self, toplevel: Path) -> _Repository:
        base = resolve_base(toplevel, self._against, self._configured_ref)
        if base.is_head_fallback and in_ci():
            raise ConfigError(
                f"the git base would be HEAD itself ({base.how.removeprefix('HEAD (').rstrip(')')}), so a "
                "committed break would pass: in CI, name the base with --schemafed-against REF (e.g. origin/main "
                "or the pull request's base sha) or `ref:` in the configuration, and fetch it")
        return _Repository(toplevel, base)

    @property
    def ref(self) -> str:
        """The base ref of the main repository, as resolved (e.g. ``merge-base(HEAD, origin/HEAD)``)."""
        return self.main.ref

    @property
    def base(self) -> BaseRef:
        """The main repository's base: ref, commit and how it was chosen (for the run's header)."""
        return self.main.base

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
                            self._repos[probe] = self._open(probe.resolve())
                        repo = self._repos[probe]
                        break
                    probe = probe.parent
            self._dir_repo[folder] = repo
        return repo

    def _locate(self, check: Check) -> tuple[_Repository, str | None]:
        """The repository holding the check's file and its path there (``None``: it is outside)."""
        found = self._located.get(check.source.path)
        if found is None:
            path = check.source.path
            if not path.is_absolute():
                path = path.resolve()
            repo = self._repo_for(path)
            relpath: str | None
            try:
                relpath = repo.relpath(path)
            except ValueError:  # reached through a symlink: compare real paths
                try:
                    relpath = repo.relpath(path.resolve())
                except ValueError:
                    relpath = None
            found = self._located[check.source.path] = (repo, relpath)
        return found

    def prefetch(self, check: Check) -> None:
        """Ask git for the file's old version now, while pytest goes on collecting.

        See :class:`Prefetch`: git answers into a temporary file in its own process,
        and :meth:`prepare` picks the answers up.
        """
        repo, relpath = self._locate(check)
        if relpath is not None and relpath not in repo.blobs:
            repo.prefetch(relpath)

    def prepare(self, checks: Sequence[Check]) -> None:
        """Read every needed blob not prefetched yet, one batch per repository."""
        for repo in self._repos.values():
            repo.collect_prefetched()
        wanted: dict[Path, tuple[_Repository, list[str]]] = {}
        for check in checks:
            repo, relpath = self._locate(check)
            if relpath is not None:
                wanted.setdefault(repo.toplevel, (repo, []))[1].append(relpath)
        for repo, relpaths in wanted.values():
            repo.read(relpaths, self.id)
        self._probe_unchanged(checks)

    def _probe_unchanged(self, checks: Sequence[Check]) -> None:
        """Find the checks whose file and whole reference closure have the same blob ids at the base."""
        probes: dict[Path, ClosureProbe] = {}
        for check in checks:
            repo, relpath = self._locate(check)
            fmt = self.context.registry.formats.get(check.source.format)
            if relpath is None or relpath in repo.errors or fmt is None:
                continue
            names_of = getattr(fmt, "reference_names", None)
            if names_of is None and getattr(fmt, "local_imports", None) is not None:
                continue  # it references files it cannot name without parsing: check it as usual
            probe = probes.get(repo.toplevel)
            if probe is None:
                probe = probes[repo.toplevel] = ClosureProbe(repo.toplevel, repo._listing())
            path = check.source.path if check.source.path.is_absolute() else check.source.path.resolve()
            found = probe.unchanged(path, import_roots(check.source, self.context.rootdir), names_of)
            if found is not None:
                self._unchanged[check.key] = (repo.label, found)

    def unchanged(self, check: Check) -> Verdict | None:
        """A passing verdict, reached without parsing, when the file and all it imports are as at the base."""
        found = self._unchanged.get(check.key)
        if found is None:
            return None
        label, imported = found
        closure = f" and the {imported} file{'s' if imported != 1 else ''} it imports" if imported else ""
        return Verdict.judged([], check.level or self.default_level, (label,),
                              notes=(f"{UNCHANGED_NOTE}{label}: the file{closure} have the same blob ids "
                                     "there; not parsed",))

    def history(self, check: Check) -> History:
        """The file's content at the ref, as a one-version history.

        :raises BackendProtocolError: git's answer for this file was not what was asked (one line).
        """
        repo, relpath = self._locate(check)
        if relpath is None:
            raise BackendProtocolError(f"{check.source.relpath} is not inside the git repository {repo.toplevel}",
                                       backend_id=self.id)
        repo.read([relpath], self.id)
        if relpath in repo.errors:
            raise BackendProtocolError(f"{check.source.relpath}: {repo.errors[relpath]}", backend_id=self.id)
        blob = repo.blobs.get(relpath)
        if blob is None:
            raise SubjectNotFound(f"{check.source.relpath} does not exist at {repo.label}")
        text = blob.decode("utf-8", errors="replace")
        references = self._references_at_ref(repo, check, text)
        return History(versions=(HistoryVersion(version=repo.label, text=text, references=references),))

    def _references_at_ref(self, repo: _Repository, check: Check, text: str) -> dict[str, str] | None:
        """The files the old text imports (Protobuf) or refers to (JSON Schema ``$ref``), as they were at the ref."""
        fmt = self.context.registry.formats.get(check.source.format)
        resolver = getattr(fmt, "local_imports", None)
        if resolver is None:
            return None

        def read_at_ref(path: Path) -> str | None:
            relpath = repo.resolved_relpath(path)
            if relpath is None:
                return None
            repo.read([relpath], self.id)
            if relpath in repo.errors:
                raise BackendProtocolError(f"{relpath}: {repo.errors[relpath]}", backend_id=self.id)
            blob = repo.blobs.get(relpath)
            return None if blob is None else blob.decode("utf-8", errors="replace")

        roots = import_roots(check.source, self.context.rootdir, text)
        return resolver(check.source.path, text, roots, read_at_ref, boundary=[self.context.rootdir]) or None

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
        base = self.main.base
        only = "; only uncommitted changes are compared" if base.is_head_fallback else ""
        return f"git base: {base.ref} {base.sha[:10]} ({base.how}{only})"
