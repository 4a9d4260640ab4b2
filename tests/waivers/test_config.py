"""waivers: in the configuration: validated at load, every mistake one line naming the key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pytest_schemafed.config import load_settings
from pytest_schemafed.errors import ConfigError
from pytest_schemafed.registry import default_registry

DOCS = Path(__file__).resolve().parents[2] / "docs" / "waivers.md"
REGISTRIES = "registries:\n  - id: prod\n    type: git\n  - id: staging\n    type: git\n"


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    (tmp_path / "schemafed.yaml").write_text(text)
    return load_settings(tmp_path, default_registry(), environ={})


def entry(**keys: str) -> str:
    return REGISTRIES + "waivers:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in keys.items()) + "\n"


def test_docs_example__loads(tmp_path: Path) -> None:
    """The example of docs/waivers.md, as written there, loads into two waivers."""
    block = re.search(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert block is not None
    settings = load(tmp_path, block.group(1))
    first, second = settings.waivers
    assert (first.rule, first.glob, first.on_path, first.registry, first.owner, first.expires) == (
        "READER_FIELD_MISSING_DEFAULT_VALUE", "orders-*", False, None, "data-platform", dt.date(2027, 3, 31))
    assert (second.rule, second.glob, second.on_path, second.registry, second.expires) == (
        "*", "schemas/legacy/**", True, "staging", dt.date(2027, 1, 15))


def test_quoted_and_unquoted_dates__same_waiver(tmp_path: Path) -> None:
    """YAML gives a date for 2027-03-31 and a string for "2027-03-31": both are the same day."""
    quoted = load(tmp_path, entry(rule="X", subject="a", reason="r", expires='"2027-03-31"')).waivers[0]
    bare = load(tmp_path, entry(rule="X", subject="a", reason="r", expires="2027-03-31")).waivers[0]
    assert quoted.expires == bare.expires == dt.date(2027, 3, 31)


def test_toml__waivers_in_pyproject(tmp_path: Path) -> None:
    """[[tool.schemafed.waivers]] with a TOML date loads like YAML."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.schemafed]\n[[tool.schemafed.waivers]]\nrule = "*"\npath = "schemas/**"\n'
        'reason = "retiring"\nexpires = 2027-01-15\n')
    (waiver,) = load_settings(tmp_path, default_registry(), environ={}).waivers
    assert waiver.expires == dt.date(2027, 1, 15) and waiver.on_path


def test_reason__multiline_folded_to_one_line(tmp_path: Path) -> None:
    """A folded or literal block reason is shown on one line."""
    text = REGISTRIES + "waivers:\n  - rule: X\n    subject: a\n    expires: 2027-01-01\n    reason: |\n" \
                        "      first line\n      second line\n"
    assert load(tmp_path, text).waivers[0].reason == "first line second line"


@pytest.mark.parametrize(("text", "said"), [
    (entry(rule="X", subject="a", expires="2027-01-01"), "key waivers[0]: missing required key 'reason'"),
    (entry(rule="X", subject="a", reason='"  "', expires="2027-01-01"),
     "key waivers[0].reason: expected a reason: say why the break is accepted"),
    (entry(rule="X", subject="a", reason="r"), "key waivers[0]: missing required key 'expires'"),
    (entry(rule="X", subject="a", reason="r", expires="next week"),
     "key waivers[0].expires: expected a date YYYY-MM-DD, got 'next week'"),
    (entry(rule="X", subject="a", reason="r", expires="2027-13-01"),
     "key waivers[0].expires: expected a date YYYY-MM-DD, got '2027-13-01'"),
    (entry(rule="X", subject="a", reason="r", expires="2027-01-01T10:00:00"),
     "key waivers[0].expires: expected a date YYYY-MM-DD, got a date and time"),
    (entry(rule="X", subject="a", reason="r", expires="20270101"),
     "key waivers[0].expires: expected a string or date, got a number"),
    (entry(rule="X", subject="a", path="b", reason="r", expires="2027-01-01"),
     "key waivers[0]: give exactly one of subject (a glob on the subject) or path (a glob on the file), "
     "got subject and path"),
    (entry(rule="X", reason="r", expires="2027-01-01"), "got neither"),
    (entry(rule="X", subject="a", registry="prdo", reason="r", expires="2027-01-01"),
     "key waivers[0].registry: unknown registry id 'prdo'; did you mean 'prod'?; configured: prod, staging"),
    (entry(rule="field_no_delete", subject="a", reason="r", expires="2027-01-01"),
     "key waivers[0].rule: expected a rule id in UPPER_SNAKE_CASE or `*`, got 'field_no_delete'"),
    (entry(rule="X", subject="a", reason="r", expires="2027-01-01", until="2027-01-01"),
     "key waivers[0].until: unknown key"),
    (REGISTRIES + "waivers: {rule: X}\n", "key waivers: expected a list of waivers, got a mapping"),
])
def test_config_mistake__one_line_naming_the_key(tmp_path: Path, text: str, said: str) -> None:
    """Missing reason, bad date, both subject and path, unknown registry...: one ConfigError line."""
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    message = str(caught.value)
    assert said in message and "\n" not in message and message.startswith(str(tmp_path / "schemafed.yaml"))


def test_config_mistake__usage_error_without_traceback(pytester: pytest.Pytester) -> None:
    """Under pytest, a waiver mistake stops the run with one line, exit 4, no traceback."""
    (pytester.path / "schemafed.yaml").write_text(entry(rule="X", subject="a", path="b", reason="r",
                                                        expires="2027-01-01"))
    result = pytester.runpytest("--schemafed")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "key waivers[0]: give exactly one of subject" in err and "Traceback" not in err + result.stdout.str()


def test_impossible_yaml_date_elsewhere__one_line_not_a_traceback(tmp_path: Path) -> None:
    """An impossible unquoted date under any key is text for that key's check (it was a ValueError)."""
    with pytest.raises(ConfigError, match="key check_timeout: expected a number of seconds, got a string"):
        load(tmp_path, "check_timeout: 2027-02-30\n")
