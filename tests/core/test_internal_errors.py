"""A bug of ours or of a library is contained to its item: one line, the traceback only under -v."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

V1 = json.dumps({"type": "record", "name": "U", "fields": [{"name": "a", "type": "string"}]})

PLUGIN = '''
from pytest_schemafed.backends.base import Backend

class Broken(Backend):
    type_name = "broken"

    def history(self, check):
        raise ZeroDivisionError("boom in history")

class BrokenAtStart(Backend):
    type_name = "broken_at_start"

    def __init__(self, spec, context):
        raise KeyError("boom at start")

    def history(self, check):
        raise AssertionError("never")

def pytest_schemafed_register_backends(registry):
    registry.add_backend("broken", Broken)
    registry.add_backend("broken_at_start", BrokenAtStart)
'''

CONFIG = """registries:
  - id: base
    type: git
    ref: HEAD
  - id: bad
    type: {type}
"""


@pytest.mark.parametrize("backend_type", ["broken", "broken_at_start"])
def test_internal_error__one_line_item_the_rest_goes_on(pytester: pytest.Pytester,
                                                        make_repo: Callable[[Mapping[str, str]], Path],
                                                        backend_type: str) -> None:
    """The broken registry's item fails with "internal error ... please report it"; the git item passes."""
    repo = make_repo({"schemas/u.avsc": V1, "conftest.py": PLUGIN,
                      "schemafed.yaml": CONFIG.format(type=backend_type)})
    os.chdir(repo)
    quiet = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", str(repo))
    quiet.assert_outcomes(passed=1, failed=1)
    out = quiet.stdout.str()
    assert "internal error" in out and "please report it" in out
    assert "Traceback" not in out and "INTERNALERROR" not in out
    verbose = pytester.runpytest_inprocess("--schemafed", "-p", "no:cacheprovider", "-v", str(repo))
    assert "Traceback (most recent call last)" in verbose.stdout.str()
