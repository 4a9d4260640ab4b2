"""The registry operations of the ``schemafed`` command on a ``directory`` registry.

The folder's layout names the subjects (see :mod:`~pytest_schemafed.backends.directory`):
``<subject>.<ext>`` holds the latest version only, ``<subject>/<n>.<ext>`` a history. So
``subjects``, ``find`` and ``audit`` work; a folder of files has no compatibility levels,
so ``levels`` and ``levels set`` say so in one line. Nothing is ever written.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import SubjectNotFound
from ..model import History, Level
from .admin import RegisteredVersion, RegistryAdmin, _unsupported
from .directory import DirectoryBackend, _version_key

__all__ = ["DirectoryAdmin"]

#: file endings of exported versions, longest first (``.schema.json`` before ``.json``)
SCHEMA_ENDINGS = (".schema.json", ".avsc", ".proto", ".json")
SCHEMA_TYPES = {".avsc": "AVRO", ".proto": "PROTOBUF", ".schema.json": "JSON"}
NO_LEVELS = "a folder of exported versions has no compatibility levels"


def _ending(name: str) -> str | None:
    return next((e for e in SCHEMA_ENDINGS if name.endswith(e) and len(name) > len(e)), None)


class DirectoryAdmin(RegistryAdmin):
    """Read-only registry operations over a :class:`DirectoryBackend`'s folder."""

    type_name = "directory"

    def __init__(self, backend: DirectoryBackend) -> None:
        self.backend = backend
        self.id = backend.id
        self.folder: Path = backend.folder

    def list_subjects(self, prefix: str | None = None) -> list[str]:
        """Each ``<subject>.<ext>`` file and each ``<subject>/`` folder holding versions."""
        subjects: set[str] = set()
        for entry in self.folder.iterdir():
            ending = _ending(entry.name)
            if entry.is_file() and ending:
                subjects.add(entry.name[: -len(ending)])
            elif entry.is_dir() and any(p.is_file() and _ending(p.name) for p in entry.iterdir()):
                subjects.add(entry.name)
        return sorted(s for s in subjects if not prefix or s.startswith(prefix))

    def versions(self, subject: str) -> History:
        """The subject's files, oldest first (a single file is version ``latest``).

        :raises SubjectNotFound: no file for the subject.
        """
        folder = self.folder / subject
        if folder.is_dir():
            files = sorted((p for p in folder.iterdir() if p.is_file() and _ending(p.name)), key=_version_key)
            if files:
                return History(tuple(self._version(p, p.name[: -len(_ending(p.name) or "")]) for p in files))
        for ending in SCHEMA_ENDINGS:
            single = self.folder / f"{subject}{ending}"
            if single.is_file():
                return History((self._version(single, "latest"),))
        raise SubjectNotFound(f"no file for subject {subject!r} in {self.folder}")

    @staticmethod
    def _version(path: Path, version: str) -> RegisteredVersion:
        ending = _ending(path.name) or ""
        return RegisteredVersion(version=version, text=path.read_text(encoding="utf-8"),
                                 schema_type=SCHEMA_TYPES.get(ending))

    def latest(self, subject: str) -> RegisteredVersion | None:
        """The newest file of the subject, ``None`` when there is none."""
        try:
            last = self.versions(subject).versions[-1]
        except SubjectNotFound:
            return None
        assert isinstance(last, RegisteredVersion)
        return last

    def ping(self) -> float:
        """Seconds listing the folder took."""
        start = time.perf_counter()
        self.list_subjects()
        return time.perf_counter() - start

    def global_level(self) -> Level | None:
        """Not supported: there are no levels in a folder."""
        raise _unsupported(self, "levels", NO_LEVELS)

    def subject_level(self, subject: str) -> Level | None:
        """Not supported: there are no levels in a folder."""
        raise _unsupported(self, "levels", NO_LEVELS)
