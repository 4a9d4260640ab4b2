"""The ``schemafed`` command: the gate without writing a pytest command line.

``schemafed [PATHS] [pytest options]`` runs ``pytest --schemafed-only`` on PATHS.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gate; returns pytest's exit code."""
    import pytest

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"]:
        args = args[1:]
    return int(pytest.main(["--schemafed-only", "-p", "no:randomly", *args]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
