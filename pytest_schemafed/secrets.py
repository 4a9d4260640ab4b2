"""Secret values: masked in every repr and scrubbed, in every form, from every text shown.

Configuration values that carry credentials are wrapped in :class:`Secret` when the
configuration is loaded, and every secret is registered here together with the forms
it takes on the wire: the value itself, its percent-encoded and JSON/``repr``-escaped
spellings, and for HTTP basic credentials ``user:password`` and its base64 form (the
``Authorization: Basic ...`` value). :func:`scrub` is the one function everything
calls before a text is shown (messages, reports, log records, tracebacks); besides the
registered values it masks two shapes that are secret whoever made them: the user info
of a URL (``https://user:pass@host``) and the value of an ``Authorization`` header.

A ``Secret`` prints as ``'***'``; its value is only reachable through
:meth:`Secret.reveal`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from urllib.parse import quote, quote_plus

__all__ = [
    "MASK",
    "Secret",
    "derived_forms",
    "register_basic",
    "register_secret",
    "scrub",
]

MASK = "***"
MIN_LENGTH = 4
"""Shorter values are not registered: masking ``abc`` everywhere would garble every text."""

_known: set[str] = set()
_lock = threading.Lock()
_pattern: re.Pattern[str] | None = None

# https://user:password@host -> https://***@host (any URL, registered or not)
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]*@")
# Authorization: Basic xxx / "authorization": "Bearer xxx" / 'Authorization': '...'
_AUTH_HEADER = re.compile(r"(?i)(\b(?:proxy-)?authorization\b[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n;,}]+")


def derived_forms(value: str) -> set[str]:
    """The spellings of ``value`` a text may carry: raw, percent-encoded, JSON- and repr-escaped."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value),
             json.dumps(value)[1:-1], repr(value)[1:-1]}
    return {f for f in forms if len(f) >= MIN_LENGTH}


def _add(forms: set[str]) -> None:
    global _pattern
    with _lock:
        if not forms <= _known:
            _known.update(forms)
            _pattern = None


def register_secret(value: str | None) -> None:
    """Remember ``value`` (and its :func:`derived_forms`) so that :func:`scrub` masks it."""
    if value and len(value) >= MIN_LENGTH:
        _add(derived_forms(value))


def register_basic(username: str | None, password: str | None) -> None:
    """Register HTTP basic credentials: the password, ``user:password`` and its base64 forms.

    With an empty password (``https://token@host``) the user name is the secret.
    """
    user, secret = username or "", password or ""
    register_secret(secret or user)
    pair = f"{user}:{secret}"
    forms = derived_forms(pair) if secret else set()
    raw = pair.encode()
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode()
        forms |= {text, text.rstrip("=")}
    _add({f for f in forms if len(f) >= MIN_LENGTH})


def _compiled() -> re.Pattern[str] | None:
    global _pattern
    with _lock:
        if _pattern is None and _known:
            _pattern = re.compile("|".join(re.escape(v) for v in sorted(_known, key=len, reverse=True)))
        return _pattern


def scrub(text: str) -> str:
    """Return ``text`` with every registered secret form, URL user info and Authorization value masked."""
    if not text:
        return text
    pattern = _compiled()
    if pattern is not None:
        text = pattern.sub(MASK, text)
    if "@" in text:
        text = _URL_USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    if "uthorization" in text or "UTHORIZATION" in text:
        text = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)
    return text


class Secret:
    """A string that never shows itself: ``str()`` and ``repr()`` give ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        """Return the real value, for the one place that sends it to a backend."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        # pickled for worker processes: the worker registers the value again when it unpickles
        return (Secret, (self._value,))
