"""One finding per change, not per version: how every report lists a transitive level's findings.

At a transitive level the engine compares with each version the level needs, so one
change that breaks versions 1, 2 and 3 comes back as three findings equal but for
``version``. The :class:`~pytest_schemafed.verdict.Verdict` keeps all three (it is the
record of what was compared); the reports group them here and list the change once,
with the versions it breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..model import Finding

__all__ = ["FindingGroup", "group_findings", "versions_phrase"]


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """One change: its finding (``version`` cleared) and the versions it was found against, in order."""

    finding: Finding
    versions: tuple[str, ...]

    def breaks_all(self, compared: Sequence[str]) -> bool:
        """True when the change was found against every version ``compared`` (or none is named)."""
        return not self.versions or set(compared) <= set(self.versions)


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Findings equal but for ``version``, merged; in the order of each group's first finding."""
    groups: dict[Finding, list[str]] = {}
    for finding in findings:
        versions = groups.setdefault(replace(finding, version=None), [])
        if finding.version is not None and finding.version not in versions:
            versions.append(finding.version)
    return [FindingGroup(finding, tuple(versions)) for finding, versions in groups.items()]


def versions_phrase(versions: Sequence[str]) -> str:
    """``version 3`` or ``versions 1, 2, 3``."""
    return ("version " if len(versions) == 1 else "versions ") + ", ".join(versions)
