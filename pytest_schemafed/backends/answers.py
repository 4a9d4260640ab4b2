"""Showing a backend's answer in an error line: masked, cut short, the same way everywhere."""

from __future__ import annotations

import json
from typing import Any

from ..secrets import scrub

__all__ = ["shown"]


def shown(body: Any, limit: int = 120) -> str:
    """An answer as a user may see it: JSON, masked, cut short."""
    try:
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(body)
    text = scrub(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
