"""``schemafed check`` (the gate, through pytest) and ``schemafed compare`` (two files, ad hoc)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import ZERO_CONFIG_REGISTRY, Settings, find_config, load_settings
from ..discovery import find_format
from ..engine import check_compatibility
from ..errors import ConfigError, SchemaParseError
from ..formats.base import Format
from ..gate import Gate
from ..model import CheckResult, ErrorKind, HistoryVersion, Level
from ..registry import Registry
from ..report.collect import ResultCollector
from ..report.terminal import render_failure, render_total
from .guess import guess_format
from .output import INCOMPATIBLE, OK, UNREACHABLE, USAGE, emit_json, fail

__all__ = ["CollectErrors", "add_check_arguments", "add_compare_arguments", "infer_format", "print_compact",
           "run_check", "run_compare"]


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``schemafed check``; unknown options are passed on to pytest."""
    parser.add_argument("paths", nargs="*", help="schema files or folders (default: everything under the rootdir)")
    parser.add_argument("--config", metavar="PATH", help="configuration file (default: schemafed.yaml, pyproject)")
    parser.add_argument("--against", metavar="REF", help="git ref the git backend compares with")
    parser.add_argument("--level", metavar="LEVEL", help="force a compatibility level on every registry")
    parser.add_argument("--registry", metavar="ID", action="append", default=[], help="only this registry id")
    parser.add_argument("--report", metavar="KIND=VALUE", action="append", default=[],
                        help="json=PATH, sarif=PATH, summary=PATH, github=annotations,summary|none")
    parser.add_argument("--offline", action="store_true",
                        help="ignore the configured registries: compare with the committed version (git HEAD)")
    parser.add_argument("--online", action="store_true",
                        help="use the configured registries even with --offline (pre-commit: args: [--online])")
    parser.add_argument("--compact", action="store_true",
                        help="print only the findings of the failing files and a one-line total, not pytest's "
                             "report (the pre-commit hook's form)")


