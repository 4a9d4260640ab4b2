"""Advisories: changes Confluent accepts that commonly bite later, as warnings that never fail.

Also the rule-table meta-test: every id the Protobuf engine can emit has a sentence,
a hint and a severity in a table, and every table entry is produced by some test case.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from pytest_schemafed import check_compatibility
from pytest_schemafed.formats import protobuf as pb
from pytest_schemafed.formats.protobuf import COMPATIBLE_CHANGES, ProtobufFormat
from pytest_schemafed.formats.protobuf.advisories import ADVISORIES, ADVISORY_RULES
from pytest_schemafed.formats.protobuf.diff import CHANGE_TYPES
from pytest_schemafed.formats.protobuf.rules import RULES, TEMPLATES
from pytest_schemafed.model import Severity

from .protobuf_kit import ProtoKit

P3 = 'syntax = "proto3";\npackage shop.v1;\n'
OLD = P3 + "message Order {\n  string id = 1;\n  int64 placed_at = 2;\n  int64 paid_at = 3;\n}\n"
ENUM_OLD = P3 + "enum State {\n  STATE_UNKNOWN = 0;\n  PAID = 1;\n  SHIPPED = 2;\n}\n"


def test_field_removed_without_reserved__is_a_warning_naming_number_and_name(kit: ProtoKit) -> None:
    """Deleting `paid_at = 3` without reserving it: a warning at the message, no error."""
    new = P3 + "message Order {\n  string id = 1;\n  int64 placed_at = 2;\n}\n"
    findings = kit.backward_all(new, OLD)
    assert [(f.rule, f.severity) for f in findings] == [("FIELD_REMOVED_WITHOUT_RESERVED", Severity.WARNING)]
    assert "field 3 `paid_at` removed" in findings[0].message
    assert "without `reserved 3;`" in findings[0].message
    assert findings[0].path == "shop.v1.Order" and findings[0].line == 3


def test_field_removed_with_reserved_number_and_name__no_warning(kit: ProtoKit) -> None:
    """`reserved 3; reserved "paid_at";` is the fix: nothing to report."""
    new = P3 + 'message Order {\n  reserved 3;\n  reserved "paid_at";\n  string id = 1;\n  int64 placed_at = 2;\n}\n'
    assert kit.backward_all(new, OLD) == []


def test_field_removed_with_only_the_number_reserved__warns_about_the_name(kit: ProtoKit) -> None:
    """A reserved number without the name still lets the name be reused (JSON, text format)."""
    new = P3 + "message Order {\n  reserved 2 to 3;\n  string id = 1;\n  int64 placed_at = 2;\n}\n".replace(
        "  int64 placed_at = 2;\n", "")
    findings = kit.backward_all(new, OLD)
    assert {f.rule for f in findings} == {"FIELD_REMOVED_WITHOUT_RESERVED"}
    assert all('`reserved "' in f.message and "`reserved 3;`" not in f.message for f in findings)


def test_forward__a_field_removed_in_the_new_file_is_seen_as_added_and_still_warned(kit: ProtoKit) -> None:
    """FORWARD diffs the new file as writer: the deletion is FIELD_ADDED there, the advisory is the same."""
    new = P3 + "message Order {\n  string id = 1;\n  int64 placed_at = 2;\n}\n"
    findings = kit.forward_all(new, OLD)
    assert [f.rule for f in findings] == ["FIELD_REMOVED_WITHOUT_RESERVED"]
    assert "field 3 `paid_at`" in findings[0].message


def test_enum_value_removed_without_reserved__warning(kit: ProtoKit) -> None:
    """Deleting an enum value: same advisory for enums."""
    new = P3 + "enum State {\n  STATE_UNKNOWN = 0;\n  PAID = 1;\n}\n"
    findings = kit.backward_all(new, ENUM_OLD)
    assert [(f.rule, f.severity) for f in findings] == [("ENUM_VALUE_REMOVED_WITHOUT_RESERVED", Severity.WARNING)]
    assert "enum value 2 `SHIPPED` removed from enum `shop.v1.State`" in findings[0].message


def test_field_renamed__warning_at_the_field(kit: ProtoKit) -> None:
    """A rename keeps the wire format but breaks JSON and field masks: a warning at the new field."""
    new = OLD.replace("paid_at", "settled_at")
    findings = kit.backward_all(new, OLD)
    assert [f.rule for f in findings] == ["FIELD_RENAMED"]
    assert "`paid_at`" in findings[0].message and "`settled_at`" in findings[0].message
    assert findings[0].line == 6 and findings[0].path == "shop.v1.Order.settled_at"


def test_warnings_never_change_the_verdict() -> None:
    """A pair with only advisories is compatible, and its warnings are kept in the verdict."""
    new = P3 + "message Order {\n  string id = 1;\n  int64 placed_at = 2;\n}\n"
    verdict = check_compatibility(new, [OLD], format="protobuf", level="BACKWARD")
    assert verdict.compatible
    assert [f.severity for f in verdict.findings] == [Severity.WARNING]


# ------------------------------------------------------------- meta: ids
def _emitted_ids() -> set[str]:
    """Every UPPER_SNAKE constant inside the functions of diff.py and oneofs.py (ids reach
    ``ctx.add`` directly or through a value they return), less the scalar wire groups."""
    from pytest_schemafed.formats.protobuf.diff import _SCALAR_KIND

    here = Path(pb.__file__)
    tree = ast.Module(
        body=[s for name in ("diff.py", "oneofs.py") for s in ast.parse(here.with_name(name).read_text()).body],
        type_ignores=[],
    )
    ids = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        for const in ast.walk(func):
            if isinstance(const, ast.Constant) and isinstance(const.value, str) \
                    and re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)+", const.value):
                ids.add(const.value)
    return ids - set(_SCALAR_KIND.values())


def test_every_emitted_id_is_known_and_every_error_has_sentence_hint_and_severity() -> None:
    """Differences are Confluent types; the breaking ones are error rules with a template and a hint."""
    emitted = _emitted_ids()
    assert emitted <= set(CHANGE_TYPES)
    table = {r.id: r for r in ProtobufFormat.rules}
    for rule_id in emitted - COMPATIBLE_CHANGES:
        assert rule_id in TEMPLATES and table[rule_id].hint and table[rule_id].purpose.startswith("Checks that ")
    for rule in ADVISORY_RULES:
        assert rule.id in ADVISORIES and rule.hint and rule.purpose.startswith("Checks that ")


def test_every_table_entry_is_emitted_by_the_engine() -> None:
    """No dead entry: each error rule is emitted by diff.py, each advisory has its check."""
    assert {r.id for r in RULES} <= _emitted_ids()
    assert {r.id for r in ADVISORY_RULES} == set(ADVISORIES)
    assert [r.id for r in ProtobufFormat.rules] == [r.id for r in (*RULES, *ADVISORY_RULES)]


def test_every_rule_and_template_is_asserted_by_some_test() -> None:
    """Each error rule, advisory and sentence variant is named in a test of this folder (no dead entry)."""
    here = Path(__file__).parent
    sources = "\n".join(p.read_text() for p in here.glob("test_*.py"))
    sources = sources.replace(inspect.getsource(test_every_rule_and_template_is_asserted_by_some_test), "")
    fixtures = {p.name.upper() for p in (here / "data").iterdir() if p.is_dir()}
    for rule in (*RULES, *ADVISORY_RULES):
        assert f'"{rule.id}' in sources or rule.id in fixtures, rule.id
    variants = {"FIELD_NAMED_TYPE_CHANGED:definition": "keeps its name, but its definition"}
    assert {k for k in TEMPLATES if ":" in k} == set(variants)
    for key, phrase in variants.items():
        assert phrase in TEMPLATES[key] and phrase in sources, key
