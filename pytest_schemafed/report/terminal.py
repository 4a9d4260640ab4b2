"""The failure report of one item, read in one glance, and the run summary.

A failing item's report is one line per finding, ``file:line:col: RULE: sentence``
(the form compilers and buf print, which editors and terminals link to the line),
its hint indented under it, then one line with the subject, the level and the
versions compared, then the registry's own answer and the notes::

    schemas/orders-value.avsc:10:6: READER_FIELD_MISSING_DEFAULT_VALUE: field `email` ... has no value for it
        hint: add a "default" to the field, or make it optional: ...
      subject 'orders-value', level BACKWARD, compared with git version HEAD@e63ce508a0

A change found against several versions (transitive levels) is listed once; when it
breaks only some of the versions compared, a line under it names them. An item that
could not be checked is one line, ``file:line: error: ...``. :func:`headline` is the
short form pytest puts in its short summary.

A waived finding (a break accepted by a ``waivers:`` entry) is shown with its rule and
message and a ``waived:`` line; the run summary lists every waived finding of the run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..model import CheckResult, ErrorKind, Finding, Outcome
from .grouping import FindingGroup, group_findings, versions_phrase

__all__ = [
    "SUMMARY_COLUMNS",
    "TOTAL_ORDER",
    "headline",
    "location",
    "render_failure",
    "render_summary",
    "render_total",
    "render_waived",
    "warning_lines",
]

SUMMARY_COLUMNS = ("compatible", "incompatible", "new", "error", "skipped")
#: the order of the one-line total (failures first)
TOTAL_ORDER = ("incompatible", "error", "compatible", "new", "skipped")
#: the longest error reason :func:`headline` keeps whole (pytest cuts its summary line at the terminal's width)
HEADLINE_REASON = 40


def location(file: str, line: int | None, column: int | None = None) -> str:
    """``file``, ``file:line`` or ``file:line:col``."""
    where = file
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where


def _reason(result: CheckResult) -> str:
    lines = (result.verdict.error or "").strip().splitlines()
    return lines[0] if lines else "the check could not be made"


def _error_parts(result: CheckResult) -> tuple[str, str]:
    """(``file:line[:col]``, ``reason``); the registry is named when the fault is not the file's."""
    verdict = result.verdict
    reason = _reason(result)
    where = location(result.file, verdict.error_line)
    located = re.match(re.escape(result.file) + r"(?::\d+){0,2}: ", reason)
    if located:  # a parse error names its own file:line:col
        where, reason = located.group(0)[:-2], reason[located.end():]
    whose = "" if verdict.error_kind is ErrorKind.SCHEMA else f"{result.registry}: "
    return where, whose + reason


def _error_line(result: CheckResult) -> str:
    where, reason = _error_parts(result)
    return f"{where}: error: {reason}"


def _clause(text: str, limit: int = HEADLINE_REASON) -> str:
    """``text`` if short, else its first clause (before `` (`` or the last ``: `` that fits)."""
    if len(text) <= limit:
        return text
    text = text.split(" (", 1)[0]
    cut = text.rfind(": ", 0, limit)
    return text if len(text) <= limit or cut <= 0 else text[:cut]


def _finding_line(file: str, finding: Finding) -> str:
    rule = finding.rule if finding.breaking else f"{finding.rule} ({'waived' if finding.waived else 'warning'})"
    return f"{location(file, finding.line, finding.column)}: {rule}: {finding.message}"


def _breaking_groups(result: CheckResult) -> list[FindingGroup]:
    return [g for g in group_findings(result.verdict.findings) if g.finding.breaking]


