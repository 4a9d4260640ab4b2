"""Shared helpers of the waiver tests: waivers as the configuration gives them, and findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytest_schemafed.config import glob_to_regex
from pytest_schemafed.model import Finding, Severity
from pytest_schemafed.waivers import Waiver, parse_waivers

TODAY = dt.date(2026, 12, 4)
LATER = "2027-03-31"
EARLIER = "2026-12-03"  # the day before TODAY: expired

BREAK = Finding("READER_FIELD_MISSING_DEFAULT_VALUE", "field `email` of record `Order` was added without a default",
                path="/fields/2", line=7, column=5, version="3")
OTHER = Finding("FIELD_TYPE_CHANGED", "field `id` of record `Order` changed type from long to string",
                path="/fields/0/type", line=4, column=7, version="3")
ADVISORY = Finding("ENUM_SYMBOL_ADDED", "readers without it fail", path="/fields/1", line=5, version="3",
                   severity=Severity.WARNING)


def waivers(*entries: dict[str, Any], registries: tuple[str, ...] = ("prod", "staging")) -> tuple[Waiver, ...]:
    """``entries`` validated as ``waivers:`` entries (reason and expiry filled in when not given)."""
    full = [{"reason": "consumers migrated in PLAT-123", "expires": LATER, **e} for e in entries]
    return parse_waivers(full, source="schemafed.yaml", registry_ids=registries, glob=glob_to_regex)
