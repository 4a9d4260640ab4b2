"""Checks of configuration values, each rule giving one line: options, templates, URLs, names.

Called by :mod:`pytest_schemafed.config` while it loads the file, so that a value
that cannot work is refused at load, naming the key, and never reaches a backend
(where it used to become a traceback, an INTERNALERROR, or a silent literal).
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterable, Mapping
from typing import Any

from .backends.base import Option
from .errors import ConfigError
from .secrets import Secret

__all__ = [
    "URL_KEYS", "describe_kind", "did_you_mean", "is_url_key", "template_problem", "uri_problem", "url_problem",
    "validate_options",
]

URL_KEYS = ("url",)  # and every key ending in `_url`: token_url, endpoint_url, sts_endpoint_url


def is_url_key(name: object) -> bool:
    """True for an option that holds a URL: ``url`` or ``*_url`` (every backend's convention)."""
    return isinstance(name, str) and (name in URL_KEYS or name.endswith("_url"))


def did_you_mean(value: object, known: Iterable[str]) -> str:
    """`` did you mean 'x'?`` for the closest known name, or ``""`` when none is close."""
    close = difflib.get_close_matches(str(value), list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def template_problem(template: str, fields: frozenset[str]) -> str | None:
    """What is wrong with a subject template, or ``None``.

    Only plain placeholders of ``fields`` are allowed: no conversion (``!r``), no format
    spec (``:>10``), no attribute or index (``{stem.upper}``), no positional ``{}``.
    Literal braces are written ``{{`` and ``}}``.
    """
    known = ", ".join("{" + f + "}" for f in sorted(fields))
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # "{stem", "stem}", "{stem'"
        return f"not a valid template ({exc}); placeholders are {known}, literal braces are {{{{ and }}}}"
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in fields:
            shown = "{" + field + "}"
            return f"unknown placeholder {shown}{did_you_mean(field, fields)}; known: {known}"
        if spec or conversion:
            return f"placeholder {{{field}}} takes no conversion or format spec; known: {known}"
    return None


def url_problem(value: object) -> str | None:
    """What is wrong with an ``http(s)`` URL, or ``None``: parsed as the HTTP client will parse it."""
    if not isinstance(value, str):
        return None  # the type check reports it
    import httpx  # only when a URL is configured: a run of local backends never imports the HTTP client

    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return f"not a valid URL ({exc})"
    if url.scheme not in ("http", "https"):
        return f"not an http(s) URL: it starts with {url.scheme + ':' if url.scheme else 'no scheme'}"
    if not url.host:
        return "not a valid URL: it has no host"
    return None


def uri_problem(value: object) -> str | None:
    """What is wrong with an absolute URI that names a document (a ``$schema``), or ``None``.

    Any scheme but ``file`` (``https://...``, ``urn:...``, ``tag:...``), no whitespace.
    """
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        return f"expected a URI string, got {describe_kind(value)}"
    if not value or value != value.strip() or any(c.isspace() for c in value):
        return f"not a URI: {value!r} is empty or holds whitespace"
    parts = urlsplit(value)
    if not parts.scheme or len(parts.scheme) < 2:
        return f"not an absolute URI (expected e.g. https://example.com/meta.json): {value!r}"
    if parts.scheme.lower() == "file":
        return "a file:// URI names no meta-schema schemafed may read; use the URI the files' $schema holds"
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return f"not a valid URL: it has no host: {value!r}"
    return None


def validate_options(
    values: Any, accepted: Mapping[str, Option], *, source: str, key: str
) -> dict[str, Any]:
    """Check ``values`` against ``accepted`` and wrap secret values in :class:`Secret`.

    :raises ConfigError: unknown key, missing key, or a value of the wrong type.
    """
    if not isinstance(values, dict):
        raise ConfigError(f"expected a mapping, got {describe_kind(values)}", source=source, key=key)
    out: dict[str, Any] = {}
    for name, value in values.items():
        option = accepted.get(name)
        if option is None:
            expected = ", ".join(accepted) or "no keys"
            raise ConfigError(f"unknown key{did_you_mean(name, accepted)}; expected one of {expected}",
                              source=source, key=f"{key}.{name}")
        out[name] = _check_value(value, option, source=source, key=f"{key}.{name}")
        problem = url_problem(value) if is_url_key(name) else None
        if problem:
            raise ConfigError(problem, source=source, key=f"{key}.{name}")
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
        raise ConfigError(f"expected {_names(kinds)}, got {describe_kind(value)}", source=source, key=key)
    if isinstance(value, dict) and option.keys is not None:
        return validate_options(value, option.keys, source=source, key=key)
    if isinstance(value, dict) and option.secret:
        return {k: Secret(str(v)) if isinstance(v, (str, int)) else v for k, v in value.items()}
    return value


def _names(kinds: tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a mapping"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def describe_kind(value: Any) -> str:
    """``a string``, ``a list``...: the kind of a parsed value, for messages."""
    return {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "a list",
            dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)
