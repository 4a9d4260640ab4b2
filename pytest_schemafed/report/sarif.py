"""The SARIF 2.1.0 report (``--schemafed-report sarif=PATH``), e.g. for GitHub code scanning.

One run; the driver lists one rule per rule id found (with its purpose and hint as
help text); each finding of an incompatible item is one result located at the
schema file's line and column, relative to ``%SRCROOT%`` (the rootdir). An item
that could not be checked is one result of the rule ``SCHEMAFED_CHECK_ERROR``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..formats.base import Rule
from .collect import ItemResult
from .json import tool_version

__all__ = ["CHECK_ERROR", "SARIF_SCHEMA", "render_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/pytest-schemafed/"
CHECK_ERROR = Rule(
    id="SCHEMAFED_CHECK_ERROR",
    purpose="Checks that the schema could be parsed and compared with what the registry holds.",
    hint="Fix the schema file, the configuration or the registry access named in the message.",
)


def _rule_descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    purpose = rule.purpose if rule else f"Schema compatibility rule {rule_id}."
    help_text = purpose + (f" {rule.hint}" if rule and rule.hint else "")
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("_")),
        "shortDescription": {"text": purpose},
        "fullDescription": {"text": purpose},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": "error"},
    }


def _location(result: ItemResult, line: Any, column: Any, path: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": result.file, "uriBaseId": "%SRCROOT%"}}
    if isinstance(line, int) and line >= 1:
        region: dict[str, Any] = {"startLine": line}
        if isinstance(column, int) and column >= 1:
            region["startColumn"] = column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if path:
        location["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return location


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()[:32]


def render_sarif(
    results: Sequence[ItemResult], rules: Mapping[str, Rule], rootdir: Path | None = None
) -> dict[str, Any]:
    """The SARIF log of ``results``; ``rules`` gives purpose and hint per rule id."""
    used: list[str] = []
    sarif_results: list[dict[str, Any]] = []

    def index(rule_id: str) -> int:
        if rule_id not in used:
            used.append(rule_id)
        return used.index(rule_id)

    for result in results:
        props = {"registry": result.registry, "subject": result.subject, "level": result.level}
        if result.outcome == "error":
            sarif_results.append({
                "ruleId": CHECK_ERROR.id,
                "ruleIndex": index(CHECK_ERROR.id),
                "level": "error",
                "message": {"text": f"{result.registry}: {result.error or 'the check could not be made'}"},
                "locations": [_location(result, result.error_line, None, None)],
                "partialFingerprints": {"schemafed/v1": _fingerprint(CHECK_ERROR.id, result.file, result.registry)},
                "properties": props,
            })
            continue
        if result.outcome != "incompatible":
            continue
        for finding in result.findings:
            rule_id = str(finding.get("rule") or "UNKNOWN")
            text = str(finding.get("message") or rule_id)
            version = finding.get("version")
            text += f" (subject {result.subject} on {result.registry}, level {result.level or 'unknown'}"
            text += f", {finding.get('direction') or 'backward'} against version {version})" if version else ")"
            sarif_results.append({
                "ruleId": rule_id,
                "ruleIndex": index(rule_id),
                "level": "error",
                "message": {"text": text},
                "locations": [_location(result, finding.get("line"), finding.get("column"), finding.get("path"))],
                "partialFingerprints": {
                    "schemafed/v1": _fingerprint(rule_id, result.file, result.registry, finding.get("path"))
                },
                "properties": {**props, "version": version, "direction": finding.get("direction")},
            })
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pytest-schemafed",
            "version": tool_version(),
            "informationUri": INFORMATION_URI,
            "rules": [_rule_descriptor(r, CHECK_ERROR if r == CHECK_ERROR.id else rules.get(r)) for r in used],
        }},
        "results": sarif_results,
        "columnKind": "unicodeCodePoints",
    }
    if rootdir is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": rootdir.resolve().as_uri().rstrip("/") + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
