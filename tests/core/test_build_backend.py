"""The build backend asks for mypy only when the Avro engine is to be compiled."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """build_backend/schemafed_backend.py, with setuptools' own requirements stubbed."""
    path = REPO_ROOT / "build_backend" / "schemafed_backend.py"
    spec = importlib.util.spec_from_file_location("schemafed_backend", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module._setuptools, "get_requires_for_build_wheel", lambda config_settings=None: ["wheel"])
    return module


def test_pure_build__setuptools_requirements_only(backend: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCHEMAFED_MYPYC", raising=False)
    assert backend.get_requires_for_build_wheel() == ["wheel"]


def test_compiled_build__mypy_added(backend: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMAFED_MYPYC", "1")
    assert backend.get_requires_for_build_wheel() == ["wheel", backend.MYPYC_REQUIREMENT]


def test_every_other_hook_is_setuptools(backend: ModuleType) -> None:
    import setuptools.build_meta

    for hook in ("build_wheel", "build_sdist", "build_editable", "prepare_metadata_for_build_wheel",
                 "get_requires_for_build_sdist", "get_requires_for_build_editable"):
        assert getattr(backend, hook) is getattr(setuptools.build_meta, hook)


def test_setup_py__metadata_without_mypy_is_not_an_error(tmp_path: Path) -> None:
    """Asked for metadata only (egg_info), a compiled build's setup.py needs no mypy yet."""
    script = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def no_mypyc(name, *a, **k):\n"
        "    if name.startswith('mypyc'): raise ImportError(name)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = no_mypyc\n"
        "import setuptools\n"
        "setuptools.setup = lambda **kw: print('ext_modules', kw.get('ext_modules'))\n"
        "sys.argv = ['setup.py'] + sys.argv[1:]\n"
        f"exec(compile(open({str(REPO_ROOT / 'setup.py')!r}).read(), 'setup.py', 'exec'))\n"
    )
    env = {"SCHEMAFED_MYPYC": "1", "PATH": "/usr/bin:/bin"}
    metadata = subprocess.run([sys.executable, "-c", script, "egg_info"], capture_output=True, text=True,
                              env=env, cwd=tmp_path)
    assert metadata.returncode == 0, metadata.stderr
    assert metadata.stdout.strip() == "ext_modules []"
    build = subprocess.run([sys.executable, "-c", script, "bdist_wheel"], capture_output=True, text=True,
                           env=env, cwd=tmp_path)
    assert build.returncode != 0
    assert "mypy is not installed in this build environment" in build.stderr
