"""Load and validate the configuration: schemafed.yaml, [tool.schemafed], or none.

Where the configuration comes from, first match wins:

1. ``--schemafed-config PATH`` (YAML, or TOML when the file ends in ``.toml``);
2. ``schemafed.yaml`` / ``schemafed.yml`` at the rootdir;
3. ``[tool.schemafed]`` in the rootdir's ``pyproject.toml``;
4. zero config: every schema file under the rootdir, checked against its own
   version at the base git ref (one ``git`` registry with id ``git``), BACKWARD.

Values in ``registries:`` may use ``${VAR}`` and ``${VAR:-default}``; ``$${`` is a
literal ``${``. Values of options a backend marks secret are wrapped in
:class:`~pytest_schemafed.secrets.Secret` and never shown.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .backends.base import BackendSpec, Option
from .errors import ConfigError
from .model import Level
from .secrets import Secret

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["ZERO_CONFIG_REGISTRY", "SchemaEntry", "Settings", "find_config", "load_settings"]

ZERO_CONFIG_REGISTRY = "git"
CONFIG_NAMES = ("schemafed.yaml", "schemafed.yml")
STRATEGIES = {"topic": "{stem}-value", "record": "{name}", "topic_record": "{stem}-{name}"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_VAR = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

COMMON_REGISTRY_KEYS: Mapping[str, Option] = {
    "id": Option(str, required=True, doc="name of the registry in item ids (file.avsc::<id>)"),
    "type": Option(str, required=True, doc="backend type: git, directory, confluent, glue, unity_catalog"),
    "level": Option(str, doc="a compatibility level, or `registry` to ask the registry (default)"),
    "on_unavailable": Option(str, doc="`fail` (default) or `skip` the items when the registry is down"),
    "max_in_flight": Option(int, doc="requests in flight at once (default 8)"),
}
SCHEMA_KEYS: Mapping[str, Option] = {
    "path": Option(str, required=True, doc="glob relative to the config file, `**` spans folders"),
    "format": Option(str, doc="avro, json, protobuf... (default: detected from the file)"),
    "subject": Option(str, doc="template: {stem} {dir} {name} {path}, or a strategy"),
    "strategy": Option(str, doc="topic ({stem}-value), record ({name}) or topic_record ({stem}-{name})"),
    "registries": Option(list, doc="ids of the registries these files are checked against (default: all)"),
    "import_roots": Option(list, doc="folders imports are resolved against (Protobuf)"),
}
TOP_KEYS = ("schemafed", "schemas", "registries", "exclude")


@dataclass(frozen=True, slots=True)
class SchemaEntry:
    """One ``schemas:`` entry: which files, which format, how subjects are named."""

    pattern: str
    regex: re.Pattern[str]
    format: str | None = None
    subject: str = "{stem}"
    registries: tuple[str, ...] | None = None
    import_roots: tuple[str, ...] = ()

    def matches(self, relpath: str) -> bool:
        """True when ``relpath`` (``/``-separated, relative to the rootdir) is selected."""
        return self.regex.fullmatch(relpath) is not None


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated configuration of a run."""

    source: str
    enabled: bool = False
    schemas: tuple[SchemaEntry, ...] = ()
    registries: tuple[BackendSpec, ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    zero_config: bool = False
    base_dir: Path = field(default_factory=Path.cwd)

    def entry_for(self, relpath: str) -> SchemaEntry | None:
        """The first ``schemas:`` entry selecting ``relpath``, or ``None``."""
        if any(rx.fullmatch(relpath) for rx in self.exclude):
            return None
        for entry in self.schemas:
            if entry.matches(relpath):
                return entry
        return None


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Compile a glob where ``*`` stays in a folder, ``**`` spans folders, ``?`` is one character."""
    out, i = [], 0
    pattern = pattern.lstrip("./") if pattern.startswith("./") else pattern
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def find_config(rootdir: Path, explicit: str | None) -> tuple[Path | None, dict[str, Any] | None]:
    """Locate and read the configuration; ``(None, None)`` means zero config.

    :raises ConfigError: the file is missing (when explicit) or not valid YAML/TOML.
    """
    if explicit:
        path = Path(explicit)
        if not path.is_absolute():
            path = (Path.cwd() / path).resolve()
        if not path.is_file():
            raise ConfigError("configuration file not found", source=str(explicit))
        data = _read_toml(path) if path.suffix == ".toml" else _read_yaml(path)
        if path.suffix == ".toml":
            data = data.get("tool", {}).get("schemafed", data)
        return path, data
    for name in CONFIG_NAMES:
        path = rootdir / name
        if path.is_file():
            return path, _read_yaml(path)
    pyproject = rootdir / "pyproject.toml"
    if pyproject.is_file() and "schemafed" in pyproject.read_text(encoding="utf-8", errors="replace"):
        section = _read_toml(pyproject).get("tool", {}).get("schemafed")
        if isinstance(section, dict):
            return pyproject, section
    return None, None


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {exc.problem or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(path)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"expected a mapping at the top, got {type(data).__name__}", source=str(path))
    return data


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", source=str(path)) from None


def load_settings(
    rootdir: Path,
    registry: Registry,
    *,
    explicit: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Find, read and validate the configuration of a run.

    :raises ConfigError: naming the file, the key path and what was expected.
    """
    path, data = find_config(rootdir, explicit)
    if data is None:
        return _zero_config(rootdir)
    source = str(path)
    base_dir = path.parent if path else rootdir
    env = os.environ if environ is None else environ
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(f"unknown key; expected one of {', '.join(TOP_KEYS)}", source=source, key=key)
    enabled = data.get("schemafed", False)
    if not isinstance(enabled, bool):
        raise ConfigError("expected true or false", source=source, key="schemafed")
    schemas = tuple(_schema_entries(data.get("schemas"), source))
    specs = tuple(_registry_specs(data.get("registries"), source, registry, env))
    if not specs:
        specs = (_zero_config_registry(source),)
    ids = [s.id for s in specs]
    for index, entry in enumerate(schemas):
        for rid in entry.registries or ():
            if rid not in ids:
                raise ConfigError(
                    f"unknown registry id {rid!r}; configured: {', '.join(ids)}",
                    source=source,
                    key=f"schemas[{index}].registries",
                )
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise ConfigError("expected a list of globs", source=source, key="exclude")
    return Settings(
        source=source,
        enabled=enabled,
        schemas=schemas or (_everything(),),
        registries=specs,
        exclude=tuple(glob_to_regex(e) for e in exclude),
        base_dir=base_dir,
    )


def _zero_config(rootdir: Path) -> Settings:
    return Settings(
        source="zero config",
        schemas=(_everything(),),
        registries=(_zero_config_registry("zero config"),),
        zero_config=True,
        base_dir=rootdir,
    )


def _zero_config_registry(source: str) -> BackendSpec:
    return BackendSpec(id=ZERO_CONFIG_REGISTRY, type="git", level=None, options={}, source=source)


def _everything() -> SchemaEntry:
    return SchemaEntry(pattern="**", regex=glob_to_regex("**"))


def _schema_entries(raw: Any, source: str) -> list[SchemaEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError("expected a list of entries", source=source, key="schemas")
    entries = []
    for index, item in enumerate(raw):
        key = f"schemas[{index}]"
        if isinstance(item, str):
            item = {"path": item}
        values = validate_options(item, SCHEMA_KEYS, source=source, key=key)
        subject = values.get("subject")
        strategy = values.get("strategy")
        if subject and strategy:
            raise ConfigError("give either subject or strategy, not both", source=source, key=key)
        if strategy:
            if strategy not in STRATEGIES:
                raise ConfigError(
                    f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}",
                    source=source,
                    key=f"{key}.strategy",
                )
            subject = STRATEGIES[strategy]
        elif subject in STRATEGIES:
            subject = STRATEGIES[subject]
        regs = values.get("registries")
        entries.append(
            SchemaEntry(
                pattern=values["path"],
                regex=glob_to_regex(values["path"]),
                format=values.get("format"),
                subject=subject or "{stem}",
                registries=tuple(str(r) for r in regs) if regs is not None else None,
                import_roots=tuple(str(r) for r in values.get("import_roots") or ()),
            )
        )
    return entries


def _registry_specs(raw: Any, source: str, registry: Registry, env: Mapping[str, str]) -> list[BackendSpec]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError("expected a list of registries", source=source, key="registries")
    specs: list[BackendSpec] = []
    for index, item in enumerate(raw):
        key = f"registries[{index}]"
        if not isinstance(item, dict):
            raise ConfigError("expected a mapping with id and type", source=source, key=key)
        rid = item.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise ConfigError("expected an id of letters, digits, '.', '_' or '-'", source=source, key=f"{key}.id")
        if rid in {s.id for s in specs}:
            raise ConfigError(f"duplicate registry id {rid!r}", source=source, key=f"{key}.id")
        btype = item.get("type")
        if not isinstance(btype, str) or btype not in registry.backends:
            known = ", ".join(sorted(registry.backends))
            raise ConfigError(
                f"unknown backend type {btype!r}; expected one of {known}", source=source, key=f"{key}.type"
            )
        backend_class = registry.backends[btype]
        accepted = {**COMMON_REGISTRY_KEYS, **backend_class.options}
        item = _interpolate(item, env, source=source, key=key, rid=rid)
        values = validate_options(item, accepted, source=source, key=key)
        level = values.pop("level", None)
        parsed_level: Level | None = None
        if level is not None and str(level).lower() != "registry":
            try:
                parsed_level = Level.parse(level)
            except ValueError as exc:
                raise ConfigError(f"{exc}, or `registry`", source=source, key=f"{key}.level") from None
        mode = values.get("on_unavailable", "fail")
        if mode not in ("fail", "skip"):
            raise ConfigError("expected `fail` or `skip`", source=source, key=f"{key}.on_unavailable")
        if values.get("max_in_flight", 1) < 1:
            raise ConfigError("expected a number of at least 1", source=source, key=f"{key}.max_in_flight")
        options = {k: v for k, v in values.items() if k not in ("id", "type")}
        specs.append(BackendSpec(id=rid, type=btype, level=parsed_level, options=options, source=source))
    return specs


def _interpolate(value: Any, env: Mapping[str, str], *, source: str, key: str, rid: str) -> Any:
    if isinstance(value, dict):
        return {k: _interpolate(v, env, source=source, key=f"{key}.{k}", rid=rid) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env, source=source, key=f"{key}[{i}]", rid=rid) for i, v in enumerate(value)]
    if not isinstance(value, str) or "$" not in value:
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ConfigError(
            f"environment variable {name} is not set (used by registry {rid!r}); "
            f"export it or write ${{{name}:-default}}",
            source=source,
            key=key,
        )

    return _VAR.sub(substitute, value)


