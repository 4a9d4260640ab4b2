"""The JSON report (``--schemafed-report json=PATH``): a stable, documented shape.

::

    {
      "format": "pytest-schemafed-report",
      "schema_version": 2,
      "tool": {"name": "pytest-schemafed", "version": "0.1.0"},
      "summary": {"total": 3, "compatible": 1, "incompatible": 1, "new": 1, "error": 0, "skipped": 0,
                  "warnings": 0, "waived": 0},
      "unused_waivers": [],                     # one line per waiver that matched no finding in the run
      "items": [
        {
          "id": "schemas/user.avsc::prod",
          "file": "schemas/user.avsc",          # relative to the rootdir, "/" separators
          "format": "avro",
          "subject": "user-value",
          "registry": "prod",                   # the registry id in the configuration
          "backend": "confluent prod",          # how the backend describes itself
          "level": "BACKWARD",                  # null when the check never got that far
          "versions": ["3"],                    # registered versions compared, oldest first, each one value
          "outcome": "incompatible",            # compatible | incompatible | new | error | skipped
          "decided_by": "registry",             # local | registry
          "error": null,                        # one line, for outcome "error" (and the reason of "skipped")
          "error_kind": null,                   # schema | registry | internal, with "error"
          "error_line": null,
          "findings": [                         # breaking ones and advisories ("severity": "warning")
            {"rule": "READER_FIELD_MISSING_DEFAULT_VALUE", "message": "...", "path": "/fields/2",
             "line": 12, "column": 5, "end_line": 12, "end_column": 40, "version": "3",
             "direction": "backward", "hint": "...", "severity": "error",
             "waived": null}                    # a waived break: the waiver's reason, owner and expiry
          ],
          "remote": {"compatible": false, "messages": ["..."], "versions": ["3"], "level": "BACKWARD"},
          "notes": []
        }
      ]
    }

Each item is :meth:`pytest_schemafed.verdict.CheckResult.to_dict`'s identity fields with
:meth:`~pytest_schemafed.verdict.Verdict.to_dict` beside them: the same serialisation the
workers and the JUnit property use. Keys are only ever added within a ``schema_version``;
a removal or a change of meaning bumps it. Version 1 split ``versions`` on commas; 2 keeps
each version as one value. Within version 2, ``waived`` (findings, summary) and
``unused_waivers`` were added: a waived finding has ``severity`` ``error`` and a
``waived`` text, and does not fail its item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import CheckResult

__all__ = ["OUTCOMES", "REPORT_VERSION", "render_json", "tool_version"]

REPORT_VERSION = 2
OUTCOMES = ("compatible", "incompatible", "new", "error", "skipped")


def tool_version() -> str:
    """The installed version of pytest-schemafed (``0+unknown`` from a bare source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pytest-schemafed")
    except PackageNotFoundError:
        return "0+unknown"


def render_json(results: Sequence[CheckResult], *, unused_waivers: Sequence[str] = ()) -> dict[str, Any]:
    """The report document for ``results`` (plain builtins, ready for ``json.dumps``).

    :param unused_waivers: one line per waiver that matched no finding in the run.
    """
    summary: dict[str, int] = {"total": len(results), **{o: sum(r.outcome == o for r in results) for o in OUTCOMES}}
    summary["warnings"] = sum(len(r.verdict.warnings) for r in results)
    summary["waived"] = sum(len(r.verdict.waived) for r in results)
    return {
        "format": "pytest-schemafed-report",
        "schema_version": REPORT_VERSION,
        "tool": {"name": "pytest-schemafed", "version": tool_version()},
        "summary": summary,
        "unused_waivers": list(unused_waivers),
        "items": [_item(r) for r in results],
    }


def _item(result: CheckResult) -> dict[str, Any]:
    return {
        "id": result.nodeid,
        "file": result.file,
        "format": result.format,
        "subject": result.subject,
        "registry": result.registry,
        "backend": result.backend,
        **result.verdict.to_dict(),
    }
