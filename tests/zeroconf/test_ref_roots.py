"""``schemafed compare`` and the ``directory`` backend resolve JSON ``$ref`` as a run does, with ref roots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_schemafed.cli import main

from ..conftest import git, write_files

ORDER = json.dumps({
    "type": "object",
    "properties": {"shipping": {"$ref": "address.json"}, "total": {"$ref": "money.json"}},
}, indent=2)


def _address(zip_type: str) -> str:
    return json.dumps({"type": "object", "properties": {"zip": {"type": zip_type}}})


MONEY = json.dumps({"type": "object", "properties": {"amount": {"type": "number"}}})


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """old/ and new/ each with order.json + address.json; money.json only in shared/ (a ref root)."""
    write_files(tmp_path, {
        "old/order.json": ORDER, "old/address.json": _address("string"),
        "new/order.json": ORDER, "new/address.json": _address("integer"),
        "shared/money.json": MONEY,
    })
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_compare__ref_root_resolves_files_outside_both_folders(pair: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --ref-root shared, money.json is found; each side's address.json is its own: the zip change breaks."""
    code = main(["compare", "old/order.json", "new/order.json", "--format", "json", "--ref-root", "shared"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "TYPE_CHANGED" in out
    assert "new/order.json:4:" in out  # the $ref line of shipping
    assert "(in new/address.json:1, which this schema refers to)" in out


def test_compare__without_the_ref_root_one_line_says_where_it_looked(
    pair: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without -I, money.json is nowhere: exit 2 with one line naming the $ref and the place looked at."""
    code = main(["compare", "old/order.json", "new/order.json", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2
    assert "cannot resolve $ref 'money.json': no file new/money.json (nothing is fetched)" in captured.err + \
        captured.out


def test_compare__meta_schema_ref_resolves_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A $ref to the draft-07 meta-schema is the bundled document: compatible with itself, nothing fetched."""
    text = json.dumps({"type": "object", "properties": {"s": {"$ref": "http://json-schema.org/draft-07/schema#"}}})
    write_files(tmp_path, {"a.json": text, "b.json": text})
    monkeypatch.chdir(tmp_path)
    assert main(["compare", "a.json", "b.json", "--format", "json"]) == 0


@pytest.fixture
def exported(pytester: pytest.Pytester) -> Path:
    """A repo whose schemas/order.schema.json is checked against a directory registry export/ (and git)."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {
        "schemas/order.schema.json": ORDER, "schemas/address.json": _address("integer"),
        "schemas/money.json": MONEY,
        "export/order.schema.json": ORDER, "export/address.json": _address("string"),
        "shared/money.json": MONEY,
    })
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    return root


def _config(root: Path, ref_roots: list[str]) -> None:
    registry: dict[str, object] = {"id": "export", "type": "directory", "path": "export"}
    if ref_roots:
        registry["ref_roots"] = ref_roots
    (root / "schemafed.yaml").write_text(json.dumps({
        "schemas": [{"path": "schemas/*.schema.json"}], "registries": [registry],
    }))


def test_directory_backend__refs_of_a_version_beside_it_and_under_ref_roots(
    pytester: pytest.Pytester, exported: Path
) -> None:
    """export/order.schema.json's address.json is export's own (zip: string), money.json comes from ref_roots."""
    _config(exported, ["shared"])
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    out = result.stdout.str()
    result.assert_outcomes(failed=1)
    assert "TYPE_CHANGED" in out and "schemas/order.schema.json:4:" in out, out


def test_directory_backend__unresolved_ref_of_a_version_is_one_line(
    pytester: pytest.Pytester, exported: Path
) -> None:
    """Without ref_roots, money.json of the export is nowhere: the item fails with the $ref and the place."""
    _config(exported, [])
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    out = result.stdout.str()
    result.assert_outcomes(failed=1)
    assert "cannot resolve $ref 'money.json': no file" in out, out
    assert "export/money.json" in out
