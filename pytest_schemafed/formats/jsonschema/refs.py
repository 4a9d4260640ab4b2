"""The local files a JSON Schema's ``$ref`` reach, transitively, confined and offline.

Discovery, the git and directory backends and ``schemafed compare`` call
:func:`local_refs` to gather the ``references`` of a parse, as they gather a
``.proto`` file's imports. A ``$ref`` written in a document (the schema file, or a
file it refers to) resolves, in this order, to:

1. nothing to read: a fragment (``#/definitions/a``), a bundled meta-schema
   (``http://json-schema.org/draft-07/schema#``, :mod:`.metaschemas`) or an ``$id``
   declared inside the same document: the loader resolves these itself;
2. for a URL (written so, or a relative reference under the document's own absolute
   ``$id``): the local ``.json`` file whose top-level ``$id`` is that URL, searched
   under the ref roots (:mod:`pytest_schemafed.repo_index`);
3. for a relative path (``address.json``, ``./address.json``, ``../common/money.json``):
   the file at that path beside the document that writes it, then under each ref root
   in turn (``-I``/``--ref-root``, ``ref_roots:``, ``import_roots:``; none by default).

Only the *boundary* folders are read from (in a run: the repository; with ``compare``:
the current folder, the files' folders and the ref roots), and only their ``.json``
files are searched for an ``$id``. Refused, each with one line: ``file://`` URIs,
absolute paths, a path that leaves the boundary (lexically, or through a symlink).
Nothing is fetched: a URL that no local file declares is an error saying so. Every ``$ref`` that cannot be resolved is a
:class:`SchemaParseError` naming the reference, the file and line it is written at, and
the places it was looked for. Also an error: two local files declaring the same ``$id``.

Names: a file is returned under its path relative to the schema file's folder
(``address.json``, ``../common/money.json``): the loader places the references at
those paths beside the schema, so that its own URI resolution meets them. A file
found under a ref root gets the name it would have beside the document that refers
to it (roots behave like overlays, as protoc's ``-I``).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from ...errors import SchemaParseError
from ..jsonpos import JsonPositions
from .metaschemas import bundled_uri, normalize_uri

__all__ = ["MAX_REFERENCED_FILES", "Reader", "local_refs", "ref_pointers"]

Reader = Callable[[Path], "str | None"]
_OUTWARD_REF = re.compile(r'"\$ref"\s*:\s*"(?!#)')  # a $ref that is more than a fragment
MAX_REFERENCED_FILES = 2_000
_NOT_SCHEMAS = frozenset(("enum", "const", "default", "examples"))


@dataclass(frozen=True, slots=True)
class _Doc:
    """One document met while following references."""

    text: str
    value: Any
    real: Path  # where it was read
    virtual: Path  # where the loader places it (beside the document that refers to it)
    shown: str  # how messages name it
    base: str | None  # its own absolute ``$id``, if any


def _read_disk(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def ref_pointers(document: Any) -> tuple[list[tuple[str, str]], set[str]]:
    """Every ``$ref`` of ``document`` with the JSON pointer of the object holding it, and its inner ``$id`` values.

    Values of ``enum``, ``const``, ``default`` and ``examples`` are data, not schemas:
    they are not searched.
    """
    refs: list[tuple[str, str]] = []
    inner_ids: set[str] = set()
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        value, ptr = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                refs.append((ref, ptr))
            if ptr:
                for key in ("$id", "id"):
                    if isinstance(value.get(key), str):
                        inner_ids.add(value[key])
            for key, child in value.items():
                if key not in _NOT_SCHEMAS and isinstance(child, (dict, list)):
                    stack.append((child, f"{ptr}/{key.replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(value, list):
            stack.extend((child, f"{ptr}/{i}") for i, child in enumerate(value) if isinstance(child, (dict, list)))
    refs.reverse()
    return refs, inner_ids


def _own_id(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("$id", "id"):
            own = value.get(key)
            if isinstance(own, str) and urlsplit(own).scheme and not own.startswith("#"):
                return own
    return None


class _Resolver:
    """Follows the references of one schema file; see the module docstring."""

    def __init__(self, path: Path, roots: Sequence[Path], read: Reader | None, label: str | None,
                 boundary: Sequence[Path] | None) -> None:
        self.main = Path(os.path.abspath(path))
        self.roots = [Path(os.path.abspath(r)) for r in roots]
        self.disk = read is None
        self.read = read or _read_disk
        self.label = label
        given = [Path(os.path.abspath(b)) for b in boundary] if boundary is not None else []
        self.allowed = _outer([*given, *self.roots, self.main.parent])
        # messages name files as the label names the schema (relative to the repository, or as given)
        tail = "/" + label if label and not label.startswith("/") else None
        own = self.main.as_posix()
        self.anchor = Path(own[: -len(tail)]) if tail and own.endswith(tail) else None
        self.allowed_real = [Path(os.path.realpath(r)) for r in self.allowed] if self.disk else []
        self.found: dict[str, str] = {}
        self._index: Any = None

    # ------------------------------------------------------------------ names
    def shown(self, path: Path) -> str:
        """``path`` relative to the boundary folder holding it (the repository, in a run), else as given."""
        if path == self.main and self.label:
            return self.label
        if self.anchor is not None and path.is_relative_to(self.anchor):
            return path.relative_to(self.anchor).as_posix() or "."
        for folder in self.allowed:
            if path.is_relative_to(folder):
                return path.relative_to(folder).as_posix() or "."
        return path.as_posix()

    def key(self, virtual: Path) -> str:
        """The reference name of a file the loader places at ``virtual``."""
        return posixpath.relpath(virtual.as_posix(), self.main.parent.as_posix())

    def inside(self, path: Path) -> bool:
        if not any(path == a or path.is_relative_to(a) for a in self.allowed):
            return False
        if not self.disk:
            return True  # the reader confines itself (the git backend reads inside its commit only)
        real = Path(os.path.realpath(path))
        return any(real == a or real.is_relative_to(a) for a in self.allowed_real)

    # ------------------------------------------------------------------- walk
    def run(self, text: str) -> dict[str, str]:
        value = _decode(text)
        if value is None:
            return {}  # not JSON: the parse says so, with the line
        queue = [_Doc(text, value, self.main, self.main, self.shown(self.main), _own_id(value))]
        while queue:
            doc = queue.pop(0)
            refs, inner_ids = ref_pointers(doc.value)
            inner = {normalize_uri(urljoin(doc.base or "", i)) for i in inner_ids}
            for ref, ptr in refs:
                found = self.resolve(doc, ref, ptr, inner)
                if found is not None:
                    queue.append(found)
        return self.found

    def fail(self, doc: _Doc, ptr: str, ref: str, why: str) -> SchemaParseError:
        where = JsonPositions(doc.text).locate(ptr + "/$ref")
        return SchemaParseError(f"cannot resolve $ref {_quote(ref)}: {why}", path=doc.shown,
                                line=where[0] if where else None, column=where[1] if where else None)

    def resolve(self, doc: _Doc, ref: str, ptr: str, inner: set[str]) -> _Doc | None:
        """The new document ``ref`` (written at ``ptr`` of ``doc``) leads to; ``None`` when nothing is to read."""
        target = urldefrag(ref)[0]
        if not target:
            return None
        scheme = urlsplit(target).scheme.lower()
        if scheme == "file":
            raise self.fail(doc, ptr, ref, "file:// references are refused (files are referred to by a path "
                                           "relative to the schema; nothing outside the repository is read)")
        uri = urljoin(doc.base, target) if doc.base else (target if scheme else None)
        if uri is not None:
            if bundled_uri(uri) is not None or normalize_uri(uri) in inner:
                return None
            paths = self.declaring(doc, ptr, ref, uri)
            if paths:
                taken = self.take(doc, ptr, ref, paths[0], paths[0])
                return taken if isinstance(taken, _Doc) else None
            if scheme:
                return self.beside_own_id(doc, ptr, ref, uri)
        if target.startswith("/") or (len(target) > 1 and target[1] == ":") or "\\" in target:
            raise self.fail(doc, ptr, ref, "an absolute path is refused: write the path relative to the schema")
        return self.by_path(doc, ptr, ref, unquote(target))

    def beside_own_id(self, doc: _Doc, ptr: str, ref: str, uri: str) -> _Doc | None:
        """A URL no local file declares: the file at its place beside ``doc``, when ``doc``'s ``$id`` is a neighbour."""
        why = (f"no local file declares this $id ({self.searched()}) and it is not a bundled meta-schema; "
               "nothing is fetched")
        folder = doc.base.rsplit("/", 1)[0] + "/" if doc.base else None
        rel = uri[len(folder):].split("?", 1)[0] if folder and uri.startswith(folder) else ""
        if not rel:
            raise self.fail(doc, ptr, ref, why)
        try:
            return self.by_path(doc, ptr, ref, unquote(rel))
        except SchemaParseError:
            raise self.fail(doc, ptr, ref, why) from None

    def searched(self) -> str:
        shown = [self.shown(r) for r in self.allowed]
        return "searched the .json files under " + ", ".join("the repository" if s == "." else s for s in shown)

    def declaring(self, doc: _Doc, ptr: str, ref: str, uri: str) -> list[Path]:
        """The local file declaring ``$id`` ``uri`` (a list of one), or none; two or more are an error."""
        if self._index is None:
            from ...repo_index import id_index

            self._index = id_index(self.allowed)
        paths = [p for p in self._index.lookup(uri) if self.inside(p)]
        if len(paths) > 1:
            names = ", ".join(self.shown(p) for p in paths)
            raise self.fail(doc, ptr, ref, f"{len(paths)} local files declare this $id ({names}); keep one")
        return paths

    def by_path(self, doc: _Doc, ptr: str, ref: str, rel: str) -> _Doc | None:
        virtual = Path(posixpath.normpath((doc.virtual.parent / rel).as_posix()))
        candidates: list[Path] = []
        for folder in [doc.real.parent, *self.roots]:
            candidate = Path(posixpath.normpath((folder / rel).as_posix()))
            if candidate not in candidates:
                candidates.append(candidate)
        looked: list[str] = []
        refused = False
        for candidate in candidates:
            if not self.inside(candidate):
                refused = True
                continue
            looked.append(self.shown(candidate))
            taken = self.take(doc, ptr, ref, candidate, virtual)
            if taken is not False:
                return taken if isinstance(taken, _Doc) else None
        if not looked:
            raise self.fail(doc, ptr, ref, "it leads outside the repository and the ref roots (not read)")
        outside = "; paths outside the repository are not read" if refused else ""
        raise self.fail(doc, ptr, ref, f"no file {' or '.join(looked)}{outside} (nothing is fetched)")

    def take(self, doc: _Doc, ptr: str, ref: str, real: Path, virtual: Path) -> _Doc | bool:
        """Read ``real`` as the reference named after ``virtual``.

        :returns: the new document to follow; ``True`` when there is nothing new to follow
            (read already, the schema itself, or not JSON: the parse says so); ``False``
            when there is no such file.
        """
        key = self.key(virtual)
        if key in self.found or real == self.main:
            return True  # a cycle through files is the loader's to judge
        text = self.read(real)
        if text is None:
            return False
        if len(self.found) >= MAX_REFERENCED_FILES:
            raise self.fail(doc, ptr, ref, f"more than {MAX_REFERENCED_FILES:,} referenced files")
        self.found[key] = text
        value = _decode(text)
        if value is None:
            return True
        return _Doc(text, value, real, virtual, self.shown(real), _own_id(value))


