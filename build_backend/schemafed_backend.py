"""The package's build backend: setuptools', plus mypy when the Avro engine is compiled.

``SCHEMAFED_MYPYC=1`` makes ``setup.py`` compile the Avro engine with mypyc, which
needs mypy inside the build environment. An isolated build (``pip wheel .``,
``python -m build``, cibuildwheel) installs only what the backend asks for, so this
backend asks for mypy then, and for nothing more otherwise: every other build is
setuptools' own. (The pattern setuptools documents for dynamic build dependencies.)
"""

from __future__ import annotations

import os

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - every hook not overridden here is setuptools'

#: the mypy that compiles the engine (a build dependency of compiled wheels only)
MYPYC_REQUIREMENT = "mypy>=1.11"


def _compiled() -> bool:
    return os.environ.get("SCHEMAFED_MYPYC") == "1"


def get_requires_for_build_wheel(config_settings: dict[str, object] | None = None) -> list[str]:
    """setuptools' requirements, and mypy for a compiled build."""
    requires = list(_setuptools.get_requires_for_build_wheel(config_settings))
    return [*requires, MYPYC_REQUIREMENT] if _compiled() else requires
