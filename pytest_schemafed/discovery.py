"""Turn a file on disk into a :class:`SchemaSource` (format, subject) and its :class:`SchemaContent`.

Each file is read and parsed exactly once here; every backend's check of it reuses
the parsed form.

Confinement: a schema file reached through a symlink that leads outside the rootdir
is never opened (not even to detect its format); it becomes an item that fails with
one line. A symlink loop, or a link to nothing, which pytest passes over in silence,
is listed by :func:`broken_links` so that it, too, is one failing item.
"""

from __future__ import annotations

import errno
import functools
import os
import string
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from .config import SchemaEntry, Settings
from .errors import SchemaParseError
from .model import SchemaContent, SchemaSource
from .registry import Registry

__all__ = [
    "broken_links", "find_format", "import_roots", "load_content", "load_source", "outside_reason",
    "proto_roots_line", "relative_posix", "relpath_of", "render_subject",
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


@functools.lru_cache(maxsize=16)
def _real(folder: str) -> str:
    return os.path.realpath(folder)


def outside_reason(path: Path, rootdir: Path) -> str | None:
    """Why ``path`` may not be read (a symlink out of ``rootdir``, a loop), or ``None`` when it may."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "refused: a symlink loop (the link leads back to itself)"
        if os.path.islink(path):
            return "refused: a symlink to nothing"
        return None  # gone or unreadable: reading says so
    real, root = os.path.realpath(path), _real(str(rootdir))
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return "refused: a symlink that leads outside the repository (the file is not read)"


def broken_links(folder: Path, suffixes: tuple[str, ...]) -> list[tuple[Path, str]]:
    """Entries of ``folder`` named like schema files that are symlink loops or links to nothing.

    pytest leaves such entries out of collection without a word; each one returned
    here, with the reason, becomes one failing item.
    """
    found: list[tuple[Path, str]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.endswith(suffixes) or not entry.is_symlink():
            continue
        try:
            os.stat(entry.path)
        except OSError as exc:
            reason = "a symlink loop (the link leads back to itself)" if exc.errno == errno.ELOOP else \
                "a symlink to nothing"
            found.append((Path(entry.path), f"refused: {reason}"))
    return sorted(found)


def _format_by_name(path: Path, registry: Registry) -> str | None:
    """The format that claims ``path`` by its name alone (without opening it)."""
    for name, fmt in registry.formats.items():
        if fmt.extensions and path.name.endswith(fmt.extensions):
            return name
    return None


def find_format(path: Path, settings: Settings, registry: Registry) -> tuple[SchemaEntry, str] | None:
    """Return the configuration entry and format name for ``path``, or ``None`` to ignore it.

    Cheap for files that are not schemas: the extension is looked at before anything
    is opened, and only ``.json`` files (JSON Schema detection) are read.
    """
    relpath = relpath_of(path, settings.base_dir)
    # a newline is a valid character of a file name; the globs' ``.`` does not match it
    entry = settings.entry_for(relpath.replace("\n", "\x00") if "\n" in relpath else relpath)
    if entry is None:
        return None
    if entry.format is not None:
        if entry.format not in registry.formats:
            return None
        return entry, entry.format
    if path.is_symlink() and outside_reason(path, settings.base_dir) is not None:
        name = _format_by_name(path, registry)  # never opened, so only a name can say
        return (entry, name) if name is not None else None
    fmt = registry.detect(path)
    if fmt is None and settings.json_schema_dialects and path.name.endswith(".json"):
        return (entry, "json") if _names_listed_dialect(path, settings, registry) else None
    return (entry, fmt.name) if fmt is not None else None


def _names_listed_dialect(path: Path, settings: Settings, registry: Registry) -> bool:
    """True when the ``$schema`` of the ``.json`` file ``path`` is one of ``json_schema_dialects:``."""
    json_format = registry.formats.get("json")
    dialect_of = getattr(json_format, "dialect_of", None)
    if dialect_of is None:
        return False
    from .formats.jsonschema.metaschemas import is_dialect

    return is_dialect(dialect_of(path), settings.json_schema_dialects)


def load_source(
    path: Path, rootdir: Path, entry: SchemaEntry, format_name: str, registry: Registry
) -> tuple[SchemaSource, SchemaContent | None]:
    """Describe ``path`` as a source; read and parse it now only when the subject needs the record name.

    Otherwise reading and parsing wait for :func:`load_content`, called by the gate in
    the batch that evaluates the file, so that a pytest-xdist worker (or a forked
    worker) reads and parses only its own files.

    :returns: the source, and its content when it had to be read now.
    """
    relpath = relpath_of(path, rootdir)
    options = MappingProxyType({"registries": entry.registries, "import_roots": entry.import_roots})
    source = SchemaSource(path=path, relpath=relpath, format=format_name, entry=options)
    content = None
    name = None
    if "{name}" in entry.subject:
        content = load_content(source, rootdir, registry)
        if content.error is None:
            name = registry.format(format_name).record_name(content.parsed)
    return replace(source, subject=render_subject(entry.subject, source, name)), content


def load_content(source: SchemaSource, rootdir: Path, registry: Registry) -> SchemaContent:
    """Read and parse ``source`` (its local imports too); a failure is kept in the content, never raised.

    A file reached through a symlink that leaves the repository is refused unread.
    """
    refusal = outside_reason(source.path, rootdir)
    if refusal is not None:
        return SchemaContent("", error=f"{source.relpath}: {refusal}")
    try:
        text = source.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return SchemaContent("", error=f"{source.relpath}: cannot be read: {exc}")
    fmt = registry.format(source.format)
    resolver = getattr(fmt, "local_imports", None)
    references: dict[str, str] = {}
    try:
        if resolver is not None:
            references = resolver(source.path, text, import_roots(source, rootdir, text), label=source.relpath,
                                  boundary=[rootdir])
        parsed = fmt.parse(text, path=source.relpath, references=references or None)
    except SchemaParseError as exc:
        error = str(exc) if exc.path is not None else f"{source.relpath}: {exc.reason}"
        return SchemaContent(text, references=references, error=error, error_line=exc.line)
    return SchemaContent(text, parsed, references)


def import_roots(source: SchemaSource, rootdir: Path, text: str | None = None) -> list[Path]:
    """Folders the imports (Protobuf) or ``$ref`` (JSON Schema) of ``source`` are resolved against, in order.

    * Protobuf: the entry's ``import_roots:``; without them, the roots buf's files
      (``buf.work.yaml``, ``buf.yaml``) or the file's ``package`` give
      (:mod:`.formats.protobuf.roots`), then its folder and the rootdir.
    * JSON Schema: the entry's ``import_roots:``, searched after the referring file's
      folder (none by default: a relative ``$ref`` is relative to the file that writes it).
    * others: the entry's ``import_roots:``, else the file's folder and the rootdir.

    :param text: the file's text (Protobuf reads its ``package``; from disk when not given).
    :raises SchemaParseError: a buf configuration that decides the roots cannot be used.
    """
    configured = [rootdir / r for r in source.entry.get("import_roots") or ()]
    if source.format == "json":
        return configured
    if configured:
        return configured
    if source.format == "protobuf":
        from .formats.protobuf.roots import file_roots

        inferred = [root for root, _ in file_roots(source.path, rootdir, text)]
        return _unique([*inferred, source.path.parent, rootdir])
    return [source.path.parent, rootdir]


def _unique(paths: list[Path]) -> list[Path]:
    return list(dict.fromkeys(paths))


def proto_roots_line(settings: Settings, rootdir: Path) -> str | None:
    """The header's line naming the Protobuf import roots, or ``None`` when no ``.proto`` file is selected.

    Walks the rootdir once (bounded, see :mod:`.repo_index`); nothing is imported when
    there is no ``.proto`` file.
    """
    from . import repo_index

    if not repo_index.has_file(rootdir, ".proto"):
        return None
    selected: dict[Path, SchemaEntry] = {}
    for path in repo_index.files(rootdir, ".proto"):
        entry = settings.entry_for(relpath_of(path, settings.base_dir))
        if entry is not None and entry.format in (None, "protobuf"):
            selected[path] = entry
    if not selected:
        return None
    from .formats.protobuf.roots import header_line

    return header_line(rootdir, selected, lambda path: selected[path].import_roots or None)


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
