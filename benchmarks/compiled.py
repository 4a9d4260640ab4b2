"""Build the mypyc-compiled variant of the package (``SCHEMAFED_MYPYC=1``, see setup.py).

Used by ``make bench`` (the Avro engine is timed as the compiled wheels run it, and as
the editable install runs it) and by the test that runs the Avro tests against the
compiled build. The build is made from a copy of the sources, so the checkout keeps
no compiled module that would shadow its ``.py`` files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: what building the repository reads besides the package (see MANIFEST.in)
BUILD_FILES = ("pyproject.toml", "setup.py", "README.md", "MANIFEST.in", "build_backend/schemafed_backend.py")


def copy_buildable(target: Path) -> Path:
    """Copy what ``pip install .`` of this repository reads (the package and BUILD_FILES) into ``target``."""
    for name in BUILD_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "pytest_schemafed", target / "pytest_schemafed",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
    return target


def _key() -> str:
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / s for s in BUILD_FILES), *(ROOT / "pytest_schemafed").rglob("*.py")]):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build(out_dir: Path) -> tuple[Path | None, str]:
    """The compiled package unpacked under ``out_dir/<source hash>`` (built once per source state).

    :returns: (folder to put first on ``sys.path``, "") or (None, why it could not be built).
    """
    target = out_dir / f"compiled-{_key()}"
    if (target / "pytest_schemafed").is_dir():
        return target, ""
    with tempfile.TemporaryDirectory() as tmp:
        src = copy_buildable(Path(tmp) / "src")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps",
             "--wheel-dir", str(Path(tmp) / "dist"), str(src)],
            capture_output=True, text=True, env={**os.environ, "SCHEMAFED_MYPYC": "1"}, check=False,
        )
        wheels = list((Path(tmp) / "dist").glob("*.whl"))
        if done.returncode != 0 or not wheels:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if "rror" in line]
            return None, (lines[-1] if lines else f"pip wheel exited with {done.returncode}").strip()
        partial = target.with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        with zipfile.ZipFile(wheels[0]) as wheel:
            wheel.extractall(partial)
        partial.rename(target)
    return target, ""


def is_compiled(module: object) -> bool:
    """True when ``module`` was loaded from a compiled extension, not from its ``.py`` file."""
    return not str(getattr(module, "__file__", "")).endswith(".py")
