"""Reading a commit's files from git by object id: NUL-separated listings, answers read by size.

Any name git can hold works (spaces, unicode, newlines, a leading dash, bytes that are
not UTF-8), because no path ever goes through a line-based protocol:

* :func:`list_tree` runs ``git ls-tree -r -z --full-tree <commit>`` and splits its
  output on NUL: ``<mode> SP <type> SP <id> TAB <path>``; the path is everything after
  the first tab, taken as bytes and decoded like the file system's own names;
* :func:`read_answers` reads ``git cat-file --batch`` answers to requests by object id
  (hex digits only), each ``<id> SP <type> SP <size> LF <content> LF`` read by its size.

Every answer is checked against what was asked: an answer for another id, of another
type, cut short, or of any other shape is an error for that object, in one line, and
the objects after it are not trusted (their answers may be out of step), so they get
an error too rather than someone else's content.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import BackendProtocolError

__all__ = ["Answers", "GitBlobReader", "Prefetch", "TreeEntry", "git_env", "list_tree", "parse_tree", "read_answers"]

_OID = re.compile(rb"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_MODES = {b"100644", b"100755", b"120000", b"160000", b"040000"}
_TYPES = {b"blob", b"tree", b"commit"}
SYMLINK = "120000"


def git_env() -> dict[str, str]:
    """The environment git runs in: no prompt, C locale, no lazy fetch of missing objects."""
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_NO_LAZY_FETCH": "1"}


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One file of a commit: its mode (``100644``, ``120000`` for a symlink...), type and object id."""

    mode: str
    type: str
    oid: str


@dataclass(slots=True)
class Answers:
    """What ``cat-file`` gave for each requested id: its content, or one line saying what was wrong."""

    blobs: dict[str, bytes]
    errors: dict[str, str]


def _show(raw: bytes, limit: int = 80) -> str:
    text = raw.decode("utf-8", "backslashreplace")
    return repr(text if len(text) <= limit else text[:limit] + "...")


def parse_tree(data: bytes, commit: str) -> dict[str, TreeEntry]:
    """The entries of ``git ls-tree -r -z`` output, by path (``/``-separated, as the file system decodes it).

    :raises BackendProtocolError: an entry that is not ``<mode> <type> <id>\\t<path>``.
    """
    entries: dict[str, TreeEntry] = {}
    for record in data.split(b"\0"):
        if not record:
            continue
        meta, tab, raw_path = record.partition(b"\t")
        parts = meta.split(b" ")
        if (not tab or not raw_path or len(parts) != 3 or parts[0] not in _MODES or parts[1] not in _TYPES
                or not _OID.match(parts[2])):
            raise BackendProtocolError(f"unexpected entry from git ls-tree of {commit[:10]}: {_show(record)}")
        entries[os.fsdecode(raw_path)] = TreeEntry(parts[0].decode(), parts[1].decode(), parts[2].decode())
    return entries


def list_tree(toplevel: Path, commit: str) -> dict[str, TreeEntry]:
    """Every file of ``commit`` in the repository at ``toplevel``.

    :raises BackendProtocolError: git failed or answered something else than a listing.
    """
    done = subprocess.run(["git", "ls-tree", "-r", "-z", "--full-tree", commit], cwd=toplevel,
                          capture_output=True, env=git_env(), check=False)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1] or [f"exit {done.returncode}"]
        raise BackendProtocolError(f"git ls-tree {commit[:10]} failed in {toplevel}: {reason[0]}")
    return parse_tree(done.stdout, commit)


def read_answers(stream: IO[bytes], oids: Sequence[str]) -> Answers:
    """Read the ``cat-file --batch`` answers to ``oids`` (requested in this order) from ``stream``."""
    answers = Answers(blobs={}, errors={})
    for index, oid in enumerate(oids):
        header = stream.readline()
        problem = _answer_problem(header, oid)
        if problem is None:
            size = int(header.split(b" ")[2])
            content = stream.read(size)
            if len(content) == size and stream.read(1) == b"\n":
                answers.blobs[oid] = content
                continue
            problem = f"git cat-file ended inside object {oid[:10]} ({len(content)} of {size} bytes)"
        elif header == f"{oid} missing\n".encode():
            answers.errors[oid] = f"git has no object {oid[:10]} although the commit lists it (a partial clone?)"
            continue  # nothing follows a "missing" line: the next answer is in step
        answers.errors[oid] = problem
        for later in oids[index + 1:]:
            answers.errors.setdefault(later, f"not read: git cat-file gave an unexpected answer before it ({problem})")
        break
    return answers


def _answer_problem(header: bytes, oid: str) -> str | None:
    """``None`` when ``header`` announces blob ``oid`` with a size, else what is wrong with it."""
    if not header:
        return "git cat-file ended without answering"
    parts = header[:-1].split(b" ") if header.endswith(b"\n") else []
    if len(parts) == 3 and parts[0] == oid.encode() and parts[1] == b"blob" and parts[2].isdigit():
        return None
    return f"unexpected answer from git cat-file for {oid[:10]}: {_show(header)}"


