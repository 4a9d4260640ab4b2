"""Zero config on a realistic repository: the first run is green, a break in a referenced file fails its users.

Each test builds a fresh git repository (no configuration at all) holding JSON Schemas
that refer to each other by relative path, ``./``, ``../`` and ``$id``, one that refers
to the draft-07 meta-schema, a buf-style Protobuf tree, and the instance files every
JavaScript repository has (renovate, biome, tsconfig, package.json, eslint).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import git, write_files

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

ADDRESS = json.dumps({
    "type": "object",
    "properties": {"street": {"type": "string", "maxLength": 100}, "zip": {"type": "string"}},
}, indent=2)
ORDER = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://example.com/schemas/order.json",
    "type": "object",
    "properties": {
        "shipping": {"$ref": "address.schema.json"},
        "customer": {"$ref": "./customer.schema.json"},
        "total": {"$ref": "../common/money.schema.json"},
        "item": {"$ref": "https://example.com/catalog/item.json"},
    },
}, indent=2)
INVOICE = json.dumps({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"billing": {"$ref": "./address.schema.json#"}, "note": {"type": "string"}},
}, indent=2)
PLUGIN_CONFIG = json.dumps({  # a schema for plugin settings that embeds a user-written schema
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {"settings_schema": {"$ref": "http://json-schema.org/draft-07/schema#"}},
}, indent=2)
FILES = {
    "schemas/order.schema.json": ORDER,
    "schemas/invoice.schema.json": INVOICE,
    "schemas/address.schema.json": ADDRESS,
    "schemas/customer.schema.json": json.dumps({"type": "object", "properties": {"name": {"type": "string"}}}),
    "schemas/plugin.json": PLUGIN_CONFIG,
    "common/money.schema.json": json.dumps({"type": "object", "properties": {"amount": {"type": "number"}}}),
    # referred to by its $id only; no $schema and no .schema.json: not collected itself
    "catalog/item.json": json.dumps({"$id": "https://example.com/catalog/item.json", "type": "object",
                                     "properties": {"sku": {"type": "string"}}}),
    "proto/shop/v1/money.proto": 'syntax = "proto3";\npackage shop.v1;\nmessage Money { int64 units = 1; }\n',
    "proto/shop/v1/payment.proto": 'syntax = "proto3";\npackage shop.v1;\nimport "shop/v1/money.proto";\n'
                                   "message Payment { string id = 1; Money amount = 2; }\n",
    "renovate.json": json.dumps({"$schema": "https://docs.renovatebot.com/renovate-schema.json",
                                 "extends": ["config:recommended"]}),
    "biome.json": json.dumps({"$schema": "https://biomejs.dev/schemas/1.9.4/schema.json",
                              "formatter": {"enabled": True}}),
    "tsconfig.json": json.dumps({"$schema": "https://json.schemastore.org/tsconfig",
                                 "compilerOptions": {"strict": True}}),
    "package.json": json.dumps({"name": "shop", "version": "1.0.0", "$schema": "https://json.schemastore.org/package"}),
    ".eslintrc.json": json.dumps({"$schema": "https://json.schemastore.org/eslintrc", "root": True}),
    "web/eslint.config.json": json.dumps({"$schema": "https://json.schemastore.org/eslintrc", "rules": {}}),
}
SCHEMA_ITEMS = [
    "common/money.schema.json", "proto/shop/v1/money.proto", "proto/shop/v1/payment.proto",
    "schemas/address.schema.json", "schemas/customer.schema.json", "schemas/invoice.schema.json",
    "schemas/order.schema.json", "schemas/plugin.json",
]
INSTANCES = ["renovate.json", "biome.json", "tsconfig.json", "package.json", ".eslintrc.json", "eslint.config.json",
             "catalog/item.json"]
BUF_LAYOUTS = {
    "no-buf-config": {},
    "buf.yaml-v2-modules": {"buf.yaml": "version: v2\nmodules:\n  - path: proto\n"},
    "buf.yaml-v1-in-module": {"proto/buf.yaml": "version: v1\n"},
    "buf.work.yaml": {"buf.work.yaml": "version: v1\ndirectories:\n  - proto\n", "proto/buf.yaml": "version: v1\n"},
}


def _repo(pytester: pytest.Pytester, extra: dict[str, str] | None = None) -> Path:
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {**FILES, **(extra or {})})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    return root


@pytest.mark.parametrize("layout", sorted(BUF_LAYOUTS))
def test_first_run__green_on_refs_meta_schema_buf_tree_and_instance_files(
    pytester: pytest.Pytester, layout: str
) -> None:
    """No configuration: every schema item passes, with and without buf files; the instances are not collected."""
    _repo(pytester, BUF_LAYOUTS[layout])
    result = pytester.runpytest("--schemafed", "-v", "-p", "no:randomly")
    out = result.stdout.str()
    result.assert_outcomes(passed=len(SCHEMA_ITEMS))
    for item in SCHEMA_ITEMS:
        assert f"{item}::git PASSED" in out, out
    for instance in INSTANCES:
        assert f"{instance}::" not in out, out
    assert result.ret == 0


@pytest.mark.parametrize(("layout", "how"), [
    ("no-buf-config", "proto (package)"),
    ("buf.yaml-v2-modules", "proto (buf.yaml)"),
    ("buf.yaml-v1-in-module", "proto (proto/buf.yaml)"),
    ("buf.work.yaml", "proto (buf.work.yaml)"),
])
def test_header__names_the_protobuf_import_roots_and_where_they_come_from(
    pytester: pytest.Pytester, layout: str, how: str
) -> None:
    """One header line says which roots the .proto files use: from buf's files, else from their package."""
    _repo(pytester, BUF_LAYOUTS[layout])
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    lines = [line for line in result.stdout.lines if "protobuf import roots" in line]
    assert lines == [f"schemafed: protobuf import roots: {how}"], result.stdout.str()