def validate_options(
    values: Any, accepted: Mapping[str, Option], *, source: str, key: str
) -> dict[str, Any]:
    """Check ``values`` against ``accepted`` and wrap secret values in :class:`Secret`.

    :raises ConfigError: unknown key, missing key, or a value of the wrong type.
    """
    if not isinstance(values, dict):
        raise ConfigError(f"expected a mapping, got {_kind(values)}", source=source, key=key)
    out: dict[str, Any] = {}
    for name, value in values.items():
        option = accepted.get(name)
        if option is None:
            expected = ", ".join(accepted) or "no keys"
            raise ConfigError(f"unknown key; expected one of {expected}", source=source, key=f"{key}.{name}")
        out[name] = _check_value(value, option, source=source, key=f"{key}.{name}")
    for name, option in accepted.items():
        if option.required and name not in values:
            raise ConfigError(f"missing required key {name!r}", source=source, key=key)
    return out


def _check_value(value: Any, option: Option, *, source: str, key: str) -> Any:
    kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
    if option.secret and isinstance(value, (str, int)) and not isinstance(value, bool):
        return Secret(str(value))
    if isinstance(value, bool) and bool not in kinds:
        raise ConfigError(f"expected {_names(kinds)}, got a boolean", source=source, key=key)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kinds):
        raise ConfigError(f"expected {_names(kinds)}, got {_kind(value)}", source=source, key=key)
    if isinstance(value, dict) and option.keys is not None:
        return validate_options(value, option.keys, source=source, key=key)
    if isinstance(value, dict) and option.secret:
        return {k: Secret(str(v)) if isinstance(v, (str, int)) else v for k, v in value.items()}
    return value


def _names(kinds: tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a mapping"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _kind(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "a list",
            dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)
