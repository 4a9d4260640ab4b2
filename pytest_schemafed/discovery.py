"""Turn a file on disk into a :class:`SchemaSource`: format, text, parsed form, subject.

Each file is read and parsed exactly once here; every backend's check of it reuses
the parsed form.
"""

from __future__ import annotations

import functools
import os
import string
from pathlib import Path

from .config import SchemaEntry, Settings
from .errors import SchemaParseError
from .model import SchemaSource
from .registry import Registry

__all__ = [
    "ensure_parsed", "ensure_read", "find_format", "import_roots", "load_source", "relative_posix", "relpath_of",
    "render_subject",
]

_FIELDS = frozenset({"stem", "dir", "name", "path", "format"})


def relative_posix(path: Path, base: Path) -> str | None:
    """``path`` relative to ``base`` with ``/`` separators, or ``None`` if it is not inside.

    The same answer as ``path.relative_to(base).as_posix()`` for the absolute, normalised
    paths pytest hands out, by string prefix: collection asks this for every file.
    """
    full, prefix = str(path), str(base)
    if full.startswith(prefix):
        if len(full) == len(prefix):
            return "."
        if prefix.endswith(os.sep):
            rest = full[len(prefix):]
        elif full[len(prefix)] == os.sep:
            rest = full[len(prefix) + 1:]
        else:
            return None
        return rest if os.sep == "/" else rest.replace(os.sep, "/")
    try:  # not a plain prefix (e.g. a relative path or a different spelling): ask pathlib
        return path.relative_to(base).as_posix()
    except ValueError:
        return None


def relpath_of(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` with ``/`` separators (or the absolute path if outside)."""
    rel = relative_posix(path, base)
    return path.as_posix() if rel is None else rel


def find_format(path: Path, settings: Settings, registry: Registry) -> tuple[SchemaEntry, str] | None:
    """Return the configuration entry and format name for ``path``, or ``None`` to ignore it.

    Cheap for files that are not schemas: the extension is looked at before anything
    is opened, and only ``.json`` files (JSON Schema detection) are read.
    """
    relpath = relpath_of(path, settings.base_dir)
    entry = settings.entry_for(relpath)
    if entry is None:
        return None
    if entry.format is not None:
        if entry.format not in registry.formats:
            return None
        return entry, entry.format
    fmt = registry.detect(path)
    return (entry, fmt.name) if fmt is not None else None


def load_source(path: Path, rootdir: Path, entry: SchemaEntry, format_name: str, registry: Registry) -> SchemaSource:
    """Describe ``path`` as a source; read and parse it now only when the subject needs the record name.

    Otherwise reading and parsing wait for :func:`ensure_parsed`, called by the gate in
    the batch that evaluates the file, so that a pytest-xdist worker (or a forked
    worker) reads and parses only its own files. A read or parse failure is kept on the
    source, never raised.
    """
    relpath = relpath_of(path, rootdir)
    source = SchemaSource(path=path, relpath=relpath, format=format_name, text="")
    source.entry = {"registries": entry.registries, "import_roots": entry.import_roots}
    name = None
    if "{name}" in entry.subject:
        ensure_parsed(source, rootdir, registry)
        if source.parsed is not None:
            name = registry.format(format_name).record_name(source.parsed)
    source.subject = render_subject(entry.subject, source, name)
    return source


def ensure_read(source: SchemaSource) -> None:
    """Read the file's text once (lazily: a pytest-xdist worker reads only its own files)."""
    if source.text or source.parse_error is not None:
        return
    try:
        source.text = source.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        source.parse_error = f"{source.relpath}: cannot be read: {exc}"


def ensure_parsed(source: SchemaSource, rootdir: Path, registry: Registry) -> None:
    """Parse ``source`` once (its local imports too); a failure is kept on the source."""
    if source.parsed is not None or source.parse_error is not None:
        return
    ensure_read(source)
    if source.parse_error is not None:
        return
    fmt = registry.format(source.format)
    resolver = getattr(fmt, "local_imports", None)
    try:
        if resolver is not None:
            source.references = resolver(source.path, source.text, import_roots(source, rootdir))
        source.parsed = fmt.parse(source.text, path=source.relpath, references=source.references or None)
    except SchemaParseError as exc:
        source.parse_error = str(exc)
        source.parse_error_line = exc.line


def import_roots(source: SchemaSource, rootdir: Path) -> list[Path]:
    """Folders the imports of ``source`` are resolved against: the entry's, else its folder and the rootdir."""
    return [rootdir / r for r in source.entry.get("import_roots") or ()] or [source.path.parent, rootdir]


def render_subject(template: str, source: SchemaSource, record_name: str | None) -> str:
    """Fill ``{stem}``, ``{dir}``, ``{name}``, ``{path}`` and ``{format}`` in ``template``.

    ``{name}`` is the full name of the schema's top-level type; when the file cannot be
    parsed it falls back to the stem, so that the item still has a subject to show.
    """
    if not _fields_of(template) <= _FIELDS:
        return template  # validated at configuration time; keep the literal text otherwise
    stem = source.stem
    return template.format(
        stem=stem,
        dir=source.relpath.rpartition("/")[0],
        name=record_name or stem,
        path=source.relpath,
        format=source.format,
    )


@functools.lru_cache(maxsize=64)
def _fields_of(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


def subject_fields() -> frozenset[str]:
    """The placeholders :func:`render_subject` fills (the configuration validates templates with it)."""
    return _FIELDS
