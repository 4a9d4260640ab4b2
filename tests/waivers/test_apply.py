"""apply_waivers: which breaks a waiver waives, when it has expired, and what the verdict becomes."""

from __future__ import annotations

import pytest

from pytest_schemafed.model import Decider, ErrorKind, Finding, Level, Outcome, RemoteVerdict, Verdict
from pytest_schemafed.waivers import EXPIRED_RULE, apply_waivers, unused_waivers

from ..checks import make_check
from .conftest import ADVISORY, BREAK, EARLIER, OTHER, TODAY, waivers

AVRO = '{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]}'
CHECK = make_check(AVRO, subject="orders-value", relpath="schemas/sales/orders.avsc", backend_id="prod")
STAGING = make_check(AVRO, subject="orders-value", relpath="schemas/sales/orders.avsc", backend_id="staging")


def judged(*findings: Finding) -> Verdict:
    return Verdict.judged(findings, Level.BACKWARD, ("3",))


def test_waived_break__item_passes_finding_kept_and_marked() -> None:
    """A break a valid waiver matches: the verdict is compatible, the finding keeps rule and message."""
    used: set[str] = set()
    verdict = apply_waivers(judged(BREAK), CHECK, waivers({"rule": BREAK.rule, "subject": "orders-*",
                                                           "owner": "data-platform"}), TODAY, used)
    assert verdict.outcome is Outcome.COMPATIBLE and not verdict.failing
    (finding,) = verdict.findings
    assert (finding.rule, finding.message, finding.line) == (BREAK.rule, BREAK.message, 7)
    assert finding.waived == "consumers migrated in PLAT-123 (waivers[0], owner data-platform, expires 2027-03-31)"
    assert not finding.breaking and verdict.waived == (finding,) and verdict.warnings == ()
    assert used == {"waivers[0]"}
    assert any("every break is waived" in note for note in verdict.notes)


def test_expired_waiver__fails_with_the_message_at_the_findings_line() -> None:
    """An expired waiver waives nothing and adds WAIVER_EXPIRED: rule, subject, date and reason."""
    used: set[str] = set()
    verdict = apply_waivers(judged(BREAK), CHECK, waivers({"rule": BREAK.rule, "subject": "orders-value",
                                                           "expires": EARLIER}), TODAY, used)
    assert verdict.outcome is Outcome.INCOMPATIBLE
    expired = next(f for f in verdict.findings if f.rule == EXPIRED_RULE)
    assert expired.message == ("waiver for READER_FIELD_MISSING_DEFAULT_VALUE on orders-value expired on "
                               "2026-12-03 (consumers migrated in PLAT-123)")
    assert expired.breaking and (expired.line, expired.column, expired.path) == (7, 5, "/fields/2")
    assert BREAK in verdict.findings  # the break itself stays, not waived
    assert used == {"waivers[0]"}  # it matched: not listed as unused, it fails instead


def test_waiver_valid_through_its_expiry_day() -> None:
    """``expires`` is the last day the waiver waives."""
    verdict = apply_waivers(judged(BREAK), CHECK, waivers({"rule": "*", "subject": "*", "expires": "2026-12-04"}),
                            TODAY)
    assert verdict.outcome is Outcome.COMPATIBLE


def test_waiver_for_a_different_rule__does_not_hide_the_break() -> None:
    """A waiver of FIELD_TYPE_CHANGED leaves a READER_FIELD_MISSING_DEFAULT_VALUE break failing."""
    used: set[str] = set()
    verdict = apply_waivers(judged(BREAK), CHECK, waivers({"rule": OTHER.rule, "subject": "orders-value"}),
                            TODAY, used)
    assert verdict.outcome is Outcome.INCOMPATIBLE and verdict.breaking == (BREAK,)
    assert all(f.waived is None for f in verdict.findings) and used == set()


def test_waiver_of_one_of_two_breaks__item_still_fails() -> None:
    """Two breaks, one waived: the other still fails the item; the waived one is shown as waived."""
    verdict = apply_waivers(judged(BREAK, OTHER), CHECK, waivers({"rule": OTHER.rule, "subject": "orders-value"}),
                            TODAY)
    assert verdict.outcome is Outcome.INCOMPATIBLE
    assert verdict.breaking == (BREAK,) and [f.rule for f in verdict.waived] == [OTHER.rule]


def test_star_rule__waives_every_break_of_the_subject() -> None:
    """``rule: "*"`` waives every break of the matching subject."""
    verdict = apply_waivers(judged(BREAK, OTHER), CHECK, waivers({"rule": "*", "subject": "orders-value"}), TODAY)
    assert verdict.outcome is Outcome.COMPATIBLE and len(verdict.waived) == 2


@pytest.mark.parametrize(("entry", "waived"), [
    ({"subject": "orders-*"}, True),
    ({"subject": "orders-key"}, False),
    ({"subject": "schemas/sales/orders.avsc"}, False),  # a subject glob never looks at the path
    ({"path": "schemas/**/orders.avsc"}, True),
    ({"path": "schemas/*.avsc"}, False),  # `*` stays in one folder, as in schemas:
    ({"path": "schemas/sales/*.avsc"}, True),
    ({"path": "orders-value"}, False),  # a path glob never looks at the subject
])
def test_subject_and_path_globs(entry: dict[str, str], waived: bool) -> None:
    """``subject:`` globs match the subject, ``path:`` globs the file's path, with the schemas: glob rules."""
    verdict = apply_waivers(judged(BREAK), CHECK, waivers({"rule": BREAK.rule, **entry}), TODAY)
    assert (verdict.outcome is Outcome.COMPATIBLE) is waived


