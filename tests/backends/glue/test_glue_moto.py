"""The Glue backend against moto's server mode: histories, modes, formats, no side effects."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pytest_schemafed.backends.base import Judge
from pytest_schemafed.backends.glue import GLUE_COMPATIBILITY_DISABLED, GLUE_DATA_FORMAT_MISMATCH, GlueBackend
from pytest_schemafed.errors import SubjectNotFound
from pytest_schemafed.model import Level, Outcome
from tests.backends.glue.glue_helpers import make_check, requires_format
from tests.backends.glue.glue_samples import (
    AVRO_BREAKS_BACKWARD,
    AVRO_BREAKS_FORWARD,
    AVRO_BREAKS_ONLY_VERSION_1,
    AVRO_COMPATIBLE,
    AVRO_VERSIONS,
    SAMPLES,
)
from tests.servers.moto_glue import MotoGlue

MakeBackend = Callable[..., GlueBackend]


def test_history__backward_reads_only_the_latest_version(moto: MotoGlue, make_backend: MakeBackend) -> None:
    """BACKWARD needs the latest version alone: one version, number 3, its text."""
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD")
    history = make_backend().history(make_check(AVRO_COMPATIBLE))
    assert [(v.version, v.text) for v in history.versions] == [("3", AVRO_VERSIONS[2])]
    assert history.level is Level.BACKWARD


def test_history__backward_all_walks_down_when_list_schema_versions_answers_500(
    moto: MotoGlue, make_backend: MakeBackend
) -> None:
    """moto answers 500 to ListSchemaVersions: the versions are read by number, oldest first."""
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD_ALL")
    backend = make_backend()
    history = backend.history(make_check(AVRO_COMPATIBLE))
    assert [(v.version, v.text) for v in history.versions] == [("1", AVRO_VERSIONS[0]), ("2", AVRO_VERSIONS[1]),
                                                              ("3", AVRO_VERSIONS[2])]
    assert history.level is Level.BACKWARD_TRANSITIVE
    assert backend._list_unavailable, "the fallback is remembered: ListSchemaVersions is not asked again"


@pytest.mark.parametrize(
    ("mode", "level"),
    [("NONE", Level.NONE), ("BACKWARD", Level.BACKWARD), ("BACKWARD_ALL", Level.BACKWARD_TRANSITIVE),
     ("FORWARD", Level.FORWARD), ("FORWARD_ALL", Level.FORWARD_TRANSITIVE), ("FULL", Level.FULL),
     ("FULL_ALL", Level.FULL_TRANSITIVE)],
)
def test_history__glue_compatibility_maps_onto_our_level(
    moto: MotoGlue, make_backend: MakeBackend, mode: str, level: Level
) -> None:
    """Each Glue mode is reported as the level of the same meaning (*_ALL = *_TRANSITIVE)."""
    moto.seed("user", AVRO_VERSIONS, compatibility=mode)
    history = make_backend().history(make_check(AVRO_COMPATIBLE))
    assert history.level is level
    assert len(history.versions) == (0 if level is Level.NONE else 3 if level.transitive else 1)


def test_history__unknown_schema_is_a_new_subject(moto: MotoGlue, make_backend: MakeBackend) -> None:
    """EntityNotFoundException on GetSchema raises SubjectNotFound naming the registry."""
    with pytest.raises(SubjectNotFound, match="'events' has no schema 'user'"):
        make_backend().history(make_check(AVRO_COMPATIBLE))


def test_evaluate__unknown_schema_gives_a_new_subject_verdict(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge
) -> None:
    """A schema Glue does not hold yet passes as a new subject."""
    verdict = make_backend().evaluate(make_check(AVRO_COMPATIBLE), judge)
    assert verdict.outcome is Outcome.NEW and verdict.compatible


def test_evaluate__disabled_mode_fails_saying_no_new_version_would_be_accepted(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge
) -> None:
    """A changed file of a DISABLED schema fails with one finding naming the registry id and the fix."""
    moto.seed("user", AVRO_VERSIONS, compatibility="DISABLED")
    verdict = make_backend().evaluate(make_check(AVRO_COMPATIBLE), judge)
    assert not verdict.compatible and verdict.outcome is Outcome.INCOMPATIBLE
    (finding,) = verdict.findings
    assert finding.rule == GLUE_COMPATIBILITY_DISABLED
    assert "'glue-eu'" in finding.message and "no new version would be accepted" in finding.message
    assert finding.hint and "update-schema" in finding.hint


def test_evaluate__disabled_mode_passes_a_file_equal_to_the_latest_version(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge
) -> None:
    """An unchanged file needs no new version, so DISABLED refuses nothing: it passes with a note."""
    moto.seed("user", AVRO_VERSIONS, compatibility="DISABLED")
    verdict = make_backend().evaluate(make_check(AVRO_VERSIONS[2]), judge)
    assert verdict.compatible and verdict.versions == ("3",)
    assert any("DISABLED" in note for note in verdict.notes)


def test_evaluate__data_format_mismatch_fails_clearly(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge
) -> None:
    """A JSON Glue schema checked against a local Avro file fails with GLUE_DATA_FORMAT_MISMATCH."""
    moto.seed("user", ['{"type": "object"}'], data_format="JSON")
    verdict = make_backend().evaluate(make_check(AVRO_COMPATIBLE, "avro"), judge)
    assert not verdict.compatible
    (finding,) = verdict.findings
    assert finding.rule == GLUE_DATA_FORMAT_MISMATCH
    assert "holds JSON data" in finding.message and "schemas/user.avsc is a avro schema" in finding.message


def test_schema_name__subjects_map_and_stem_template_pick_the_glue_schema(
    moto: MotoGlue, make_backend: MakeBackend
) -> None:
    """`subjects:` maps a subject to a Glue name; `schema_name: "{stem}"` drops a `-value` suffix."""
    moto.seed("users-v1", AVRO_VERSIONS)
    check = make_check(AVRO_COMPATIBLE, subject="user-value", stem="user")
    assert make_backend(subjects={"user-value": "users-v1"}).history(check).versions[-1].version == "3"
    moto.seed("user", AVRO_VERSIONS[:2])
    assert make_backend(schema_name="{stem}").history(check).versions[-1].version == "2"


@requires_format("avro")
@pytest.mark.parametrize(
    ("mode", "text", "compatible"),
    [
        ("BACKWARD", AVRO_BREAKS_BACKWARD, False),
        ("FORWARD", AVRO_BREAKS_BACKWARD, True),
        ("FORWARD", AVRO_BREAKS_FORWARD, False),
        ("BACKWARD", AVRO_BREAKS_FORWARD, True),
        ("FULL", AVRO_BREAKS_FORWARD, False),
        ("BACKWARD", AVRO_BREAKS_ONLY_VERSION_1, True),
        ("BACKWARD_ALL", AVRO_BREAKS_ONLY_VERSION_1, False),
        ("FULL_ALL", AVRO_BREAKS_ONLY_VERSION_1, False),
        ("FORWARD_ALL", AVRO_BREAKS_ONLY_VERSION_1, True),
        ("NONE", AVRO_BREAKS_BACKWARD, True),
    ],
)
def test_evaluate__avro_verdict_follows_the_glue_mode(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge, mode: str, text: str, compatible: bool
) -> None:
    """The same change passes or fails according to the schema's Glue mode."""
    moto.seed("user", AVRO_VERSIONS, compatibility=mode)
    verdict = make_backend().evaluate(make_check(text), judge)
    assert verdict.compatible is compatible, verdict.findings
    assert (verdict.outcome is Outcome.COMPATIBLE) is compatible


