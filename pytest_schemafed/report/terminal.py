"""The failure report of one item, written like a code review comment, and the run summary.

A waived finding (a break accepted by a ``waivers:`` entry) is shown with its rule and
message and a ``waived:`` line; the run summary lists every waived finding of the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ..model import Check, Outcome, Verdict

__all__ = ["SUMMARY_COLUMNS", "render_failure", "render_summary", "render_waived"]

SUMMARY_COLUMNS = ("compatible", "incompatible", "new", "error", "skipped")


def _location(check: Check, line: int | None, column: int | None = None) -> str:
    where = check.source.relpath
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where


def render_failure(check: Check, verdict: Verdict, backend: str) -> str:
    """The text pytest shows for a failed schema item.

    :param backend: how to name the backend (``git origin/main@1a2b3c``, ``confluent prod``).
    """
    level = f"level {verdict.level.value}" if verdict.level else "no level applied"
    if verdict.outcome is Outcome.ERROR:
        head = f"{_location(check, verdict.error_line)}: cannot check against {check.backend_id} ({backend})"
        return f"{head}\n  {verdict.error}"
    versions = ", ".join(verdict.versions) or "the registered version"
    first = verdict.findings[0] if verdict.findings else None
    lines = [
        f"{_location(check, first.line if first else None)}: incompatible with {check.backend_id} ({backend})",
        f"  subject {check.subject!r}, {level}, compared with version {versions}",
    ]
    for finding in verdict.findings:
        against = f" [vs version {finding.version}, {finding.direction}]" if finding.version else ""
        lines.append(f"  {_location(check, finding.line, finding.column)}: {finding.rule} at {finding.path or '/'}"
                     f"{against}")
        lines.append(f"      {finding.message}")
        if finding.waived:
            lines.append(f"      waived: {finding.waived}")
        elif finding.hint:
            lines.append(f"      hint: {finding.hint}")
    if verdict.remote is not None:
        said = "compatible" if verdict.remote.compatible else "incompatible"
        lines.append(f"  the registry says: {said}")
        lines.extend(f"      {message}" for message in verdict.remote.messages)
    lines.extend(f"  note: {note}" for note in verdict.notes)
    return "\n".join(lines)


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
