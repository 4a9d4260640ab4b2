"""Waivers: known, accepted breaks, each with a reason and an expiry, read from ``waivers:``.

A waiver is one ``waivers:`` entry of the configuration::

    waivers:
      - rule: FIELD_NO_DELETE          # a rule id, or "*" for every rule
        subject: "orders-*"            # a glob on the subject; or path: a glob on the file
        registry: prod                 # optional: only on this registry id
        reason: "consumers migrated in PLAT-123"
        expires: 2027-03-31            # ISO date, required; valid through that day (UTC)
        owner: data-platform           # optional

It matches a breaking finding when the rule is the finding's (or ``*``), the glob
matches the check's subject (``subject:``) or the schema file's path relative to the
rootdir (``path:``; the same globs as ``schemas:``: ``*`` stays in a folder, ``**``
spans folders), and ``registry`` (when given) is the check's registry id. Only
breaking findings are waived: advisories and checks that could not be made are not.

* A matching waiver that has not expired marks the finding waived
  (:attr:`~pytest_schemafed.verdict.Finding.waived`, its one-line description): the
  finding keeps its rule and message and is shown as waived in every report, but it no
  longer breaks. An item whose every breaking finding is waived passes, also when the
  registry decided: its rejection is kept in ``remote`` and a note says it was waived.
* A matching waiver that has expired waives nothing and adds a breaking
  ``WAIVER_EXPIRED`` finding at the finding's line, "waiver for RULE on SUBJECT expired
  on DATE (reason)", so every report shows why the item fails again.
* A waiver that matches no finding in the whole run is listed as a warning (terminal
  summary, GitHub step summary, JSON report), so that stale waivers get removed.

Everything about waivers is decided here: the configuration is validated by
:func:`parse_waivers` (called by :mod:`pytest_schemafed.config` at load) and applied by
:func:`apply_waivers` (called by the gate where it stores a verdict).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .backends.base import Option
from .config_values import describe_kind, did_you_mean, validate_options
from .errors import ConfigError
from .formats.base import Rule
from .verdict import Finding, Outcome, Severity, Verdict

if TYPE_CHECKING:
    from .model import Check

__all__ = ["EXPIRED", "EXPIRED_RULE", "MAX_WAIVERS", "WAIVER_KEYS", "Waiver", "apply_waivers", "parse_waivers", "today",
           "unused_waivers"]

#: the rule id of the finding an expired waiver adds
EXPIRED_RULE = "WAIVER_EXPIRED"
#: its description, for SARIF's rule list
EXPIRED = Rule(id=EXPIRED_RULE, purpose="Checks that no waiver a break relies on has expired.",
               hint="Fix the break, or move the waiver's expires date if the break is still accepted.")
MAX_WAIVERS = 10_000
WAIVER_KEYS = {
    "rule": Option(str, required=True, doc="the rule id a finding must have, or `*` for every rule"),
    "subject": Option(str, doc="glob on the subject (give subject or path, not both)"),
    "path": Option(str, doc="glob on the schema file's path relative to the rootdir"),
    "registry": Option(str, doc="only on this registry id (default: every registry)"),
    "reason": Option(str, required=True, doc="why the break is accepted (shown wherever the finding is)"),
    "expires": Option((str, dt.date), required=True, doc="ISO date YYYY-MM-DD; the waiver is valid through it"),
    "owner": Option(str, doc="who to ask about it"),
}
_RULE = re.compile(r"^(\*|[A-Z][A-Z0-9_]*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Waiver:
    """One validated ``waivers:`` entry.

    :param index: its place in the list (``waivers[0]``), its identity in a run.
    :param rule: a rule id, or ``*``.
    :param glob: the subject or path glob as written.
    :param on_path: True when ``glob`` is a ``path:`` glob, False for a ``subject:`` one.
    :param regex: ``glob`` compiled.
    :param reason: why the break is accepted.
    :param expires: the last day the waiver waives.
    :param registry: the registry id it is limited to, ``None`` for all.
    :param owner: who to ask, when given.
    """

    index: int
    rule: str
    glob: str
    on_path: bool
    regex: re.Pattern[str]
    reason: str
    expires: dt.date
    registry: str | None = None
    owner: str | None = None

    @property
    def key(self) -> str:
        """``waivers[N]``: how the run names it (and how xdist workers report it)."""
        return f"waivers[{self.index}]"

    def matches(self, finding: Finding, check: Check) -> bool:
        """True when this waiver is about ``finding`` of ``check`` (expired or not)."""
        if self.rule != "*" and self.rule != finding.rule:
            return False
        if self.registry is not None and self.registry != check.backend_id:
            return False
        return self.regex.fullmatch(check.source.relpath if self.on_path else check.subject) is not None

    def expired(self, on: dt.date) -> bool:
        """True when ``on`` is after the waiver's last day."""
        return on > self.expires

    def description(self) -> str:
        """One line: ``{reason} (waivers[0], owner X, expires 2027-03-31)``."""
        owner = f", owner {self.owner}" if self.owner else ""
        return f"{self.reason} ({self.key}{owner}, expires {self.expires.isoformat()})"

    def scope(self) -> str:
        """``rule FIELD_NO_DELETE on subject 'orders-*' (registry prod)``, for the run summary."""
        where = f"{'path' if self.on_path else 'subject'} {self.glob!r}"
        return f"rule {self.rule} on {where}" + (f" (registry {self.registry})" if self.registry else "")


def today() -> dt.date:
    """The date waivers are judged on: today in UTC (CI runners and laptops agree)."""
    return dt.datetime.now(dt.timezone.utc).date()


