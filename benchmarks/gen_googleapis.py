"""A googleapis-shaped Protobuf repository: thousands of files in nested packages, tangled imports.

    python benchmarks/gen_googleapis.py --files 3000 --changed 300 --out DIR

Shape (what makes googleapis slow to check, kept here):

* nested packages ``google/<area>/<product>/v<n>/`` with a handful of files each
  (``resources.proto``, ``service.proto``, ``<noun>.proto``...), package ``google.<area>.<product>.v<n>``;
* a shared tier (``google/type/``, ``google/rpc/``, ``google/api/``, ``google/longrunning/``)
  imported with a long-tailed (Zipf) popularity, plus the bundled well-known types
  (``google/protobuf/timestamp.proto``...);
* each file imports several others: shared files, earlier files of its package and the
  ``resources.proto`` of earlier packages (the graph is acyclic, as protoc demands), and
  uses the imported messages as field types;
* a second commit changes ``--changed`` files: fields added, messages added, enum values
  added (some of them in shared files, so that their importers' closure changes too), and
  some breaking edits (a scalar field's wire type changed, or a numeric field made
  repeated) on files no other file imports.

A breaking edit here breaks under both buf's default ``FILE`` rules and Confluent's
BACKWARD rules, and a compatible one is compatible under both, so the labels hold for
``buf breaking`` and for the gate alike. The repository is a git repository whose branch
``main`` holds the released files and whose branch ``change`` (checked out) holds the
edits; ``edits.tsv`` lists every changed file: ``path\\tedit\\tbreaks`` (``true``/``false``).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

AREAS = ["ads", "analytics", "api", "appengine", "bigtable", "billing", "chat", "cloud", "container",
         "datastore", "devtools", "firestore", "genomics", "iam", "logging", "maps", "monitoring", "pubsub",
         "search", "shopping", "spanner", "storage", "streetview", "actions", "home", "identity",
         "privacy", "security", "marketing", "partner"]
PRODUCTS = ["admin", "asset", "audit", "batch", "builder", "catalog", "channel", "compute", "connect", "data",
            "deploy", "dialog", "event", "file", "filter", "gateway", "index", "insight", "job", "key",
            "lineage", "media", "metric", "network", "notebook", "order", "policy", "quota", "recommend",
            "report", "resource", "run", "scheduler", "secret", "service", "source", "speech", "support",
            "task", "trace", "translate", "usage", "video", "vision", "workflow", "workspace"]
NOUNS = ["account", "alert", "binding", "bucket", "campaign", "cluster", "config", "dataset", "device",
         "document", "endpoint", "entry", "feed", "group", "instance", "label", "listing", "member",
         "model", "node", "operation", "profile", "project", "queue", "record", "region", "replica",
         "rule", "session", "snapshot", "table", "tag", "template", "topic", "user", "version", "volume",
         "zone"]
WORDS = ["name", "display_name", "create_time", "update_time", "etag", "state", "labels", "description",
         "parent", "page_size", "page_token", "filter", "order_by", "uid", "region", "kind", "count", "size",
         "owner", "priority", "enabled", "weight", "score", "location", "source", "target", "mode", "level",
         "status", "reason", "value", "detail", "unit", "limit", "offset", "version", "revision", "tier"]
SCALARS = ["string", "int32", "int64", "bool", "double", "uint32", "bytes", "float"]
NUMERIC = ["int32", "int64", "bool", "uint32", "uint64", "sint32"]
SHARED = {"google/type": ["money", "date", "latlng", "color", "postal_address", "interval", "expr", "decimal",
                          "timeofday", "dayofweek", "fraction", "localized_text", "phone_number", "month",
                          "quaternion", "calendar_period"],
          "google/rpc": ["status", "code", "error_details", "context"],
          "google/api": ["resource", "field_info", "launch_stage", "label", "monitored_resource", "metric",
                         "distribution", "httpbody", "visibility", "backend", "billing", "quota"],
          "google/longrunning": ["operations"], "google/iam/v1": ["policy", "options"]}
WELLKNOWN = {"google/protobuf/timestamp.proto": "google.protobuf.Timestamp",
             "google/protobuf/duration.proto": "google.protobuf.Duration",
             "google/protobuf/field_mask.proto": "google.protobuf.FieldMask",
             "google/protobuf/struct.proto": "google.protobuf.Struct"}


@dataclass
class ProtoFile:
    """One file of the repository, as data (rendered by :meth:`text`)."""

    path: str
    package: str
    imports: list[str]
    messages: list[dict[str, object]]
    enum: dict[str, object]
    imported_by: int = 0
    edits: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = ['syntax = "proto3";', "", f"package {self.package};", ""]
        out += [f'import "{name}";' for name in self.imports]
        out += ["", f'option java_package = "com.{self.package}";', "", f"// {self.path}: generated.", ""]
        out.append(f"enum {self.enum['name']} {{")
        out += [f"  {name} = {number};" for name, number in self.enum["values"]]  # type: ignore[attr-defined]
        out += ["}", ""]
        for message in self.messages:
            out.append(f"message {message['name']} {{")
            for label, type_, name, number in message["fields"]:  # type: ignore[attr-defined]
                out.append(f"  {label}{type_} {name} = {number};")
            out += ["}", ""]
        return "\n".join(out)


def _message(rng: random.Random, name: str, n: int, foreign: list[str]) -> dict[str, object]:
    used: set[str] = set()
    fields: list[list[object]] = []
    for number in range(1, n + 1):
        word = rng.choice(WORDS)
        while word in used:
            word = f"{rng.choice(WORDS)}_{number}"
        used.add(word)
        type_ = rng.choice(foreign) if foreign and rng.random() < 0.3 else rng.choice(SCALARS)
        label = "repeated " if rng.random() < 0.15 else ""
        fields.append([label, type_, word, number])
    return {"name": name, "fields": fields}


def _camel(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


def _shared_files(rng: random.Random) -> list[ProtoFile]:
    files = []
    for folder, stems in SHARED.items():
        package = folder.replace("/", ".")
        for stem in stems:
            msgs = [_message(rng, _camel(stem), rng.randint(3, 8), [])]
            enum = {"name": _camel(stem) + "Kind", "values": [(f"{stem.upper()}_KIND_UNSPECIFIED", 0),
                                                               (f"{stem.upper()}_KIND_A", 1)]}
            files.append(ProtoFile(f"{folder}/{stem}.proto", package, [], msgs, enum))
    return files


def _zipf_pick(rng: random.Random, items: list[ProtoFile], k: int) -> list[ProtoFile]:
    weights = [1.0 / (i + 1) ** 1.1 for i in range(len(items))]
    chosen: dict[str, ProtoFile] = {}
    for _ in range(k * 3):
        if len(chosen) == k:
            break
        f = rng.choices(items, weights)[0]
        chosen[f.path] = f
    return list(chosen.values())


def generate(files: int, seed: int) -> list[ProtoFile]:
    """Every file of the released repository, shared tier first (importers after what they import)."""
    rng = random.Random(seed)
    shared = _shared_files(rng)
    out: list[ProtoFile] = list(shared)
    resources: list[ProtoFile] = []
    folders: set[str] = set()
    while len(out) < files:
        area, product = rng.choice(AREAS), rng.choice(PRODUCTS)
        version = rng.choice(["v1", "v1", "v2", "v1beta1", "v1alpha"])
        folder = f"google/{area}/{product}/{version}"
        while folder in folders:
            folder = f"{folder}/{rng.choice(NOUNS)}"
        folders.add(folder)
        package = folder.replace("/", ".")
        stems = ["resources", *rng.sample(NOUNS, rng.randint(2, 7)), "service"]
        local: list[ProtoFile] = []
        for stem in stems:
            if len(out) >= files:
                break
            imports = _zipf_pick(rng, shared, rng.randint(1, 4))
            imports += local[-rng.randint(0, 2):] if local else []
            if resources and rng.random() < 0.6:
                imports += rng.sample(resources[-300:], min(len(resources[-300:]), rng.randint(1, 2)))
            names = list(dict.fromkeys(f.path for f in imports))
            wk = rng.sample(sorted(WELLKNOWN), rng.randint(0, 2))
            foreign = [f"{f.package}.{f.messages[0]['name']}" for f in imports] + [WELLKNOWN[w] for w in wk]
            prefix = _camel(stem)
            msgs = [_message(rng, prefix + suffix, rng.randint(4, 14), foreign)
                    for suffix in ["", "Request", "Response", "Spec", "Status"][:rng.randint(2, 5)]]
            enum = {"name": prefix + "State", "values": [(f"{stem.upper()}_STATE_UNSPECIFIED", 0)] +
                    [(f"{stem.upper()}_{w.upper()}", i + 1) for i, w in enumerate(rng.sample(WORDS, 3))]}
            pf = ProtoFile(f"{folder}/{stem}.proto", package, names + wk, msgs, enum)
            for f in imports:
                f.imported_by += 1
            local.append(pf)
            out.append(pf)
        if local:
            resources.append(local[0])
    return out


def _edit(rng: random.Random, pf: ProtoFile, breaking: bool) -> bool:
    """Apply one edit to ``pf``; returns whether it breaks (False when no breaking edit fits)."""
    message = rng.choice(pf.messages)
    fields: list[list[object]] = message["fields"]  # type: ignore[assignment]
    if breaking:
        numeric = [f for f in fields if f[1] in NUMERIC and not f[0]]
        if numeric:
            f = rng.choice(numeric)
            if rng.random() < 0.5:
                f[1] = "string"
                pf.edits.append(f"change_type {message['name']}.{f[2]}")
            else:
                f[0] = "repeated "
                pf.edits.append(f"change_label {message['name']}.{f[2]}")
            return True
    kind = rng.choice(["add_field", "add_field", "add_message", "add_enum_value"])
    if kind == "add_field":
        number = max(int(f[3]) for f in fields) + 1  # type: ignore[call-overload]
        fields.append(["", rng.choice(SCALARS), f"added_{number}", number])
    elif kind == "add_message":
        # message names are package-wide: the file's stem keeps two files of one package apart
        stem = pf.path.rsplit("/", 1)[-1].removesuffix(".proto")
        pf.messages.append(_message(rng, f"{_camel(stem)}Added{len(pf.messages)}", 3, []))
    else:
        values: list[tuple[str, int]] = pf.enum["values"]  # type: ignore[assignment]
        values.append((f"{str(pf.enum['name']).upper()}_ADDED", len(values) + 10))
    pf.edits.append(kind)
    return False


def write(out: Path, files: int, changed: int, seed: int, breaking_share: float = 0.25) -> dict[str, bool]:
    """Write the repository with both commits; returns changed path -> breaks."""
    rng = random.Random(seed + 1)
    repo = generate(files, seed)
    out.mkdir(parents=True, exist_ok=True)
    for pf in repo:
        target = out / pf.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pf.text())
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    git = ["git", "-C", str(out), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "released"], check=True, env=env)
    subprocess.run([*git, "checkout", "-q", "-b", "change"], check=True, env=env)
    shared = [pf for pf in repo if pf.imported_by > 0]
    leaves = [pf for pf in repo if pf.imported_by == 0]
    n_shared = min(len(shared), changed // 10)
    picked = rng.sample(shared[len(shared) // 3:], n_shared)  # the long tail: rarely imported files change
    picked += rng.sample(leaves, changed - n_shared)
    labels: dict[str, bool] = {}
    for pf in picked:
        labels[pf.path] = _edit(rng, pf, breaking=pf.imported_by == 0 and rng.random() < breaking_share)
        (out / pf.path).write_text(pf.text())
    subprocess.run([*git, "commit", "-q", "-a", "-m", "changes"], check=True, env=env)
    rows = ["path\tedit\tbreaks"] + [f"{p}\t{';'.join(pf.edits)}\t{str(labels[p]).lower()}"
                                     for pf in picked for p in [pf.path]]
    (out / "edits.tsv").write_text("\n".join(rows) + "\n")
    return labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--changed", type=int, default=300)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    labels = write(a.out, a.files, a.changed, a.seed)
    print(f"{a.files} files, {len(labels)} changed, {sum(labels.values())} breaking: {a.out}")


if __name__ == "__main__":
    main()
