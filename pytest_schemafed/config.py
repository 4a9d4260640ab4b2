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

Everything is validated here, once, at load, and every mistake is one
:class:`ConfigError` naming the file and the key: an unknown key (with "did you
mean"), a subject template with an unknown placeholder, an unknown format, a URL that
does not parse, more than :data:`MAX_REGISTRIES` registries or
:data:`MAX_SCHEMA_ENTRIES` schema entries. Reading the file itself is bounded too
(size, nodes, depth, aliases, duplicate keys): see :mod:`pytest_schemafed.config_read`.

``check_timeout`` (top level, seconds, default 60): how long one check may run; a check
past it fails with one line instead of stalling the run.

``json_schema_dialects`` (top level, a list of URIs): ``$schema`` values, besides the
json-schema.org drafts, that make a ``.json`` file a JSON Schema (a company meta-schema).
``waivers:`` (top level): known, accepted breaks with a reason and an expiry; validated
and applied by :mod:`pytest_schemafed.waivers`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .backends.base import BackendSpec, Option
from .config_read import read_toml, read_yaml
from .config_values import describe_kind, did_you_mean, template_problem, uri_problem, validate_options
from .errors import ConfigError
from .model import Level
from .waivers import Waiver, parse_waivers

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["ZERO_CONFIG_REGISTRY", "SchemaEntry", "Settings", "find_config", "load_settings", "validate_options"]

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
TOP_KEYS = ("schemafed", "schemas", "registries", "exclude", "check_timeout", "json_schema_dialects",
            "waivers")
MAX_REGISTRIES = 1_000
MAX_SCHEMA_ENTRIES = 10_000
MAX_EXCLUDES = 10_000
MAX_DIALECTS = 1_000
DEFAULT_CHECK_TIMEOUT = 60.0
MAX_CHECK_TIMEOUT = 24 * 3600.0
MAX_IN_FLIGHT = 256


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
    check_timeout: float = DEFAULT_CHECK_TIMEOUT
    json_schema_dialects: frozenset[str] = frozenset()  # normalised (metaschemas.normalize_uri)
    waivers: tuple[Waiver, ...] = ()

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
        if path.suffix != ".toml":
            return path, read_yaml(path)
        data = read_toml(path)
        tool = data.get("tool")
        if isinstance(tool, dict) and "schemafed" in tool:
            data = tool["schemafed"]
            if not isinstance(data, dict):
                raise ConfigError("expected a table", source=str(path), key="tool.schemafed")
        return path, data
    for name in CONFIG_NAMES:
        path = rootdir / name
        if path.is_file():
            return path, read_yaml(path)
    pyproject = rootdir / "pyproject.toml"
    if pyproject.is_file() and "schemafed" in pyproject.read_text(encoding="utf-8", errors="replace"):
        tool = read_toml(pyproject).get("tool")
        section = tool.get("schemafed") if isinstance(tool, dict) else None
        if isinstance(section, dict):
            return pyproject, section
    return None, None


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
            raise ConfigError(f"unknown key{did_you_mean(key, TOP_KEYS)}; expected one of {', '.join(TOP_KEYS)}",
                              source=source, key=str(key))
    enabled = data.get("schemafed", False)
    if not isinstance(enabled, bool):
        raise ConfigError("expected true or false", source=source, key="schemafed")
    check_timeout = _check_timeout(data.get("check_timeout", DEFAULT_CHECK_TIMEOUT), source)
    dialects = _json_schema_dialects(data.get("json_schema_dialects", []), source)
    schemas = tuple(_schema_entries(data.get("schemas"), source, registry))
    specs = tuple(_registry_specs(data.get("registries"), source, registry, env))
    if not specs:
        specs = (_zero_config_registry(source),)
    ids = {s.id: None for s in specs}
    for index, entry in enumerate(schemas):
        for rid in entry.registries or ():
            if rid not in ids:
                raise ConfigError(
                    f"unknown registry id {rid!r}{did_you_mean(rid, ids)}; configured: {', '.join(ids)}",
                    source=source,
                    key=f"schemas[{index}].registries",
                )
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise ConfigError("expected a list of globs", source=source, key="exclude")
    if len(exclude) > MAX_EXCLUDES:
        raise ConfigError(f"{len(exclude):,} globs; at most {MAX_EXCLUDES:,} are allowed", source=source,
                          key="exclude")
    waivers = parse_waivers(data.get("waivers"), source=source, registry_ids=list(ids), glob=glob_to_regex)
    return Settings(
        source=source,
        enabled=enabled,
        schemas=schemas or (_everything(),),
        registries=specs,
        exclude=tuple(glob_to_regex(e) for e in exclude),
        base_dir=base_dir,
        check_timeout=check_timeout,
        json_schema_dialects=dialects,
        waivers=waivers,
    )


def _check_timeout(value: Any, source: str) -> float:
    """``check_timeout``: seconds one check may run before it fails (a number above 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"expected a number of seconds, got {describe_kind(value)}", source=source,
                          key="check_timeout")
    if not 0 < value <= MAX_CHECK_TIMEOUT:  # also refuses NaN
        raise ConfigError(f"expected a number of seconds above 0 and at most {MAX_CHECK_TIMEOUT:.0f}, got {value}",
                          source=source, key="check_timeout")
    return float(value)


def _json_schema_dialects(value: Any, source: str) -> frozenset[str]:
    """``json_schema_dialects``: absolute URIs, normalised for comparison with a file's ``$schema``."""
    key = "json_schema_dialects"
    if not isinstance(value, list):
        raise ConfigError(f"expected a list of meta-schema URIs, got {describe_kind(value)}", source=source, key=key)
    if len(value) > MAX_DIALECTS:
        raise ConfigError(f"{len(value):,} URIs; at most {MAX_DIALECTS:,} are allowed", source=source, key=key)
    from .formats.jsonschema.metaschemas import normalize_uri

    found = set()
    for index, uri in enumerate(value):
        problem = uri_problem(uri)
        if problem:
            raise ConfigError(problem, source=source, key=f"{key}[{index}]")
        found.add(normalize_uri(uri))
    return frozenset(found)


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


def _schema_entries(raw: Any, source: str, registry: Registry) -> list[SchemaEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError("expected a list of entries", source=source, key="schemas")
    if len(raw) > MAX_SCHEMA_ENTRIES:
        raise ConfigError(f"{len(raw):,} entries; at most {MAX_SCHEMA_ENTRIES:,} are allowed (use globs)",
                          source=source, key="schemas")
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
        _check_subject(subject, source=source, key=f"{key}.subject")
        _check_format(values.get("format"), registry, source=source, key=f"{key}.format")
        for name in ("registries", "import_roots"):
            if not all(isinstance(v, str) for v in values.get(name) or ()):
                raise ConfigError("expected a list of strings", source=source, key=f"{key}.{name}")
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
    if len(raw) > MAX_REGISTRIES:
        raise ConfigError(f"{len(raw):,} registries; at most {MAX_REGISTRIES:,} are allowed", source=source,
                          key="registries")
    specs: list[BackendSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        key = f"registries[{index}]"
        if not isinstance(item, dict):
            raise ConfigError("expected a mapping with id and type", source=source, key=key)
        rid = item.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise ConfigError("expected an id of letters, digits, '.', '_' or '-'", source=source, key=f"{key}.id")
        if rid in seen:
            raise ConfigError(f"duplicate registry id {rid!r}", source=source, key=f"{key}.id")
        seen.add(rid)
        btype = item.get("type")
        if not isinstance(btype, str) or btype not in registry.backends:
            known = ", ".join(sorted(registry.backends))
            raise ConfigError(
                f"unknown backend type {btype!r}{did_you_mean(btype, registry.backends)}; expected one of {known}",
                source=source, key=f"{key}.type",
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
        if not 1 <= values.get("max_in_flight", 1) <= MAX_IN_FLIGHT:
            raise ConfigError(f"expected a number from 1 to {MAX_IN_FLIGHT}", source=source,
                              key=f"{key}.max_in_flight")
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


def _check_subject(template: str | None, *, source: str, key: str) -> None:
    from .discovery import subject_fields  # discovery imports this module; it alone knows the placeholders

    problem = template_problem(template, subject_fields()) if template else None
    if problem:
        raise ConfigError(problem, source=source, key=key)


def _check_format(name: str | None, registry: Registry, *, source: str, key: str) -> None:
    if name is not None and name not in registry.formats:
        known = ", ".join(sorted(registry.formats))
        raise ConfigError(f"unknown format {name!r}{did_you_mean(name, registry.formats)}; known formats: {known}",
                          source=source, key=key)
