"""GitHub Actions output: ``::error`` workflow commands and the Markdown job summary.

Annotations point at the schema file line of each finding (a change found against several
versions is one annotation and one row, naming the versions: :mod:`.grouping`) (paths relative to the
repository: ``prefix`` is the rootdir's place in ``$GITHUB_WORKSPACE``). Values are
escaped the way the runner expects: ``%``, ``\\r``, ``\\n`` in the message, and also
``:`` and ``,`` in the properties.

Waived findings (breaks a ``waivers:`` entry accepts) are not annotated: they are
accepted, and marking their lines on every pull request would be noise that hides the
real breaks within GitHub's per-step limit. The job summary lists them, marked waived
with the waiver's reason, and lists the waivers that matched nothing in the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..model import CheckResult
from .grouping import FindingGroup, group_findings, versions_phrase

__all__ = ["ANNOTATIONS_PER_STEP", "annotation_lines", "annotation_overflow", "escape_data", "escape_property",
           "overflow_sentence", "step_summary"]

#: GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job);
#: the rest of a step's ``::error`` lines are dropped without a word.
ANNOTATIONS_PER_STEP = 10

MARKS = {
    "compatible": "✅ compatible",
    "incompatible": "❌ incompatible",
    "new": "🆕 new",
    "error": "⚠️ error",
    "skipped": "⏭️ skipped",
}
ORDER = ("incompatible", "error", "compatible", "new", "skipped")


def escape_data(text: str) -> str:
    """Escape a workflow command's message (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (``file=``, ``title=``...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v not in (None, ""))
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def _path(prefix: str, file: str) -> str:
    return f"{prefix.rstrip('/')}/{file}" if prefix and prefix != "." else file


def _candidates(results: Sequence[CheckResult], prefix: str) -> list[tuple[tuple[int, int, int], str, str]]:
    """Every annotation as (rank, kind, line); the lowest ranks are the most important.

    Each failed item's first problem comes before any item's second one, so that every
    broken file gets its line marked before one file gets a second; items that could not
    be checked rank with the first findings.
    """
    out: list[tuple[tuple[int, int, int], str, str]] = []
    for order, result in enumerate(results):
        path = _path(prefix, result.file)
        verdict = result.verdict
        if result.outcome == "error":
            out.append(((0, 0, order), "error", _command("error", verdict.error or "the check could not be made",
                                                         file=path, line=verdict.error_line or 1,
                                                         title=f"schemafed error ({result.registry})")))
            continue
        if result.outcome not in ("incompatible", "compatible"):
            continue
        for nth, group in enumerate(group_findings(verdict.findings)):
            finding = group.finding
            if finding.waived or (finding.breaking and result.outcome != "incompatible"):
                continue
            kind = "error" if finding.breaking else "warning"
            out.append(((nth, 0, order), kind, _command(
                kind, _sentence(result, group), file=path, line=finding.line, col=finding.column,
                endLine=finding.end_line,
                endColumn=finding.end_column if finding.end_line == finding.line else None,
                title=f"{finding.rule} ({result.registry})")))
    out.sort(key=lambda c: c[0])
    return out


def annotation_lines(results: Sequence[CheckResult], prefix: str = "", limit: int = ANNOTATIONS_PER_STEP
                     ) -> list[str]:
    """``::error`` lines for findings of failed items and items in error, ``::warning`` lines for
    advisories: at most ``limit`` of each, the most important first, then one ``::notice``
    saying how many more the job summary lists.
    """
    lines: list[str] = []
    shown = dict.fromkeys(("error", "warning"), 0)
    left = dict.fromkeys(("error", "warning"), 0)
    for _, kind, line in _candidates(results, prefix):
        if shown[kind] < limit:
            lines.append(line)
            shown[kind] += 1
        else:
            left[kind] += 1
    if left["error"] or left["warning"]:
        lines.append(_command("notice", overflow_sentence(left["error"], left["warning"], limit),
                              title="schemafed: more findings"))
    return lines


def annotation_overflow(results: Sequence[CheckResult], limit: int = ANNOTATIONS_PER_STEP) -> tuple[int, int]:
    """(errors, warnings) beyond ``limit`` that :func:`annotation_lines` leaves unannotated."""
    kinds = Counter(kind for _, kind, _ in _candidates(results, ""))
    return max(0, kinds["error"] - limit), max(0, kinds["warning"] - limit)