@requires_format("avro")
def test_evaluate__backward_all_finding_names_version_1(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge
) -> None:
    """A break only against version 1 is reported against version 1, after all three were compared."""
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD_ALL")
    verdict = make_backend().evaluate(make_check(AVRO_BREAKS_ONLY_VERSION_1), judge)
    assert verdict.versions == ("1", "2", "3")
    assert {f.version for f in verdict.findings} == {"1"}


def test_evaluate__forced_level_overrides_the_glue_mode(moto: MotoGlue, make_backend: MakeBackend) -> None:
    """A level forced by configuration decides which versions are fetched, whatever Glue's mode."""
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD")
    history = make_backend().history(make_check(AVRO_COMPATIBLE, level=Level.FULL_TRANSITIVE))
    assert [v.version for v in history.versions] == ["1", "2", "3"]


@pytest.mark.parametrize(
    "fmt", [pytest.param(name, marks=requires_format(name)) for name in ("avro", "json", "protobuf")]
)
def test_evaluate__each_format_with_several_versions(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge, fmt: str
) -> None:
    """Per format, on a FULL_ALL schema of three versions: a compatible change passes, a type change fails."""
    data_format, versions, compatible, breaking = SAMPLES[fmt]
    moto.seed("user", versions, data_format=data_format, compatibility="FULL_ALL")
    backend = make_backend()
    good = backend.evaluate(make_check(compatible, fmt), judge)
    bad = backend.evaluate(make_check(breaking, fmt), judge)
    assert good.compatible, good.findings
    assert good.versions == ("1", "2", "3")
    assert not bad.compatible and bad.findings
    assert {f.direction for f in bad.findings} == {"backward", "forward"}


def test_evaluate__registry_holds_the_same_versions_afterwards(
    moto: MotoGlue, make_backend: MakeBackend, judge: Judge
) -> None:
    """Evaluating compatible, breaking, new and DISABLED checks registers, updates and deletes nothing."""
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD_ALL")
    moto.seed("order", AVRO_VERSIONS[:2], compatibility="DISABLED")
    before = moto.snapshot()
    backend = make_backend()
    backend.prepare([])
    checks = [make_check(AVRO_COMPATIBLE), make_check(AVRO_BREAKS_BACKWARD),
              make_check(AVRO_COMPATIBLE, subject="order"), make_check(AVRO_COMPATIBLE, subject="brand-new")]
    for check in checks:
        try:
            backend.evaluate(check, judge)
        except KeyError:  # the avro format is not registered yet: the fetching happened anyway
            pass
    assert moto.snapshot() == before
    assert len(before) == 2
