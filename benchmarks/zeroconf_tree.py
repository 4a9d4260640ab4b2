"""Assemble a large zero-config repository: a SchemaStore-shaped JSON Schema tree and a buf-layout proto tree.

Usage: ``python benchmarks/zeroconf_tree.py OUT GOOGLEAPIS VENDOR``, then ``cd OUT && pytest --schemafed``.

* GOOGLEAPIS: the unpacked ``googleapis-common-protos`` wheel (its ``google/`` folder:
  63 real ``.proto`` files that import each other and ``google/protobuf/*``);
* VENDOR: ``check_jsonschema/builtin_schemas/vendor`` (real SchemaStore schemas).

To them it adds 45 SchemaStore-shaped schemas that refer to each other and to
``base.json`` by ``$id`` (``https://json.schemastore.org/...``), by relative path and
``./``, to the draft-07 meta-schema, 12 API resources that reach ``../../components``,
60 ``acme/<domain>/v1`` protos importing each other and googleapis, a ``buf.yaml`` v2,
and renovate/biome/tsconfig/eslint/package.json instance files; then commits.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

root, gapi, vendor = (Path(a) for a in sys.argv[1:4])
if root.exists():
    shutil.rmtree(root)
root.mkdir(parents=True)
rng = random.Random(17)
# ---- JSON: SchemaStore shape: src/schemas/json/*.json with $id https://json.schemastore.org/<name>.json
js = root / "src/schemas/json"
js.mkdir(parents=True)
real = sorted(p for p in vendor.glob("*.json"))
for p in real:  # real SchemaStore schemas, as check-jsonschema vendors them
    shutil.copy(p, js / p.name)
base = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "https://json.schemastore.org/base.json",
        "definitions": {"path": {"type": "string", "minLength": 1},
                        "semver": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"},
                        "env": {"type": "object", "additionalProperties": {"type": "string"}}}}
(js / "base.json").write_text(json.dumps(base, indent=2))
common = root / "src/schemas/json/common"
common.mkdir()
(common / "person.json").write_text(json.dumps({"$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://json.schemastore.org/common/person.json", "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"},
                   "url": {"$ref": "../base.json#/definitions/path"}}}, indent=2))
names = [f"tool-{i:02d}" for i in range(45)]
for i, name in enumerate(names):
    props = {
        "version": {"$ref": "https://json.schemastore.org/base.json#/definitions/semver"},
        "env": {"$ref": "base.json#/definitions/env"},
        "author": {"$ref": "./common/person.json"},
        "extends": {"$ref": "http://json-schema.org/draft-07/schema#"} if i % 5 == 0 else {"type": "string"},
    }
    if i:
        other = names[rng.randrange(i)]
        props["plugin"] = {"$ref": f"https://json.schemastore.org/{other}.json"}
    doc = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": f"https://json.schemastore.org/{name}.json",
           "title": name, "type": "object", "properties": props}
    (js / f"{name}.json").write_text(json.dumps(doc, indent=2))
# an API spec shaped tree: components/ referenced with ../
api = root / "api"
(api / "components").mkdir(parents=True)
(api / "components/error.schema.json").write_text(json.dumps({"type": "object", "properties": {
    "code": {"type": "integer"}, "message": {"type": "string"}}}, indent=2))
(api / "components/page.schema.json").write_text(json.dumps({"type": "object", "properties": {
    "next": {"type": "string"}, "size": {"type": "integer", "maximum": 500}}}, indent=2))
for i in range(12):
    d = api / f"v1/resource{i:02d}"
    d.mkdir(parents=True)
    (d / "item.schema.json").write_text(json.dumps({"type": "object", "properties": {
        "id": {"type": "string"}, "error": {"$ref": "../../components/error.schema.json"},
        "page": {"$ref": "../../components/page.schema.json#/properties/size"}}}, indent=2))
# instances
for name, url in [("renovate.json", "https://docs.renovatebot.com/renovate-schema.json"),
                  ("biome.json", "https://biomejs.dev/schemas/1.9.4/schema.json"),
                  ("tsconfig.json", "https://json.schemastore.org/tsconfig"),
                  (".eslintrc.json", "https://json.schemastore.org/eslintrc")]:
    (root / name).write_text(json.dumps({"$schema": url}))
(root / "package.json").write_text(json.dumps({"name": "big", "version": "1.0.0"}))
# ---- Protobuf: buf v2 layout, googleapis' common protos plus a generated acme tree
proto = root / "proto"
shutil.copytree(gapi / "google", proto / "google")
(root / "buf.yaml").write_text("version: v2\nmodules:\n  - path: proto\n")
domains = ["shop", "billing", "identity", "catalog", "shipping"]
for d in domains:
    for k in range(12):
        folder = proto / "acme" / d / "v1"
        folder.mkdir(parents=True, exist_ok=True)
        imports = ['import "google/type/money.proto";', 'import "google/protobuf/timestamp.proto";']
        fields = ["  string id = 1;", "  google.type.Money price = 2;", "  google.protobuf.Timestamp at = 3;"]
        if k:
            imports.append(f'import "acme/{d}/v1/thing{k - 1:02d}.proto";')
            fields.append(f"  Thing{k - 1:02d} previous = 4;")
        if d != "shop":
            imports.append('import "acme/shop/v1/thing00.proto";')
            fields.append("  acme.shop.v1.Thing00 shop = 5;")
        text = f'syntax = "proto3";\npackage acme.{d}.v1;\n' + "\n".join(imports) + \
            f"\nmessage Thing{k:02d} {{\n" + "\n".join(fields) + "\n}\n"
        (folder / f"thing{k:02d}.proto").write_text(text)
env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
       "GIT_COMMITTER_EMAIL": "a@b"}
for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "released"]):
    subprocess.run(["git", *args], cwd=root, check=True, env=env)
print(sum(1 for _ in root.rglob("*.json")), "json files,", sum(1 for _ in root.rglob("*.proto")), "proto files")
