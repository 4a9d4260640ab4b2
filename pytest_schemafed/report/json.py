"""The JSON report (``--schemafed-report json=PATH``): a stable, documented shape.

::

    {
      "format": "pytest-schemafed-report",
      "version": 1,
      "tool": {"name": "pytest-schemafed", "version": "0.1.0"},
      "summary": {"total": 3, "compatible": 1, "incompatible": 1, "new": 1, "error": 0, "skipped": 0},
      "items": [
        {
          "id": "schemas/user.avsc::prod",
          "file": "schemas/user.avsc",          # relative to the rootdir, "/" separators
          "format": "avro",
          "subject": "user-value",
          "registry": "prod",                   # the registry id in the configuration
          "backend": "confluent prod",          # how the backend describes itself
          "level": "BACKWARD",                  # "" when the check never got that far
          "versions": ["3"],                    # registered versions compared, oldest first
          "outcome": "incompatible",            # compatible | incompatible | new | error | skipped
          "error": null,                        # one line, for outcome "error"
          "findings": [
            {"rule": "READER_FIELD_MISSING_DEFAULT_VALUE", "message": "...", "path": "/fields/2",
             "line": 12, "column": 5, "version": "3", "direction": "backward", "hint": "..."}
          ],
          "notes": []
        }
      ]
    }

Keys are only ever added within a ``version``; a removal or a change of meaning
bumps ``version``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .collect import ItemResult

__all__ = ["OUTCOMES", "REPORT_VERSION", "render_json", "tool_version"]

REPORT_VERSION = 1
OUTCOMES = ("compatible", "incompatible", "new", "error", "skipped")
FINDING_KEYS = ("rule", "message", "path", "line", "column", "version", "direction", "hint")


def tool_version() -> str:
    """The installed version of pytest-schemafed (``0+unknown`` from a bare source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pytest-schemafed")
    except PackageNotFoundError:
        return "0+unknown"


def render_json(results: Sequence[ItemResult]) -> dict[str, Any]:
    """The report document for ``results`` (plain builtins, ready for ``json.dumps``)."""
    summary = {"total": len(results), **{o: sum(r.outcome == o for r in results) for o in OUTCOMES}}
    return {
        "format": "pytest-schemafed-report",
        "version": REPORT_VERSION,
        "tool": {"name": "pytest-schemafed", "version": tool_version()},
        "summary": summary,
        "items": [_item(r) for r in results],
    }


def _item(result: ItemResult) -> dict[str, Any]:
    return {
        "id": result.nodeid,
        "file": result.file,
        "format": result.format,
        "subject": result.subject,
        "registry": result.registry,
        "backend": result.backend,
        "level": result.level,
        "versions": list(result.versions),
        "outcome": result.outcome,
        "error": result.error,
        "findings": [{k: f.get(k) for k in FINDING_KEYS} for f in result.findings],
        "notes": list(result.notes),
    }