def apply_waivers(verdict: Verdict, check: Check, waivers: Sequence[Waiver], on: dt.date,
                  used: set[str] | None = None) -> Verdict:
    """``verdict`` with its breaking findings that a waiver matches waived (or, expired, flagged).

    :param on: the day to judge expiry on (:func:`today`).
    :param used: filled with the keys of the waivers that matched a finding.
    :returns: ``verdict`` itself when no waiver matches, else :meth:`Verdict.rejudged`.
    """
    if not waivers or verdict.outcome not in (Outcome.COMPATIBLE, Outcome.INCOMPATIBLE):
        return verdict
    findings: list[Finding] = []
    changed = False
    for finding in verdict.findings:
        waivable = finding.breaking and finding.rule != EXPIRED_RULE  # an expiry is never waived, not even by "*"
        matching = [w for w in waivers if waivable and w.matches(finding, check)]
        if not matching:
            findings.append(finding)
            continue
        changed = True
        valid = next((w for w in matching if not w.expired(on)), None)
        if valid is not None:
            findings.append(replace(finding, waived=valid.description()))
            if used is not None:
                used.add(valid.key)
            continue
        findings.append(finding)
        for waiver in matching:
            findings.append(_expired(finding, check, waiver))
            if used is not None:
                used.add(waiver.key)
    if not changed:
        return verdict
    rejudged = verdict.rejudged(findings)
    if rejudged.outcome is Outcome.COMPATIBLE and verdict.outcome is Outcome.INCOMPATIBLE:
        said = f"registry {check.backend_id!r} rejects this schema, but" if verdict.remote is not None and \
            not verdict.remote.compatible else "this schema breaks compatibility, but"
        rejudged = rejudged.with_notes(f"{said} every break is waived in the configuration (waivers:); "
                                       "the item passes")
    return rejudged


def _expired(finding: Finding, check: Check, waiver: Waiver) -> Finding:
    return Finding(
        EXPIRED_RULE,
        f"waiver for {finding.rule} on {check.subject} expired on {waiver.expires.isoformat()} ({waiver.reason})",
        path=finding.path, line=finding.line, column=finding.column, end_line=finding.end_line,
        end_column=finding.end_column, version=finding.version, direction=finding.direction,
        severity=Severity.ERROR,
        hint=f"fix the break, or move {waiver.key}.expires to a later date if it is still accepted",
    )


def parse_waivers(raw: Any, *, source: str, registry_ids: Sequence[str],
                  glob: Callable[[str], re.Pattern[str]]) -> tuple[Waiver, ...]:
    """Validate ``waivers:``; every mistake is one :class:`ConfigError` naming the key.

    :param registry_ids: the configured registry ids (a waiver's ``registry`` must be one).
    :param glob: compiles a glob the way ``schemas:`` globs are compiled.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"expected a list of waivers, got {describe_kind(raw)}", source=source, key="waivers")
    if len(raw) > MAX_WAIVERS:
        raise ConfigError(f"{len(raw):,} waivers; at most {MAX_WAIVERS:,} are allowed", source=source,
                          key="waivers")
    return tuple(_waiver(index, item, source, registry_ids, glob) for index, item in enumerate(raw))


def _waiver(index: int, item: Any, source: str, registry_ids: Sequence[str],
            glob: Callable[[str], re.Pattern[str]]) -> Waiver:
    key = f"waivers[{index}]"
    values = validate_options(item, WAIVER_KEYS, source=source, key=key)
    rule = values["rule"]
    if not _RULE.match(rule):
        raise ConfigError(f"expected a rule id in UPPER_SNAKE_CASE or `*`, got {rule!r}", source=source,
                          key=f"{key}.rule")
    given = [name for name in ("subject", "path") if name in values]
    if len(given) != 1:
        raise ConfigError("give exactly one of subject (a glob on the subject) or path (a glob on the file), "
                          f"got {' and '.join(given) or 'neither'}", source=source, key=key)
    pattern = values[given[0]]
    if not pattern.strip():
        raise ConfigError("expected a glob, got an empty string", source=source, key=f"{key}.{given[0]}")
    reason = " ".join(values["reason"].split())  # one line wherever it is shown
    if not reason:
        raise ConfigError("expected a reason: say why the break is accepted", source=source, key=f"{key}.reason")
    registry = values.get("registry")
    if registry is not None and registry not in registry_ids:
        raise ConfigError(f"unknown registry id {registry!r}{did_you_mean(registry, registry_ids)}; "
                          f"configured: {', '.join(registry_ids)}", source=source, key=f"{key}.registry")
    owner = " ".join(str(values.get("owner") or "").split()) or None
    return Waiver(index=index, rule=rule, glob=pattern, on_path=given[0] == "path", regex=glob(pattern),
                  reason=reason, expires=_date(values["expires"], source, f"{key}.expires"), registry=registry,
                  owner=owner)


def _date(value: str | dt.date, source: str, key: str) -> dt.date:
    """An ISO date: YAML and TOML give a date for an unquoted one, a string for a quoted one."""
    if isinstance(value, dt.datetime):
        raise ConfigError(f"expected a date YYYY-MM-DD, got a date and time ({value.isoformat()})", source=source,
                          key=key)
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"expected a date YYYY-MM-DD, got {value!r}", source=source, key=key) from None


def unused_waivers(waivers: Sequence[Waiver], used: set[str], registry_ids: Sequence[str]) -> list[str]:
    """One warning line per waiver that matched no finding in the run.

    A waiver limited to a registry the run did not check (``--schemafed-registry``) is not
    listed: it could not have matched.
    """
    return [f"{w.key} ({w.scope()}, expires {w.expires.isoformat()}) matched no finding in this run; "
            "remove it if the break is gone" for w in waivers
            if w.key not in used and (w.registry is None or w.registry in registry_ids)]
