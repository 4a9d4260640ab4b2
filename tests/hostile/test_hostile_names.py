"""File names git can hold (spaces, newline, unicode, a leading dash) each give an item, never silence."""

from __future__ import annotations

import pytest

from .conftest import HostileRepo

NAMES = ["my schema.avsc", "new\nline.avsc", "ünïcödé.avsc", "-dash.avsc", "tab\there.avsc"]


@pytest.mark.parametrize("name", NAMES, ids=["space", "newline", "unicode", "leading-dash", "tab"])
def test_odd_file_name__is_collected_and_checked(hostile: HostileRepo, name: str) -> None:
    """A new schema file with an odd name is an item (a new subject on git), and the valid file passes."""
    hostile.write(name, '{"type": "record", "name": "Odd", "fields": []}')
    run = hostile.run()
    run.assert_clean()
    stem = name.removesuffix(".avsc")
    assert f"new subject {stem!r} on git" in run.output, run.output
    assert "1 passed, 1 skipped" in run.output, run.output
