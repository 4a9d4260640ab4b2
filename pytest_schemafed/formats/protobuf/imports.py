"""Finding the local files a ``.proto`` file imports, for discovery and the git/directory backends.

``import "a/b.proto";`` is looked up under each import root in turn (like
protoc's ``-I``), then beside the importing file. Imports of files that are
found are followed transitively. Bundled well-known files and imports that are
not found are left out: :meth:`ProtobufFormat.parse` then resolves the
well-known ones itself and reports a missing one as a SchemaParseError at the
line of its import.

Confinement: an import name must be a relative path of plain parts, as protoc
demands (:func:`.resolver.refused_import`); any other (``/etc/passwd``, ``../x``) is
never looked up, and the parse refuses it. A file found through a symlink that
leads outside the import roots and the importing file's folder is not read either:
:class:`ImportOutside`, one line, nothing of the file shown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from ...errors import SchemaParseError
from .resolver import refused_import, wellknown_text

__all__ = ["ImportOutside", "import_names", "local_imports"]

_IMPORT = re.compile(r"""(?m)^[ \t]*import\s+(?:public\s+|weak\s+)?(?:"([^"\n]*)"|'([^'\n]*)')\s*;""")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def import_names(text: str) -> list[str]:
    """The file names in a text's ``import`` statements, in order (comments ignored)."""
    clean = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text) if "/" in text else text
    return [a or b for a, b in _IMPORT.findall(clean)]


class ImportOutside(SchemaParseError):
    """An import found only through a symlink that leaves the allowed folders."""


def _read_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _inside(path: Path, folders: list[Path]) -> bool:
    """True when ``path``, its symlinks followed, is in one of ``folders`` (resolved already)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return any(real.is_relative_to(folder) for folder in folders)


def local_imports(
    path: Path,
    text: str,
    import_roots: list[Path],
    read: Callable[[Path], str | None] = _read_file,
    *,
    label: str | None = None,
) -> dict[str, str]:
    """Texts of the local files ``text`` (the file at ``path``) imports, transitively.

    :param path: the importing file (its folder is searched after the roots).
    :param text: its text.
    :param import_roots: folders import names are relative to, in search order.
    :param read: reads a file, ``None`` when it does not exist; the git backend passes
        one that reads the files as they were at the base ref.
    :param label: the importing file's name for messages.
    :returns: import name as written -> file text; pass it as ``references`` to
        :meth:`ProtobufFormat.parse`. Unreadable or missing files are left out, and so
        are refused names (the parse says why).
    :raises ImportOutside: reading from disk, the only file with that name is
        reached through a symlink that leaves the roots and the importing file's folder.
    """
    found: dict[str, str] = {}
    confined = read is _read_file  # another reader (the git backend's) confines itself
    folders = [r.resolve() for r in [*import_roots, path.parent]] if confined else []
    pending = [(name, path.parent) for name in import_names(text)]
    while pending:
        name, base = pending.pop(0)
        if name in found or wellknown_text(name) is not None or refused_import(name) is not None:
            continue
        for root in [*import_roots, base]:
            candidate = root / name
            if confined and not os.path.lexists(candidate):
                continue  # nothing there to read or to refuse (saves resolving every path tried)
            if confined and not _inside(candidate, folders):
                if candidate.is_symlink() or candidate.exists():
                    raise ImportOutside(
                        f'import "{name}" is refused: {candidate.name} leads outside the repository and the import '
                        "roots (a symlink?)",
                        path=label,
                    )
                continue
            body = read(candidate)
            if body is None:
                continue
            found[name] = body
            pending.extend((sub, candidate.parent) for sub in import_names(body))
            break
    return found
