"""Time of two nested-combination JSON Schema checks (each must stay well under 1 s).

* nested combination: a oneOf alternative holding an object whose property is again a
  oneOf, 12 levels deep, with one keyword changed at the bottom (the real-world shape:
  a finding deep inside alternatives);
* 12-level synthetic: ``$defs`` L0..L12 where each level is an anyOf of a reference to
  the level below, an array of it and a map of it, so 3**12 paths lead to the leaf.

Run: ``python -m benchmarks.jsonschema_nested``. Prints one line per case and exits 1
when a case takes 1 s or more.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from pytest_schemafed import check_compatibility

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def nested_combination(depth: int, max_length: int) -> str:
    """oneOf [null, {object: {next: <level below>}}, string], ``depth`` levels."""
    node: dict[str, Any] = {"type": "string", "maxLength": max_length}
    for _ in range(depth):
        node = {"oneOf": [{"type": "null"}, {"type": "object", "properties": {"next": node}}, {"type": "integer"}]}
    return json.dumps({"$schema": DRAFT, **node}, indent=2)


def synthetic(depth: int, leaf: str) -> str:
    """anyOf [L(n-1), array of L(n-1), map of L(n-1)] for n = 1..depth, all through $ref."""
    defs: dict[str, Any] = {"L0": {"type": leaf}}
    for i in range(1, depth + 1):
        ref = {"$ref": f"#/$defs/L{i - 1}"}
        alternatives = [ref, {"type": "array", "items": ref}, {"type": "object", "additionalProperties": ref}]
        defs[f"L{i}"] = {"anyOf": alternatives}
    return json.dumps({"$schema": DRAFT, "$defs": defs, "$ref": f"#/$defs/L{depth}"}, indent=2)


def timed(new: str, old: str) -> tuple[float, bool]:
    """Seconds of one BACKWARD check through the public function, and its verdict."""
    start = time.perf_counter()
    verdict = check_compatibility(new, [old], format="json", level="BACKWARD")
    return time.perf_counter() - start, verdict.compatible


CASES = {
    "nested combination (12 levels, maxLength 10 -> 5)": (nested_combination(12, 5), nested_combination(12, 10)),
    "12-level synthetic anyOf/$ref, breaking": (synthetic(12, "integer"), synthetic(12, "string")),
    "12-level synthetic anyOf/$ref, compatible": (synthetic(12, "number"), synthetic(12, "integer")),
}


def main() -> int:
    """Print the time of each case; non-zero exit when one takes 1 s or more."""
    worst = 0.0
    for name, (new, old) in CASES.items():
        seconds, compatible = timed(new, old)
        worst = max(worst, seconds)
        print(f"jsonschema nested: {name}: {seconds * 1000:.1f} ms ({'compatible' if compatible else 'incompatible'})")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