def test_registry_scoped__waives_only_on_that_registry() -> None:
    """``registry: prod`` waives the break on prod and not on staging."""
    scoped = waivers({"rule": BREAK.rule, "subject": "*", "registry": "prod"})
    assert apply_waivers(judged(BREAK), CHECK, scoped, TODAY).outcome is Outcome.COMPATIBLE
    assert apply_waivers(judged(BREAK), STAGING, scoped, TODAY).outcome is Outcome.INCOMPATIBLE


def test_registry_decided_rejection__waived_passes_and_keeps_the_registrys_answer() -> None:
    """The registry rejects; every breaking finding is waived: the item passes, `remote` still says no."""
    remote = RemoteVerdict(False, ("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'email'}",))
    decided = Verdict.by_registry(remote, judged(BREAK), Level.BACKWARD, ("3",), registry_id="prod")
    verdict = apply_waivers(decided, CHECK, waivers({"rule": BREAK.rule, "subject": "orders-value"}), TODAY)
    assert verdict.outcome is Outcome.COMPATIBLE and verdict.decided_by is Decider.REGISTRY
    assert verdict.remote == remote
    assert any("registry 'prod' rejects this schema, but every break is waived" in n for n in verdict.notes)
    assert Verdict.from_dict(verdict.to_dict()) == verdict  # the one serialisation keeps it


def test_registry_reason_only__waivable_by_its_error_type() -> None:
    """The registry rejects and the local engine found nothing: its reason's error type is the rule."""
    remote = RemoteVerdict(False, ("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'email'}",))
    decided = Verdict.by_registry(remote, judged(), Level.BACKWARD, ("3",), registry_id="prod")
    verdict = apply_waivers(decided, CHECK, waivers({"rule": BREAK.rule, "subject": "orders-value"}), TODAY)
    assert verdict.outcome is Outcome.COMPATIBLE


def test_advisories_and_errors__never_waived() -> None:
    """Only breaks are waived: an advisory stays a warning, a check that could not be made stays an error."""
    star = waivers({"rule": "*", "subject": "*"})
    used: set[str] = set()
    advisory = judged(ADVISORY)
    assert apply_waivers(advisory, CHECK, star, TODAY, used) is advisory
    failed = Verdict.failed("HTTP 503", ErrorKind.REGISTRY, Level.BACKWARD)
    assert apply_waivers(failed, CHECK, star, TODAY, used) is failed
    assert used == set()


def test_valid_waiver_wins_over_an_expired_one() -> None:
    """A renewed waiver (new entry) beside the expired one: the break is waived, no WAIVER_EXPIRED."""
    both = waivers({"rule": BREAK.rule, "subject": "*", "expires": EARLIER}, {"rule": BREAK.rule, "subject": "*"})
    verdict = apply_waivers(judged(BREAK), CHECK, both, TODAY)
    assert verdict.outcome is Outcome.COMPATIBLE and EXPIRED_RULE not in {f.rule for f in verdict.findings}
    assert "(waivers[1]," in (verdict.findings[0].waived or "")


def test_unused_waivers__listed_unless_for_a_registry_not_checked() -> None:
    """Waivers that matched nothing are listed; one for a registry the run did not check is not."""
    entries = waivers({"rule": BREAK.rule, "subject": "orders-*"}, {"rule": "*", "path": "old/**"},
                      {"rule": "*", "subject": "*", "registry": "staging"})
    lines = unused_waivers(entries, {"waivers[0]"}, ["prod"])
    assert lines == ["waivers[1] (rule * on path 'old/**', expires 2027-03-31) matched no finding in this run; "
                     "remove it if the break is gone"]


def test_registry_invariant__a_rejection_passes_only_when_waived() -> None:
    """Without a waived finding, a registry's rejection can still not become a pass."""
    remote = RemoteVerdict(False, ("no",))
    with pytest.raises(ValueError, match="outcome differs from its answer"):
        Verdict(Outcome.COMPATIBLE, Level.BACKWARD, ("3",), (), remote=remote, decided_by=Decider.REGISTRY)


def test_expiry_finding__never_waived_by_a_star_waiver() -> None:
    """Applying waivers to a verdict that already carries WAIVER_EXPIRED leaves it failing."""
    both = waivers({"rule": BREAK.rule, "subject": "*", "expires": EARLIER}, {"rule": "*", "path": "**",
                                                                              "expires": EARLIER})
    once = apply_waivers(judged(BREAK), CHECK, both, TODAY)
    renewed = waivers({"rule": "*", "subject": "*"})
    again = apply_waivers(once, CHECK, renewed, TODAY)
    assert again.outcome is Outcome.INCOMPATIBLE
    assert [f.rule for f in again.breaking] == [EXPIRED_RULE, EXPIRED_RULE]
