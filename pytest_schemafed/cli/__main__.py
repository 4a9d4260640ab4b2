"""``python -m pytest_schemafed.cli``: the ``schemafed`` command."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
