"""The optional compiled build of the Avro engine (mypyc), as published wheels carry it.

Everything else about the package is in pyproject.toml. By default (``pip install .``,
editable installs, the sdist) the package is pure Python. With ``SCHEMAFED_MYPYC=1``
the Avro engine's modules are compiled to C extensions by mypyc, from the same source
and with no change in behaviour, as black and mypy build their own wheels:

    SCHEMAFED_MYPYC=1 pip wheel --no-deps -w dist .     (or: make wheels)

The build backend (``build_backend/schemafed_backend.py``) adds mypy to an isolated
build's requirements then; a build without isolation needs mypy installed. A compiled
module and its ``.py`` source sit side by side; Python imports the compiled one.
Parsing and checking then take about 40% less time (``make bench``).
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

#: the Avro engine: what a gate spends its CPU on (the slowest of the pure-Python engines)
COMPILED = [
    "pytest_schemafed/formats/avro/model.py",
    "pytest_schemafed/formats/avro/jsontext.py",
    "pytest_schemafed/formats/avro/names.py",
    "pytest_schemafed/formats/avro/parse.py",
    "pytest_schemafed/formats/avro/defaults.py",
    "pytest_schemafed/formats/avro/reuse.py",
    "pytest_schemafed/formats/avro/rules.py",
    "pytest_schemafed/formats/avro/compare.py",
]


#: setup.py commands that compile; any other (egg_info, dist_info, sdist) only reads metadata
BUILDING = {"bdist_wheel", "build", "build_ext", "editable_wheel", "develop", "install"}


def _ext_modules() -> list[object]:
    if os.environ.get("SCHEMAFED_MYPYC") != "1" or BUILDING.isdisjoint(sys.argv[1:]):
        return []  # pure Python, or only asked for requirements or metadata (mypyc would run for nothing)
    try:
        from mypyc.build import mypycify  # only the compiled build needs mypy
    except ImportError:
        raise SystemExit(
            "SCHEMAFED_MYPYC=1 compiles the Avro engine with mypyc, but mypy is not installed in this build "
            "environment: build with isolation (the build backend adds it), or `pip install mypy` first"
        ) from None
    return list(mypycify(COMPILED, opt_level="3"))


setup(ext_modules=_ext_modules())