def headline(result: CheckResult) -> str:
    """The failure in a few words, for pytest's short summary (``FAILED path::registry - headline``),
    which is one terminal line: ``line 9: MISSING_ENUM_SYMBOLS +1 more``, or ``line 3: error: ...``.

    The file is left out, as the item's id beside it names it.
    """
    verdict = result.verdict
    if verdict.outcome is Outcome.ERROR:
        place, reason = _error_parts(result)
        line = place[len(result.file) + 1:].split(":")[0]
        return f"{'line ' + line + ': ' if line else ''}error: {_clause(reason)}"
    groups = _breaking_groups(result) or group_findings(verdict.findings)
    if not groups:
        return f"incompatible with {result.registry}"
    first = groups[0].finding
    where = f"line {first.line}: " if first.line else ""
    more = f" +{len(groups) - 1} more" if len(groups) > 1 else ""
    return f"{where}{first.rule}{more}"


def render_failure(result: CheckResult) -> str:
    """The text pytest shows for a failed schema item (see the module docstring)."""
    verdict = result.verdict
    if verdict.outcome is Outcome.ERROR:
        return _error_line(result)
    level = verdict.level
    both_ways = bool(level and level.backward and level.forward)
    lines: list[str] = []
    for group in group_findings(verdict.findings):
        finding = group.finding
        lines.append(_finding_line(result.file, finding))
        if finding.waived:
            lines.append(f"    waived: {finding.waived}")
        elif finding.hint:
            lines.append(f"    hint: {finding.hint}")
        which = [finding.direction] if both_ways else []
        if not group.breaks_all(verdict.versions):
            which.append(f"against {versions_phrase(group.versions)} only")
        if which:
            lines.append("    " + ", ".join(which))
    compared = f" {versions_phrase(verdict.versions)}" if verdict.versions else ""
    level_text = f"level {level.value}" if level else "no level applied"
    lines.append(f"  subject {result.subject!r}, {level_text}, compared with {result.registry}{compared}")
    if verdict.remote is not None:
        said = "compatible" if verdict.remote.compatible else "incompatible"
        lines.append(f"  the registry says: {said}")
        lines.extend(f"      {message}" for message in verdict.remote.messages)
    lines.extend(f"  note: {note}" for note in verdict.notes)
    return "\n".join(lines)


def render_total(results: Sequence[CheckResult]) -> str:
    """``schemafed: 1 incompatible, 2 compatible (git HEAD@1a2b3c4d5e)``: one line for a whole run."""
    counts = Counter(r.outcome for r in results)
    parts = [f"{counts[o]} {o}" for o in TOTAL_ORDER if counts[o]]
    warnings = sum(len(r.verdict.warnings) for r in results)
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    backends = ", ".join(dict.fromkeys(r.backend or r.registry for r in results))
    return "schemafed: " + (", ".join(parts) if parts else "no schema checked") + (f" ({backends})" if backends else "")


def warning_lines(result: CheckResult) -> list[str]:
    """``warning: file:line: RULE (registry): sentence`` for each advisory of ``result`` (never failing)."""
    out = []
    for finding in result.verdict.warnings:
        where = result.file + (f":{finding.line}" if finding.line else "")
        out.append(f"warning: {where}: {finding.rule} ({result.registry}): {finding.message}")
    return out


def render_summary(counts: Mapping[str, Counter[str]]) -> list[str]:
    """One line per backend: ``prod: 12 compatible, 1 incompatible, 3 new, 0 error``."""
    out = []
    for backend_id in sorted(counts):
        row = counts[backend_id]
        parts = [f"{row[c]} {c}" for c in SUMMARY_COLUMNS if row[c] or c in SUMMARY_COLUMNS[:4]]
        out.append(f"{backend_id}: " + ", ".join(parts))
    return out


def render_waived(nodeid: str, properties: Iterable[tuple[str, object]]) -> list[str]:
    """One summary line per waived finding of an item: ``waived: file:line RULE on prod (subject s): why``."""
    from .collect import result_of

    result = result_of(nodeid, properties)
    if result is None:
        return []
    out = []
    for finding in result.verdict.waived:
        where = result.file + (f":{finding.line}" if finding.line else "")
        out.append(f"waived: {where} {finding.rule} on {result.registry} (subject {result.subject}): "
                   f"{finding.waived}")
    return out
