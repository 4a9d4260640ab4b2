"""Previous versions as files in a folder, e.g. schemas exported from a registry.

Layouts, for a subject ``orders-value`` and a local file ``orders.avsc``:

* ``<path>/orders-value.avsc``: the latest version only;
* ``<path>/orders-value/1.avsc``, ``2.avsc``, ...: a history, ordered by the
  number in the file name (oldest first), which transitive levels use in full.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from ..errors import ConfigError, SubjectNotFound
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

    def history(self, check: Check) -> History:
        """Every version found for the subject, oldest first."""
        for suffix in _suffixes(check.source.path):
            folder = self.folder / check.subject
            if folder.is_dir():
                files = [p for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix)]
                if files:
                    files.sort(key=_version_key)
                    return History(versions=tuple(
                        HistoryVersion(version=p.name[: -len(suffix)] if suffix else p.name,
                                       text=p.read_text(encoding="utf-8"))
                        for p in files
                    ))
            single = self.folder / f"{check.subject}{suffix}"
            if single.is_file():
                return History(versions=(HistoryVersion(version="latest", text=single.read_text(encoding="utf-8")),))
        raise SubjectNotFound(f"no file for subject {check.subject!r} in {self.folder}")

    def describe(self) -> str:
        """``directory <path>`` for reports."""
        return f"directory {self.folder}"


def _version_key(path: Path) -> tuple[int, str]:
    match = _NUMBER.match(path.name)
    return (int(match.group(1)) if match else 1 << 62, path.name)
