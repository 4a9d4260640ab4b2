"""Which primitive types go into which: safe casts on write, and in-place table widening.

* :func:`fits`: a value of the local type is written into a column of the table type
  without loss, by the implicit cast Spark applies on write (``int`` into ``bigint``,
  ``float`` into ``double``, ``decimal(p,s)`` into a decimal that holds it).
* :func:`widening`: the table's column can be widened in place to hold the local type,
  by the table format's own type-widening rules (Delta's type widening, Iceberg's type
  promotion), and what is missing when it cannot.
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import INTEGRAL, TType

__all__ = ["DIGITS", "fits", "widening", "widening_enabled"]

# Decimal digits an integral type needs (Spark's DecimalType.forType).
DIGITS = {"byte": 3, "short": 5, "integer": 10, "long": 20}
_RANK = {kind: i for i, kind in enumerate(INTEGRAL)}


def _decimal_holds(target: TType, precision: int, scale: int) -> bool:
    return target.scale >= scale and target.precision - target.scale >= precision - scale


def fits(local: TType, table: TType) -> bool:
    """True when every value of ``local`` is written into ``table`` unchanged."""
    lk, tk = local.kind, table.kind
    if lk == "void":
        return True
    if lk == tk and lk != "decimal":
        return True
    if lk in _RANK:
        if tk in _RANK:
            return _RANK[lk] <= _RANK[tk]
        if tk == "double":
            return lk != "long"
        if tk == "float":
            return lk in ("byte", "short")
        if tk == "decimal":
            return _decimal_holds(table, DIGITS[lk], 0)
        return False
    if lk == "float":
        return tk == "double"
    if lk == "decimal":
        return tk == "decimal" and _decimal_holds(table, local.precision, local.scale)
    if lk == "date":
        return tk in ("timestamp", "timestamp_ntz")
    return False


def widening_enabled(data_format: str, properties: Mapping[str, str]) -> bool:
    """True when the table allows in-place type widening at all."""
    if data_format == "DELTA":
        return str(properties.get("delta.enableTypeWidening", "")).strip().lower() == "true"
    return data_format == "ICEBERG"


def _delta_widens(table: TType, local: TType) -> bool:
    tk, lk = table.kind, local.kind
    if tk in _RANK:
        if lk in _RANK:
            return _RANK[tk] < _RANK[lk]
        if lk == "double":
            return tk != "long"
        if lk == "decimal":
            # The column becomes a decimal holding both the integers and the local decimal.
            return max(DIGITS[tk], local.precision - local.scale) + local.scale <= 38
        return False
    if tk == "float":
        return lk == "double"
    if tk == "decimal" and lk == "decimal":
        return max(table.precision - table.scale, local.precision - local.scale) + max(table.scale, local.scale) <= 38
    if tk == "date":
        return lk == "timestamp_ntz"
    return False


def _iceberg_widens(table: TType, local: TType) -> bool:
    tk, lk = table.kind, local.kind
    if tk in ("byte", "short", "integer"):
        return lk == "long"
    if tk == "float":
        return lk == "double"
    if tk == "decimal" and lk == "decimal":
        return table.scale == local.scale and local.precision > table.precision
    return False


def widening(table: TType, local: TType, data_format: str) -> bool:
    """True when ``data_format``'s rules widen the column ``table`` in place to hold ``local``."""
    if data_format == "DELTA":
        return _delta_widens(table, local)
    if data_format == "ICEBERG":
        return _iceberg_widens(table, local)
    return False
