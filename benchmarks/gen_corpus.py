#!/usr/bin/env python3
"""Deterministic corpus of evolving schemas, for benchmarks and scale tests.

Kept byte-for-byte compatible with the team's shared generator (``make bench`` checks
that both give the same corpus when the shared one is present), so that the ratios
printed here are measured on the corpora the targets were set on.

    gen_corpus.py avro     --count 1000 --out DIR [--seed 7]
    gen_corpus.py json     --count 1000 --out DIR
    gen_corpus.py protobuf --count 1000 --out DIR
    gen_corpus.py repo     --count 1000 --out DIR [--format avro|json|protobuf]

avro/json/protobuf write DIR/old/<name>.<ext> and DIR/new/<name>.<ext>: each
`new` is its `old` after one realistic edit (DIR/edits.tsv says which edit).
About a third of the edits break BACKWARD compatibility.  `repo` writes a git
repository whose main branch holds `old` under schemas/ and whose working tree
holds `new`, the shape of a pull request that touches every schema.

The breaks_backward labels follow Confluent's documented rules for each format
and serve as a sanity check only: the conformance corpora are the authority.

Standard library only; the same arguments always give the same bytes.
"""
import argparse
import json
import random
import subprocess
from pathlib import Path

PRIMS = ["string", "int", "long", "double", "float", "boolean", "bytes"]
WORDS = ("account order item customer price amount status created updated region "
         "country city street zip email phone device session event source target "
         "currency discount tax total quantity sku vendor channel campaign score "
         "rating label flag version owner team tier plan limit usage").split()


def _name(rng, used):
    while True:
        n = "_".join(rng.sample(WORDS, 2))
        if n not in used:
            used.add(n)
            return n


# ----------------------------------------------------------------- Avro
def _avro_type(rng, depth, ns, used_types):
    r = rng.random()
    if depth < 2 and r < 0.10:
        return _avro_record(rng, depth + 1, ns, used_types, rng.randint(3, 8))
    if r < 0.16:
        name = "E" + str(len(used_types)) + rng.choice(WORDS).title()
        used_types.add(name)
        return {"type": "enum", "name": name,
                "symbols": [w.upper() for w in rng.sample(WORDS, rng.randint(2, 6))]}
    if r < 0.22:
        return {"type": "array", "items": rng.choice(PRIMS)}
    if r < 0.26:
        return {"type": "map", "values": rng.choice(PRIMS)}
    if r < 0.32:
        return {"type": "long", "logicalType": "timestamp-millis"}
    if r < 0.35:
        return {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}
    if r < 0.55:
        return ["null", rng.choice(PRIMS)]
    return rng.choice(PRIMS)


def _default_for(t):
    if isinstance(t, list):
        return None
    if isinstance(t, dict):
        return {"array": [], "map": {}}.get(t["type"], None)
    return {"string": "", "int": 0, "long": 0, "double": 0.0, "float": 0.0,
            "boolean": False, "bytes": ""}.get(t)


def _avro_record(rng, depth, ns, used_types, nfields):
    name = "R" + str(len(used_types)) + rng.choice(WORDS).title()
    used_types.add(name)
    used, fields = set(), []
    for _ in range(nfields):
        f = {"name": _name(rng, used), "type": _avro_type(rng, depth, ns, used_types)}
        if isinstance(f["type"], list):
            f["default"] = None
        if rng.random() < 0.3:
            f["doc"] = "The " + f["name"].replace("_", " ") + "."
        fields.append(f)
    return {"type": "record", "name": name, "namespace": ns, "fields": fields}


def _avro_edit(rng, s):
    """Return (edit name, breaks BACKWARD?) after changing s in place."""
    fields = s["fields"]
    kinds = ["add_optional", "add_optional", "add_with_default", "drop_with_default",
             "widen_int_long", "doc_only", "add_enum_symbol", "add_required",
             "drop_enum_symbol", "narrow_long_int", "change_type", "rename_field"]
    for _ in range(50):
        k = rng.choice(kinds)
        used = {f["name"] for f in fields}
        if k == "add_optional":
            fields.append({"name": _name(rng, used), "type": ["null", rng.choice(PRIMS)], "default": None})
            return k, False
        if k == "add_with_default":
            fields.append({"name": _name(rng, used), "type": "string", "default": "n/a"})
            return k, False
        if k == "add_required":
            fields.append({"name": _name(rng, used), "type": rng.choice(PRIMS)})
            return k, True
        if k == "doc_only":
            s["doc"] = "Revised description."
            return k, False
        idx = [i for i, f in enumerate(fields)]
        rng.shuffle(idx)
        for i in idx:
            f, t = fields[i], fields[i]["type"]
            if k == "drop_with_default" and "default" in f:
                del fields[i]
                return k, False
            if k == "widen_int_long" and t == "int":
                f["type"] = "long"
                return k, False
            if k == "narrow_long_int" and t == "long":
                f["type"] = "int"
                return k, True
            if k == "change_type" and t in ("string", "boolean"):
                f["type"] = "boolean" if t == "string" else "string"
                return k, True
            if k == "rename_field" and "default" not in f and isinstance(t, str):
                f["name"] = _name(rng, used)
                return k, True
            if k in ("add_enum_symbol", "drop_enum_symbol") and isinstance(t, dict) and t.get("type") == "enum":
                if k == "add_enum_symbol":
                    t["symbols"].append("ZZ_NEW")
                    return k, False
                if len(t["symbols"]) > 1:
                    t["symbols"].pop()
                    return k, True
    fields.append({"name": "zz_note", "type": ["null", "string"], "default": None})
    return "add_optional", False


