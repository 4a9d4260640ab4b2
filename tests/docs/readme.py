"""The README's examples: marked blocks of real output, and the normalisation that compares them.

A block is marked in the Markdown as::

    <!-- schemafed:example NAME -->
    ```
    ...output...
    ```
    <!-- /schemafed:example -->

Commit shas and timings differ from run to run: :func:`normalise` writes every short sha
as ``1a2b3c4d5e`` and every ``in 1.23s`` as ``in 0.50s``, in the README and in the run alike.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
PRE_COMMIT_DOC = REPO_ROOT / "docs" / "pre-commit.md"

_BLOCK = re.compile(r"<!-- schemafed:example (?P<name>[\w-]+) -->\n```[\w-]*\n(?P<body>.*?)```\n"
                    r"<!-- /schemafed:example -->", re.S)


def example(name: str, path: Path = README) -> list[str]:
    """The lines of the marked block ``name`` in ``path`` (normalised)."""
    found = [m.group("body") for m in _BLOCK.finditer(path.read_text(encoding="utf-8")) if m.group("name") == name]
    assert len(found) == 1, f"{path.name}: expected one block `schemafed:example {name}`, found {len(found)}"
    return normalise(found[0])


def normalise(text: str) -> list[str]:
    """Lines of ``text`` with shas and timings made constant and trailing blanks dropped."""
    text = re.sub(r"@[0-9a-f]{10}\b", "@1a2b3c4d5e", text)
    text = re.sub(r"\bin \d+\.\d+s\b", "in 0.50s", text)
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


def sublist_at(lines: list[str], part: list[str]) -> int:
    """Where ``part`` starts in ``lines`` as consecutive lines; -1 when it does not."""
    for start in range(len(lines) - len(part) + 1):
        if lines[start:start + len(part)] == part:
            return start
    return -1
