"""A registered version that is hostile (too deep) fails its item as a parse error, never an internal error."""

from __future__ import annotations

import pytest

from ..conftest import write_files

VALID = '{"type": "record", "name": "User", "fields": [{"name": "id", "type": "long"}]}'


def _deep_avro(levels: int) -> str:
    return '{"type": "array", "items": ' * levels + '"int"' + "}" * levels


@pytest.mark.parametrize("levels", [250, 1500], ids=["over-the-limit", "over-the-decoder"])
def test_too_deep_registered_version__is_a_parse_error_of_that_version(pytester: pytest.Pytester, levels: int) -> None:
    """The registered version is nested too deeply: its item fails saying so; the other subject passes."""
    write_files(pytester.path, {
        "export/user/1.avsc": _deep_avro(levels),
        "export/other/1.avsc": VALID,
        "schemas/user.avsc": VALID,
        "schemas/other.avsc": VALID,
        "schemafed.yaml": "schemas:\n  - {path: 'schemas/*.avsc'}\n"
                          "registries:\n  - {id: dir, type: directory, path: export}\n",
    })
    result = pytester.runpytest_subprocess("--schemafed", "-rA", "-p", "no:randomly")
    out = result.stdout.str() + result.stderr.str()
    result.assert_outcomes(passed=1, failed=1)
    assert "PASSED schemas/other.avsc::dir" in out
    assert "nested too deeply" in out
    assert "internal error" not in out.lower() and "Traceback" not in out and "INTERNALERROR" not in out
