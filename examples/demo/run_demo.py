"""`make demo`: the gate on a shipped example, in a throwaway git repository.

1. commits `released/` as the schemas on main;
2. applies `change-compatible/` and runs `pytest --schemafed`: it passes;
3. applies `change-breaking/` and runs it again: it fails, and shows why.

Exits 0 when both runs end as expected.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "demo",
    "GIT_AUTHOR_EMAIL": "demo@example.invalid",
    "GIT_COMMITTER_NAME": "demo",
    "GIT_COMMITTER_EMAIL": "demo@example.invalid",
}


def run(cmd: list[str], cwd: Path) -> int:
    print(f"$ {' '.join(cmd)}", flush=True)
    return subprocess.run(cmd, cwd=cwd, env=ENV, check=False).returncode


def apply(change: str, repo: Path) -> None:
    for src in (HERE / change).rglob("*"):
        if src.is_file():
            dest = repo / "schemas" / src.relative_to(HERE / change)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="schemafed-demo-") as tmp:
        repo = Path(tmp)
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
        apply("released", repo)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=ENV)
        subprocess.run(["git", "commit", "-qm", "released schemas"], cwd=repo, check=True, env=ENV)
        gate = [sys.executable, "-m", "pytest", "--schemafed", "-p", "no:cacheprovider", "-q"]

        print("\n== a compatible change: the gate passes ==", flush=True)
        apply("change-compatible", repo)
        compatible = run(gate, repo)

        print("\n== a breaking change: the gate fails and says where ==", flush=True)
        apply("change-breaking", repo)
        breaking = run(gate, repo)

    ok = compatible == 0 and breaking == 1
    print(f"\ndemo {'OK' if ok else 'FAILED'}: compatible run exit {compatible} (want 0), "
          f"breaking run exit {breaking} (want 1)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