def _outer(folders: Sequence[Path]) -> list[Path]:
    """``folders`` without those inside another one, outermost first."""
    kept: list[Path] = []
    for folder in sorted(set(folders), key=lambda p: len(p.parts)):
        if not any(folder.is_relative_to(k) for k in kept):
            kept.append(folder)
    return kept


def _quote(ref: str) -> str:
    shown = ref if len(ref) <= 120 else ref[:117] + "..."
    return repr(shown)


def local_refs(path: Path, text: str, roots: Sequence[Path], read: Reader | None = None, *,
               label: str | None = None, boundary: Sequence[Path] | None = None) -> dict[str, str]:
    """Texts of the local files the schema ``text`` (the file at ``path``) refers to, transitively.

    :param path: the schema file; relative ``$ref`` are resolved beside it first.
    :param text: its text.
    :param roots: the ref roots, searched in order after the referring document's folder.
    :param read: reads a file, ``None`` when it does not exist; the git backend passes one
        that reads the files as they were at the base ref (it confines itself).
    :param label: how messages name the schema file (its path in the repository).
    :param boundary: the folders files may be read from and whose ``.json`` files are
        searched for an ``$id`` (with ``roots`` and the schema's folder): the repository.
    :returns: reference name -> text; pass it as ``references`` to :meth:`JsonSchemaFormat.parse`.
    :raises SchemaParseError: a ``$ref`` that cannot be resolved or is refused (one line).
    """
    if "$ref" not in text or _OUTWARD_REF.search(text) is None:
        return {}  # no $ref, or only "#/..." ones (JSON escapes in a key or value are not worth a decode)
    return _Resolver(path, roots, read, label, boundary).run(text)
