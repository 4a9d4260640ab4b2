"""The ``schemafed`` command.

::

    schemafed check [PATHS] [--offline] [...pytest options]   the gate (pre-commit, CI)
    schemafed compare OLD NEW [--format F] [--level L]          two files, findings with lines
    schemafed registries                                        each registry: reachable, time, level
    schemafed subjects ID [--prefix P]                          the subjects of a registry
    schemafed find SUBJECT                                      its latest version on every registry
    schemafed levels ID [SUBJECT...]                            global and per-subject levels
    schemafed audit ID --level LEVEL [--subjects GLOB]          do the histories satisfy LEVEL?
    schemafed levels set ID LEVEL [--subject S...] [--yes]      the one command that writes
    schemafed --version

Every subcommand takes ``--json``: one JSON document on stdout (shapes in docs/cli.md),
the human text on stderr or not at all. A reader that closes the pipe early
(``| head -1``) ends the output quietly (see :mod:`.output`).

Exit codes: 0 all compatible, 1 incompatible (or audit violations), 2 usage or
configuration error, 3 a registry unreachable.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import masking
from ..registry import Registry, default_registry
from ..report.json import tool_version
from .admin import run_admin
from .check import add_check_arguments, add_compare_arguments, run_check, run_compare
from .output import INCOMPATIBLE, OK, UNREACHABLE, USAGE, guard_streams

__all__ = ["INCOMPATIBLE", "OK", "UNREACHABLE", "USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (``levels set`` is parsed as ``levels-set``)."""
    parser = argparse.ArgumentParser(
        prog="schemafed",
        description="Gate schema changes on compatibility with every registry you run.",
        epilog="exit codes: 0 compatible, 1 incompatible, 2 usage or configuration error, 3 registry unreachable",
    )
    parser.add_argument("--version", action="version", version=f"schemafed {tool_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_check_arguments(with_json(sub.add_parser("check", help="run the gate on PATHS (pytest --schemafed-only)")))
    add_compare_arguments(with_json(sub.add_parser("compare", help="compare two schema files and print the findings")))

    def admin(name: str, help_text: str) -> argparse.ArgumentParser:
        command = with_json(sub.add_parser(name, help=help_text))
        command.add_argument("--config", metavar="PATH", help="configuration file")
        return command

    admin("registries", "each configured registry: reachable or not, response time, global level")
    subjects = admin("subjects", "the subjects of a registry")
    subjects.add_argument("id", help="registry id")
    subjects.add_argument("--prefix", help="only subjects starting with this")
    find = admin("find", "the latest version of a subject on every registry, side by side")
    find.add_argument("subject")
    levels = admin("levels", "the global level and the levels of SUBJECTs (`levels set` changes one)")
    levels.add_argument("id", help="registry id")
    levels.add_argument("subjects", nargs="*", metavar="SUBJECT")
    audit = admin("audit", "does every registered history already satisfy LEVEL?")
    audit.add_argument("id", help="registry id")
    audit.add_argument("--level", help="the level to audit against (required with the local judge)")
    audit.add_argument("--subjects", metavar="GLOB", help="only subjects matching this glob")
    audit.add_argument("--format", help="format of the registered schemas (default: guessed from each text)")
    audit.add_argument("--judge", choices=("local", "registry"), default="local",
                       help="local: our engines replay each history (default); registry: the registry's own "
                            "compatibility check, at each subject's own level (Confluent API)")
    levels_set = admin("levels-set", "set a level (also spelled `levels set`): plan, audit, then --yes")
    levels_set.add_argument("id", help="registry id")
    levels_set.add_argument("level", help="the new level")
    levels_set.add_argument("--subject", action="append", default=[], help="set on this subject (repeatable)")
    levels_set.add_argument("--force", action="store_true", help="apply even when the audit finds violations")
    levels_set.add_argument("--yes", action="store_true", help="apply the plan (without it: a dry run)")
    levels_set.add_argument("--create", action="store_true",
                            help="also write a level for a --subject the registry does not know yet")
    levels_set.add_argument("--format", help="format of the registered schemas (default: guessed)")
    return parser


def with_json(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``--json`` to a subcommand."""
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout (docs/cli.md)")
    return parser


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    """Run the ``schemafed`` command; returns the exit code.

    Called without ``argv`` (the console script), stdout and stderr are guarded against
    a reader that closes the pipe (:class:`~.output.PipeGuard`).
    """
    masking.install()  # secrets masked in every log record of the command
    if argv is None:
        guard_streams()
    try:
        return _main(argv, registry)
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # an unguarded stream (main called with argv): same cure
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())


def _main(argv: Sequence[str] | None, registry: Registry | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:2] == ["levels", "set"]:
        args_list = ["levels-set", *args_list[2:]]
    parser = build_parser()
    if not args_list:
        parser.print_help()
        return USAGE
    if args_list[0] == "check":
        args, extra = parser.parse_known_args(args_list)
    else:
        args, extra = parser.parse_args(args_list), []
    # argparse exits with 2 on a usage error, which is our usage exit code too
    registry = registry or default_registry()
    if args.command == "check":
        return run_check(args, extra, registry)
    if args.command == "compare":
        return run_compare(args, registry)
    return run_admin(args.command, args, registry)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
