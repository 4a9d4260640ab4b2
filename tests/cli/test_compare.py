"""``schemafed compare OLD NEW``: two files, findings with lines, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_schemafed.cli import main

from .conftest import BREAKING, COMPATIBLE, EMAIL_LINE, V1


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """a.avsc (V1), compatible.avsc and breaking.avsc in tmp_path."""
    (tmp_path / "a.avsc").write_text(V1)
    (tmp_path / "compatible.avsc").write_text(COMPATIBLE)
    (tmp_path / "breaking.avsc").write_text(BREAKING)
    return tmp_path


def test_compare__breaking_prints_finding_at_line_exit_1(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A field without default: exit 1, `breaking.avsc:6:6: READER_FIELD_MISSING_DEFAULT_VALUE` (its "name" key)."""
    code = main(["compare", str(files / "a.avsc"), str(files / "breaking.avsc")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{files / 'breaking.avsc'}:{EMAIL_LINE}:6: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1" in out
    assert "incompatible: 1 finding at BACKWARD (avro)" in out


def test_compare__compatible_exit_0(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An optional field with a default: exit 0 and one line saying so."""
    assert main(["compare", str(files / "a.avsc"), str(files / "compatible.avsc")]) == 0
    assert "compatible:" in capsys.readouterr().out


def test_compare__forward_level_judges_the_other_direction(files: Path) -> None:
    """Removing a field with no default breaks FORWARD but not BACKWARD."""
    assert main(["compare", str(files / "breaking.avsc"), str(files / "a.avsc")]) == 0
    assert main(["compare", str(files / "breaking.avsc"), str(files / "a.avsc"), "--level", "FORWARD"]) == 1


def test_compare__unparseable_file_exit_2_with_line(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a schema: exit 2 and the parse error with its place."""
    (files / "bad.avsc").write_text('{"type": "record",\n "name": }')
    assert main(["compare", str(files / "a.avsc"), str(files / "bad.avsc")]) == 2
    assert "bad.avsc:2" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "said"), [
    (["--level", "SIDEWAYS"], "--level: unknown compatibility level"),
    (["--format", "xml"], "--format: unknown format 'xml'"),
])
def test_compare__bad_option_exit_2(files: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                    said: str) -> None:
    """An unknown level or format is a usage error naming the option."""
    assert main(["compare", str(files / "a.avsc"), str(files / "breaking.avsc"), *args]) == 2
    assert said in capsys.readouterr().err


def test_compare__unknown_extension_asks_for_format(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file no format claims: exit 2 and a hint to pass --format; with it, the comparison runs."""
    (files / "a.txt").write_text(V1)
    (files / "b.txt").write_text(BREAKING)
    assert main(["compare", str(files / "a.txt"), str(files / "b.txt")]) == 2
    assert "pass --format" in capsys.readouterr().err
    assert main(["compare", str(files / "a.txt"), str(files / "b.txt"), "--format", "avro"]) == 1


def test_compare__missing_file_exit_2(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist is named in a one-line error."""
    assert main(["compare", str(files / "nope.avsc"), str(files / "a.avsc")]) == 2
    assert "nope.avsc: cannot be read" in capsys.readouterr().err