def add_compare_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``schemafed compare``."""
    parser.add_argument("old", help="the registered (previous) schema file")
    parser.add_argument("new", help="the new schema file")
    parser.add_argument("--format", help="avro, json, protobuf... (default: from the file names, and for .json "
                                         "files from their content)")
    parser.add_argument("--level", default="BACKWARD", help="compatibility level (default: BACKWARD)")
    parser.add_argument("-I", "--import-root", "--ref-root", dest="import_root", metavar="DIR", action="append",
                        default=[],
                        help="a folder Protobuf imports and JSON Schema $ref are also resolved in (repeatable; "
                             "imports default to each file's folder and the current one, a $ref is first "
                             "looked for beside the file that writes it)")


# ----------------------------------------------------------------------------- check
def _offline_config(rootdir: Path, explicit: str | None, folder: Path) -> str | None:
    """A configuration with the same ``schemas:`` and ``waivers:`` (those without ``registry``) but one
    git registry at HEAD (``None``: zero config).

    The file lives in ``folder`` (a temporary one), so its globs are made absolute.
    """
    import yaml

    path, data = find_config(rootdir, explicit)
    if data is None or path is None:
        return None
    base = path.parent.resolve().as_posix().rstrip("/")
    schemas: list[dict[str, Any] | str] = []
    for entry in data.get("schemas") or []:
        entry = {"path": entry} if isinstance(entry, str) else dict(entry)
        entry.pop("registries", None)
        if isinstance(entry.get("path"), str):
            entry["path"] = f"{base}/{entry['path'].removeprefix('./')}"
        schemas.append(entry)
    offline: dict[str, Any] = {
        "schemas": schemas or [f"{base}/**"],
        "registries": [{"id": ZERO_CONFIG_REGISTRY, "type": "git", "ref": "HEAD"}],
    }
    waivers = data.get("waivers")  # a waiver of a configured registry cannot apply to the offline one
    if isinstance(waivers, list):
        offline["waivers"] = [w for w in waivers if not (isinstance(w, dict) and "registry" in w)]
    if data.get("exclude"):
        offline["exclude"] = [f"{base}/{e.removeprefix('./')}" for e in data["exclude"] if isinstance(e, str)]
    target = folder / "schemafed-offline.yaml"
    target.write_text(yaml.safe_dump(offline, sort_keys=False), encoding="utf-8")
    return str(target)


def _schema_paths(paths: Sequence[str], settings: Settings, registry: Registry) -> list[str]:
    """Keep folders and the files a format claims (pre-commit passes any staged file)."""
    kept = []
    for raw in paths:
        path = Path(raw).resolve()
        if path.is_dir() or (path.is_file() and find_format(path, settings, registry) is not None):
            kept.append(raw)
    return kept


def run_check(args: argparse.Namespace, extra: Sequence[str], registry: Registry) -> int:
    """Run the gate with pytest on ``args.paths``; map the results onto the exit codes."""
    import pytest

    rootdir = Path.cwd()
    offline = args.offline and not args.online
    with tempfile.TemporaryDirectory(prefix="schemafed-") as tmp:
        config = args.config
        against = args.against
        if offline:
            config = _offline_config(rootdir, args.config, Path(tmp)) or args.config
            against = against or "HEAD"
        try:
            settings = load_settings(rootdir, registry, explicit=config)
            level = Level.parse(args.level) if args.level else None
            # Open the backends once here: a configuration mistake (a git ref missing from a
            # shallow clone, an unknown registry id) is one clear line, not a pytest usage error.
            Gate(settings, registry, rootdir, against=against, level=level,
                 only=[] if offline else args.registry).close()
        except ValueError as exc:
            return fail(f"--level: {exc}", USAGE, as_json=args.json)
        except ConfigError as exc:
            return fail(str(exc), USAGE, as_json=args.json)
        paths = list(args.paths)
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            return fail(f"no such file or folder: {', '.join(missing)}", USAGE, as_json=args.json)
        if paths:
            paths = _schema_paths(paths, settings, registry)
            if not paths:  # files a hook handed over (pre-commit passes any staged .json): none is a schema
                print(f"schemafed: no schema file among the {len(args.paths)} file(s) given; nothing to check",
                      file=sys.stderr if args.json else sys.stdout)
                if args.json:
                    emit_json({"items": [], "exit_code": OK})
                return OK
        options = ["--schemafed-only", "-p", "no:python", f"--rootdir={rootdir}"]
        if config:
            options.append(f"--schemafed-config={config}")
        if against:
            options.append(f"--schemafed-against={against}")
        if args.level:
            options.append(f"--schemafed-level={args.level}")
        if not offline:
            options.extend(f"--schemafed-registry={r}" for r in args.registry)
        options.extend(f"--schemafed-report={r}" for r in args.report)
        report = Path(tmp) / "report.json"
        if args.json:
            options.append(f"--schemafed-report=json={report}")
        collector = ResultCollector()
        errors = CollectErrors()
        plugins: list[object] = [collector]
        compact = args.compact and not args.json
        if compact:  # no terminal reporter: this command prints the findings itself
            options.extend(["-p", "no:terminal"])
            plugins.append(errors)
        if args.json:  # pytest's own output goes to stderr: stdout holds the document only
            with contextlib.redirect_stdout(sys.stderr):
                code = int(pytest.main([*options, *extra, *paths], plugins=plugins))
        else:
            code = int(pytest.main([*options, *extra, *paths], plugins=plugins))
        if compact:
            print_compact(collector.sorted_results(), errors.lines)
        result = _exit_code(code, collector, quiet=args.json)
        if args.json:
            document = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {"items": []}
            emit_json({**document, "exit_code": result})
    return result


class CollectErrors:
    """A pytest plugin object that keeps one line per file that could not be collected."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_collectreport(self, report: Any) -> None:
        """Keep a failed collection (without pytest's terminal reporter nobody else prints it)."""
        if report.failed:
            text = str(report.longrepr).strip().splitlines()
            self.lines.append(f"{report.nodeid or '.'}: error: {text[-1] if text else 'could not be collected'}")


def print_compact(results: Sequence[CheckResult], errors: Sequence[str] = ()) -> None:
    """``--compact``: each failing item's findings (:func:`render_failure`), then the total."""
    for line in errors:
        print(line)
    for result in results:
        if result.outcome in ("incompatible", "error"):
            print(render_failure(result))
    print(render_total(results))


def _exit_code(pytest_code: int, collector: ResultCollector, *, quiet: bool = False) -> int:
    results = list(collector.results.values())
    if pytest_code == 5 or (pytest_code == 0 and not results):
        print("schemafed: no schema file was selected, so nothing was checked: check the paths given and the "
              "schemas: globs of the configuration", file=sys.stderr)
        return USAGE
    if pytest_code in (3, 4):
        return USAGE
    if pytest_code == 2:
        return 130
    if any(r.outcome == "incompatible" or r.verdict.error_kind is ErrorKind.SCHEMA for r in results):
        return INCOMPATIBLE
    if any(r.outcome == "error" for r in results):
        return UNREACHABLE
    return INCOMPATIBLE if pytest_code != 0 else OK