def test_breaking_change_in_referenced_file__fails_every_schema_that_refers_to_it(pytester: pytest.Pytester) -> None:
    """address.schema.json's zip becomes an integer: order and invoice (which $ref it) fail at their $ref line."""
    root = _repo(pytester)
    broken = json.loads(ADDRESS)
    broken["properties"]["zip"] = {"type": "integer"}
    (root / "schemas/address.schema.json").write_text(json.dumps(broken, indent=2))
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    out = result.stdout.str()
    result.assert_outcomes(passed=len(SCHEMA_ITEMS) - 3, failed=3)
    order_line = next(i for i, t in enumerate(ORDER.splitlines(), 1) if '"shipping"' in t)
    invoice_line = next(i for i, t in enumerate(INVOICE.splitlines(), 1) if '"billing"' in t)
    assert f"schemas/order.schema.json:{order_line}:" in out, out
    assert f"schemas/invoice.schema.json:{invoice_line}:" in out, out
    assert "schemas/address.schema.json:" in out
    assert out.count("TYPE_CHANGED") >= 3, out
    assert 'the type changes from "string" to "integer"' in out
    assert "in schemas/address.schema.json:" in out  # where in the referenced file the change is
    assert "Traceback" not in out


def test_compatible_change_in_referenced_file__passes(pytester: pytest.Pytester) -> None:
    """street's maxLength goes up from 100 to 200 in the referenced file: BACKWARD compatible, all pass."""
    root = _repo(pytester)
    changed = json.loads(ADDRESS)
    changed["properties"]["street"]["maxLength"] = 200
    (root / "schemas/address.schema.json").write_text(json.dumps(changed, indent=4))
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    result.assert_outcomes(passed=len(SCHEMA_ITEMS))


@pytest.mark.parametrize(("ref", "looked"), [
    ("gift.schema.json", "no file schemas/gift.schema.json (nothing is fetched)"),
    ("../shared/gift.schema.json", "no file shared/gift.schema.json (nothing is fetched)"),
    ("https://example.com/nowhere/promo.json",
     "no local file declares this $id (searched the .json files under the repository)"),
], ids=["sibling", "parent", "by-id"])
def test_unresolvable_ref__one_line_naming_the_ref_and_where_it_was_looked_for(
    pytester: pytest.Pytester, ref: str, looked: str
) -> None:
    """A $ref to a file that is not there fails its item with one line: the reference, the place(s) looked at."""
    root = _repo(pytester)
    order = json.loads(ORDER)
    order["properties"]["gift"] = {"$ref": ref}
    text = json.dumps(order, indent=2)
    (root / "schemas/order.schema.json").write_text(text)
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    out = result.stdout.str()
    result.assert_outcomes(passed=len(SCHEMA_ITEMS) - 1, failed=1)
    lines = [line for line in out.splitlines() if "cannot resolve $ref" in line and "FAILED" not in line]
    assert len(lines) == 1, out
    line = next(i for i, t in enumerate(text.splitlines(), 1) if f'"$ref": "{ref}"' in t)
    assert f"schemas/order.schema.json:{line}:" in lines[0], lines[0]
    assert f"cannot resolve $ref {ref!r}: {looked}" in lines[0], lines[0]


def test_ref_that_leaves_the_repository__refused_unread(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A ../ path out of the repository is one refusal line; the file outside is not read."""
    root = _repo(pytester)
    secret = root.parent / "outside.schema.json"
    secret.write_text('{"type": "object", "properties": {"canary-4711": {"type": "string"}}}')
    order = json.loads(ORDER)
    order["properties"]["leak"] = {"$ref": "../../outside.schema.json"}
    (root / "schemas/order.schema.json").write_text(json.dumps(order, indent=2))
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    out = result.stdout.str()
    result.assert_outcomes(passed=len(SCHEMA_ITEMS) - 1, failed=1)
    assert "cannot resolve $ref '../../outside.schema.json'" in out
    assert "leads outside the repository" in out
    assert "canary-4711" not in out


def test_json_schema_dialects__a_listed_meta_schema_makes_a_json_file_a_schema(pytester: pytest.Pytester) -> None:
    """With json_schema_dialects: [url], a .json whose $schema is that url is collected; renovate.json still not."""
    dialect = "https://schemas.example.com/company-dialect.json"
    _repo(pytester, {
        "events/click.json": json.dumps({"$schema": dialect, "type": "object"}),
        "schemafed.yaml": f"json_schema_dialects: [{dialect}]\n",
    })
    result = pytester.runpytest("--schemafed", "-v", "-p", "no:randomly")
    out = result.stdout.str()
    assert "events/click.json::git PASSED" in out, out
    assert "renovate.json::" not in out
    result.assert_outcomes(passed=len(SCHEMA_ITEMS) + 1)


def test_json_schema_dialects__not_a_uri_is_a_config_error_naming_the_key(pytester: pytest.Pytester) -> None:
    """A dialect that is not an absolute URI stops the run with one line naming json_schema_dialects[0]."""
    _repo(pytester, {"schemafed.yaml": "json_schema_dialects: ['not a uri']\n"})
    result = pytester.runpytest("--schemafed", "-p", "no:randomly")
    assert result.ret != 0
    assert "json_schema_dialects[0]" in result.stderr.str() + result.stdout.str()
