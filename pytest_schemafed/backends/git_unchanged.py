"""Unchanged means unchanged: a file, and every file it references, has the same blob id at the base.

Such a file passes without being parsed or compared: a schema is compatible with
itself at every level. The closure is followed the way the format resolves its local
references (Protobuf: :func:`formats.protobuf.imports.local_imports`, import roots first,
then the importing file's folder), on both sides: each name must lead to the same path
in the working tree and at the base, with the same blob id, or to no file on either
side. The working-tree side is hashed as git hashes a blob (``blob <size>\\0<bytes>``),
so nothing is asked of git beyond the base's listing.

Anything this cannot decide for certain (a symlink on either side, a reference that
leads out of the repository, a format that references files but cannot name them
without parsing) counts as changed: the file is then checked as usual.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path

from ..discovery import relative_posix
from .git_objects import SYMLINK, TreeEntry

__all__ = ["ClosureProbe", "blob_id"]

#: the names a text references that are looked up as local files (bundled and refused ones left out)
NamesOf = Callable[[str], list[str]]


def blob_id(data: bytes, length: int = 40) -> str:
    """git's object id of a blob holding ``data`` (SHA-1, or SHA-256 when ids are 64 digits long)."""
    digest = hashlib.sha1 if length == 40 else hashlib.sha256
    h = digest(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


class ClosureProbe:
    """Answers "is this file, with everything it references, the same as at the base?" for one repository.

    Paths are handled as ``/``-separated strings relative to the toplevel, and every
    working-tree file is read and hashed once per probe, whatever the number of importers.

    :param toplevel: the repository's folder.
    :param entries: the base commit's listing (path -> entry).
    """

    def __init__(self, toplevel: Path, entries: Mapping[str, TreeEntry]) -> None:
        self.toplevel = toplevel
        self.entries = entries
        self._top = str(toplevel)
        self._local: dict[str, tuple[str, str] | bool | None] = {}  # relpath -> (blob id, text); False: absent
        self._names: dict[str, list[str]] = {}  # blob id -> reference names
        self._oid_length = len(next(iter(entries.values())).oid) if entries else 40

    def _read(self, relpath: str) -> tuple[str, str] | bool | None:
        """(blob id, text) of the regular file at ``relpath``; ``False``: nothing there; ``None``: something
        that is not a readable UTF-8 regular file (a symlink, a folder...)."""
        found = self._local.get(relpath, 0)
        if found != 0:
            return found  # type: ignore[return-value]
        path = os.path.join(self._top, relpath)
        result: tuple[str, str] | bool | None
        try:
            if os.path.islink(path) or not os.path.isfile(path):
                result = None if os.path.lexists(path) else False
            else:
                with open(path, "rb") as fh:
                    data = fh.read()
                result = (blob_id(data, self._oid_length), data.decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            result = None
        self._local[relpath] = result
        return result

    def _base(self, relpath: str) -> TreeEntry | None:
        entry = self.entries.get(relpath)
        return entry if entry is not None and entry.type == "blob" else None

    def _names_of(self, names_of: NamesOf, local: tuple[str, str]) -> list[str]:
        found = self._names.get(local[0])
        if found is None:
            found = self._names[local[0]] = names_of(local[1])
        return found

    def _rel(self, path: Path) -> str | None:
        rel = relative_posix(path, self.toplevel)
        if rel is None or rel == "." or rel.startswith("../"):
            return None
        return posixpath.normpath(rel)

    def unchanged(self, path: Path, roots: list[Path], names_of: NamesOf | None) -> int | None:
        """The number of files ``path`` references when it and all of them are unchanged, else ``None``.

        :param path: the schema file in the working tree.
        :param roots: the folders references are resolved against, in order (then the referencing file's folder).
        :param names_of: the format's reference names of a text; ``None`` when the format has no references.
        """
        relpath = self._rel(path)
        if relpath is None:
            return None
        local, base = self._read(relpath), self._base(relpath)
        if not isinstance(local, tuple) or base is None or base.mode == SYMLINK or base.oid != local[0]:
            return None
        if names_of is None:
            return 0
        root_rels: list[str] = []
        for root in roots:
            rel = relative_posix(root, self.toplevel)
            if rel is None or rel.startswith("../"):
                return None  # a root outside the repository: the base cannot say
            root_rels.append("" if rel == "." else posixpath.normpath(rel) + "/")
        seen: set[str] = set()
        # breadth first, as the format's own resolution goes: a name resolves where it is first met
        pending = deque((name, posixpath.dirname(relpath)) for name in self._names_of(names_of, local))
        while pending:
            name, folder = pending.popleft()
            if name in seen:
                continue
            seen.add(name)
            for prefix in [*root_rels, folder + "/" if folder else ""]:
                rel = prefix + name
                here, there = self._read(rel), self._base(rel)
                if here is False and there is None:
                    if rel in self.entries:
                        return None  # not a blob at the base (a submodule)
                    continue
                if not isinstance(here, tuple) or there is None or there.mode == SYMLINK or here[0] != there.oid:
                    return None
                pending.extend((sub, posixpath.dirname(rel)) for sub in self._names_of(names_of, here))
                break
        return len(seen)
