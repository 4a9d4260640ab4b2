"""The SARIF 2.1.0 report (``--schemafed-report sarif=PATH``), e.g. for GitHub code scanning.

One run; the driver lists one rule per rule id found (with its purpose and hint as
help text); each finding is one result (a change found against several versions is one result, its
``versions`` in the properties) located at the schema file's region (start and,
where the finding has a span, end line and column), relative to ``%SRCROOT%`` (the
rootdir): level ``error`` for a breaking finding, ``warning`` for an advisory. An item
that could not be checked is one result of the rule ``SCHEMAFED_CHECK_ERROR``. Every
failing item yields at least one result.

A waived finding (a break a ``waivers:`` entry accepts) is a result of level ``error``
with SARIF's own suppression, ``suppressions: [{"kind": "external", "status": "accepted",
"justification": <the waiver's reason, owner and expiry>}]`` ("external": the waiver is
kept in the configuration, not in the schema file); code scanning shows it as dismissed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..formats.base import Rule
from ..model import CheckResult, Severity
from ..waivers import EXPIRED
from .grouping import FindingGroup, group_findings, versions_phrase
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


def _region(line: int | None, column: int | None, end_line: int | None = None,
            end_column: int | None = None) -> dict[str, Any] | None:
    if not (isinstance(line, int) and line >= 1):
        return None
    region: dict[str, Any] = {"startLine": line}
    if isinstance(column, int) and column >= 1:
        region["startColumn"] = column
    if isinstance(end_line, int) and end_line >= line:
        region["endLine"] = end_line
        if isinstance(end_column, int) and end_column >= 1 and (end_line > line or end_column > (column or 0)):
            region["endColumn"] = end_column
    return region


def _location(result: CheckResult, region: dict[str, Any] | None, path: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": result.file, "uriBaseId": "%SRCROOT%"}}
    if region is not None:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if path:
        location["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return location


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()[:32]


def render_sarif(
    results: Sequence[CheckResult], rules: Mapping[str, Rule], rootdir: Path | None = None
) -> dict[str, Any]:
    """The SARIF log of ``results``; ``rules`` gives purpose and hint per rule id."""
    used: list[str] = []
    sarif_results: list[dict[str, Any]] = []

    def index(rule_id: str) -> int:
        if rule_id not in used:
            used.append(rule_id)
        return used.index(rule_id)

    for result in results:
        verdict = result.verdict
        level = verdict.level.value if verdict.level else None
        props = {"registry": result.registry, "subject": result.subject, "level": level}
        if verdict.error is not None and result.outcome == "error":
            sarif_results.append({
                "ruleId": CHECK_ERROR.id,
                "ruleIndex": index(CHECK_ERROR.id),
                "level": "error",
                "message": {"text": f"{result.registry}: {verdict.error}"},
                "locations": [_location(result, _region(verdict.error_line or 1, None), None)],
                "partialFingerprints": {"schemafed/v1": _fingerprint(CHECK_ERROR.id, result.file, result.registry)},
                "properties": props,
            })
            continue
        for group in group_findings(verdict.findings):
            sarif_results.append(_result(result, group, index(group.finding.rule), props))
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pytest-schemafed",
            "version": tool_version(),
            "informationUri": INFORMATION_URI,
            "rules": [_rule_descriptor(r, {CHECK_ERROR.id: CHECK_ERROR, EXPIRED.id: EXPIRED}.get(r) or rules.get(r))
                      for r in used],
        }},
        "results": sarif_results,
        "columnKind": "unicodeCodePoints",
    }
    if rootdir is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": rootdir.resolve().as_uri().rstrip("/") + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _result(result: CheckResult, group: FindingGroup, rule_index: int, props: dict[str, Any]) -> dict[str, Any]:
    finding = group.finding
    text = finding.message
    text += f" (subject {result.subject} on {result.registry}, level {props['level'] or 'unknown'}"
    text += f", {finding.direction} against {versions_phrase(group.versions)})" if group.versions else ")"
    region = _region(finding.line, finding.column, finding.end_line, finding.end_column)
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": "error" if finding.severity is Severity.ERROR else "warning",
        "message": {"text": text},
        "locations": [_location(result, region, finding.path)],
        "partialFingerprints": {
            "schemafed/v1": _fingerprint(finding.rule, result.file, result.registry, finding.path)
        },
        "properties": {**props, "version": group.versions[0] if group.versions else None,
                       "versions": list(group.versions), "direction": finding.direction},
    }
    if finding.waived:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.waived}]
    return out
