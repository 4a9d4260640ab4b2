"""pytest's assertion rewriting leaves the package's modules alone (they load from bytecode)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest_schemafed

#: what pytest does for a plugin installed from a wheel: hook installed, package marked
SCRIPT = """
import sys
from _pytest.assertion import install_importhook
from _pytest.config import get_config

hook = install_importhook(get_config())
hook.mark_rewrite("pytest_schemafed")
import pytest_schemafed.gate
import pytest_schemafed.plugin

for name in ("pytest_schemafed", "pytest_schemafed.gate", "pytest_schemafed.plugin"):
    print(name, type(sys.modules[name].__loader__).__name__)
"""


def test_marked_package__only_its_init_is_rewritten(tmp_path: Path) -> None:
    """The package marks itself out before importing anything: no module compiled from source.

    Run from a folder where the package is found on ``sys.path`` (as from a wheel),
    with warnings as errors: pytest must not warn about a module it could not rewrite.
    """
    source_root = Path(pytest_schemafed.__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT], cwd=tmp_path, capture_output=True, text=True,
        env={"PYTHONPATH": str(source_root), "PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "pytest_schemafed AssertionRewritingHook",  # the hook was active: it loaded the package itself
        "pytest_schemafed.gate SourceFileLoader",
        "pytest_schemafed.plugin SourceFileLoader",
    ]