class GitBlobReader:
    """Reads blobs by object id through one long-lived ``git cat-file --batch`` process."""

    def __init__(self, toplevel: Path) -> None:
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=toplevel,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_env(),
        )
        self._lock = threading.Lock()
        self.broken = False  # an answer was out of step: this process is not asked again

    def read(self, oids: Sequence[str]) -> Answers:
        """Each object's content, or one line saying what git answered instead."""
        assert self._process.stdin is not None and self._process.stdout is not None
        stdin, stdout = self._process.stdin, self._process.stdout
        requests = b"".join(oid.encode() + b"\n" for oid in oids)
        with self._lock:
            # A writer thread keeps git's output pipe draining while we send a large batch;
            # one request fits in the pipe and needs none.
            writer: threading.Thread | None = None
            try:
                if len(oids) == 1:
                    self._write(stdin, requests)
                else:
                    writer = threading.Thread(target=self._write, args=(stdin, requests), daemon=True)
                    writer.start()
            except OSError:  # git has ended: read_answers says so for each object
                pass
            answers = read_answers(stdout, oids)
            if answers.errors:
                self.broken = True
                self._process.kill()
            if writer is not None:
                writer.join()
        return answers

    @staticmethod
    def _write(stdin: object, data: bytes) -> None:
        try:
            stdin.write(data)  # type: ignore[attr-defined]
            stdin.flush()  # type: ignore[attr-defined]
        except OSError:
            pass  # git ended early: the reading side reports it

    def close(self) -> None:
        """End the git process."""
        if self._process.poll() is None:
            assert self._process.stdin is not None
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


class Prefetch:
    """``git cat-file --batch`` fed id by id during collection, answering into a file.

    Nothing waits while collecting: git reads each request as it comes and writes the
    object to a temporary file, never to a pipe that could fill up, so no thread is
    needed; :meth:`collect` ends the input and reads the file once.

    Requests go by object id, never by path (a path may hold a newline), so the first
    request starts one ``git ls-tree -r -z`` of the commit, in the background; paths
    asked before it has ended wait in a list and are sent once it has (at the latest
    in :meth:`collect`). A path the listing does not hold is new, without asking git.
    """

    def __init__(self, toplevel: Path, commit: str) -> None:
        self.commit = commit
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - open until collect(), across calls
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=toplevel, stdin=subprocess.PIPE, stdout=self._out,
            stderr=subprocess.DEVNULL, env=git_env(),
        )
        self._listing_out = tempfile.TemporaryFile()  # noqa: SIM115 - read once the listing has ended
        self._listing_err = tempfile.TemporaryFile()  # noqa: SIM115
        self._listing: subprocess.Popen[bytes] | None = subprocess.Popen(
            ["git", "ls-tree", "-r", "-z", "--full-tree", commit], cwd=toplevel, stdout=self._listing_out,
            stderr=self._listing_err, env=git_env(),
        )
        self.entries: dict[str, TreeEntry] | None = None  # path -> entry, once the listing is read
        self._waiting: list[str] = []  # paths asked before the listing ended
        self._oids: list[str] = []  # requested of cat-file, in order
        self._sent: set[str] = set()

    def request(self, relpath: str) -> None:
        """Ask for the blob at ``relpath`` (``/``-separated, relative to the toplevel)."""
        entries = self._entries(wait=False)
        if entries is None:
            self._waiting.append(relpath)
            return
        self._send(entries, relpath)

    def _send(self, entries: dict[str, TreeEntry], relpath: str) -> None:
        assert self._process.stdin is not None
        entry = entries.get(relpath)
        if entry is None or entry.type != "blob" or entry.mode == SYMLINK or entry.oid in self._sent:
            return  # new, not a file, a symlink (followed later), or asked already
        self._sent.add(entry.oid)
        self._oids.append(entry.oid)
        self._process.stdin.write(entry.oid.encode() + b"\n")
        if len(self._oids) % 64 == 0:
            self._process.stdin.flush()

    def _entries(self, *, wait: bool) -> dict[str, TreeEntry] | None:
        """The commit's entries by path, once ``ls-tree`` has ended (waits only when told to)."""
        listing = self._listing
        if listing is None or (not wait and listing.poll() is None):
            return self.entries
        listing.wait()
        self._listing = None
        self._listing_out.seek(0)
        data = self._listing_out.read()
        self._listing_out.close()
        self._listing_err.seek(0)
        reason = self._listing_err.read().decode("utf-8", "replace").strip().splitlines()[:1]
        self._listing_err.close()
        if listing.returncode != 0:
            raise BackendProtocolError(
                f"git ls-tree {self.commit[:10]} failed: {reason[0] if reason else f'exit {listing.returncode}'}"
            )
        self.entries = parse_tree(data, self.commit)
        for relpath in self._waiting:
            self._send(self.entries, relpath)
        self._waiting.clear()
        return self.entries

    def collect(self) -> tuple[dict[str, TreeEntry], Answers]:
        """The commit's entries, and the answers to every request.

        :raises BackendProtocolError: the commit could not be listed.
        """
        assert self._process.stdin is not None
        try:
            entries = self._entries(wait=True)
        finally:
            self._process.stdin.close()
            self._process.wait()
        assert entries is not None
        self._out.seek(0)
        answers = read_answers(self._out, self._oids)
        self._out.close()
        return entries, answers

    def abandon(self) -> None:
        """Stop both processes without reading anything."""
        for process in (self._process, self._listing):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        for handle in (self._out, self._listing_out, self._listing_err):
            handle.close()
