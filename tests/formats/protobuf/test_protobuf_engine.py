"""The protobuf format through the shared engine: levels, directions, versions, and the generated corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_schemafed import check_compatibility
from pytest_schemafed.model import HistoryVersion

GEN = Path(__file__).resolve().parents[3] / "benchmarks" / "gen_corpus.py"
V1 = 'syntax = "proto3";\npackage p;\nmessage M {\n  int32 a = 1;\n  string b = 2;\n}\n'
V2 = 'syntax = "proto3";\npackage p;\nmessage M {\n  int32 a = 1;\n}\n'
V3 = 'syntax = "proto3";\npackage p;\nmessage M {\n  int32 a = 1;\n  int64 b = 2;\n}\n'


def test_full_transitive__finds_the_break_with_an_older_version_in_both_directions() -> None:
    """v3 re-adds field 2 as int64: fine against v2, a break against v1 both ways."""
    assert check_compatibility(V3, [V1, V2], format="protobuf", level="FULL").compatible
    verdict = check_compatibility(V3, [V1, V2], format="protobuf", level="FULL_TRANSITIVE", path="m.proto")
    assert not verdict.compatible
    assert {(f.rule, f.version, f.direction) for f in verdict.findings} == {
        ("FIELD_SCALAR_KIND_CHANGED", "1", "backward"),
        ("FIELD_SCALAR_KIND_CHANGED", "1", "forward"),
    }
    assert {f.line for f in verdict.findings} == {5}


def test_history_versions__references_per_version_are_used() -> None:
    """A registered version's own references resolve its imports."""
    dep = 'syntax = "proto3";\npackage d;\nmessage D {\n  string s = 1;\n}\n'
    old = HistoryVersion("7", 'syntax = "proto3";\nimport "d.proto";\nmessage M {\n  d.D x = 1;\n}\n', {"d.proto": dep})
    new = 'syntax = "proto3";\nimport "d.proto";\nmessage M {\n  d.D x = 1;\n  int32 y = 2;\n}\n'
    verdict = check_compatibility(new, [old], format="protobuf", level="BACKWARD", references={"d.proto": dep})
    assert verdict.compatible and verdict.versions == ("7",)


@pytest.mark.skipif(not GEN.exists(), reason="shared corpus generator not present")
def test_generated_corpus__verdicts_match_the_documented_labels(tmp_path: Path) -> None:
    """On 120 generated pairs, every BACKWARD verdict matches gen_corpus.py's Confluent-rule label."""
    subprocess.run([sys.executable, str(GEN), "protobuf", "--count", "120", "--out", str(tmp_path)], check=True)
    rows = (tmp_path / "edits.tsv").read_text().splitlines()[1:]
    for row in rows:
        name, edit, breaks = row.split("\t")
        old = (tmp_path / "old" / f"{name}.proto").read_text()
        new = (tmp_path / "new" / f"{name}.proto").read_text()
        verdict = check_compatibility(new, [old], format="protobuf", level="BACKWARD")
        assert verdict.compatible is (breaks == "false"), (name, edit, verdict.findings)
