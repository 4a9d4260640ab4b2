"""The sticky pull request comment of the action: built from the gate's JSON report, posted once,
then edited on every rerun.

The comment is found again by a hidden marker on its first line (``<!-- schemafed:pr-comment -->``),
among the pull request's comments (every page, following GitHub's ``Link: rel="next"``). It
holds the schema x registry table, the findings linked to their file lines at the head
commit, the waivers used (breaks a ``waivers:`` entry accepts, with the waiver's reason,
owner and expiry), the warnings (findings of severity ``warning``: advisories that do not
fail, and waivers that matched nothing), and the checks that could not be made; once
nothing breaks it says "all compatible".

The report is read defensively: a field the comment needs that is missing or of the wrong
type stops with one line naming it (:class:`ReportShapeError`), never a guess.

Standard library only: it runs in the action's venv, with the job token
(``GITHUB_API_URL`` for GitHub Enterprise Server).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = "<!-- schemafed:pr-comment -->"
MAX_BODY = 65536  # GitHub refuses longer comment bodies (422)
OUTCOMES = ("incompatible", "error", "compatible", "new", "skipped")  # the order the heading counts them in
MARKS = {"compatible": "✅ compatible", "incompatible": "❌ incompatible", "new": "🆕 new", "error": "⚠️ error",
         "skipped": "⏭️ skipped"}
NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class ReportShapeError(Exception):
    """The JSON report does not have a shape this action knows."""


class GitHubError(Exception):
    """The GitHub API refused or failed a request (the message never holds the token)."""


@dataclass(frozen=True)
class Finding:
    """One finding of an item, as the comment shows it."""

    rule: str
    message: str
    path: str
    line: int | None
    end_line: int | None
    version: str
    direction: str
    severity: str
    waived: str = ""


@dataclass(frozen=True)
class Item:
    """One (schema file, registry) check of the report."""

    file: str
    registry: str
    subject: str
    outcome: str
    level: str
    versions: tuple[str, ...]
    error: str
    findings: tuple[Finding, ...] = field(default=())


def _get(data: Mapping[str, Any], key: str, kinds: type | tuple[type, ...], where: str, *, optional: bool = False
         ) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ReportShapeError(f"the JSON report has an unknown shape: {where}.{key} is {value!r}")
    return value


def _finding(raw: Any, where: str) -> Finding:
    if not isinstance(raw, dict):
        raise ReportShapeError(f"the JSON report has an unknown shape: {where} is {raw!r}")
    severity = _get(raw, "severity", str, where, optional=True) or "error"
    if severity not in ("error", "warning"):
        raise ReportShapeError(f"the JSON report has an unknown shape: {where}.severity is {severity!r}")
    version = raw.get("version")
    return Finding(rule=_get(raw, "rule", str, where), message=str(raw.get("message") or ""),
                   path=str(raw.get("path") or "/"), line=_get(raw, "line", int, where, optional=True),
                   end_line=_get(raw, "end_line", int, where, optional=True),
                   version="" if version is None else str(version), direction=str(raw.get("direction") or ""),
                   severity=severity, waived=_get(raw, "waived", str, where, optional=True) or "")


def read_report(path: Path) -> list[Item]:
    """The items of the report at ``path``.

    :raises ReportShapeError: not JSON, not a pytest-schemafed report, or a field of the wrong type.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportShapeError(f"the JSON report {path} cannot be read: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != "pytest-schemafed-report":
        raise ReportShapeError(f"{path} is not a pytest-schemafed JSON report")
    raw_items = _get(doc, "items", list, "report")
    items = []
    for n, raw in enumerate(raw_items):
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            raise ReportShapeError(f"the JSON report has an unknown shape: {where} is {raw!r}")
        outcome = _get(raw, "outcome", str, where)
        if outcome not in OUTCOMES:
            raise ReportShapeError(f"the JSON report has an unknown shape: {where}.outcome is {outcome!r}")
        versions = raw.get("versions") or []
        versions = [versions] if isinstance(versions, str) else versions
        if not isinstance(versions, list):
            raise ReportShapeError(f"the JSON report has an unknown shape: {where}.versions is {versions!r}")
        findings = _get(raw, "findings", list, where, optional=True) or []
        items.append(Item(file=_get(raw, "file", str, where), registry=_get(raw, "registry", str, where),
                          subject=str(raw.get("subject") or ""), outcome=outcome, level=str(raw.get("level") or ""),
                          versions=tuple(str(v) for v in versions), error=str(raw.get("error") or ""),
                          findings=tuple(_finding(f, f"{where}.findings[{i}]") for i, f in enumerate(findings))))
    return items


def read_unused_waivers(path: Path) -> list[str]:
    """The report's ``unused_waivers`` lines (none in a report written before waivers existed).

    :raises ReportShapeError: not JSON, or ``unused_waivers`` is not a list of strings.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportShapeError(f"the JSON report {path} cannot be read: {exc}") from None
    unused = doc.get("unused_waivers", []) if isinstance(doc, dict) else []
    if not isinstance(unused, list) or not all(isinstance(line, str) for line in unused):
        raise ReportShapeError(f"the JSON report has an unknown shape: report.unused_waivers is {unused!r:.80}")
    return unused


@dataclass(frozen=True)
class Links:
    """Where the files are: ``{server}/{repository}/blob/{sha}/{prefix}{file}#L{line}``."""

    server: str
    repository: str
    sha: str
    prefix: str = ""
    run_url: str = ""

    def line(self, file: str, line: int | None, end_line: int | None = None) -> str:
        """The URL of ``file`` at ``line`` (a range up to ``end_line``) at the head commit."""
        anchor = f"#L{line}" + (f"-L{end_line}" if end_line and line and end_line > line else "") if line else ""
        return f"{self.server.rstrip('/')}/{self.repository}/blob/{self.sha}/{self.prefix}{file}{anchor}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _code(text: object) -> str:
    return "`" + _cell(text).replace("`", "'") + "`"


def _finding_line(item: Item, finding: Finding, links: Links, mark: str) -> str:
    where = f"{item.file}" + (f" line {finding.line}" if finding.line else "")
    against = f", {finding.direction} against version {finding.version}" if finding.version else ""
    return (f"- {mark} [{_cell(where)}]({links.line(item.file, finding.line, finding.end_line)}) on "
            f"{_code(item.registry)}: {_code(finding.rule)} at {_code(finding.path)}: "
            f"{_cell(finding.message)}{against}")


def render(items: Sequence[Item], links: Links, *, version: str = "", unused_waivers: Sequence[str] = ()) -> str:
    """The comment's Markdown (at most :data:`MAX_BODY` characters), starting with :data:`MARKER`.

    :param unused_waivers: one line per waiver that matched no finding (listed with the warnings).
    """
    counts = {o: sum(i.outcome == o for i in items) for o in OUTCOMES}
    waived = sum(bool(f.waived) for i in items for f in i.findings)
    if not items:
        head = "⚠️ schemafed: no schema checked"
    elif counts["incompatible"] or counts["error"]:
        head = "❌ schemafed: " + ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
    else:
        head = f"✅ schemafed: all compatible ({len(items)} check{'s' if len(items) != 1 else ''}" + (
            f", {counts['new']} new" if counts["new"] else "") + (f", {waived} waived" if waived else "") + ")"
    out = [MARKER, f"## {head}", "", f"Checked at {links.sha[:12]}."]
    registries = list(dict.fromkeys(i.registry for i in items))
    cells = {(i.file, i.registry): i for i in items}
    if items:
        out += ["", "| schema | " + " | ".join(_cell(r) for r in registries) + " |",
                "| --- |" + " --- |" * len(registries)]
        for file in dict.fromkeys(i.file for i in items):
            row = [MARKS[cells[(file, r)].outcome] if (file, r) in cells else "not checked" for r in registries]
            out.append(f"| [{_code(file)}]({links.line(file, None)}) | " + " | ".join(row) + " |")
    sections = [
        ("Findings", [_finding_line(i, f, links, "❌") for i in items if i.outcome == "incompatible"
                      for f in i.findings if f.severity == "error" and not f.waived]),
        ("Waivers used", [_finding_line(i, f, links, "🔕") + f" — waived: {_cell(f.waived)}" for i in items
                          for f in i.findings if f.waived]),
        ("Warnings", [_finding_line(i, f, links, "⚠️") for i in items for f in i.findings
                      if f.severity == "warning"] + [f"- ⚠️ waiver {_cell(line)}" for line in unused_waivers]),
        ("Could not check", [f"- ⚠️ {_code(i.file)} on {_code(i.registry)}: {_cell(i.error)}" for i in items
                             if i.outcome == "error"]),
    ]
    tail = "\n<sub>pytest-schemafed" + (f" {version}" if version else "") + (
        f" · [the run]({links.run_url})" if links.run_url else "") + "</sub>\n"
    body = "\n".join(out)
    for title, lines in sections:
        if not lines:
            continue
        body += f"\n\n### {title}\n"
        for n, line in enumerate(lines):
            more = f"\n- … and {len(lines) - n} more (see the job summary)"
            if len(body) + len(line) + len(more) + len(tail) + 400 > MAX_BODY:
                body += more
                break
            body += "\n" + line
    return body + "\n" + tail


class GitHub:
    """The few REST calls the comment needs, with the job token."""

    def __init__(self, api_url: str, token: str, repository: str, *, timeout: float = 30.0) -> None:
        self.api = api_url.rstrip("/")
        self.token = token
        self.repository = repository
        self.timeout = timeout

    def _send(self, method: str, url: str, body: Mapping[str, Any] | None = None) -> tuple[Any, str]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "pytest-schemafed-action",
            **({"Content-Type": "application/json"} if data is not None else {})})
        shown = url.split("?", 1)[0].removeprefix(self.api)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null"), response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            try:
                said = json.loads(exc.read()).get("message", "")
            except (ValueError, AttributeError):
                said = ""
            raise GitHubError(f"{method} {shown}: HTTP {exc.code} {said}".rstrip()) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise GitHubError(f"{method} {shown}: {getattr(exc, 'reason', exc)}") from None

    def comments(self, number: int) -> list[dict[str, Any]]:
        """Every comment of issue / pull request ``number``, following the pages."""
        url: str | None = f"{self.api}/repos/{self.repository}/issues/{number}/comments?per_page=100"
        found: list[dict[str, Any]] = []
        pages = 0
        while url and pages < 100:  # 10 000 comments: a bound, not a limit anyone meets
            page, link = self._send("GET", url)
            if not isinstance(page, list):
                raise GitHubError(f"GET comments of #{number}: expected a list, got {type(page).__name__}")
            found.extend(c for c in page if isinstance(c, dict))
            match = NEXT.search(link)
            url = match.group(1) if match else None
            pages += 1
        return found

    def upsert(self, number: int, body: str) -> tuple[str, str]:
        """Edit the comment carrying :data:`MARKER`, else create it; ("created" | "updated", its html_url)."""
        mine = [c for c in self.comments(number) if str(c.get("body") or "").startswith(MARKER)]
        if mine:
            answer, _ = self._send("PATCH", f"{self.api}/repos/{self.repository}/issues/comments/{mine[0]['id']}",
                                   {"body": body})
            return "updated", str((answer or {}).get("html_url", ""))
        answer, _ = self._send("POST", f"{self.api}/repos/{self.repository}/issues/{number}/comments",
                               {"body": body})
        return "created", str((answer or {}).get("html_url", ""))


def pull_request(event: Mapping[str, Any]) -> tuple[int, str] | None:
    """(number, head sha) of the event's pull request, ``None`` for other events."""
    pr = event.get("pull_request")
    if not isinstance(pr, dict) or not isinstance(pr.get("number"), int):
        return None
    head = (pr.get("head") or {}).get("sha")
    return pr["number"], head if isinstance(head, str) else ""
