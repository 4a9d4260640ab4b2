"""Where a ``.proto`` file's imports are found without configuration: buf's files, else its package.

For a file without ``import_roots:`` in the configuration, the roots are, in order:

1. buf's: the nearest ``buf.work.yaml`` (its ``directories``) or ``buf.yaml`` of version
   ``v2`` (its ``modules[].path``, default ``.``) in the file's folder or above it, up to
   the rootdir; else the nearest ``buf.yaml`` of version ``v1`` (its own folder) or
   ``v1beta1`` (its ``build.roots``). The module holding the file comes first.
2. the root its ``package`` gives: ``proto/shop/v1/payment.proto`` in ``package shop.v1;``
   has root ``proto/`` (when the package's parts end the file's folder);
3. the file's own folder, then the rootdir (what discovery always did).

A buf file that cannot be read, or names a folder outside the repository, is an error
of the items whose roots it decides (one line naming the file), never a silent default.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ConfigError, SchemaParseError

__all__ = ["BufLayout", "buf_layout", "file_roots", "header_line", "package_root"]

_PACKAGE = re.compile(r"(?m)^[ \t]*package\s+([A-Za-z_][\w.]*)\s*;")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_HEAD_BYTES = 16384
_SHOWN_ROOTS = 6
MAX_HEADER_FILES = 20_000


@dataclass(frozen=True, slots=True)
class BufLayout:
    """The module roots one buf configuration file declares.

    :param config: the ``buf.yaml`` or ``buf.work.yaml`` file.
    :param roots: the module folders, absolute.
    :param how: ``buf.work.yaml directories``, ``buf.yaml v2 modules``, ``buf.yaml v1``...
    """

    config: Path
    roots: tuple[Path, ...]
    how: str


def _relative(path: Path, rootdir: Path) -> str:
    try:
        return path.relative_to(rootdir).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _problem(config: Path, rootdir: Path, message: str) -> SchemaParseError:
    return SchemaParseError(message, path=_relative(config, rootdir))


def _read(config: Path, rootdir: Path) -> dict[str, Any]:
    from ...config_read import read_yaml

    try:
        return read_yaml(config)
    except ConfigError as exc:
        text = str(exc).replace(str(config), _relative(config, rootdir))
        raise SchemaParseError(f"cannot be read as a buf configuration: {text}",
                               path=_relative(config, rootdir)) from None


def _folders(config: Path, rootdir: Path, values: Any, key: str) -> tuple[Path, ...]:
    """The folders a list of relative paths names, each checked to stay in the repository."""
    if not isinstance(values, list):
        raise _problem(config, rootdir, f"{key}: expected a list, as buf does")
    base = config.parent
    found: list[Path] = []
    for value in values:
        if not isinstance(value, str) or not value or value.startswith("/"):
            raise _problem(config, rootdir, f"{key}: expected relative folder paths, got {value!r}")
        folder = Path(posixpath.normpath((base / value).as_posix()))
        if not (folder == rootdir or folder.is_relative_to(rootdir)):
            raise _problem(config, rootdir, f"{key}: {value!r} leads outside the repository")
        found.append(folder)
    return tuple(found)


def _layout(config: Path, rootdir: Path) -> tuple[BufLayout | None, bool]:
    """The roots ``config`` declares, and whether it is a workspace (``buf.work.yaml`` or v2)."""
    data = _read(config, rootdir)
    if config.name == "buf.work.yaml":
        return BufLayout(config, _folders(config, rootdir, data.get("directories"), "directories"),
                         "buf.work.yaml directories"), True
    version = data.get("version", "v1beta1")
    if version == "v2":
        modules = data.get("modules")
        if modules is None:
            return BufLayout(config, (config.parent,), "buf.yaml v2"), True
        if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
            raise _problem(config, rootdir, "modules: expected a list of {path: ...}, as buf does")
        paths = [m.get("path", ".") for m in modules]
        return BufLayout(config, _folders(config, rootdir, paths, "modules[].path"), "buf.yaml v2 modules"), True
    if version == "v1":
        return BufLayout(config, (config.parent,), "buf.yaml v1"), False
    if version == "v1beta1":
        build = data.get("build")
        roots = build.get("roots") if isinstance(build, dict) else None
        if roots is None:
            return BufLayout(config, (config.parent,), "buf.yaml v1beta1"), False
        return BufLayout(config, _folders(config, rootdir, roots, "build.roots"), "buf.yaml v1beta1 build.roots"), False
    raise _problem(config, rootdir, f"version: {version!r} is not a buf version schemafed reads (v1beta1, v1, v2)")


def buf_layout(folder: Path, rootdir: Path) -> BufLayout | None:
    """The buf configuration that decides the roots of files in ``folder``, or ``None``.

    :raises SchemaParseError: that configuration cannot be read or names a folder outside the repository.
    """
    from ...repo_index import remember

    return remember("buf-layout", (str(folder), str(rootdir)), lambda: _find_layout(folder, rootdir))


def _find_layout(folder: Path, rootdir: Path) -> BufLayout | None:
    nearest: BufLayout | None = None
    probe = folder
    while True:
        for name in ("buf.work.yaml", "buf.yaml"):
            config = probe / name
            if config.is_file():
                layout, workspace = _layout(config, rootdir)
                if workspace:
                    return layout
                nearest = nearest or layout
        if probe == rootdir or probe == probe.parent or not probe.is_relative_to(rootdir):
            return nearest
        probe = probe.parent


def package_root(path: Path, text: str, rootdir: Path) -> Path | None:
    """The folder ``path`` sits under by its ``package`` (``proto/`` for ``proto/shop/v1/x.proto``, ``shop.v1``)."""
    clean = _COMMENT.sub("", text) if "/" in text else text
    match = _PACKAGE.search(clean)
    if match is None:
        return None
    parts = match.group(1).split(".")
    try:
        folder = path.parent.relative_to(rootdir).parts
    except ValueError:
        return None
    if len(parts) > len(folder) or list(folder[len(folder) - len(parts):]) != parts:
        return None
    return rootdir.joinpath(*folder[: len(folder) - len(parts)])


def _head(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return handle.read(_HEAD_BYTES)
    except OSError:
        return ""


def file_roots(path: Path, rootdir: Path, text: str | None = None) -> list[tuple[Path, str]]:
    """The roots of ``path`` before its own folder and the rootdir, each with where it comes from.

    :param text: the file's text (read from ``path`` when not given).
    :raises SchemaParseError: the buf configuration that decides them cannot be used.
    """
    found: list[tuple[Path, str]] = []
    layout = buf_layout(path.parent, rootdir)
    if layout is not None:
        own = [r for r in layout.roots if path.parent == r or path.parent.is_relative_to(r)]
        for root in [*own, *layout.roots]:
            if all(root != r for r, _ in found):
                found.append((root, _relative(layout.config, rootdir)))
    inferred = package_root(path, _head(path) if text is None else text, rootdir)
    if inferred is not None and all(inferred != r for r, _ in found):
        found.append((inferred, "package"))
    return found


def header_line(rootdir: Path, files: Iterable[Path], configured: Callable[[Path], tuple[str, ...] | None]) -> str:
    """One line for the run's header: which import roots the ``.proto`` files use, and why.

    :param files: the ``.proto`` files the run may collect.
    :param configured: the ``import_roots:`` of a file's configuration entry (``None``: not configured).
    """
    used: dict[str, list[str]] = {}
    problems: list[str] = []
    for count, path in enumerate(files):
        if count >= MAX_HEADER_FILES:
            break
        given = configured(path)
        if given:
            for root in given:
                used.setdefault(posixpath.normpath(root), []).append("import_roots")
            continue
        try:
            roots = file_roots(path, rootdir)
        except SchemaParseError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
            continue
        if not roots:
            used.setdefault(_relative(path.parent, rootdir), []).append("own folder")
        for folder, how in roots:
            used.setdefault(_relative(folder, rootdir), []).append(how)
    if problems:
        return f"protobuf import roots: {problems[0]}"
    shown = [f"{root} ({', '.join(sorted(set(how)))})" for root, how in used.items()]
    more = f", and {len(shown) - _SHOWN_ROOTS} more" if len(shown) > _SHOWN_ROOTS else ""
    return "protobuf import roots: " + ", ".join(shown[:_SHOWN_ROOTS]) + more