# --------------------------------------------------------------------------- compare
def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None


def infer_format(path: Path, text: str, registry: Registry) -> Format | None:
    """The format of ``path``: claimed by its name, else (for ``.json``) told from its content."""
    found = registry.detect(path)
    if found is not None or not path.name.endswith(".json"):
        return found
    name = guess_format(text, registry)
    try:
        json.loads(text)
    except ValueError:
        return None
    return registry.formats.get(name)


def _compare_format(args: argparse.Namespace, texts: tuple[str, str], registry: Registry) -> Format:
    if args.format:
        if args.format not in registry.formats:
            raise ConfigError(f"--format: unknown format {args.format!r}; known: {', '.join(sorted(registry.formats))}")
        return registry.formats[args.format]
    found = infer_format(Path(args.new), texts[1], registry) or infer_format(Path(args.old), texts[0], registry)
    if found is None:
        known = ", ".join(sorted(registry.formats))
        raise ConfigError(f"cannot tell the format of {args.new}: pass --format ({known})")
    return found


def _file_references(resolver: Any, fmt: Format, path: Path, text: str, roots: list[Path]) -> dict[str, str]:
    """The local files ``path`` imports or refers to; read only under the roots, its folder and the current one.

    A JSON Schema ``$ref`` is relative to the file that writes it, then looked for under
    each ``-I``; a Protobuf import is looked for under each ``-I``, the file's folder and
    the current folder, as before.
    """
    boundary = [*roots, path.parent, Path.cwd()]
    search = roots if fmt.name == "json" else boundary
    return dict(resolver(path, text, search, label=str(path), boundary=boundary))


def run_compare(args: argparse.Namespace, registry: Registry) -> int:
    """Compare two files at a level and print each finding at its line in NEW (or one JSON document)."""
    try:
        level = Level.parse(args.level)
    except ValueError as exc:
        return fail(f"--level: {exc}", USAGE, as_json=args.json)
    old_path, new_path = Path(args.old), Path(args.new)
    try:
        old_text, new_text = _read(args.old), _read(args.new)
        fmt = _compare_format(args, (old_text, new_text), registry)
    except ConfigError as exc:
        return fail(str(exc), USAGE, as_json=args.json)
    roots = [Path(r) for r in args.import_root]
    for root in roots:
        if not root.is_dir():
            return fail(f"--import-root {root}: not a folder", USAGE, as_json=args.json)
    resolver = getattr(fmt, "local_imports", None)
    try:
        refs: dict[str, str] = {}
        old_refs: dict[str, str] = {}
        if resolver is not None:
            refs = _file_references(resolver, fmt, new_path, new_text, roots)
            old_refs = _file_references(resolver, fmt, old_path, old_text, roots)
        verdict = check_compatibility(
            new_text, [HistoryVersion(version=args.old, text=old_text, references=old_refs or None)],
            format=fmt.name, level=level, references=refs or None, path=args.new,
        )
    except SchemaParseError as exc:
        return fail(str(exc), USAGE, as_json=args.json)
    code = OK if verdict.compatible else INCOMPATIBLE
    if args.json:
        emit_json({"old": args.old, "new": args.new, "format": fmt.name, "level": level.value,
                   "compatible": verdict.compatible, "findings": [f.to_dict() for f in verdict.findings],
                   "exit_code": code})
        return code
    for finding in verdict.findings:
        where = args.new + (f":{finding.line}" if finding.line else "") + (
            f":{finding.column}" if finding.line and finding.column else "")
        print(f"{where}: {finding.rule} at {finding.path or '/'} ({finding.direction})")
        print(f"    {finding.message}")
        if finding.hint:
            print(f"    hint: {finding.hint}")
    if verdict.compatible:
        print(f"compatible: {args.new} can replace {args.old} at {level.value} ({fmt.name})")
        return OK
    count = len(verdict.findings)
    print(f"incompatible: {count} finding{'s' if count != 1 else ''} at {level.value} ({fmt.name}), "
          f"{args.new} against {args.old}")
    return INCOMPATIBLE
