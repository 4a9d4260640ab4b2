"""Previous versions as files in a folder, e.g. schemas exported from a registry.

Layouts, for a subject ``orders-value`` and a local file ``orders.avsc``:

* ``<path>/orders-value.avsc``: the latest version only;
* ``<path>/orders-value/1.avsc``, ``2.avsc``, ...: a history, ordered by the
  number in the file name (oldest first), which transitive levels use in full.

References of a version file are resolved as the local file's are: a JSON Schema
``$ref`` beside the version file, then under each of ``ref_roots:``; a Protobuf import
under ``ref_roots:``, then the folder. Files are read only inside the folder and the
ref roots; a reference found nowhere fails the item with one line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from ..errors import BackendError, ConfigError, SubjectNotFound
from ..model import Check, History, HistoryVersion
from .base import Backend, BackendSpec, Option, RunContext

__all__ = ["DirectoryBackend"]

_NUMBER = re.compile(r"^(\d+)")


def _suffixes(path: Path) -> list[str]:
    name = path.name
    if name.endswith(".schema.json"):
        return [".schema.json", ".json"]
    return [path.suffix] if path.suffix else [""]


class DirectoryBackend(Backend):
    """Reads registered versions from ``<path>/<subject>.<ext>`` or ``<path>/<subject>/<n>.<ext>``."""

    type_name = "directory"
    options: ClassVar = {
        "path": Option(str, required=True, doc="the folder holding the exported versions"),
        "ref_roots": Option(list, doc="folders (relative to the rootdir) where the versions' $ref and imports "
                                      "are also looked for: files outside the folder"),
    }
    local = True
    max_in_flight = 1

    def __init__(self, spec: BackendSpec, context: RunContext) -> None:
        super().__init__(spec, context)
        folder = Path(spec.options["path"])
        self.folder = folder if folder.is_absolute() else context.rootdir / folder
        if not self.folder.is_dir():
            raise ConfigError(
                f"registry {spec.id!r}: folder {self.folder} does not exist", source=spec.source,
                key=f"registries.{spec.id}.path",
            )
        self.ref_roots: list[Path] = []
        for index, root in enumerate(spec.options.get("ref_roots") or ()):
            given = Path(root) if isinstance(root, str) else None
            found = None if given is None else given if given.is_absolute() else context.rootdir / given
            if found is None or not found.is_dir():
                raise ConfigError(f"registry {spec.id!r}: ref root {root!r} is not a folder", source=spec.source,
                                  key=f"registries.{spec.id}.ref_roots[{index}]")
            self.ref_roots.append(found)

    def history(self, check: Check) -> History:
        """Every version found for the subject, oldest first.

        :raises BackendError: the subject would lead outside the folder, or a version file cannot be read.
        """
        for suffix in _suffixes(check.source.path):
            folder = self._inside(self.folder / check.subject, check)
            if folder.is_dir():
                files = [p for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix)]
                if files:
                    files.sort(key=_version_key)
                    return History(versions=tuple(
                        self._version(check, p.name[: -len(suffix)] if suffix else p.name, self._inside(p, check))
                        for p in files
                    ))
            single = self._inside(self.folder / f"{check.subject}{suffix}", check)
            if single.is_file():
                return History(versions=(self._version(check, "latest", single),))
        raise SubjectNotFound(f"no file for subject {check.subject!r} in {self.folder}")

    def _version(self, check: Check, version: str, path: Path) -> HistoryVersion:
        """One version file, with the files its ``$ref`` or imports reach (from the folder and the ref roots)."""
        text = self._read(path)
        fmt = self.context.registry.formats.get(check.source.format)
        resolver = getattr(fmt, "local_imports", None)
        references = None
        if resolver is not None:
            boundary = [*(r.resolve() for r in self.ref_roots), self.folder.resolve()]
            search = boundary[:-1] if check.source.format == "json" else boundary
            references = resolver(path, text, search, label=self._shown(path), boundary=boundary) or None
        return HistoryVersion(version=version, text=text, references=references)

    def _shown(self, path: Path) -> str:
        try:
            return f"{self.spec.options['path'].rstrip('/')}/{path.relative_to(self.folder.resolve()).as_posix()}"
        except ValueError:
            return path.as_posix()

    def _inside(self, path: Path, check: Check) -> Path:
        """``path`` if it stays in the folder once resolved (``..``, an absolute subject, a symlink out)."""
        resolved = path.resolve()
        if not resolved.is_relative_to(self.folder.resolve()):
            raise BackendError(f"subject {check.subject!r} leads outside the folder {self.folder}; not read",
                               backend_id=self.id)
        return resolved

    def _read(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise BackendError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                               backend_id=self.id) from None
        except OSError as exc:
            raise BackendError(f"{path}: cannot be read: {exc.strerror or exc}", backend_id=self.id) from None

    def describe(self) -> str:
        """``directory <path>`` for reports."""
        return f"directory {self.folder}"


def _version_key(path: Path) -> tuple[int, str]:
    match = _NUMBER.match(path.name)
    return (int(match.group(1)) if match else 1 << 62, path.name)
