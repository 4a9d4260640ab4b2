"""Read a configuration file into plain data, bounded: size, nodes, depth, aliases, duplicate keys.

A configuration is small. Whatever a file holds, reading it costs at most a few
megabytes and a fraction of a second, or stops with one :class:`ConfigError` line:

* a file larger than :data:`MAX_BYTES` is refused before it is parsed;
* YAML is composed by :class:`BoundedLoader`, which counts every node *as if its
  aliases were expanded* and stops at :data:`MAX_NODES`: an alias bomb ("billion
  laughs") is refused after reading a few lines, before anything is expanded;
* nesting deeper than :data:`MAX_DEPTH` is refused (no ``RecursionError``);
* an alias of a node inside itself (a recursive structure) is refused;
* a key given twice in one mapping is refused, in YAML and in TOML, naming the key
  and its line.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ConfigError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "BoundedLoader", "count_nodes", "read_toml", "read_yaml"]

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Limit(yaml.MarkedYAMLError):
    """A limit of :class:`BoundedLoader` was reached (reported like a YAML error, with its line)."""


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a node budget, a depth limit and duplicate keys refused.

    Each composed node's expanded size (itself plus its children's expanded sizes) is
    known as soon as the node is complete, so an alias costs its target's size without
    being expanded, and the document's total is checked node by node.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._sizes: dict[int, int] = {}  # id(node) -> expanded size, for completed nodes
        self._total = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one node, counting its expanded size and the nesting depth."""
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:
                raise _Limit(None, None, "an alias refers to a node that contains it (a recursive structure)", mark)
            self._add(size, mark)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Limit(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None:
            self._sizes[id(node)] = 1 + sum(self._sizes[id(child)] for child in _children(node))
        self._add(1, mark)
        return node

    def _add(self, size: int, mark: yaml.Mark) -> None:
        # The expanded total: a scalar or collection composed now counts 1 (its children
        # counted themselves); an alias counts everything it stands for.
        self._total += size
        if self._total > MAX_NODES:
            raise _Limit(None, None, f"more than {MAX_NODES:,} values once aliases are expanded "
                         "(an alias bomb?); a configuration is much smaller", mark)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        """Build a mapping; a key written twice in it is an error (merged ``<<`` keys may be overridden)."""
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
                seen.setdefault(key, line)
            except TypeError:
                continue  # not hashable: the base class says so
            if first is not None:
                raise _Limit(None, None, f"duplicate key {key!r} (first given on line {first})", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_timestamp(self, node: ScalarNode) -> Any:
        """A date or time; an impossible one (``2027-13-01``) stays text, for the key's own check to refuse."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedLoader.construct_timestamp)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(f"the file is {size:,} bytes; a configuration may have at most {MAX_BYTES:,}",
                              source=str(path))
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror or exc}", source=str(path)) from None


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping a YAML configuration holds (``{}`` for an empty file).

    :raises ConfigError: with ``file:line:column`` where the YAML is wrong or too big.
    """
    text = _read_text(path)
    loader = BoundedLoader(text)
    try:
        data = loader.get_single_data()
    except _Limit as exc:
        mark = exc.problem_mark
        raise ConfigError(f"{path}:{mark.line + 1}:{mark.column + 1}: {exc.problem}" if mark else str(exc)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(path)) from None
    except RecursionError:  # a bound above should stop it first; never let it escape
        raise ConfigError(f"not valid YAML: nested deeper than {MAX_DEPTH} levels", source=str(path)) from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"expected a mapping at the top, got {type(data).__name__}", source=str(path))
    return data


def read_toml(path: Path) -> dict[str, Any]:
    """The table a TOML file holds; tomllib itself refuses a key given twice.

    :raises ConfigError: not valid TOML, or larger than the bounds of a configuration.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", source=str(path)) from None
    except RecursionError:
        raise ConfigError(f"not valid TOML: nested deeper than {MAX_DEPTH} levels", source=str(path)) from None
    problem = count_nodes(data)
    if problem:
        raise ConfigError(f"not valid TOML: {problem}", source=str(path))
    return data


def count_nodes(data: object) -> str | None:
    """What is too big about ``data`` (too many values, too deep), or ``None``; no recursion."""
    total, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        total += 1
        if total > MAX_NODES:
            return f"more than {MAX_NODES:,} values; a configuration is much smaller"
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None