def overflow_sentence(errors: int, warnings: int, limit: int = ANNOTATIONS_PER_STEP) -> str:
    """``12 more errors and 3 more warnings are not annotated (GitHub shows 10 of each per step) ...``."""
    parts = [f"{n} more {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning"))
             if n]
    return (f"{' and '.join(parts)} {'is' if errors + warnings == 1 else 'are'} not annotated (GitHub shows "
            f"{limit} of each per step); every finding is listed in the job summary")


def _sentence(result: CheckResult, group: FindingGroup) -> str:
    finding = group.finding
    against = versions_phrase(group.versions) if group.versions else "the registered version"
    level = result.verdict.level.value if result.verdict.level else "its level"
    lines = [finding.message, f"subject {result.subject} on {result.registry}: {level}, "
                              f"{finding.direction} against {against}"]
    if finding.hint:
        lines.append(f"hint: {finding.hint}")
    return "\n".join(lines)


def _cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _code(text: object) -> str:
    value = _cell(text).replace("`", "'")
    return f"`{value}`" if value else ""


def step_summary(results: Sequence[CheckResult], *, annotated: bool = True,
                 unused_waivers: Sequence[str] = ()) -> str:
    """The Markdown job summary: the schema x registry matrix, then each failure's findings.

    With ``annotated`` (annotations were written), it also says how many findings went
    beyond GitHub's annotation limit. ``unused_waivers`` (one line per waiver that matched
    no finding) are listed as warnings.
    """
    counts = Counter(r.outcome for r in results)
    head = ", ".join(f"{counts[o]} {o}" for o in ORDER if counts[o]) or "no schema checked"
    warnings = sum(len(r.verdict.warnings) for r in results)
    if warnings:
        head += f", {warnings} warning{'s' if warnings != 1 else ''}"
    waived = sum(len(r.verdict.waived) for r in results)
    if waived:
        head += f", {waived} waived"
    out = [f"## schemafed: {head}", ""]
    if unused_waivers:
        out.extend([f"> warning: waiver {_cell(line)}" for line in unused_waivers] + [""])
    if not results:
        return "\n".join(out) + "\n"
    errors, warnings = annotation_overflow(results) if annotated else (0, 0)
    if errors or warnings:
        out.extend([f"> {overflow_sentence(errors, warnings)}.", ""])
    registries = list(dict.fromkeys(r.registry for r in results))
    by_cell = {(r.file, r.registry): r for r in results}
    out.append("| schema | " + " | ".join(_cell(r) for r in registries) + " |")
    out.append("| --- |" + " --- |" * len(registries))
    for file in dict.fromkeys(r.file for r in results):
        cells = []
        for registry in registries:
            found = by_cell.get((file, registry))
            cells.append((MARKS.get(found.outcome, found.outcome) + (" (waived)" if found.verdict.waived else ""))
                         if found else "not checked")
        out.append(f"| {_code(file)} | " + " | ".join(cells) + " |")
    for result in results:
        verdict = result.verdict
        if result.outcome not in ("incompatible", "error") and not verdict.warnings and not verdict.waived:
            continue
        mark = MARKS.get(result.outcome, result.outcome).split()[0]
        out.extend(["", f"### {mark} {_code(result.file)} on {_cell(result.registry)}"])
        versions = ", ".join(verdict.versions) or "the registered version"
        backend = f" ({_cell(result.backend)})" if result.backend else ""
        if result.outcome == "error":
            out.extend(["", f"registry {_code(result.registry)}{backend}, subject {_code(result.subject)}: "
                            "the check could not be made", "", "```", verdict.error or "", "```"])
            continue
        level = verdict.level.value if verdict.level else "unknown"
        out.extend([
            "",
            f"subject {_code(result.subject)} on {_code(result.registry)}{backend}, "
            f"level {level}, compared with version {_cell(versions)}",
            "",
            "| line | rule | path | version | finding |",
            "| ---: | --- | --- | --- | --- |",
        ])
        for group in group_findings(verdict.findings):
            finding = group.finding
            line = finding.line
            where = f"{line}:{finding.column}" if line and finding.column else (str(line) if line else "")
            message = _cell(finding.message)
            if finding.waived:
                message = f"waived ({_cell(finding.waived)}): " + message
            elif not finding.breaking:
                message = "warning: " + message
            if finding.hint:
                message += f" <br>hint: {_cell(finding.hint)}"
            version = f"{_cell(', '.join(group.versions))} {finding.direction}".strip()
            out.append(f"| {where} | {_code(finding.rule)} | {_code(finding.path or '/')} | "
                       f"{version} | {message} |")
        for note in verdict.notes:
            out.extend(["", f"> note: {_cell(note)}"])
    return "\n".join(out) + "\n"
