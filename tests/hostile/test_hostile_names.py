"""File names git can hold (spaces, newline, unicode, a leading dash) each give an item, never silence.

What is tested here is discovery (the globs, pytest's collection): the registry is a
directory backend. Reading such names from git at the base ref is the git backend's
part, tested with it.
"""

from __future__ import annotations

import pytest

from .conftest import HostileRepo

NAMES = ["my schema.avsc", "new\nline.avsc", "ünïcödé.avsc", "-dash.avsc", "tab\there.avsc"]


@pytest.mark.parametrize("name", NAMES, ids=["space", "newline", "unicode", "leading-dash", "tab"])
def test_odd_file_name__is_collected_and_checked(hostile: HostileRepo, name: str) -> None:
    """A new schema file with an odd name is an item (a new subject), and the valid file passes."""
    # the default selection (every file, `**`): the exported version is an item too, and passes
    hostile.write("schemafed.yaml", "registries:\n  - {id: dir, type: directory, path: export}\n")
    hostile.write("export/valid.avsc", (hostile.root / "valid.avsc").read_text())
    hostile.write(name, '{"type": "record", "name": "Odd", "fields": []}')
    run = hostile.run()
    run.assert_clean(backend="dir")
    stem = name.removesuffix(".avsc")
    assert f"new subject {stem!r} on dir" in run.output, run.output
    assert "2 passed, 1 skipped" in run.output, run.output
