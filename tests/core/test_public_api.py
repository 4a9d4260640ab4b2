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


def test_check_compatibility__collector_paused_inside_and_restored() -> None:
    """The public function pauses the cyclic GC while it works (as the gate does) and leaves it as it found it."""
    import gc

    from pytest_schemafed.formats.avro import AvroFormat

    seen: list[bool] = []
    original = AvroFormat.compare

    def spy(self, reader, writer, *, local):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return original(self, reader, writer, local=local)

    old = '{"type": "record", "name": "T", "fields": [{"name": "a", "type": "int"}]}'
    AvroFormat.compare = spy  # type: ignore[method-assign]
    try:
        assert gc.isenabled()
        pytest_schemafed.check_compatibility(old, [old], format="avro", level="BACKWARD")
        assert gc.isenabled()
        gc.disable()
        pytest_schemafed.check_compatibility(old, [old], format="avro", level="BACKWARD")
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()
        AvroFormat.compare = original  # type: ignore[method-assign]
    assert seen == [False, False]
