"""The public surface: an explicit, sorted __all__, and documented hook specifications."""

from __future__ import annotations

import inspect

import pytest_schemafed
from pytest_schemafed import hookspecs


def test_all__sorted_and_complete() -> None:
    """__all__ is sorted and names exactly the public names the package defines."""
    assert list(pytest_schemafed.__all__) == sorted(pytest_schemafed.__all__)
    public = {n for n in vars(pytest_schemafed) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(pytest_schemafed, n))}
    assert set(pytest_schemafed.__all__) == public - modules - {"annotations"}


def test_hookspecs__each_documented_with_when_and_what() -> None:
    """Every hook spec is named pytest_schemafed_*, has no body and says when it is called."""
    specs = [f for n, f in vars(hookspecs).items() if n.startswith("pytest_schemafed_")]
    assert len(specs) >= 4
    for spec in specs:
        doc = inspect.getdoc(spec) or ""
        assert "Called" in doc, spec.__name__
        assert ":param" in doc, spec.__name__


def test_check_compatibility__documented_levels() -> None:
    """The library's front door accepts every level name, Glue's spelling included."""
    old = '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}'
    new = '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}]}'
    assert pytest_schemafed.check_compatibility(new, [old], format="avro", level="BACKWARD").compatible
    assert not pytest_schemafed.check_compatibility(new, [old], format="avro", level="FORWARD_ALL").compatible