def gen_avro(count, seed):
    rng = random.Random(seed)
    for i in range(count):
        old = _avro_record(rng, 0, "com.example.t%d" % (i % 17), set(), rng.randint(8, 60))
        old["name"] = "Event%d" % i
        new = json.loads(json.dumps(old))
        edit, breaks = _avro_edit(rng, new)
        yield "event_%05d" % i, json.dumps(old, indent=2), json.dumps(new, indent=2), edit, breaks


# ----------------------------------------------------------- JSON Schema
def _json_prop(rng, depth):
    r = rng.random()
    if depth < 2 and r < 0.1:
        return _json_object(rng, depth + 1, rng.randint(2, 6))
    if r < 0.2:
        return {"type": "array", "items": {"type": rng.choice(["string", "integer", "number"])}}
    if r < 0.3:
        return {"type": "string", "enum": [w for w in rng.sample(WORDS, 3)]}
    if r < 0.4:
        return {"type": "string", "format": "date-time"}
    if r < 0.5:
        return {"type": "string", "maxLength": rng.choice([16, 64, 255])}
    return {"type": rng.choice(["string", "integer", "number", "boolean"])}


def _json_object(rng, depth, n):
    used = set()
    props = {_name(rng, used): _json_prop(rng, depth) for _ in range(n)}
    req = sorted(rng.sample(sorted(props), k=max(1, n // 3)))
    return {"type": "object", "properties": props, "required": req,
            "additionalProperties": rng.random() < 0.5}


def _json_edit(rng, s):
    """Labels follow Confluent's documented JSON Schema rules for BACKWARD: the
    new schema must accept every document the old one accepted."""
    props = s["properties"]
    open_model = s["additionalProperties"]
    k = rng.choice(["add_optional", "add_optional", "add_required", "drop_optional",
                    "widen_integer_number", "narrow_maxlength", "add_enum_value", "drop_enum_value",
                    "doc_only"])
    used = set(props)
    if k == "add_optional":
        props[_name(rng, used)] = {"type": "string"}
        return k, open_model  # an open model accepted any value under that name
    if k == "add_required":
        n = _name(rng, used)
        props[n] = {"type": "string"}
        s["required"] = sorted(s["required"] + [n])
        return k, True
    if k == "doc_only":
        s["description"] = "Revised description."
        return k, False
    for name in sorted(props, key=lambda _: rng.random()):
        p = props[name]
        if k == "drop_optional" and name not in s["required"] and not open_model:
            del props[name]
            return k, True  # a closed model now rejects documents that carried it
        if k == "widen_integer_number" and p.get("type") == "integer":
            p["type"] = "number"
            return k, False
        if k == "narrow_maxlength" and "maxLength" in p:
            p["maxLength"] = p["maxLength"] // 2
            return k, True
        if k in ("add_enum_value", "drop_enum_value") and "enum" in p:
            if k == "add_enum_value":
                p["enum"].append("zz_new")
                return k, False
            p["enum"].pop()
            return k, True
    s["description"] = "Revised description."
    return "doc_only", False


def gen_json(count, seed):
    rng = random.Random(seed)
    for i in range(count):
        old = _json_object(rng, 0, rng.randint(8, 50))
        old = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "Event%d" % i, **old}
        new = json.loads(json.dumps(old))
        edit, breaks = _json_edit(rng, new)
        yield "event_%05d" % i, json.dumps(old, indent=2), json.dumps(new, indent=2), edit, breaks


# -------------------------------------------------------------- Protobuf
PB_TYPES = ["string", "int32", "int64", "bool", "double", "bytes", "uint64"]


def _pb_message(rng, name, n):
    used, fields = set(), []
    for num in range(1, n + 1):
        fields.append([rng.choice(["", "", "repeated "]), rng.choice(PB_TYPES), _name(rng, used), num])
    return {"name": name, "fields": fields}


def _pb_text(pkg, m, enum):
    out = ['syntax = "proto3";', "", "package %s;" % pkg, ""]
    out.append("enum %s {" % enum["name"])
    out += ["  %s = %d;" % (s, v) for s, v in enum["values"]]
    out += ["}", "", "message %s {" % m["name"]]
    out += ["  %s%s %s = %d;" % tuple(f) for f in m["fields"]]
    if m.get("reserved"):
        out.append("  reserved %s;" % ", ".join(str(r) for r in m["reserved"]))
    out.append("}")
    return "\n".join(out) + "\n"


def gen_protobuf(count, seed):
    """Labels follow Confluent's documented Protobuf rules (wire compatibility):
    removing a field, or renumbering it (a removal plus an addition), is allowed;
    a field that changes wire type, or moves between singular and repeated for a
    numeric type, breaks."""
    rng = random.Random(seed)
    for i in range(count):
        m = _pb_message(rng, "Event%d" % i, rng.randint(8, 50))
        enum = {"name": "Kind%d" % i, "values": [("KIND%d_UNSPECIFIED" % i, 0)] +
                [("KIND%d_%s" % (i, w.upper()), v + 1) for v, w in enumerate(rng.sample(WORDS, 3))]}
        pkg = "example.t%d.v1" % (i % 17)
        old = _pb_text(pkg, m, enum)
        k = rng.choice(["add_field", "add_field", "remove_reserved", "add_enum_value",
                        "remove_unreserved", "change_type", "renumber", "change_label"])
        used = {f[2] for f in m["fields"]}
        f = rng.choice(m["fields"])
        length_delimited = f[1] in ("string", "bytes")
        breaks = False
        if k == "add_field":
            m["fields"].append(["", "string", _name(rng, used), len(m["fields"]) + 1])
        elif k == "remove_reserved":
            m["fields"].remove(f)
            m["reserved"] = [f[3]]
        elif k == "remove_unreserved":
            m["fields"].remove(f)
        elif k == "add_enum_value":
            enum["values"].append(("KIND%d_ZZ_NEW" % i, 99))
        elif k == "change_type":
            f[1] = "string" if f[1] != "string" else "bytes"
            breaks = not length_delimited
        elif k == "renumber":  # Confluent: the old number removed, a new one added: both allowed
            f[3] = 1000 + f[3]
        elif k == "change_label":
            f[0] = "" if f[0] else "repeated "
            breaks = not length_delimited
        yield "event_%05d" % i, old, _pb_text(pkg, m, enum), k, breaks


GENERATORS = {"avro": (gen_avro, "avsc"), "json": (gen_json, "json"), "protobuf": (gen_protobuf, "proto")}


def write(kind, count, seed, out):
    gen, ext = GENERATORS[kind]
    (out / "old").mkdir(parents=True, exist_ok=True)
    (out / "new").mkdir(parents=True, exist_ok=True)
    rows = ["name\tedit\tbreaks_backward"]
    for name, old, new, edit, breaks in gen(count, seed):
        (out / "old" / (name + "." + ext)).write_text(old + "\n")
        (out / "new" / (name + "." + ext)).write_text(new + "\n")
        rows.append("%s\t%s\t%s" % (name, edit, str(breaks).lower()))
    (out / "edits.tsv").write_text("\n".join(rows) + "\n")


def write_repo(fmt, count, seed, out):
    gen, ext = GENERATORS[fmt]
    schemas = out / "schemas"
    schemas.mkdir(parents=True, exist_ok=True)
    items = list(gen(count, seed))
    for name, old, _, _, _ in items:
        (schemas / (name + "." + ext)).write_text(old + "\n")
    git = ["git", "-C", str(out), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(git[:3] + ["init", "-q", "-b", "main"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "schemas as released"], check=True)
    for name, _, new, _, _ in items:
        (schemas / (name + "." + ext)).write_text(new + "\n")
    (out / "edits.tsv").write_text("name\tedit\tbreaks_backward\n" + "".join(
        "%s\t%s\t%s\n" % (n, e, str(b).lower()) for n, _, _, e, b in items))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=sorted(GENERATORS) + ["repo"])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--format", choices=sorted(GENERATORS), default="avro", help="with repo")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.kind == "repo":
        write_repo(a.format, a.count, a.seed, a.out)
    else:
        write(a.kind, a.count, a.seed, a.out)


if __name__ == "__main__":
    main()
