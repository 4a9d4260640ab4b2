"""The mypyc-compiled Avro engine (``SCHEMAFED_MYPYC=1`` wheels) passes every Avro test.

mypyc compiles the same source, but enforces its type annotations at run time; this
runs the whole Avro test folder against the compiled build, in a fresh interpreter
that imports the package from the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import compiled

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve()


@pytest.mark.slow
def test_compiled_build__passes_every_avro_test(tmp_path: Path) -> None:
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the compiled build cannot be made")
    pytest.importorskip("mypyc.build", reason="mypy (with mypyc) is not installed")
    where, why = compiled.build(tmp_path)
    assert where is not None, f"the compiled build failed: {why}"
    probe = subprocess.run(
        [sys.executable, "-c", "import pytest_schemafed.formats.avro.parse as m, pytest_schemafed.formats.avro"
         ".compare as c; from benchmarks.compiled import is_compiled; print(is_compiled(m), is_compiled(c))"],
        cwd=where, capture_output=True, text=True, env=_env(), check=False,
    )
    assert probe.stdout.split() == ["True", "True"], probe.stderr
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(ROOT),
         "--ignore", str(HERE), str(HERE.parent)],
        cwd=where, capture_output=True, text=True, env=_env(), check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and " failed" not in done.stdout


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}  # `benchmarks` and `tests`; the build comes first (cwd)
