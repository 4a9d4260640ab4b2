"""The one verdict type: constructors, refused contradictions, the one serialisation, versions_needed."""

from __future__ import annotations

import pytest

from pytest_schemafed.model import (
    CheckResult,
    Decider,
    ErrorKind,
    Finding,
    History,
    HistoryVersion,
    Level,
    Outcome,
    RemoteVerdict,
    Severity,
    Verdict,
    versions_needed,
)

BREAK = Finding("FIELD_NO_DELETE", "field 3 removed", line=4)
ADVICE = Finding("FIELD_REMOVED_WITHOUT_RESERVED", "not reserved", severity=Severity.WARNING)


@pytest.mark.parametrize(("kwargs", "problem"), [
    ({"outcome": Outcome.INCOMPATIBLE}, "needs at least one breaking finding"),
    ({"outcome": Outcome.INCOMPATIBLE, "findings": (ADVICE,)}, "needs at least one breaking finding"),
    ({"outcome": Outcome.COMPATIBLE, "findings": (BREAK,)}, "cannot carry a breaking finding"),
    ({"outcome": Outcome.NEW, "findings": (BREAK,)}, "cannot carry a breaking finding"),
    ({"outcome": Outcome.COMPATIBLE, "error": "boom"}, "only an error or skip carries a reason"),
    ({"outcome": Outcome.ERROR}, "needs a reason and a kind"),
    ({"outcome": Outcome.ERROR, "error": "boom"}, "needs a reason and a kind"),
    ({"outcome": Outcome.COMPATIBLE, "decided_by": Decider.REGISTRY}, "needs the registry's answer"),
    ({"outcome": Outcome.COMPATIBLE, "decided_by": Decider.REGISTRY, "remote": RemoteVerdict(False)},
     "outcome differs from its answer"),
])
def test_verdict__contradictory_states_are_refused(kwargs: dict[str, object], problem: str) -> None:
    """The constructor refuses every state in which the fields disagree with the outcome."""
    with pytest.raises(ValueError, match=problem):
        Verdict(**kwargs)  # type: ignore[arg-type]


def test_verdict__a_bool_is_not_an_outcome() -> None:
    """The old ``Verdict(True, ...)`` spelling cannot sneak a pass in."""
    with pytest.raises(TypeError):
        Verdict(True)  # type: ignore[arg-type]


def test_judged__advisories_never_fail() -> None:
    """Only breaking findings make a verdict incompatible; advisories ride along."""
    assert Verdict.judged((ADVICE,), Level.FULL).outcome is Outcome.COMPATIBLE
    assert Verdict.judged((ADVICE, BREAK), Level.FULL).outcome is Outcome.INCOMPATIBLE


def test_by_registry__the_registry_decides_and_its_reasons_become_findings() -> None:
    """Registry rejects, local finds nothing: one finding per reason; Confluent's errorType is the rule id."""
    remote = RemoteVerdict(False, ("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'no default'}",
                                   "something else"), ("2",))
    verdict = Verdict.by_registry(remote, Verdict.judged((), Level.BACKWARD), Level.BACKWARD, ("2",),
                                  registry_id="prod")
    assert verdict.outcome is Outcome.INCOMPATIBLE and verdict.decided_by is Decider.REGISTRY
    assert [f.rule for f in verdict.findings] == ["READER_FIELD_MISSING_DEFAULT_VALUE", "REGISTRY_INCOMPATIBLE"]
    assert all(f.line == 1 for f in verdict.findings)


def test_by_registry__registry_accepts_local_rejects_keeps_findings_as_warnings() -> None:
    """The registry accepts: the item passes, the local findings are shown as warnings, never dropped."""
    verdict = Verdict.by_registry(RemoteVerdict(True), Verdict.judged((BREAK,), Level.BACKWARD), Level.BACKWARD,
                                  ("2",), registry_id="prod")
    assert verdict.outcome is Outcome.COMPATIBLE and verdict.warnings and not verdict.breaking


@pytest.mark.parametrize("verdict", [
    Verdict.judged((BREAK, ADVICE), Level.FULL_TRANSITIVE, ("1", "merge-base(HEAD, origin/main)@abc")),
    Verdict.by_registry(RemoteVerdict(False, ("x",), ("3",), Level.BACKWARD), None, Level.BACKWARD, ("3",),
                        registry_id="r", notes=("n",)),
    Verdict.new_subject(Level.BACKWARD, "nothing registered"),
    Verdict.failed("down", ErrorKind.REGISTRY, Level.FULL),
    Verdict.failed("bad", ErrorKind.SCHEMA, line=3),
    Verdict.skipped("down (on_unavailable: skip)"),
])
def test_to_dict__round_trip(verdict: Verdict) -> None:
    """to_dict / from_dict is the one serialisation and loses nothing."""
    assert Verdict.from_dict(verdict.to_dict()) == verdict
    result = CheckResult("a.avsc::r", "a.avsc", "avro", "r", "a", "git r", verdict)
    assert CheckResult.from_dict(result.to_dict()) == result


def test_from_dict__a_malformed_value_is_refused() -> None:
    """A missing or odd value is an error, never a default that passes."""
    good = Verdict.judged((BREAK,), Level.BACKWARD).to_dict()
    for broken in ({**good, "outcome": "fine"}, {**good, "findings": None}, {**good, "versions": "1,2"},
                   {k: v for k, v in good.items() if k != "decided_by"}, {**good, "findings": []}):
        with pytest.raises(ValueError):
            Verdict.from_dict(broken)


@pytest.mark.parametrize(("level", "expected"), [
    (Level.NONE, ()), (Level.BACKWARD, (3,)), (Level.FORWARD, (3,)), (Level.FULL, (3,)),
    (Level.BACKWARD_TRANSITIVE, (1, 2, 3)), (Level.FORWARD_TRANSITIVE, (1, 2, 3)), (Level.FULL_TRANSITIVE, (1, 2, 3)),
])
def test_versions_needed__confluents_meaning(level: Level, expected: tuple[int, ...]) -> None:
    """NONE: nothing; transitive: every version; otherwise the latest."""
    assert versions_needed(level, [1, 2, 3]) == expected
    assert versions_needed(level, versions_needed(level, [1, 2, 3])) == expected  # idempotent


def test_versions_needed__compatibility_group() -> None:
    """Only versions of the new schema's group count: "latest" is the latest of that group."""
    versions = [HistoryVersion(str(n), "{}", metadata={"major": m}) for n, m in ((1, "1"), (2, "2"), (3, "1"))]
    history = History(tuple(versions), group="major", group_value="2")
    assert [v.version for v in history.needed(Level.BACKWARD)] == ["2"]
    assert [v.version for v in history.needed(Level.BACKWARD_TRANSITIVE)] == ["2"]
    assert [v.version for v in History(tuple(versions), group="major", group_value="1")
            .needed(Level.FULL_TRANSITIVE)] == ["1", "3"]


def test_finding_against__changes_version_and_direction_and_keeps_every_other_field() -> None:
    """The engine's fast copy must follow Finding's fields: the same as ``dataclasses.replace``."""
    import dataclasses

    values: dict[str, object] = {"rule": "R", "message": "m", "path": "/p", "line": 3, "column": 4, "version": "1",
                                 "hint": "h", "direction": "backward", "severity": Severity.WARNING,
                                 "end_line": 5, "end_column": 6, "waived": "w"}
    assert set(values) == {f.name for f in dataclasses.fields(Finding)}, "a new field: give it a value here"
    finding = Finding(**values)  # type: ignore[arg-type]
    assert finding.against("7", "forward") == dataclasses.replace(finding, version="7", direction="forward")
