"""Confluent's current JSON Schema rules (master, 2026), each with our own case.

Confluent's json-schema-provider tests (``diff-*.json``) are under the Confluent
Community License, so these cases are written here for the same rules; each names
the rule it stands for in ``rule``. The Apache-2.0 Confluent cases (maven plugin)
are transcribed with their ``source`` in ``data/shared_conformance.jsonl``.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed import check_compatibility
from pytest_schemafed.formats import jsonschema as js
from pytest_schemafed.formats.jsonschema.context import Context, UnknownChangeType
from pytest_schemafed.formats.jsonschema.diff_object import UNEVALUATED
from pytest_schemafed.formats.jsonschema.diff_scalar import BOUNDS
from pytest_schemafed.formats.jsonschema.rules import (
    COMPATIBLE_CHANGES,
    FAMILY_IDS,
    NOT_EMITTED,
    RULES_BY_ID,
    family,
)

D2020 = "https://json-schema.org/draft/2020-12/schema"


def _arr(**kw: Any) -> dict[str, Any]:
    return {"$schema": D2020, "type": "array", "contains": {"type": "string"}, **kw}


def _obj(**kw: Any) -> dict[str, Any]:
    return {"$schema": D2020, "type": "object", "properties": {"a": {"type": "string"}}, **kw}


def _tup(**kw: Any) -> dict[str, Any]:
    return {"$schema": D2020, "type": "array", "prefixItems": [{"type": "string"}], **kw}


S, INT, N = {"type": "string"}, {"type": "integer"}, {"type": "null"}

# (rule, original, update, compatible): the newer Confluent rules.
CURRENT: list[tuple[str, Any, Any, bool]] = [
    ("MAX_CONTAINS_REMOVED", _arr(maxContains=2), _arr(), True),
    ("MAX_CONTAINS_INCREASED", _arr(maxContains=2), _arr(maxContains=3), True),
    ("MAX_CONTAINS_DECREASED", _arr(maxContains=3), _arr(maxContains=2), False),
    ("MIN_CONTAINS_REMOVED", _arr(minContains=2), _arr(), True),
    ("MIN_CONTAINS_DECREASED", _arr(minContains=3), _arr(minContains=2), True),
    ("MIN_CONTAINS_INCREASED", _arr(minContains=2), _arr(minContains=3), False),
    ("UNEVALUATED_PROPERTIES_ADDED", _obj(unevaluatedProperties=False), _obj(unevaluatedProperties=True), True),
    ("UNEVALUATED_PROPERTIES_EXTENDED", _obj(unevaluatedProperties=S), _obj(), True),
    ("UNEVALUATED_PROPERTIES_REMOVED", _obj(unevaluatedProperties=S), _obj(unevaluatedProperties=False), False),
    ("UNEVALUATED_ITEMS_ADDED", _tup(unevaluatedItems=False), _tup(unevaluatedItems=True), True),
    ("UNEVALUATED_ITEMS_EXTENDED", _tup(unevaluatedItems=S), _tup(), True),
    ("UNEVALUATED_ITEMS_REMOVED", _tup(unevaluatedItems=S), _tup(unevaluatedItems=False), False),
    # allOf -> anyOf with fewer members: the criterion is extended and the product narrowed.
    ("PRODUCT_TYPE_NARROWED", {"allOf": [S, {"maxLength": 3}, {"minLength": 1}]},
     {"anyOf": [S, {"maxLength": 3}]}, True),
    ("COMBINED_TYPE_EXTENDED", {"allOf": [S, {"maxLength": 3}]}, {"oneOf": [S]}, True),
    # A sum that loses a member stays breaking, whatever it becomes.
    ("SUM_TYPE_NARROWED", {"oneOf": [S, INT, N]}, {"anyOf": [S, INT]}, False),
    ("COMBINED_TYPE_CHANGED", {"anyOf": [S, INT]}, {"oneOf": [S, INT]}, False),
]


@pytest.mark.parametrize(("rule", "original", "update", "compatible"), CURRENT, ids=[c[0] for c in CURRENT])
def test_current_confluent_rule(
    rule: str, original: Any, update: Any, compatible: bool, diff_of: Callable[[Any, Any], list[str]]
) -> None:
    """The change is found with Confluent's id and the verdict is Confluent's current one."""
    found = [c.split(" ", 1)[0] for c in diff_of(original, update)]
    assert rule in found
    verdict = check_compatibility(json.dumps(update), [json.dumps(original)], format="json", level="BACKWARD")
    assert verdict.compatible is compatible, found


# ------------------------------------------------------------- meta: ids
_DIFFERS = Path(js.__file__).parent


def _literal_ids() -> set[str]:
    """Every UPPER_SNAKE string constant in the differ modules, less the family prefixes.

    Ids reach ``ctx.add`` directly or through small helpers (``_covered(ctx, ..., "X", "Y")``),
    so every such constant counts; composed ids come from :func:`family` (``FAMILY_IDS``).
    """
    prefixes = set(BOUNDS) | set(UNEVALUATED)
    ids: set[str] = set()
    for path in [*_DIFFERS.glob("diff*.py"), _DIFFERS / "differ.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"[A-Z]+(_[A-Z]+)+", node.value) and node.value not in prefixes:
                ids.add(node.value)
    return ids


def test_every_emittable_id_is_in_the_table_with_sentence_hint_and_severity() -> None:
    """Static ids and composed families all exist; every breaking one has a purpose and a hint."""
    emittable = _literal_ids() | FAMILY_IDS
    assert emittable - set(RULES_BY_ID) == set()
    for rule_id in emittable:
        rule = RULES_BY_ID[rule_id]
        assert rule.purpose.startswith("Checks ")
        # Severity: a compatible change never becomes a finding; a breaking one is an error with a hint.
        assert rule_id in COMPATIBLE_CHANGES or rule.hint, rule_id


def test_every_table_entry_can_be_emitted() -> None:
    """No rule in the table is dead, except the documented NOT_EMITTED ones."""
    assert set(RULES_BY_ID) - NOT_EMITTED == _literal_ids() | FAMILY_IDS


def test_unknown_change_type_is_refused_when_recorded() -> None:
    """An id that is not in the table is a bug that fails at once, never a finding."""
    with pytest.raises(UnknownChangeType):
        Context(COMPATIBLE_CHANGES).add("MAX_LENGTH_SHRUNK")
    with pytest.raises(KeyError):
        family("MAX_LENGTH", ("ADDED", "SHRUNK"))


# -------------------------------------------------- cost and inner change
def _chain(depth: int, leaf: str) -> str:
    defs: dict[str, Any] = {"L0": {"type": leaf}}
    for i in range(1, depth + 1):
        ref = {"$ref": f"#/$defs/L{i - 1}"}
        alternatives = [ref, {"type": "array", "items": ref}, {"type": "object", "additionalProperties": ref}]
        defs[f"L{i}"] = {"anyOf": alternatives}
    return json.dumps({"$schema": D2020, "$defs": defs, "$ref": f"#/$defs/L{depth}"}, indent=1)


def test_twelve_levels_of_nested_anyof_compare_in_bounded_time() -> None:
    """Each (old, new) pair is compared once: 12 levels (3**12 paths) finish, with the right verdict.

    Without the memo this takes minutes; the bound here is generous (timing is in ``make bench``).
    """
    import time

    start = time.monotonic()
    broken = check_compatibility(_chain(12, "integer"), [_chain(12, "string")], format="json", level="BACKWARD")
    same = check_compatibility(_chain(12, "string"), [_chain(12, "string")], format="json", level="BACKWARD")
    widened = check_compatibility(_chain(12, "number"), [_chain(12, "integer")], format="json", level="BACKWARD")
    assert time.monotonic() - start < 20
    assert not broken.compatible and same.compatible and widened.compatible


def test_finding_names_and_locates_the_change_inside_the_alternative() -> None:
    """A one-keyword change in one oneOf alternative: Confluent's id, the inner change's place and words."""
    old = {"type": "object", "properties": {"p": {"oneOf": [N, {"type": "object", "properties": {
        "q": {"type": "string", "maxLength": 10}}}]}}}
    new = json.loads(json.dumps(old))
    new["properties"]["p"]["oneOf"][1]["properties"]["q"]["maxLength"] = 5
    text = json.dumps(new, indent=2)
    verdict = check_compatibility(text, [json.dumps(old, indent=2)], format="json", level="BACKWARD")
    [finding] = verdict.findings
    assert finding.rule == "COMBINED_TYPE_SUBSCHEMAS_CHANGED"
    assert finding.path == "#/properties/p/oneOf/1/properties/q/maxLength"
    assert finding.line == next(n for n, line in enumerate(text.splitlines(), 1) if '"maxLength"' in line)
    assert "`maxLength` goes down from 10 to 5" in finding.message
    assert finding.hint == RULES_BY_ID["MAX_LENGTH_DECREASED"].hint


def test_type_change_between_same_spelled_types_names_the_kinds() -> None:
    """An object that becomes a combination is not told as "from "object" to "object"."""
    old = {"type": "object", "properties": {"a": {"type": "object"}}}
    new = {"type": "object", "properties": {"a": {"type": "object", "anyOf": [{"required": ["x"]}]}}}
    verdict = check_compatibility(json.dumps(new), [json.dumps(old)], format="json", level="BACKWARD")
    [finding] = verdict.findings
    assert finding.rule == "TYPE_CHANGED"
    assert '"object" to "object"' not in finding.message
    assert "an object schema to a combination" in finding.message
