"""Every Glue mode, judged by the gate, against the verdict the mode implies (issue 8's separate check).

Starts moto's server on 127.0.0.1, registers for each format and each Glue mode
(NONE, DISABLED, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL) one
schema of three versions per kind of change, writes the changed local files with a
``schemafed.yaml`` pointing a ``glue`` registry at moto, runs the gate (the same core
as ``pytest --schemafed``), and compares each item with the verdict the mode implies:

=====================  ====  ========  ==========  =========  ============  ========
change                 NONE  DISABLED  BACKWARD    BACKWARD_  FORWARD(_ALL)  FULL /
                                                   ALL                      FULL_ALL
=====================  ====  ========  ==========  =========  ============  ========
compatible             pass  fail      pass        pass       pass          pass
field without default  pass  fail      fail        fail       pass          fail
required field gone    pass  fail      pass        pass       fail          fail
breaks version 1 only  pass  fail      pass        fail       pass          pass/fail
type changed           pass  fail      fail        fail       fail          fail
unchanged file         pass  pass      pass        pass       pass          pass
=====================  ====  ========  ==========  =========  ============  ========

Avro runs every row; JSON Schema and Protobuf (when registered) the compatible, type
changed and unchanged rows. Plus one file Glue does not hold (a new subject). Finally
the registry must hold exactly what it held before the run.

    python -m benchmarks.glue_modes_check        # exit status 1 on any disagreement
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.backends.glue.glue_samples import (
    AVRO_BREAKS_BACKWARD,
    AVRO_BREAKS_FORWARD,
    AVRO_BREAKS_ONLY_VERSION_1,
    SAMPLES,
)
from tests.servers.moto_glue import FAKE_ENV, GLUE_MODES, MotoGlue

EXTENSIONS = {"avro": ".avsc", "json": ".schema.json", "protobuf": ".proto"}


def expected(change: str, mode: str) -> bool:
    """True when ``change`` may be registered under Glue ``mode`` (the table above)."""
    if change == "unchanged" or mode == "NONE":
        return True
    if mode == "DISABLED":
        return False
    backward = mode.startswith(("BACKWARD", "FULL"))
    forward = mode.startswith(("FORWARD", "FULL"))
    transitive = mode.endswith("_ALL")
    return {
        "compatible": True,
        "field-without-default": not backward,
        "required-field-gone": not forward,
        "breaks-version-1-only": not (backward and transitive),
        "type-changed": False,
    }[change]


def changes(fmt: str) -> dict[str, str]:
    """The local texts of ``fmt``, by change name."""
    _, versions, compatible, breaking = SAMPLES[fmt]
    out = {"compatible": compatible, "type-changed": breaking, "unchanged": versions[-1]}
    if fmt == "avro":
        out.update({"field-without-default": AVRO_BREAKS_BACKWARD, "required-field-gone": AVRO_BREAKS_FORWARD,
                    "breaks-version-1-only": AVRO_BREAKS_ONLY_VERSION_1})
    return out


def build(root: Path, moto: MotoGlue, formats: list[str]) -> dict[str, tuple[str, str, bool | None]]:
    """Register the histories, write the project; returns relpath -> (mode, change, expected)."""
    items: dict[str, tuple[str, str, bool | None]] = {}
    (root / "schemas").mkdir(parents=True)
    for fmt in formats:
        data_format, versions, _, _ = SAMPLES[fmt]
        for change, text in changes(fmt).items():
            for mode in GLUE_MODES:
                stem = f"{fmt}-{change}-{mode.lower()}"
                moto.seed(stem, versions, data_format=data_format, compatibility=mode)
                rel = f"schemas/{stem}{EXTENSIONS[fmt]}"
                (root / rel).write_text(text)
                items[rel] = (mode, change, expected(change, mode))
    (root / "schemas/avro-brand-new.avsc").write_text(SAMPLES["avro"][2])
    items["schemas/avro-brand-new.avsc"] = ("-", "new subject", None)
    (root / "schemafed.yaml").write_text(
        'schemas:\n  - path: "schemas/**"\n    subject: "{stem}"\n'
        "registries:\n  - id: glue-eu\n    type: glue\n    registry_name: events\n"
        f"    region: eu-west-1\n    endpoint_url: {moto.url}\n"
    )
    return items


def run(show: bool = True) -> dict[str, Any]:
    """Run the check; returns counts, the disagreements, whether the registry is unchanged, seconds."""
    from pytest_schemafed.config import load_settings
    from pytest_schemafed.gate import Gate
    from pytest_schemafed.model import Outcome
    from pytest_schemafed.registry import default_registry

    os.environ.update(FAKE_ENV)
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        os.environ.pop(name, None)
    registry = default_registry()
    formats: list[str] = [f for f in ("avro", "json", "protobuf") if f in registry.formats]
    moto = MotoGlue()
    try:
        moto.reset()  # moto keeps its state per process: start from an empty one
        moto.create_registry("events")
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            items = build(root, moto, formats)
            before = moto.snapshot()
            start = time.perf_counter()
            gate = Gate(load_settings(root, registry), registry, root)
            checks = []
            for rel in items:
                source = gate.source_for(root / rel)
                assert source is not None, f"{rel} is not selected by the configuration"
                checks.append(gate.plan(source, "glue-eu"))
            gate.evaluate(checks)
            seconds = time.perf_counter() - start
            gate.close()
            unchanged = moto.snapshot() == before
    finally:
        moto.stop()
    wrong: list[str] = []
    for check in checks:
        mode, change, want = items[check.source.relpath]
        verdict = gate.verdicts[check.key]
        if want is None:
            ok = verdict.outcome is Outcome.NEW
        else:
            ok = verdict.outcome is not Outcome.ERROR and verdict.compatible is want
        if not ok:
            got = verdict.error or ", ".join(f.rule for f in verdict.findings) or verdict.outcome.value
            wrong.append(f"{check.source.relpath}: mode {mode}, {change}: expected "
                         f"{'new' if want is None else 'pass' if want else 'fail'}, got {got}")
    result = {"formats": formats, "items": len(checks), "agree": len(checks) - len(wrong), "wrong": wrong,
              "registry_unchanged": unchanged, "seconds": round(seconds, 3)}
    if show:
        print(f"glue modes check ({', '.join(formats)}): {result['agree']}/{result['items']} items as the mode "
              f"implies; registry unchanged: {'yes' if unchanged else 'NO'}; gate {seconds:.2f}s")
        for line in wrong:
            print("  " + line)
    return result


def main() -> int:
    """Exit status 0 when every item agrees and the registry is unchanged."""
    result = run()
    return 0 if not result["wrong"] and result["registry_unchanged"] else 1


if __name__ == "__main__":
    sys.exit(main())
